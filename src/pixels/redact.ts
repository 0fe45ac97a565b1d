// Redaction of Pixel Data: fills rectangles on chosen frames and writes the result back through the byte layer,
// keeping the transfer syntax (only changed frames re-encoded, others' fragments copied) or writing native.

import { DataElement, type Fragment } from '../dicom/dataset.js';
import type { DicomFile } from '../dicom/part10.js';
import { BitsAllocated, ExtendedOffsetTable, ExtendedOffsetTableLengths, HighBit, PhotometricInterpretation, PlanarConfiguration, TransferSyntaxUID } from '../dicom/tags.generated.js';
import { EXPLICIT_VR_LITTLE_ENDIAN, transferSyntaxOf } from '../dicom/transfer-syntax.js';
import { encodeNumbers, newStringElement, setString } from '../dicom/values.js';
import { loadCodec, type DecodedFrame, type FrameCodec } from './codecs/index.js';
import { canonicalizeUnusedBits } from './unused-bits.js';
import { encapsulatedFrameBytes, locateFrames } from './encapsulated.js';
import { PixelDataError } from './errors.js';
import { clipRectangle, defaultFill, fillRectangles, type Rectangle } from './fill.js';
import { codecOf, describe, frameError, pixelDataElement } from './frames.js';
import { frameBytes, type ImageDescription, type PixelLayout } from './image.js';
import { markLossyCompression, markLossyHistory } from './lossy.js';
import { rewriteNativeFrames } from './rewrite-native.js';
import { createFrameSink, type FrameSink } from './scratch.js';

export interface RedactOptions {
  /** Stored value(s) to fill with, one per sample (or one for all). Default: black as displayed (see defaultFill). */
  fill?: number | readonly number[];
  /** 'same' (default): keep the transfer syntax; 'native': write an encapsulated file as Explicit VR Little Endian. */
  redactedSyntax?: 'same' | 'native';
  /** Update Lossy Image Compression and its ratio/method after a lossy re-encode. Default true. */
  markLossy?: boolean;
  /** Directory of the temporary file that stages large redacted Pixel Data. Default: the OS temporary directory. */
  scratchDirectory?: string;
  /** Pixel Data up to this many bytes is staged in memory instead. Default 64 MiB. */
  inMemoryMaxBytes?: number;
  /**
   * Encapsulated Pixel Data: decode, clear the bits outside Bits Stored (unused-bits.ts) and re-encode every frame,
   * not only the frames with rectangles (an overlay in the high bits of an RLE stream whose group was removed).
   * Frames are re-encoded only where something changed. Default false.
   */
  clearUnusedBitsInAllFrames?: boolean;
  /** Bit positions of overlays the caller keeps: left alone when unused bits are cleared. */
  keepBits?: readonly number[];
}

export interface RedactionResult {
  /** False when no rectangle touched the image: Pixel Data is then untouched, byte for byte. */
  changed: boolean;
  /** Frames (0-based) whose pixels were filled. */
  framesRedacted: number[];
  /** Frames re-encoded (redacted ones, and others when the photometric of a re-encode had to change for all). */
  framesReencoded: number[];
  /** Transfer syntax of the output. */
  transferSyntaxUid: string;
  /** Set when frames were re-encoded lossily (Lossy Image Compression attributes were updated unless markLossy is false). */
  lossyReencode: { method: string; ratio: number } | null;
  /**
   * Set when the file's syntax has no encoder for its frames (12-bit JPEG extended): every frame was written
   * losslessly in `to` instead (Transfer Syntax UID changed, Lossy Image Compression 01 kept).
   */
  transcoded: { from: string; to: string } | null;
  /** Frames whose bits outside Bits Stored were cleared before re-encoding. */
  framesBitsCleared: number[];
  /** Frees the staged frames. Call after the file was written (also called by file.close()). */
  release(): void;
}

const PIXEL_DATA = '(7FE0,0010)';

/**
 * Fills `rectangles` (pixels; each on its `frames`, or all frames) in `file`'s Pixel Data. The dataset is changed in
 * place; write it with the byte layer's writer, then call `release()` (or `file.close()`).
 */
