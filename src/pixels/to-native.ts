// Encapsulated Pixel Data decoded to native, only when decoding loses nothing: the lossless syntaxes (JPEG lossless,
// JPEG-LS lossless, RLE, JPEG 2000 and HTJ2K lossless, deflated frames) and JPEG 2000 / HTJ2K streams that are coded
// reversibly. Lossy syntaxes are refused with a reason naming the syntax. Frames are decoded one at a time into a
// FrameSink (memory, or a scratch file for a large image); the dataset is changed only once every frame decoded, so a
// corrupt frame leaves it as it was (a PixelDataError naming the frame). Knows nothing of networks or anonymization.

import type { DicomFile } from '../dicom/part10.js';
import { EXPLICIT_VR_LITTLE_ENDIAN, transferSyntaxOf } from '../dicom/transfer-syntax.js';
import { TS } from '../dicom/uid-registry.generated.js';
import { uidName } from '../dicom/uid-registry.js';
import { newNumberElement, setString } from '../dicom/values.js';
import type { ExternalRange } from '../dicom/dataset.js';
import {
  EncapsulatedPixelDataValueTotalLength, ExtendedOffsetTable, ExtendedOffsetTableLengths, HighBit, PhotometricInterpretation, PlanarConfiguration,
} from '../dicom/tags.generated.js';
import { loadCodec } from './codecs/index.js';
import { codingStyle, isReversibleCodestream } from './codecs/j2k-markers.js';
import { encapsulatedFrameBytes, locateFrames } from './encapsulated.js';
import { describe, frameError } from './frames.js';
import { frameBits, frameBytes, pixelElementOf, type ImageDescription, type PixelLayout } from './image.js';
import type { FrameSink } from './scratch.js';

/** Syntaxes whose decoded frames are the very samples that were encoded. */
const LOSSLESS = new Set<string>([
  TS.JPEGLossless, TS.JPEGLosslessSV1, TS.JPEGLSLossless, TS.RLELossless, TS.JPEG2000Lossless, TS.HTJ2KLossless,
  TS.HTJ2KLosslessRPCL, TS.DeflatedImageFrameCompression,
]);
/** Syntaxes that may be lossy or lossless: lossless when each frame's codestream says it is coded reversibly. */
const REVERSIBLE_WHEN_SAID = new Set<string>([TS.JPEG2000, TS.HTJ2K]);
const SUBSAMPLED = new Set<string>(['YBR_FULL_422', 'YBR_PARTIAL_422', 'YBR_PARTIAL_420']);
const J2K_FAMILY = new Set<string>([TS.JPEG2000Lossless, TS.JPEG2000, TS.HTJ2KLossless, TS.HTJ2KLosslessRPCL, TS.HTJ2K]);

const syntaxName = (uid: string): string => uidName(uid) ?? uid;

/**
 * Why the pixel data of a file in this transfer syntax cannot be decoded to native without loss, or null when they
 * can (for JPEG 2000 and HTJ2K that may still depend on each frame's codestream).
 */
export function losslessDecodeRefusal(transferSyntaxUid: string): string | null {
  if (LOSSLESS.has(transferSyntaxUid) || REVERSIBLE_WHEN_SAID.has(transferSyntaxUid)) return null;
  const name = syntaxName(transferSyntaxUid);
  return loadCodec(transferSyntaxUid) === null
    ? `its pixel data are in ${name}, which this tool does not decode`
    : `its pixel data are in ${name}, a lossy syntax: decoding them to native would not be lossless`;
}

/** Bytes the native Pixel Data of `image` takes (every frame, before the pad byte; 1-bit frames packed end to end). */
export const nativePixelBytes = (image: ImageDescription): number => Math.ceil((frameBits(image) * image.numberOfFrames) / 8);

