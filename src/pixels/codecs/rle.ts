// RLE Lossless (1.2.840.10008.1.2.5) frames through dcmjs-codecs (segments of each byte of each sample).

import type { PixelLayout } from '../image.js';
import { UnsupportedImageError, type DecodedFrame, type EncodedFrame, type FrameCodec } from './codec.js';
import { loadDcmjsCodecs } from './dcmjs-native.js';

export async function createRleCodec(): Promise<FrameCodec> {
  const { codecs, context } = await loadDcmjsCodecs();
  return {
    name: 'RLE lossless',
    lossy: false,
    lossyMethod: null,
    decode(encoded: Uint8Array, layout: PixelLayout): DecodedFrame {
      if (layout.bitsAllocated === 1) throw new UnsupportedImageError('RLE of 1-bit pixels is not defined');
      // RLE keeps whole allocated words; the decoded frame is interleaved.
      const out: PixelLayout = { ...layout, planarConfiguration: 0 };
      const data = codecs.decodeRle(context(out, { encoded }), {}).getDecodedBuffer();
      const expected = layout.rows * layout.columns * layout.samplesPerPixel * (layout.bitsAllocated / 8);
      if (!data || data.length < expected) throw new Error(`RLE decoded ${data?.length ?? 0} bytes where the frame needs ${expected}`);
      return { data: data.slice(0, expected), layout: out };
    },
    encode(frame: DecodedFrame): EncodedFrame {
      const encoded = codecs.encodeRle(context(frame.layout, { decoded: frame.data }), {}).getEncodedBuffer();
      if (!encoded) throw new Error('RLE encoder returned no data');
      return { data: encoded.slice(), photometricInterpretation: frame.layout.photometricInterpretation };
    },
  };
}
