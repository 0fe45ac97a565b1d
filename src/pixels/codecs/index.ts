// The codec for each encapsulated transfer syntax, imported on first use so a metadata-only run loads no WASM.

import type { FrameCodec } from './codec.js';

export type { DecodedFrame, EncodedFrame, FrameCodec } from './codec.js';
export { UnsupportedImageError } from './codec.js';

const ADAPTERS: Readonly<Record<string, () => Promise<FrameCodec>>> = {
  '1.2.840.10008.1.2.4.50': () => import('./jpeg-baseline.js').then((m) => m.createJpegBaselineCodec('1.2.840.10008.1.2.4.50')),
  '1.2.840.10008.1.2.4.51': () => import('./jpeg-baseline.js').then((m) => m.createJpegBaselineCodec('1.2.840.10008.1.2.4.51')),
  '1.2.840.10008.1.2.4.57': () => import('./jpeg-lossless.js').then((m) => m.createJpegLosslessCodec('1.2.840.10008.1.2.4.57')),
  '1.2.840.10008.1.2.4.70': () => import('./jpeg-lossless.js').then((m) => m.createJpegLosslessCodec('1.2.840.10008.1.2.4.70')),
  '1.2.840.10008.1.2.4.80': () => import('./jpeg-ls.js').then((m) => m.createJpegLsCodec('1.2.840.10008.1.2.4.80')),
  '1.2.840.10008.1.2.4.81': () => import('./jpeg-ls.js').then((m) => m.createJpegLsCodec('1.2.840.10008.1.2.4.81')),
  '1.2.840.10008.1.2.4.90': () => import('./jpeg2000.js').then((m) => m.createJpeg2000Codec('1.2.840.10008.1.2.4.90')),
  '1.2.840.10008.1.2.4.91': () => import('./jpeg2000.js').then((m) => m.createJpeg2000Codec('1.2.840.10008.1.2.4.91')),
  '1.2.840.10008.1.2.4.201': () => import('./htj2k.js').then((m) => m.createHtj2kCodec('1.2.840.10008.1.2.4.201')),
  '1.2.840.10008.1.2.4.202': () => import('./htj2k.js').then((m) => m.createHtj2kCodec('1.2.840.10008.1.2.4.202')),
  '1.2.840.10008.1.2.4.203': () => import('./htj2k.js').then((m) => m.createHtj2kCodec('1.2.840.10008.1.2.4.203')),
  '1.2.840.10008.1.2.5': () => import('./rle.js').then((m) => m.createRleCodec()),
  '1.2.840.10008.1.2.8.1': () => import('./deflate.js').then((m) => m.createDeflateCodec()),
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
    codec = adapter();
    codecs.set(transferSyntaxUid, codec);
  }
  return codec;
}
