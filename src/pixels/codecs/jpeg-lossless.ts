// JPEG lossless process 14 (1.2.840.10008.1.2.4.57) and its selection value 1 (.4.70) through dcmjs-codecs;
// re-encoded with selection value 1, which both syntaxes accept.

import { TS } from '../../dicom/uid-registry.generated.js';
import type { PixelLayout } from '../image.js';
import {
  checkDecodedSize, decodedLayout, normalizeSigned, UnsupportedImageError, type DecodedFrame, type EncodedFrame,
  type FrameCodec,
  copyBytes,
} from './codec.js';
import { loadDcmjsCodecs } from './dcmjs-native.js';

export async function createJpegLosslessCodec(uid: string): Promise<FrameCodec> {
  const { codecs, context } = await loadDcmjsCodecs();
  return {
    name: uid === TS.JPEGLosslessSV1 ? 'JPEG lossless SV1' : 'JPEG lossless',
    lossy: false,
    lossyMethod: null,
    decode(encoded: Uint8Array, layout: PixelLayout): DecodedFrame {
      if (layout.bitsStored > 16) throw new UnsupportedImageError('JPEG lossless holds at most 16 bits per sample');
      const stored = decodedLayout(layout, layout.photometricInterpretation);
      const data = codecs.decodeJpeg(context({ ...stored, planarConfiguration: 0 }, { encoded }), { convertColorspaceToRgb: false }).getDecodedBuffer();
      if (!data) throw new Error('JPEG lossless decoder returned no pixels');
      const copy = copyBytes(data);
      checkDecodedSize('JPEG lossless', copy, stored);
      normalizeSigned(copy, stored);
      return { data: copy, layout: stored };
    },
    encode(frame: DecodedFrame): EncodedFrame {
      const encoded = codecs.encodeJpeg(context(frame.layout, { decoded: frame.data }), { lossy: false, predictor: 1, pointTransform: 0 }).getEncodedBuffer();
      if (!encoded) throw new Error('JPEG lossless encoder returned no codestream');
      return { data: copyBytes(encoded), photometricInterpretation: frame.layout.photometricInterpretation };
    },
  };
}