export async function redactPixelData(file: DicomFile, rectangles: readonly Rectangle[], options: RedactOptions = {}): Promise<RedactionResult> {
  const element = pixelDataElement(file);
  const image = describe(file);
  const byFrame = rectanglesByFrame(file, image, rectangles);
  const unchanged: RedactionResult = {
    changed: false, framesRedacted: [], framesReencoded: [], transferSyntaxUid: file.transferSyntax.uid, lossyReencode: null, transcoded: null,
    framesBitsCleared: [], release: () => {},
  };
  if (byFrame.size === 0 && !(options.clearUnusedBitsInAllFrames && element.fragments)) return unchanged;

  const expected = element.fragments ? image.numberOfFrames * frameBytes(image) : element.valueLength;
  const sink = createFrameSink(expected, { directory: options.scratchDirectory, inMemoryMaxBytes: options.inMemoryMaxBytes });
  const close = file.close;
  file.close = () => {
    close();
    sink.close();
  };
  try {
    const result = element.fragments
      ? await redactEncapsulated(file, element, image, byFrame, options, sink)
      : redactNative(file, element, image, byFrame, options, sink);
    return { ...result, release: () => sink.close() };
  } catch (error) {
    sink.close();
    throw error;
  }
}

/** Rectangles per frame, clipped ones that miss the image dropped; frames out of range are an error. */
function rectanglesByFrame(file: DicomFile, image: ImageDescription, rectangles: readonly Rectangle[]): Map<number, Rectangle[]> {
  const byFrame = new Map<number, Rectangle[]>();
  for (const rect of rectangles) {
    if (!clipRectangle(rect, image)) continue;
    const frames = rect.frames ?? Array.from({ length: image.numberOfFrames }, (_, i) => i);
    for (const frame of frames) {
      if (!Number.isInteger(frame) || frame < 0 || frame >= image.numberOfFrames) {
        throw new PixelDataError(`a rectangle names frame ${frame} of an image of ${image.numberOfFrames} frame(s)`, PIXEL_DATA, undefined, file.name);
      }
      const list = byFrame.get(frame) ?? [];
      list.push(rect);
      byFrame.set(frame, list);
    }
  }
  return byFrame;
}

function fillFor(options: RedactOptions, layout: PixelLayout, image: ImageDescription, file: DicomFile): number[] {
  if (options.fill === undefined) return defaultFill(layout, image, file.dataset, file.datasetSource);
  const values = typeof options.fill === 'number' ? new Array<number>(layout.samplesPerPixel).fill(options.fill) : [...options.fill];
  if (values.length !== layout.samplesPerPixel) {
    throw new PixelDataError(`fill gives ${values.length} values for ${layout.samplesPerPixel} samples per pixel`, '', undefined, file.name);
  }
  return values;
}

function redactNative(
  file: DicomFile, element: DataElement, image: ImageDescription, byFrame: Map<number, Rectangle[]>, options: RedactOptions, sink: FrameSink,
): Omit<RedactionResult, 'release'> {
  const fill = fillFor(options, image, image, file);
  const frames = [...byFrame.keys()].sort((a, b) => a - b);
  const changed = rewriteNativeFrames(file, element, image, frames, (data, index, bitOffset) =>
    fillRectangles(data, image, byFrame.get(index) ?? [], fill, bitOffset) > 0, sink);
  return {
    changed: changed.length > 0, framesRedacted: changed, framesReencoded: [], transferSyntaxUid: file.transferSyntax.uid, lossyReencode: null,
    transcoded: null, framesBitsCleared: [],
  };
}

/** Pads a fragment value to even length (fragments are items of even length). */
function even(bytes: Uint8Array): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** The lossless syntax frames are written in when the file's own has no encoder for them (12-bit JPEG extended). */
const LOSSLESS_FALLBACK_SYNTAX = '1.2.840.10008.1.2.4.80';

