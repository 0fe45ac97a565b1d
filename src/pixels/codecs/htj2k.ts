// HTJ2K lossless (1.2.840.10008.1.2.4.201), lossless RPCL (.4.202) and lossy (.4.203) frames through
// @cornerstonejs/codec-openjph.

import { TS } from '../../dicom/uid-registry.generated.js';
import type { PixelLayout } from '../image.js';
import { UnsupportedImageError, type DecodedFrame, type EncodedFrame, type FrameCodec } from './codec.js';
import { decodeJpeg2000Family } from './jpeg2000.js';
import { codingStyle, colorPhotometric, decompositionLevels } from './j2k-markers.js';
import { loadWasmModule, runEncoder, type WasmDecoder, type WasmEncoder } from './wasm.js';

interface OpenJphModule {
  HTJ2KDecoder: new () => WasmDecoder;
  HTJ2KEncoder: new () => WasmEncoder & {
    setQuality(lossless: boolean, quantizationStep: number): void;
    setProgressionOrder(order: number): void;
    setTLMMarker(on: boolean): void;
    setDecompositions(levels: number): void;
  };
}

/** Quantization step of a lossy re-encode (small: visually lossless). */
const LOSSY_QUANTIZATION_STEP = 0.002;
/** openjph's progression order numbers: LRCP 0, RLCP 1, RPCL 2, PCRL 3, CPRL 4. */
const RPCL = 2;

export async function createHtj2kCodec(uid: string): Promise<FrameCodec> {
  const openjph = await loadWasmModule<OpenJphModule>('@cornerstonejs/codec-openjph/wasmjs');
  const lossy = uid === TS.HTJ2K;
  const rpcl = uid === TS.HTJ2KLosslessRPCL;
  return {
    name: lossy ? 'HTJ2K' : rpcl ? 'HTJ2K lossless RPCL' : 'HTJ2K lossless',
    lossy,
    lossyMethod: lossy ? 'ISO_15444_15' : null,
    decode: (encoded: Uint8Array, layout: PixelLayout): DecodedFrame => decodeJpeg2000Family('HTJ2K', new openjph.HTJ2KDecoder(), encoded, layout),
    encode(frame: DecodedFrame): EncodedFrame {
      const { layout } = frame;
      if (layout.samplesPerPixel === 3 && layout.photometricInterpretation !== 'RGB') {
        throw new UnsupportedImageError(`HTJ2K encoding takes RGB, not ${layout.photometricInterpretation}`);
      }
      const info = {
        width: layout.columns, height: layout.rows, bitsPerSample: layout.bitsStored, componentCount: layout.samplesPerPixel,
        isSigned: layout.pixelRepresentation === 1, isUsingColorTransform: layout.samplesPerPixel === 3,
      };
      const data = runEncoder(new openjph.HTJ2KEncoder(), info, frame.data, (e) => {
        e.setDecompositions(decompositionLevels(layout));
        if (lossy) e.setQuality(false, LOSSY_QUANTIZATION_STEP);
        if (rpcl) {
          e.setProgressionOrder(RPCL);
          e.setTLMMarker(true);
        }
      });
      const photometric = layout.samplesPerPixel === 3 ? colorPhotometric(codingStyle(data)) : layout.photometricInterpretation;
      return { data, photometricInterpretation: photometric };
    },
  };
}