/**
 * Decodes the encapsulated Pixel Data of `file` to native, in place: the frames go to the sink `sinkFor` makes (told
 * the bytes to expect; the caller closes it once the file is written), Pixel Data becomes native (OB up to 8 bits
 * allocated, else OW), the attributes a native image needs follow the decoded frames, and the file's transfer syntax
 * becomes Explicit VR Little Endian. Returns why it is not done (a lossy syntax or stream), or null when done; throws
 * PixelDataError for pixel data it cannot decode (the file is then unchanged). A file without Pixel Data only gets the
 * new transfer syntax. Lossy Image Compression is left as it is: nothing lossy happens here.
 */
export async function decodeToNative(file: DicomFile, sinkFor: (expectedBytes: number) => FrameSink): Promise<string | null> {
  const uid = file.transferSyntax.uid;
  const refusal = losslessDecodeRefusal(uid);
  if (refusal !== null) return refusal;
  const element = pixelElementOf(file.dataset);
  if (element === undefined || element.fragments === null) {
    file.transferSyntax = transferSyntaxOf(EXPLICIT_VR_LITTLE_ENDIAN);
    return null;
  }
  const codec = await loadCodec(uid)!;
  const image = describe(file);
  const frames = locateFrames(file.dataset, element, image.numberOfFrames, uid, file.datasetSource);
  const sink = sinkFor(nativePixelBytes(image));
  const ranges: ExternalRange[] = [];
  let photometric: string | null = null;
  let length = 0;
  const packer = image.bitsAllocated === 1 ? new BitPacker(frameBits(image)) : null;
  for (let index = 0; index < frames.length; index++) {
    let native: { data: Uint8Array; photometric: string };
    try {
      const encoded = encapsulatedFrameBytes(element, frames[index], file.datasetSource);
      if (REVERSIBLE_WHEN_SAID.has(uid) && !isReversibleCodestream(encoded)) {
        return `its pixel data are in ${syntaxName(uid)} and frame ${index} is not coded reversibly (5-3 wavelet, no quantization): decoding it to native would not be lossless`;
      }
      const decoded = codec.decode(encoded, image);
      native = {
        data: widenSamples(decoded.data, decoded.layout, image),
        photometric: J2K_FAMILY.has(uid) ? j2kPhotometric(encoded, image) : decoded.layout.photometricInterpretation,
      };
    } catch (error) {
      throw frameError(file, index, error);
    }
    if (SUBSAMPLED.has(native.photometric)) {
      // The decoders hand back full-resolution samples, which no native 4:2:x photometric describes.
      return `its frames decode to full-resolution ${native.photometric} samples, which native Pixel Data cannot say`;
    }
    if (native.data.length !== frameBytes(image)) {
      throw frameError(file, index, new Error(`decoded to ${native.data.length} bytes where a native frame takes ${frameBytes(image)}`));
    }
    if (photometric !== null && native.photometric !== photometric) {
      return `its frames decode to different photometric interpretations (${photometric}, ${native.photometric})`;
    }
    photometric = native.photometric;
    const bytes = packer ? packer.push(native.data) : native.data;
    if (bytes.length > 0) ranges.push(sink.append(bytes));
    length += bytes.length;
  }
  const rest = packer?.flush() ?? new Uint8Array(0);
  const padded = (length + rest.length) % 2 === 1 ? Uint8Array.from([...rest, 0]) : rest;
  if (padded.length > 0) ranges.push(sink.append(padded));

  const dataset = file.dataset;
  element.setExternalValue(ranges, image.bitsAllocated > 8 ? 'OW' : 'OB');
  if (photometric !== null && photometric !== image.photometricInterpretation) {
    setString(dataset, dataset.get(PhotometricInterpretation)!, photometric);
  }
  if (image.samplesPerPixel > 1) {
    // Decoded frames are interleaved, whatever the encapsulated ones said.
    const planar = dataset.get(PlanarConfiguration);
    if (planar === undefined || image.planarConfiguration !== 0) dataset.put(newNumberElement(dataset, PlanarConfiguration, 'US', [0]));
  }
  if (image.highBit !== image.bitsStored - 1 && image.bitsAllocated > 1) {
    // Decoded samples sit in the low Bits Stored bits; a native High Bit says where they are.
    dataset.put(newNumberElement(dataset, HighBit, 'US', [image.bitsStored - 1]));
  }
  for (const tag of [ExtendedOffsetTable, ExtendedOffsetTableLengths, EncapsulatedPixelDataValueTotalLength]) dataset.remove(tag);
  file.transferSyntax = transferSyntaxOf(EXPLICIT_VR_LITTLE_ENDIAN);
  return null;
}

