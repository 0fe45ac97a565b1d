// Serializes a DataSet tree back to bytes. Untouched elements and items are spliced from their original byte
// spans (so bulk data streams from the input file); changed ones are re-encoded; group lengths are recomputed.
// Only encodes: files/dicom-output.ts writes the chunks to disk.

import { deflateRawSync } from 'node:zlib';
import { DataElement, DataSet, isExternalRange, type Encoding } from './dataset.js';
import { DicomWriteError } from './errors.js';
import type { DicomFile } from './part10.js';
import { readFully, type ByteSource } from './source.js';
import { formatTag, isGroupLengthTag, tagGroup, tagElement, UNDEFINED_LENGTH } from './tag.js';
import { hasLongLength, isVR, paddingByte } from './vr.js';
import { FileMetaInformationGroupLength, Item, ItemDelimitationItem, SequenceDelimitationItem } from './tags.generated.js';

/** Bytes to write: new bytes, or a range of a source to copy. */
export type Chunk = Uint8Array | { source: ByteSource; offset: number; length: number };

/** An append-only list of chunks that merges adjacent ranges of the same source. */
export class ChunkList {
  readonly chunks: Chunk[] = [];
  size = 0;

  bytes(data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.size += data.length;
  }

  range(source: ByteSource, offset: number, length: number): void {
    if (length === 0) return;
    const last = this.chunks[this.chunks.length - 1];
    if (last && !(last instanceof Uint8Array) && last.source === source && last.offset + last.length === offset) {
      last.length += length;
    } else {
      this.chunks.push({ source, offset, length });
    }
    this.size += length;
  }

  append(other: ChunkList): void {
    for (const c of other.chunks) {
      if (c instanceof Uint8Array) this.bytes(c);
      else this.range(c.source, c.offset, c.length);
    }
  }
}

const EXPLICIT_LE: Encoding = { explicitVR: true, littleEndian: true };
const sameEncoding = (a: Encoding, b: Encoding): boolean => a.explicitVR === b.explicitVR && a.littleEndian === b.littleEndian;

/** Numbers encoder runs, so each run's pristine memo (kept on the elements and items) is told from older ones. */
let encoderRuns = 0;

class DatasetEncoder {
  private readonly run = ++encoderRuns;

  constructor(private readonly source: ByteSource) {}

  private elementPristine(el: DataElement): boolean {
    if (el.pristineRun !== this.run) {
      el.pristine = el.span !== null && (el.items === null || el.items.every((item) => this.itemPristine(item)));
      el.pristineRun = this.run;
    }
    return el.pristine;
  }

  private itemPristine(ds: DataSet): boolean {
    if (ds.pristineRun !== this.run) {
      ds.pristine = ds.span !== null && !ds.modified && ds.elements.every((el) => this.elementPristine(el));
      ds.pristineRun = this.run;
    }
    return ds.pristine;
  }

  /** Encodes the elements of `ds` (not an item header) in `encoding`. */
  encodeElements(ds: DataSet, encoding: Encoding, out: ChunkList): void {
    const spliceable = sameEncoding(ds.encoding, encoding);
    const anyGroupLength = ds.elements.some((el) => isGroupLengthTag(el.tag));
    const allPristine = spliceable && !ds.modified && ds.elements.every((el) => this.elementPristine(el));
    if (!anyGroupLength || allPristine) {
      for (const el of ds.elements) this.encodeElement(el, ds, encoding, spliceable, out);
      return;
    }
    // Some group changed: encode each element separately, then fill in the group lengths.
    const parts = ds.elements.map((el) => {
      const part = new ChunkList();
      this.encodeElement(el, ds, encoding, spliceable, part);
      return part;
    });
    // Bytes of the elements after position i in the same run of one group, from a single backward pass (a hostile
    // dataset can hold thousands of group length elements).
    const after = new Array<number>(ds.elements.length).fill(0);
    for (let i = ds.elements.length - 2; i >= 0; i--) {
      const next = ds.elements[i + 1];
      after[i] = tagGroup(next.tag) === tagGroup(ds.elements[i].tag) ? parts[i + 1].size + after[i + 1] : 0;
    }
    ds.elements.forEach((el, i) => {
      if (!isGroupLengthTag(el.tag) || tagGroup(el.tag) === 0xfffe) return;
      const total = after[i];
      const value = Buffer.alloc(4);
      if (encoding.littleEndian) value.writeUInt32LE(total); else value.writeUInt32BE(total);
      const part = new ChunkList();
      this.writeHeader(el.tag, 'UL', 4, encoding, part, el);
      part.bytes(value);
      parts[i] = part;
    });
    for (const part of parts) out.append(part);
  }