async function redactEncapsulated(
  file: DicomFile, element: DataElement, image: ImageDescription, byFrame: Map<number, Rectangle[]>, options: RedactOptions, sink: FrameSink,
): Promise<Omit<RedactionResult, 'release'>> {
  const codec = await codecOf(file);
  const frames = locateFrames(file.dataset, element, image.numberOfFrames, file.transferSyntax.uid, file.datasetSource);
  const decode = (index: number): DecodedFrame => {
    try {
      return codec.decode(encapsulatedFrameBytes(element, frames[index], file.datasetSource), image);
    } catch (error) {
      throw frameError(file, index, error);
    }
  };
  // Every decoded frame loses what its words hold outside Bits Stored before it is written again.
  const bitsCleared: number[] = [];
  const clearBits = (index: number, decoded: DecodedFrame): boolean => {
    const changed = canonicalizeUnusedBits(decoded.data, decoded.layout, options.keepBits);
    if (changed) bitsCleared.push(index);
    return changed;
  };
  const fill = (index: number, decoded: DecodedFrame): boolean =>
    fillRectangles(decoded.data, decoded.layout, byFrame.get(index) ?? [], fillFor(options, decoded.layout, image, file)) > 0;
  const redactFrame = (index: number, decoded: DecodedFrame): boolean => {
    clearBits(index, decoded);
    return fill(index, decoded);
  };

  if (options.redactedSyntax === 'native') {
    const result = writeNative(file, element, image, codec, frames.length, decode, redactFrame, sink);
    return { ...result, framesBitsCleared: bitsCleared };
  }

  // A syntax without an encoder for these frames: every frame is written losslessly in another syntax.
  const fallback = codec.encodes && !codec.encodes(image) ? await loadCodec(LOSSLESS_FALLBACK_SYNTAX) : null;
  const encoder = fallback ?? codec;
  const replaced = new Map<number, Fragment>();
  const redacted: number[] = [];
  let photometric: string | null = null;
  let rawBytes = 0, encodedBytes = 0;
  const reencode = (index: number, decoded: DecodedFrame): void => {
    let encoded;
    try {
      encoded = encoder.encode(fallback ? { data: decoded.data, layout: decoded.layout } : decoded);
    } catch (error) {
      throw frameError(file, index, error);
    }
    photometric = encoded.photometricInterpretation;
    rawBytes += decoded.data.length;
    encodedBytes += encoded.data.length;
    replaced.set(index, { span: null, value: sink.append(even(encoded.data)) });
  };
  const wanted = options.clearUnusedBitsInAllFrames ? frames.map((_, i) => i) : [...byFrame.keys()].sort((a, b) => a - b);
  for (const index of wanted) {
    const decoded = decode(index);
    const cleared = clearBits(index, decoded);
    const filled = fill(index, decoded);
    if (filled) redacted.push(index);
    if (filled || cleared) reencode(index, decoded);
  }
  const unchanged = {
    changed: false, framesRedacted: [], framesReencoded: [], transferSyntaxUid: file.transferSyntax.uid, lossyReencode: null, transcoded: null,
    framesBitsCleared: [],
  };
  if (replaced.size === 0) return unchanged;
  // One Photometric Interpretation (and one syntax) holds for every frame: when the encoder's photometric differs from
  // the file's (e.g. the J2K encoder's colour transform makes YBR_RCT of RGB), or the frames change syntax, the
  // untouched frames are re-encoded too.
  if (fallback || (photometric !== null && photometric !== image.photometricInterpretation)) {
    for (let index = 0; index < frames.length; index++) {
      if (replaced.has(index)) continue;
      const decoded = decode(index);
      clearBits(index, decoded);
      reencode(index, decoded);
    }
    if (photometric !== null && photometric !== image.photometricInterpretation) setCodeString(file, PhotometricInterpretation, photometric);
  }

  const fragments = element.fragments ?? [];
  const frameFragments: Fragment[][] = frames.map((list, index) => {
    const fragment = replaced.get(index);
    return fragment ? [fragment] : list.map((i) => fragments[i]);
  });
  element.setFragments([offsetTable(file, fragments[0], frameFragments), ...frameFragments.flat()]);

  let lossyReencode: RedactionResult['lossyReencode'] = null;
  let transcoded: RedactionResult['transcoded'] = null;
  if (fallback) {
    // The pixels were lossy once (JPEG extended) and are now stored losslessly: Lossy Image Compression stays 01.
    transcoded = { from: file.transferSyntax.uid, to: LOSSLESS_FALLBACK_SYNTAX };
    markLossyHistory(file.dataset);
    setTransferSyntax(file, LOSSLESS_FALLBACK_SYNTAX);
  } else if (encoder.lossy && encoder.lossyMethod) {
    lossyReencode = { method: encoder.lossyMethod, ratio: rawBytes / Math.max(1, encodedBytes) };
    if (options.markLossy !== false) markLossyCompression(file.dataset, lossyReencode.ratio, lossyReencode.method);
  }
  return {
    changed: true, framesRedacted: redacted, framesReencoded: [...replaced.keys()].sort((a, b) => a - b),
    transferSyntaxUid: file.transferSyntax.uid, lossyReencode, transcoded, framesBitsCleared: [...new Set(bitsCleared)].sort((a, b) => a - b),
  };
}

