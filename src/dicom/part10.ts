// Part 10 file framing: preamble, "DICM", the file meta group, then the dataset in its transfer syntax
// (inflated first when deflated). Files without preamble or without meta are recognised by their first element.

import { TS } from './uid-registry.generated.js';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import type { DataSet, Encoding } from './dataset.js';
import { DicomParseError } from './errors.js';
import {
  DEFAULT_IN_MEMORY_MAX_BYTES, DEFAULT_MAX_INFLATE_RATIO, DEFAULT_MAX_INFLATED_BYTES, DicomLimitError, resolveLimits,
  type ParseLimits,
} from './limits.js';
import { parseDataset } from './reader.js';
import { trimPaddingEnd } from './padding.js';
import { RepairLog } from './repairs.js';
import { newStringElement } from './values.js';
import { firstElementIsBigEndian, hasMagicAt, plausibleFirstElement } from './sniff.js';
import { BufferSource, FileSource, readFully, type ByteSource } from './source.js';
import { makeTag, type Tag } from './tag.js';
import { IMPLICIT_VR_LITTLE_ENDIAN, transferSyntaxOf, type TransferSyntax } from './transfer-syntax.js';
import { hasLongLength, isVR } from './vr.js';
import { PixelData, TransferSyntaxUID } from './tags.generated.js';


/** How to read, and the resource limits a file must stay within (docs/limits.md). */
export interface ReadOptions {
  /** Nesting depth, item/element counts, bytes of values held in memory; unspecified ones keep their defaults. */
  limits?: Partial<ParseLimits>;
  /** Files up to this size are read into memory in one go; larger ones through a window. Default 16 MiB. */
  inMemoryMaxBytes?: number;
  /** Size of that window (default 1 MiB): a quick look at a header (`stopBeforeTag`) reads little more than it needs. */
  windowBytes?: number;
  /** Largest inflated size of a deflated dataset (deflate bomb guard). Default 256 MiB. */
  maxInflatedBytes?: number;
  /** Largest inflated/deflated ratio accepted (for inputs of 1 KiB or more). Default 1000. */
  maxInflateRatio?: number;
  /**
   * Read the dataset only up to (not including) the first top-level element whose tag is at least this: a quick look
   * at the first groups (e.g. patient and study of a sorted dataset) that never reaches the Pixel Data.
   */
  stopBeforeTag?: Tag;
}

export interface DicomFile {
  /** Name for messages (the path, or a label for buffers). */
  name: string;
  /** The file began with a 128-byte preamble and "DICM". */
  hadPreamble: boolean;
  /** File meta group (0002,xxxx), explicit VR little endian; null when the file had none. */
  meta: DataSet | null;
  dataset: DataSet;
  transferSyntax: TransferSyntax;
  /** Where the meta (and, unless deflated, the dataset) bytes are. */
  source: ByteSource;
  /** Where the dataset bytes are: `source`, or the inflated buffer of a deflated file. */
  datasetSource: ByteSource;
  /**
   * What the lenient reader repaired or deduced (a meta without Transfer Syntax UID, padding after the last element, a
   * wrong group length, odd value lengths...): one short note per kind, never a value. Absent or empty: none.
   */
  repairs?: string[];
  /** Releases the file handle of a windowed read. */
  close(): void;
}

const EXPLICIT_LE: Encoding = { explicitVR: true, littleEndian: true };

/** Reads a DICOM file from disk. Throws DicomParseError (with the file name) for anything it cannot read. */
export function readDicomFile(path: string, options: ReadOptions = {}): DicomFile {
  // One open and one fstat per file: this runs for every input of a batch.
  const fd = openSync(path, 'r');
  let source: ByteSource;
  try {
    const size = fstatSync(fd).size;
    if (size <= (options.inMemoryMaxBytes ?? DEFAULT_IN_MEMORY_MAX_BYTES)) {
      const bytes = Buffer.allocUnsafe(size);
      readFully(fd, bytes, 0);
      closeSync(fd);
      source = new BufferSource(bytes);
    } else {
      source = new FileSource(fd, true, size, options.windowBytes);
    }
  } catch (error) {
    try { closeSync(fd); } catch { /* closed already */ }
    if (error instanceof DicomParseError) throw error.withFile(path);
    throw error;
  }
  try {
    return readDicom(source, path, options);
  } catch (error) {
    source.close();
    if (error instanceof DicomParseError) throw error.withFile(path);
    throw error;
  }
}

/** Reads a DICOM file held in memory. */
export function readDicomBuffer(bytes: Uint8Array, name = '<buffer>', options: ReadOptions = {}): DicomFile {
  try {
    return readDicom(new BufferSource(bytes), name, options);
  } catch (error) {
    if (error instanceof DicomParseError) throw error.withFile(name);
    throw error;
  }
}

