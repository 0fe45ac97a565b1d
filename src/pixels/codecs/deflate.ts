// Deflated Image Frame Compression (1.2.840.10008.1.2.8.1): each frame is its native bytes, deflated (RFC 1951).

import { deflateRawSync, inflateRawSync, inflateSync } from 'node:zlib';
import { frameBytes, type PixelLayout } from '../image.js';
import { copyBytes, type DecodedFrame, type EncodedFrame, type FrameCodec } from './codec.js';

export async function createDeflateCodec(): Promise<FrameCodec> {
  return {
    name: 'Deflated Image Frame Compression',
    lossy: false,
    lossyMethod: null,
    decode(encoded: Uint8Array, layout: PixelLayout): DecodedFrame {
      let data: Uint8Array;
      try {
        data = inflateRawSync(encoded);
      } catch {
        data = inflateSync(encoded); // a zlib-wrapped stream, as some writers produce
      }
      const size = frameBytes(layout);
      if (data.length < size) throw new Error(`inflated frame has ${data.length} bytes where ${size} are needed`);
      return { data: copyBytes(data.subarray(0, size)), layout };
    },
    encode(frame: DecodedFrame): EncodedFrame {
      return { data: deflateRawSync(frame.data), photometricInterpretation: frame.layout.photometricInterpretation };
    },
  };
}
