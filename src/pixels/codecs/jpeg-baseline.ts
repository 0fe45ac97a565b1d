// JPEG baseline (1.2.840.10008.1.2.4.50) and extended (.4.51) frames: 8-bit through @cornerstonejs/codec-libjpeg-turbo-8bit
// (decode and encode); dcmjs-codecs decodes 12-bit extended frames (no maintained package encodes 12-bit lossy JPEG)
// and colour frames whose dataset says RGB.

import { TS } from '../../dicom/uid-registry.generated.js';
import type { PixelLayout } from '../image.js';
import {
  checkDecodedSize, decodedLayout, normalizeSigned, UnsupportedImageError, type DecodedFrame, type EncodedFrame,
  type FrameCodec,
  copyBytes,
} from './codec.js';
import { loadDcmjsCodecs, type DcmjsCodecs } from './dcmjs-native.js';
import { loadWasmModule, runDecoder, runEncoder, type WasmDecoder, type WasmEncoder } from './wasm.js';

interface LibJpegTurboModule {
  JPEGDecoder: new () => WasmDecoder;
  JPEGEncoder: new () => WasmEncoder & { setQuality(quality: number): void; setProgressive(on: boolean): void; setSubSampling(mode: number): void };
}

/** Quality of a lossy re-encode (libjpeg scale); high, since the frame was lossy already. */
const QUALITY = 95;
/** libjpeg-turbo chroma subsampling codes: 4:4:4 is 0, 4:2:2 is 1. */
const SUBSAMPLING_444 = 0;
const SUBSAMPLING_422 = 1;

export async function createJpegBaselineCodec(uid: string): Promise<FrameCodec> {
  const turbo = await loadWasmModule<LibJpegTurboModule>('@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs');
  const extended = uid === TS.JPEGExtended12Bit;
  // 12-bit frames and colour frames the dataset calls RGB need dcmjs-codecs; loaded now because decode is synchronous.
  dcmjs ??= await loadDcmjsCodecs();
  return {
    name: extended ? 'JPEG extended' : 'JPEG baseline',
    lossy: true,
    lossyMethod: 'ISO_10918_1',
    decode(encoded: Uint8Array, layout: PixelLayout): DecodedFrame {
      if (layout.bitsStored > 8) return decodeTwelveBit(encoded, layout);
      // Photometric RGB says the stream has no colour transform, whatever its JFIF marker claims; dcmtk and GDCM
      // read it so, and so do we (libjpeg-turbo would convert from YCbCr).
      if (layout.samplesPerPixel === 3 && layout.photometricInterpretation === 'RGB') return decodeWithoutColorTransform(encoded, layout);
      const { data, info } = runDecoder(new turbo.JPEGDecoder(), encoded);
      if (info.width !== layout.columns || info.height !== layout.rows || info.componentCount !== layout.samplesPerPixel) {
        throw new Error(`JPEG stream is ${info.width}×${info.height}×${info.componentCount}, the dataset says ${layout.columns}×${layout.rows}×${layout.samplesPerPixel}`);
      }
      // libjpeg-turbo converts YCbCr to RGB; keep the stored photometric's subsampling to re-encode alike.
      const subsampled = layout.photometricInterpretation.endsWith('_422') || layout.photometricInterpretation.endsWith('_420');
      const out = decodedLayout(layout, layout.samplesPerPixel === 3 ? 'RGB' : layout.photometricInterpretation);
      checkDecodedSize('JPEG', data, out);
      normalizeSigned(data, out);
      return { data, layout: out, codingParameters: { subsampling: subsampled ? SUBSAMPLING_422 : SUBSAMPLING_444 } };
    },
    // No maintained package encodes 12-bit lossy JPEG: such frames are written in a lossless syntax instead.
    encodes: (image: PixelLayout): boolean => image.bitsStored <= 8,
    encode(frame: DecodedFrame): EncodedFrame {
      const { layout } = frame;
      if (layout.bitsStored > 8) throw new UnsupportedImageError('no maintained codec encodes 12-bit JPEG extended: write the redacted file native instead');
      if (layout.pixelRepresentation === 1) throw new UnsupportedImageError('signed 8-bit JPEG is not supported');
      const subsampling = frame.codingParameters?.subsampling ?? SUBSAMPLING_422;
      const info = { width: layout.columns, height: layout.rows, bitsPerSample: 8, componentCount: layout.samplesPerPixel, isSigned: false };
      const data = runEncoder(new turbo.JPEGEncoder(), info, frame.data, (e) => {
        e.setProgressive(false);
        e.setQuality(QUALITY);
        if (layout.samplesPerPixel === 3) e.setSubSampling(subsampling);
      });
      const photometric = layout.samplesPerPixel === 3 ? (subsampling === SUBSAMPLING_422 ? 'YBR_FULL_422' : 'YBR_FULL') : layout.photometricInterpretation;
      return { data, photometricInterpretation: photometric };
    },
  };
}

let dcmjs: DcmjsCodecs | null = null;

function decodeWithoutColorTransform(encoded: Uint8Array, layout: PixelLayout): DecodedFrame {
  if (!dcmjs) throw new Error('JPEG decoder not loaded');
  const stored = decodedLayout(layout, 'RGB');
  const data = dcmjs.codecs.decodeJpeg(dcmjs.context(stored, { encoded }), { convertColorspaceToRgb: false }).getDecodedBuffer();
  if (!data) throw new Error('JPEG decoder returned no pixels');
  const copy = copyBytes(data);
  checkDecodedSize('JPEG', copy, stored);
  return { data: copy, layout: stored, codingParameters: { subsampling: SUBSAMPLING_444 } };
}

function decodeTwelveBit(encoded: Uint8Array, layout: PixelLayout): DecodedFrame {
  if (!dcmjs) throw new Error('12-bit JPEG decoder not loaded');
  if (layout.samplesPerPixel !== 1) throw new UnsupportedImageError('12-bit colour JPEG is not supported');
  const stored = decodedLayout(layout, layout.photometricInterpretation);
  const data = dcmjs.codecs.decodeJpeg(dcmjs.context(stored, { encoded }), {}).getDecodedBuffer();
  if (!data) throw new Error('12-bit JPEG decoder returned no pixels');
  const copy = copyBytes(data);
  checkDecodedSize('JPEG 12-bit', copy, stored);
  normalizeSigned(copy, stored);
  return { data: copy, layout: stored };
}