function readDicom(source: ByteSource, name: string, options: ReadOptions): DicomFile {
  const limits = resolveLimits(options.limits);
  const head = source.read(0, 132);
  let pos = 0;
  let hadPreamble = false;
  if (hasMagicAt(head, 128)) {
    pos = 132;
    hadPreamble = true;
  } else if (hasMagicAt(head, 0)) {
    pos = 4; // "DICM" without the preamble: non-standard, but unambiguous.
  }
  if (source.size === 0) throw new DicomParseError('empty file', 0, '');

  const repairs = new RepairLog();
  if (!hadPreamble) repairs.add(pos === 4 ? 'no 128-byte preamble before "DICM"' : 'no 128-byte preamble and no "DICM" prefix');
  let meta: DataSet | null = null;
  let transferSyntax: TransferSyntax;
  if (startsWithMetaGroup(source, pos)) {
    const { end: metaEnd, declaredEnd } = findMetaEnd(source, pos);
    if (declaredEnd === -1) repairs.add('file meta without (0002,0000) group length: recomputed');
    else if (declaredEnd !== metaEnd) repairs.add(`(0002,0000) group length wrong by ${declaredEnd - metaEnd} byte(s): recomputed`);
    meta = parseDataset(source, pos, metaEnd, metaEncoding(source, pos), limits, repairs);
    const tsElement = meta.get(TransferSyntaxUID);
    if (!tsElement?.value || tsElement.value.length === 0) {
      // As pydicom does: implicit or explicit VR and the byte order from the first data element; the output's meta gets it.
      transferSyntax = guessTransferSyntax(source, metaEnd);
      repairs.add(`file meta without Transfer Syntax UID: ${transferSyntax.uid} deduced from the data set`);
      meta.put(newStringElement(meta, TransferSyntaxUID, 'UI', transferSyntax.uid));
    } else {
      const tsUid = trimPaddingEnd(Buffer.from(tsElement.value).toString('latin1')).trim();
      if (tsUid.length > 64) {
        throw new DicomParseError(`Transfer Syntax UID is ${tsUid.length} characters long (a UID has at most 64)`, tsElement.offset, '(0002,0010)');
      }
      transferSyntax = transferSyntaxOf(tsUid);
    }
    pos = metaEnd;
  } else {
    if (hadPreamble && source.size > pos && !plausibleFirstElement(source.read(pos, 8), source.size - pos)) {
      throw new DicomParseError('"DICM" is followed by neither a file meta group nor a data element', pos, '');
    }
    transferSyntax = guessTransferSyntax(source, pos);
    repairs.add(`no file meta: ${transferSyntax.uid} deduced from the first element`);
  }

  let datasetSource = source;
  let datasetStart = pos;
  if (transferSyntax.deflated) {
    datasetSource = new BufferSource(inflate(source, pos, options));
    datasetStart = 0;
  }
  const encoding: Encoding = { explicitVR: transferSyntax.explicitVR, littleEndian: transferSyntax.littleEndian };
  const dataset = parseDataset(datasetSource, datasetStart, datasetSource.size, encoding, limits, repairs, options.stopBeforeTag);
  assertPixelFraming(dataset, transferSyntax);
  return {
    name, hadPreamble, meta, dataset, transferSyntax, source, datasetSource, repairs: repairs.notes(),
    close: () => {
      source.close();
      if (datasetSource !== source) datasetSource.close();
    },
  };
}

/**
 * Inflates the dataset into one buffer, never more than the limits allow. zlib's one-shot inflate collects chunks
 * and then concatenates them (twice the inflated size at its peak); with a chunk one byte larger than the cap, the
 * output lands in a single allocation, so the peak is the inflated size itself: the allocation is reserved, and its
 * untouched pages are never resident. An output under a quarter of the reservation is copied out, so that a
 * small dataset does not keep the reservation.
 */
function inflate(source: ByteSource, pos: number, options: ReadOptions): Uint8Array {
  const compressed = source.read(pos, source.size - pos);
  const maxBytes = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const ratioLimit = (options.maxInflateRatio ?? DEFAULT_MAX_INFLATE_RATIO) * Math.max(compressed.length, 1024);
  // Never more than a Buffer can hold, whatever the options say.
  const maxOutputLength = Math.max(1, Math.min(maxBytes, ratioLimit, 2 ** 31 - 2));
  try {
    const out = inflateRawSync(compressed, { maxOutputLength, chunkSize: Math.max(64, maxOutputLength + 1) });
    return out.buffer.byteLength > 4 * out.length ? Buffer.from(out) : out; // Buffer.from copies
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (tooLarge(error)) {
      const which = maxOutputLength === ratioLimit ? 'maxInflateRatio' : 'maxInflatedBytes';
      throw new DicomLimitError(
        which,
        `deflated dataset inflates beyond ${maxOutputLength} bytes (deflate bomb guard: ${which}; to accept it, raise ` +
        `the limit with --limit ${which}=N)`,
        pos, '',
      );
    }
    throw new DicomParseError(`deflated dataset cannot be inflated (${code ?? 'zlib error'})`, pos, '');
  }
}

