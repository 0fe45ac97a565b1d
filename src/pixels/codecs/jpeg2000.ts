// JPEG 2000 lossless (1.2.840.10008.1.2.4.90) and lossy (.4.91) frames through @cornerstonejs/codec-openjpeg.

import { TS } from '../../dicom/uid-registry.generated.js';
import type { PixelLayout } from '../image.js';
import {
  checkDecodedSize, decodedLayout, normalizeSigned, UnsupportedImageError, type DecodedFrame, type EncodedFrame,
  type FrameCodec,
} from './codec.js';
import { codingStyle, colorPhotometric, decompositionLevels } from './j2k-markers.js';
import { loadWasmModule, runDecoder, runEncoder, type WasmDecoder, type WasmEncoder } from './wasm.js';

interface OpenJpegModule {
  J2KDecoder: new () => WasmDecoder;
  J2KEncoder: new () => WasmEncoder & { setQuality(lossless: boolean, quality: number): void; setDecompositions(levels: number): void };
}

/** openjpeg's quality argument for a lossy re-encode (a high-quality setting: about 10:1 on CT). */
const LOSSY_QUALITY = 10;

/**
 * One frame of the JPEG 2000 family (Part 1 through openjpeg, Part 15 HTJ2K through openjph): the stream must agree
 * with the dataset's size; the decoders undo the colour transform, so three components come out as RGB.
 */
export function decodeJpeg2000Family(name: string, decoder: WasmDecoder, encoded: Uint8Array, layout: PixelLayout): DecodedFrame {
  if (layout.bitsStored > 16) throw new UnsupportedImageError(`${name} frames of more than 16 bits are not supported`);
  const { data, info } = runDecoder(decoder, encoded);
  if (info.width !== layout.columns || info.height !== layout.rows || info.componentCount !== layout.samplesPerPixel) {
    throw new Error(`${name} stream is ${info.width}×${info.height}×${info.componentCount}, the dataset says ${layout.columns}×${layout.rows}×${layout.samplesPerPixel}`);
  }
  const photometric = layout.samplesPerPixel === 3 ? 'RGB' : layout.photometricInterpretation;
  const out = decodedLayout(layout, photometric);
  checkDecodedSize(name, data, out);
  normalizeSigned(data, out);
  return { data, layout: out };
}

export async function createJpeg2000Codec(uid: string): Promise<FrameCodec> {
  const openjpeg = await loadWasmModule<OpenJpegModule>('@cornerstonejs/codec-openjpeg/wasmjs');
  const lossy = uid === TS.JPEG2000;
  return {
    name: lossy ? 'JPEG 2000' : 'JPEG 2000 lossless',
    lossy,
    lossyMethod: lossy ? 'ISO_15444_1' : null,
    decode: (encoded: Uint8Array, layout: PixelLayout): DecodedFrame => decodeJpeg2000Family('JPEG 2000', new openjpeg.J2KDecoder(), encoded, layout),
    encode(frame: DecodedFrame): EncodedFrame {
      const { layout } = frame;
      if (layout.samplesPerPixel === 3 && layout.photometricInterpretation !== 'RGB') {
        throw new UnsupportedImageError(`JPEG 2000 encoding takes RGB, not ${layout.photometricInterpretation}`);
      }
      const info = {
        width: layout.columns, height: layout.rows, bitsPerSample: layout.bitsStored, componentCount: layout.samplesPerPixel,
        isSigned: layout.pixelRepresentation === 1,
      };
      const data = runEncoder(new openjpeg.J2KEncoder(), info, frame.data, (e) => {
        e.setDecompositions(decompositionLevels(layout));
        if (lossy) e.setQuality(false, LOSSY_QUALITY);
      });
      const photometric = layout.samplesPerPixel === 3 ? colorPhotometric(codingStyle(data)) : layout.photometricInterpretation;
      return { data, photometricInterpretation: photometric };
    },
  };
}