/** Transfer Syntax UID in the file meta and the file's syntax. */
function setTransferSyntax(file: DicomFile, uid: string): void {
  if (file.meta) {
    const tsElement = file.meta.get(TransferSyntaxUID);
    if (tsElement) setString(file.meta, tsElement, uid, 'UI');
    else file.meta.put(newStringElement(file.meta, TransferSyntaxUID, 'UI', uid));
  }
  file.transferSyntax = transferSyntaxOf(uid);
}

/**
 * The offset table fragment for the new frames: a Basic Offset Table when the file had a non-empty one, else
 * the original (empty) one; an Extended Offset Table present in the dataset is rebuilt with its lengths.
 */
function offsetTable(file: DicomFile, original: Fragment, frameFragments: Fragment[][]): Fragment {
  const offsets: number[] = [];
  const lengths: number[] = [];
  let position = 0;
  for (const list of frameFragments) {
    offsets.push(position);
    let length = 0;
    for (const fragment of list) {
      position += 8 + fragment.value.length;
      length += fragment.value.length;
    }
    lengths.push(length);
  }
  const extended = file.dataset.get(ExtendedOffsetTable);
  if (extended) {
    extended.setValue(uint64s(offsets), 'OV');
    const lengthsElement = file.dataset.get(ExtendedOffsetTableLengths) ?? new DataElement(ExtendedOffsetTableLengths, 'OV');
    lengthsElement.setValue(uint64s(lengths), 'OV');
    file.dataset.put(lengthsElement);
  }
  if (original.value.length === 0) return original;
  if (position > 0xffffffff) {
    // Offsets past 4 GiB do not fit a Basic Offset Table: leave it empty (readers then go by fragments).
    return { span: null, value: new Uint8Array(0) };
  }
  const table = new Uint8Array(offsets.length * 4);
  const view = new DataView(table.buffer);
  offsets.forEach((offset, i) => view.setUint32(i * 4, offset, true));
  return { span: null, value: table };
}

function uint64s(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setBigUint64(i * 8, BigInt(v), true));
  return out;
}

function setCodeString(file: DicomFile, tag: number, text: string): void {
  const element = file.dataset.get(tag);
  if (element) setString(file.dataset, element, text, 'CS');
  else file.dataset.put(newStringElement(file.dataset, tag, 'CS', text));
}

function setUS(file: DicomFile, tag: number, value: number): void {
  const element = file.dataset.get(tag) ?? new DataElement(tag, 'US');
  element.setValue(encodeNumbers(file.dataset, 'US', [value]), 'US');
  file.dataset.put(element);
}

/** Decodes every frame (filling the redacted ones) into native little-endian Pixel Data; updates meta and attributes. */
function writeNative(
  file: DicomFile, element: DataElement, image: ImageDescription, codec: FrameCodec, frameCount: number,
  decode: (index: number) => DecodedFrame, redactFrame: (index: number, decoded: DecodedFrame) => boolean, sink: FrameSink,
): Omit<RedactionResult, 'release'> {
  const ranges = [];
  const redacted: number[] = [];
  let layout: PixelLayout | null = null;
  let total = 0;
  for (let index = 0; index < frameCount; index++) {
    const decoded = decode(index);
    if (redactFrame(index, decoded)) redacted.push(index);
    layout ??= decoded.layout;
    ranges.push(sink.append(decoded.data));
    total += decoded.data.length;
  }
  if (total % 2 === 1) ranges.push(sink.append(new Uint8Array(1)));
  if (!layout) throw new PixelDataError('no frames to write', PIXEL_DATA, undefined, file.name);
  element.setExternalValue(ranges, layout.bitsAllocated > 8 ? 'OW' : 'OB');

  // The dataset now describes native pixels: photometric after decoding, interleaved samples, no offset tables.
  if (layout.photometricInterpretation !== image.photometricInterpretation) setCodeString(file, PhotometricInterpretation, layout.photometricInterpretation);
  if (image.samplesPerPixel > 1) setUS(file, PlanarConfiguration, layout.planarConfiguration);
  if (layout.bitsAllocated !== image.bitsAllocated) {
    setUS(file, BitsAllocated, layout.bitsAllocated);
    setUS(file, HighBit, layout.highBit);
  }
  file.dataset.remove(ExtendedOffsetTable);
  file.dataset.remove(ExtendedOffsetTableLengths);
  if (codec.lossy) markLossyHistory(file.dataset);
  setTransferSyntax(file, EXPLICIT_VR_LITTLE_ENDIAN);
  return {
    changed: true, framesRedacted: redacted, framesReencoded: [], transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN, lossyReencode: null, transcoded: null,
    framesBitsCleared: [],
  };
}
