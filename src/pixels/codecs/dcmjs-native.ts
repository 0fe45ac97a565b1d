// Loads dcmjs-codecs' WASM codecs (JPEG lossless and 12-bit, RLE) once per process, on first use.

import { createRequire } from 'node:module';
import type { PixelLayout } from '../image.js';

const require = createRequire(import.meta.url);

export interface DcmjsContext {
  getEncodedBuffer(): Uint8Array | undefined;
  getDecodedBuffer(): Uint8Array | undefined;
}

export interface DcmjsNativeCodecs {
  decodeRle(context: DcmjsContext, parameters?: object): DcmjsContext;
  encodeRle(context: DcmjsContext, parameters?: object): DcmjsContext;
  decodeJpeg(context: DcmjsContext, parameters?: object): DcmjsContext;
  encodeJpeg(context: DcmjsContext, parameters?: object): DcmjsContext;
}

interface DcmjsCodecsPackage {
  NativeCodecs: DcmjsNativeCodecs & { initializeAsync(options?: object): Promise<void>; isInitialized(): boolean };
  Context: new (attributes: object) => DcmjsContext;
}

export interface DcmjsCodecs {
  codecs: DcmjsNativeCodecs;
  /** A codec context for one frame of `layout`, holding its encoded or decoded bytes. */
  context(layout: PixelLayout, bytes: { encoded?: Uint8Array; decoded?: Uint8Array }): DcmjsContext;
}

let loading: Promise<DcmjsCodecs> | null = null;

export function loadDcmjsCodecs(): Promise<DcmjsCodecs> {
  loading ??= load();
  return loading;
}

async function load(): Promise<DcmjsCodecs> {
  const dcmjsCodecs = require('dcmjs-codecs') as DcmjsCodecsPackage;
  if (!dcmjsCodecs.NativeCodecs.isInitialized()) await dcmjsCodecs.NativeCodecs.initializeAsync({ logCodecsInfo: false, logCodecsTrace: false });
  const context = (layout: PixelLayout, bytes: { encoded?: Uint8Array; decoded?: Uint8Array }): DcmjsContext =>
    new dcmjsCodecs.Context({
      width: layout.columns,
      height: layout.rows,
      bitsAllocated: layout.bitsAllocated,
      bitsStored: layout.bitsStored,
      samplesPerPixel: layout.samplesPerPixel,
      pixelRepresentation: layout.pixelRepresentation,
      planarConfiguration: layout.planarConfiguration,
      photometricInterpretation: layout.photometricInterpretation,
      encodedBuffer: bytes.encoded,
      decodedBuffer: bytes.decoded,
    });
  return { codecs: dcmjsCodecs.NativeCodecs, context };
}
