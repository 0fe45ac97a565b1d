// The codec for each encapsulated transfer syntax, imported on first use so a metadata-only run loads no WASM.

import { TS } from '../../dicom/uid-registry.generated.js';
import type { FrameCodec } from './codec.js';

export type { DecodedFrame, EncodedFrame, FrameCodec } from './codec.js';
export { UnsupportedImageError } from './codec.js';

/** Each adapter module, given the UID it is loaded for (one module serves a syntax family). */
const jpegBaseline = (uid: string) => import('./jpeg-baseline.js').then((m) => m.createJpegBaselineCodec(uid));
const jpegLossless = (uid: string) => import('./jpeg-lossless.js').then((m) => m.createJpegLosslessCodec(uid));
const jpegLs = (uid: string) => import('./jpeg-ls.js').then((m) => m.createJpegLsCodec(uid));
const jpeg2000 = (uid: string) => import('./jpeg2000.js').then((m) => m.createJpeg2000Codec(uid));
const htj2k = (uid: string) => import('./htj2k.js').then((m) => m.createHtj2kCodec(uid));

const ADAPTERS: Readonly<Record<string, (uid: string) => Promise<FrameCodec>>> = {
  [TS.JPEGBaseline8Bit]: jpegBaseline,
  [TS.JPEGExtended12Bit]: jpegBaseline,
  [TS.JPEGLossless]: jpegLossless,
  [TS.JPEGLosslessSV1]: jpegLossless,
  [TS.JPEGLSLossless]: jpegLs,
  [TS.JPEGLSNearLossless]: jpegLs,
  [TS.JPEG2000Lossless]: jpeg2000,
  [TS.JPEG2000]: jpeg2000,
  [TS.HTJ2KLossless]: htj2k,
  [TS.HTJ2KLosslessRPCL]: htj2k,
  [TS.HTJ2K]: htj2k,
  [TS.RLELossless]: () => import('./rle.js').then((m) => m.createRleCodec()),
  [TS.DeflatedImageFrameCompression]: () => import('./deflate.js').then((m) => m.createDeflateCodec()),
};

const codecs = new Map<string, Promise<FrameCodec>>();

/** Transfer syntaxes whose frames the pixel layer can decode and encode. */
export const SUPPORTED_ENCAPSULATED_SYNTAXES: readonly string[] = Object.keys(ADAPTERS);

/** The codec of an encapsulated transfer syntax, or null when none is supported. */
export function loadCodec(transferSyntaxUid: string): Promise<FrameCodec> | null {
  const adapter = ADAPTERS[transferSyntaxUid];
  if (!adapter) return null;
  let codec = codecs.get(transferSyntaxUid);
  if (!codec) {
    codec = adapter(transferSyntaxUid);
    codecs.set(transferSyntaxUid, codec);
  }
  return codec;
}