/**
 * Photometric of a decoded JPEG 2000 / HTJ2K frame: the decoders undo a colour transform, so a stream that applies one
 * (or a dataset that says YBR_RCT / YBR_ICT) decodes to RGB; otherwise the samples are as the dataset says.
 */
function j2kPhotometric(codestream: Uint8Array, image: ImageDescription): string {
  if (image.samplesPerPixel !== 3) return image.photometricInterpretation;
  if (codingStyle(codestream)?.colorTransform) return 'RGB';
  if (image.photometricInterpretation === 'YBR_RCT' || image.photometricInterpretation === 'YBR_ICT') return 'RGB';
  return image.photometricInterpretation;
}

/**
 * Decoded samples (1 byte up to 8 bits stored, else 2) in the file's Bits Allocated: a 16-bit allocated image of
 * 8-bit samples keeps Bits Allocated 16, its samples widened (sign-extended when signed), so only what must change does;
 * a 1-bit image decoded a byte per pixel is packed again.
 */
function widenSamples(data: Uint8Array, decoded: PixelLayout, image: ImageDescription): Uint8Array {
  if (image.bitsAllocated === 1) {
    if (decoded.bitsAllocated === 1) return data;
    // A 1-bit image coded with a sample per byte (JPEG 2000 takes no packed bits): packed again, bit 0 first.
    const pixels = image.rows * image.columns;
    const packed = new Uint8Array(Math.ceil(pixels / 8));
    for (let i = 0; i < pixels && i < data.length; i++) if (data[i] & 1) packed[i >> 3] |= 1 << (i & 7);
    return packed;
  }
  const from = decoded.bitsAllocated / 8;
  const to = image.bitsAllocated / 8;
  if (from === to) return data;
  if (!Number.isInteger(from) || !Number.isInteger(to) || to < from) {
    throw new Error(`decoded samples of ${decoded.bitsAllocated} bits do not fit Bits Allocated ${image.bitsAllocated}`);
  }
  const count = data.length / from;
  const out = new Uint8Array(count * to);
  const input = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const output = new DataView(out.buffer);
  const signed = image.pixelRepresentation === 1;
  for (let i = 0; i < count; i++) {
    const value = from === 1 ? (signed ? input.getInt8(i) : input.getUint8(i)) : signed ? input.getInt16(i * 2, true) : input.getUint16(i * 2, true);
    if (to === 2) output.setUint16(i * 2, value & 0xffff, true);
    else output.setUint32(i * 4, value >>> 0, true);
  }
  return out;
}

/**
 * Native 1-bit frames follow one another with no padding between them (PS3.5 8.1.1): a frame of 30×30 pixels ends
 * inside a byte, where the next begins. Hands back the whole bytes each frame completes; the partial last byte waits.
 */
class BitPacker {
  private carry = 0;
  private carryBits = 0;

  constructor(private readonly frameBits: number) {}

  /** `frame` holds its bits from bit 0 of byte 0 (as the decoders give them). */
  push(frame: Uint8Array): Uint8Array {
    const total = this.carryBits + this.frameBits;
    const out = new Uint8Array(total >> 3);
    let current = this.carry;
    let at = this.carryBits;
    let written = 0;
    for (let i = 0; i < this.frameBits; i++) {
      if ((frame[i >> 3] >> (i & 7)) & 1) current |= 1 << at;
      if (++at === 8) {
        out[written++] = current;
        current = 0;
        at = 0;
      }
    }
    this.carry = current;
    this.carryBits = at;
    return out;
  }

  /** The last partial byte, if any. */
  flush(): Uint8Array {
    return this.carryBits > 0 ? Uint8Array.of(this.carry) : new Uint8Array(0);
  }
}
