// JPEG-LS lossless (1.2.840.10008.1.2.4.80) and near-lossless (.4.81) frames through @cornerstonejs/codec-charls.

import { TS } from '../../dicom/uid-registry.generated.js';
import type { PixelLayout } from '../image.js';
import {
  checkDecodedSize, codecBytesPerSample, decodedLayout, interleavePlanes, maskSamples, normalizeSigned, planesOf, UnsupportedImageError,
  type DecodedFrame, type EncodedFrame, type FrameCodec,
} from './codec.js';
import { loadWasmModule, runDecoder, runEncoder, type WasmDecoder, type WasmEncoder } from './wasm.js';

interface CharlsModule {
  JpegLSDecoder: new () => WasmDecoder & { getInterleaveMode(): number; getNearLossless(): number };
  JpegLSEncoder: new () => WasmEncoder & { setNearLossless(near: number): void; setInterleaveMode(mode: number): void };
}

/** NEAR used for a near-lossless re-encode when the original stream does not say (it always does in practice). */
const DEFAULT_NEAR = 2;

export async function createJpegLsCodec(uid: string): Promise<FrameCodec> {
  const charls = await loadWasmModule<CharlsModule>('@cornerstonejs/codec-charls/wasmjs');
  const nearLossless = uid === TS.JPEGLSNearLossless;
  return {
    name: nearLossless ? 'JPEG-LS near-lossless' : 'JPEG-LS lossless',
    lossy: nearLossless,
    lossyMethod: nearLossless ? 'ISO_14495_1' : null,
    decode(encoded: Uint8Array, layout: PixelLayout): DecodedFrame {
      if (layout.bitsStored > 16) throw new UnsupportedImageError(`JPEG-LS holds at most 16 bits per sample, Bits Stored is ${layout.bitsStored}`);
      let interleave = 0, near = 0;
      const { data, info } = runDecoder(new charls.JpegLSDecoder(), encoded, (d) => {
        interleave = d.getInterleaveMode();
        near = d.getNearLossless();
      });
      if (info.width !== layout.columns || info.height !== layout.rows || info.componentCount !== layout.samplesPerPixel) {
        throw new Error(`JPEG-LS stream is ${info.width}×${info.height}×${info.componentCount}, the dataset says ${layout.columns}×${layout.rows}×${layout.samplesPerPixel}`);
      }
      const out = decodedLayout(layout, layout.photometricInterpretation);
      checkDecodedSize('JPEG-LS', data, out);
      // Interleave mode 0 (one scan per component) decodes to planes.
      const samples = interleave === 0 && layout.samplesPerPixel > 1
        ? interleavePlanes(data, layout.rows * layout.columns, layout.samplesPerPixel, codecBytesPerSample(layout))
        : data;
      normalizeSigned(samples, out);
      return { data: samples, layout: out, codingParameters: { interleave, near } };
    },
    encode(frame: DecodedFrame): EncodedFrame {
      const { layout } = frame;
      const bytes = codecBytesPerSample(layout);
      // JPEG-LS codes unsigned samples of Bits Stored precision: signed values go in as their stored bit pattern.
      const interleave = layout.samplesPerPixel > 1 ? frame.codingParameters?.interleave ?? 2 : 0;
      const masked = maskSamples(frame.data, bytes, layout.bitsStored);
      const samples = interleave === 0 && layout.samplesPerPixel > 1 ? planesOf(masked, layout.rows * layout.columns, layout.samplesPerPixel, bytes) : masked;
      const info = { width: layout.columns, height: layout.rows, bitsPerSample: layout.bitsStored, componentCount: layout.samplesPerPixel };
      const data = runEncoder(new charls.JpegLSEncoder(), info, samples, (e) => {
        if (layout.samplesPerPixel > 1) e.setInterleaveMode(interleave);
        if (nearLossless) e.setNearLossless(frame.codingParameters?.near ?? DEFAULT_NEAR);
      });
      return { data, photometricInterpretation: layout.photometricInterpretation };
    },
  };
}