const tooLarge = (error: unknown): boolean => (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;

function u16le(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}

function startsWithMetaGroup(source: ByteSource, pos: number): boolean {
  const b = source.read(pos, 6);
  return b.length === 6 && u16le(b, 0) === 0x0002;
}

/** Meta is explicit VR little endian by the standard; a few writers use implicit VR. */
function metaEncoding(source: ByteSource, pos: number): Encoding {
  const b = source.read(pos, 6);
  return isVR(String.fromCharCode(b[4], b[5])) ? EXPLICIT_LE : { explicitVR: false, littleEndian: true };
}

/**
 * End of the meta group, found by walking elements while their group is 0002: (0002,0000) is often missing or
 * wrong in real files, so it is not trusted.
 */
function findMetaEnd(source: ByteSource, start: number): { end: number; declaredEnd: number } {
  const explicit = metaEncoding(source, start).explicitVR;
  // Where (0002,0000) says the group ends, if present. Trusted only when it falls on an element boundary, which
  // also stops a second meta group written into the dataset by some tools from being taken as meta.
  let declaredEnd = -1;
  const first = source.read(start, 12);
  if (first.length === 12 && u16le(first, 2) === 0x0000) {
    declaredEnd = start + (explicit ? 12 : 8) + Buffer.from(first).readUInt32LE(explicit ? 8 : 4);
  }
  let pos = start;
  while (pos + 8 <= source.size) {
    if (pos === declaredEnd) break;
    const b = source.read(pos, 12);
    if (u16le(b, 0) !== 0x0002) break;
    const tag = makeTag(u16le(b, 0), u16le(b, 2));
    let length: number, header: number;
    const vr = String.fromCharCode(b[4], b[5]);
    if (!explicit) {
      length = Buffer.from(b).readUInt32LE(4); header = 8;
    } else if (hasLongLength(vr)) {
      if (b.length < 12) throw new DicomParseError('truncated file meta element header', pos, formatMeta(tag));
      length = Buffer.from(b).readUInt32LE(8); header = 12;
    } else {
      length = u16le(b, 6); header = 8;
    }
    if (length === 0xffffffff || pos + header + length > source.size) {
      throw new DicomParseError(`file meta element length ${length} runs past the end of the file`, pos, formatMeta(tag));
    }
    pos += header + length;
  }
  return { end: pos, declaredEnd };
}

function formatMeta(tag: number): string {
  return `(0002,${(tag & 0xffff).toString(16).toUpperCase().padStart(4, '0')})`;
}

/** No meta: infer implicit/explicit VR and byte order from the first element. */
function guessTransferSyntax(source: ByteSource, pos: number): TransferSyntax {
  const b = source.read(pos, 8);
  if (b.length < 8) throw new DicomParseError('too short to be DICOM', pos, '');
  if (!plausibleFirstElement(b, source.size - pos)) {
    throw new DicomParseError('not DICOM: no preamble, no file meta, and no plausible first data element', pos, '');
  }
  const explicit = isVR(String.fromCharCode(b[4], b[5]));
  const little = !firstElementIsBigEndian(b);
  if (!explicit) return transferSyntaxOf(IMPLICIT_VR_LITTLE_ENDIAN);
  return transferSyntaxOf(little ? TS.ExplicitVRLittleEndian : TS.ExplicitVRBigEndian);
}


/**
 * Top-level Pixel Data in an encapsulated transfer syntax must have an undefined length (PS3.5 A.4): a defined length
 * there means the transfer syntax UID or the length is wrong, and the output would be a file no reader accepts.
 */
function assertPixelFraming(dataset: DataSet, transferSyntax: TransferSyntax): void {
  if (!transferSyntax.encapsulated) return;
  const pixels = dataset.get(PixelData);
  if (pixels && pixels.fragments === null && pixels.items === null) {
    throw new DicomParseError(`Pixel Data has a defined length although the transfer syntax ${transferSyntax.uid} is encapsulated (only an undefined length is permitted): the transfer syntax or the length is wrong`, pixels.offset, '(7FE0,0010)');
  }
}