  private encodeElement(el: DataElement, ds: DataSet, encoding: Encoding, spliceable: boolean, out: ChunkList): void {
    if (spliceable && this.elementPristine(el) && el.span) {
      out.range(this.source, el.span.offset, el.span.length);
      return;
    }
    if (el.items !== null) return this.encodeSequence(el, ds, encoding, out);
    if (el.fragments !== null) return this.encodeFragments(el, encoding, out);
    const length = el.valueLength;
    const padded = length % 2 === 1 && el.span === null; // odd values we read are kept odd; new ones are padded
    const vr = this.headerVR(el, encoding);
    this.writeHeader(el.tag, vr, length + (padded ? 1 : 0), encoding, out, el);
    if (el.value) out.bytes(el.value);
    else if (el.bulk) out.range(this.source, el.bulk.offset, el.bulk.length);
    else if (el.external) for (const range of el.external) out.range(range.source, range.offset, range.length);
    if (padded) out.bytes(Uint8Array.of(paddingByte(el.vr)));
  }

  /**
   * VR to write in an explicit header: what the file said for an unchanged value, else the effective VR (`vr`:
   * SQ for a sequence, whatever VR it was read with).
   */
  private headerVR(el: DataElement, encoding: Encoding, vr: string = el.vr): string {
    if (!encoding.explicitVR) return vr;
    if (el.items !== null && el.itemEncoding && !el.itemEncoding.explicitVR) return 'UN';
    if (el.fileVR && el.span !== null) return el.fileVR;
    return isVR(vr) ? vr : 'UN';
  }

  private encodeSequence(el: DataElement, ds: DataSet, encoding: Encoding, out: ChunkList): void {
    const itemEncoding = el.itemEncoding ?? ds.encoding;
    const body = new ChunkList();
    for (const item of el.items ?? []) this.encodeItem(item, itemEncoding, body);
    const vr = this.headerVR(el, encoding, 'SQ');
    if (el.undefinedLength) {
      this.writeHeader(el.tag, vr, UNDEFINED_LENGTH, encoding, out, el);
      out.append(body);
      out.bytes(delimiter(SequenceDelimitationItem, itemEncoding.littleEndian));
    } else {
      this.writeHeader(el.tag, vr, body.size, encoding, out, el);
      out.append(body);
    }
  }

  private encodeItem(item: DataSet, encoding: Encoding, out: ChunkList): void {
    if (item.span && this.itemPristine(item) && sameEncoding(item.encoding, encoding)) {
      out.range(this.source, item.span.offset, item.span.length);
      return;
    }
    const body = new ChunkList();
    this.encodeElements(item, encoding, body);
    if (item.undefinedLength) {
      out.bytes(itemHeader(UNDEFINED_LENGTH, encoding.littleEndian));
      out.append(body);
      out.bytes(delimiter(ItemDelimitationItem, encoding.littleEndian));
    } else {
      out.bytes(itemHeader(body.size, encoding.littleEndian));
      out.append(body);
    }
  }

  private encodeFragments(el: DataElement, encoding: Encoding, out: ChunkList): void {
    this.writeHeader(el.tag, encoding.explicitVR ? (el.fileVR ?? 'OB') : el.vr, UNDEFINED_LENGTH, encoding, out, el);
    for (const fragment of el.fragments ?? []) {
      if (fragment.span) {
        out.range(this.source, fragment.span.offset, fragment.span.length);
        continue;
      }
      const value = fragment.value;
      out.bytes(itemHeader(value.length, true));
      if (value instanceof Uint8Array) out.bytes(value);
      else if (isExternalRange(value)) out.range(value.source, value.offset, value.length);
      else out.range(this.source, value.offset, value.length);
    }
    out.bytes(delimiter(SequenceDelimitationItem, true));
  }

  private writeHeader(tag: number, vr: string, length: number, encoding: Encoding, out: ChunkList, el: DataElement): void {
    const little = encoding.littleEndian;
    if (!encoding.explicitVR) {
      const h = Buffer.alloc(8);
      putTag(h, tag, little);
      if (little) h.writeUInt32LE(length, 4); else h.writeUInt32BE(length, 4);
      out.bytes(h);
      return;
    }
    const code = vr.length === 2 ? vr : 'UN';
    if (hasLongLength(code) || (el.fileVR !== null && !isVR(el.fileVR) && /^[A-Z]{2}$/.test(el.fileVR))) {
      const h = Buffer.alloc(12);
      putTagAndVR(h, tag, code, little);
      if (little) h.writeUInt32LE(length, 8); else h.writeUInt32BE(length, 8);
      out.bytes(h);
      return;
    }
    if (length > 0xffff) {
      throw new DicomWriteError(`value of ${length} bytes is too long for VR ${code} (16-bit length)`, formatTag(tag));
    }
    const h = Buffer.alloc(8);
    putTagAndVR(h, tag, code, little);
    if (little) h.writeUInt16LE(length, 6); else h.writeUInt16BE(length, 6);
    out.bytes(h);
  }
}

