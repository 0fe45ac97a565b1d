// RLE Lossless (1.2.840.10008.1.2.5) frames through dcmjs-codecs (segments of each byte of each sample).

import { frameBytes, type PixelLayout } from '../image.js';
import { copyBytes, type DecodedFrame, type EncodedFrame, type FrameCodec } from './codec.js';
import { loadDcmjsCodecs } from './dcmjs-native.js';

export async function createRleCodec(): Promise<FrameCodec> {
  const { codecs, context } = await loadDcmjsCodecs();
  return {
    name: 'RLE lossless',
    lossy: false,
    lossyMethod: null,
    decode(encoded: Uint8Array, layout: PixelLayout): DecodedFrame {
      // RLE keeps whole allocated words; the decoded frame is interleaved. 1-bit frames are one segment of the
      // packed bytes, decoded as a one-row 8-bit image of that many bytes.
      const out: PixelLayout = { ...layout, planarConfiguration: 0 };
      const data = codecs.decodeRle(context(codingLayout(out), { encoded }), {}).getDecodedBuffer();
      const expected = frameBytes(layout);
      if (!data || data.length < expected) throw new Error(`RLE decoded ${data?.length ?? 0} bytes where the frame needs ${expected}`);
      return { data: copyBytes(data.subarray(0, expected)), layout: out };
    },
    encode(frame: DecodedFrame): EncodedFrame {
      const encoded = codecs.encodeRle(context(codingLayout(frame.layout), { decoded: frame.data }), {}).getEncodedBuffer();
      if (!encoded) throw new Error('RLE encoder returned no data');
      return { data: copyBytes(encoded), photometricInterpretation: frame.layout.photometricInterpretation };
    },
  };
}

/** The layout handed to the RLE codec: 1-bit frames as one row of packed bytes. */
function codingLayout(layout: PixelLayout): PixelLayout {
  if (layout.bitsAllocated !== 1) return layout;
  return { ...layout, rows: 1, columns: frameBytes(layout), bitsAllocated: 8, bitsStored: 8, highBit: 7, pixelRepresentation: 0 };
}