/** Tag and the two VR characters of an explicit VR header. */
function putTagAndVR(h: Buffer, tag: number, vr: string, little: boolean): void {
  putTag(h, tag, little);
  h[4] = vr.charCodeAt(0);
  h[5] = vr.charCodeAt(1);
}

function putTag(h: Buffer, tag: number, little: boolean): void {
  if (little) {
    h.writeUInt16LE(tagGroup(tag), 0);
    h.writeUInt16LE(tagElement(tag), 2);
  } else {
    h.writeUInt16BE(tagGroup(tag), 0);
    h.writeUInt16BE(tagElement(tag), 2);
  }
}

function itemHeader(length: number, little: boolean): Uint8Array {
  const h = Buffer.alloc(8);
  putTag(h, Item, little);
  if (little) h.writeUInt32LE(length >>> 0, 4); else h.writeUInt32BE(length >>> 0, 4);
  return h;
}

function delimiter(tag: number, little: boolean): Uint8Array {
  const h = Buffer.alloc(8);
  putTag(h, tag, little);
  return h;
}

/** Chunks of a whole Part 10 file: zero preamble, "DICM", meta with a recomputed group length, then the dataset. */
export function encodeDicomFile(file: DicomFile): ChunkList {
  const out = new ChunkList();
  if (file.meta) {
    const header = Buffer.alloc(132);
    header.write('DICM', 128, 'latin1');
    out.bytes(header);
    const meta = file.meta;
    const metaEncoder = new DatasetEncoder(file.source);
    const rest = new ChunkList();
    const withoutLength = new DataSet(meta.encoding);
    withoutLength.elements = meta.elements.filter((el) => el.tag !== FileMetaInformationGroupLength);
    withoutLength.modified = meta.modified;
    metaEncoder.encodeElements(withoutLength, EXPLICIT_LE, rest);
    const lengthElement = Buffer.alloc(12);
    lengthElement.writeUInt16LE(0x0002, 0);
    lengthElement.write('UL', 4, 'latin1');
    lengthElement.writeUInt16LE(4, 6);
    lengthElement.writeUInt32LE(rest.size, 8);
    out.bytes(lengthElement);
    out.append(rest);
  }
  const encoding: Encoding = { explicitVR: file.transferSyntax.explicitVR, littleEndian: file.transferSyntax.littleEndian };
  const body = new ChunkList();
  new DatasetEncoder(file.datasetSource).encodeElements(file.dataset, encoding, body);
  if (file.transferSyntax.deflated) {
    const deflated = deflateRawSync(concatChunks(body));
    out.bytes(deflated);
    // PS3.5 A.5: a deflated stream of odd length is padded with one NUL byte (dcmtk refuses an odd C-STORE fragment).
    if (deflated.length % 2 === 1) out.bytes(new Uint8Array(1));
  } else {
    out.append(body);
  }
  return out;
}

/** Encodes one dataset (no framing) in `encoding`, e.g. for tests. */
export function encodeDataset(ds: DataSet, source: ByteSource, encoding: Encoding): Uint8Array {
  const out = new ChunkList();
  new DatasetEncoder(source).encodeElements(ds, encoding, out);
  return concatChunks(out);
}

export function concatChunks(list: ChunkList): Buffer {
  const result = Buffer.allocUnsafe(list.size);
  let at = 0;
  for (const c of list.chunks) {
    if (!(c instanceof Uint8Array) && c.source.fd !== undefined) {
      // Read straight into the result: a large range on disk (a scratch file of decoded frames) is not copied twice.
      readFully(c.source.fd, result.subarray(at, at + c.length), c.offset);
      at += c.length;
      continue;
    }
    const bytes = c instanceof Uint8Array ? c : c.source.read(c.offset, c.length);
    result.set(bytes, at);
    at += bytes.length;
  }
  return result;
}

export function encodeDicomFileToBuffer(file: DicomFile): Buffer {
  return concatChunks(encodeDicomFile(file));
}
