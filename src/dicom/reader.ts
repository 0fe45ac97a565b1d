// Parses a DICOM dataset (any encoding, any nesting) from a ByteSource into a DataSet tree without copying
// bulk values. Bounded: every length is checked against the bytes left; nesting depth, item and element counts and
// bytes held in memory are limited (limits.ts, docs/limits.md), and crossing a limit raises DicomLimitError.

import { DataElement, DataSet, type Encoding } from './dataset.js';
import { defaultVR } from './dictionary.js';
import { DicomParseError } from './errors.js';
import { DEFAULT_PARSE_LIMITS, DicomLimitError, type LimitName, type ParseLimits } from './limits.js';
import type { ByteSource } from './source.js';
import { formatTag, isPrivateCreatorTag, isPrivateTag, makeTag, tagElement, tagGroup, UNDEFINED_LENGTH, type Tag } from './tag.js';
import { vrOfBytes } from './vr.js';
import { trimPaddingEnd } from './padding.js';
import { RepairLog } from './repairs.js';
import { BitsAllocated, Columns, Item, ItemDelimitationItem, NumberOfFrames, PixelData, Rows, SamplesPerPixel, SequenceDelimitationItem, SpecificCharacterSet } from './tags.generated.js';

export { DEFAULT_PARSE_LIMITS, type ParseLimits } from './limits.js';


export const IMPLICIT_LE: Encoding = { explicitVR: false, littleEndian: true };

/**
 * Reads one dataset from `start` to `end` (exclusive) of `source`. Quirks that pydicom or dcmtk read are repaired
 * (padding after the last element, odd value lengths, unknown VR codes) and named in `repairs` when given.
 * With `stopBeforeTag`, only the top-level elements before the first one whose tag is at least that (a quick look
 * at the first groups of a conformant, sorted dataset).
 */
export function parseDataset(
  source: ByteSource,
  start: number,
  end: number,
  encoding: Encoding,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  repairs: RepairLog = new RepairLog(),
  stopBeforeTag?: Tag,
): DataSet {
  const parser = new Parser(source, limits, repairs, stopBeforeTag);
  const dataset = new DataSet(encoding);
  try {
    parser.parseElements(dataset, start, end, false, 0);
  } catch (error) {
    // Only reachable when maxDepth was raised far beyond the default: the recursion ran out of stack.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new DicomLimitError('stack', `sequences nested too deep for the stack (maxDepth ${limits.maxDepth} is too high)`, start, '');
    }
    throw error;
  }
  return dataset;
}

/** Result of reading one element header. */
interface Header {
  tag: Tag;
  vr: string;
  fileVR: string | null;
  length: number;
  headerLength: number;
  /** The header was repaired (an unknown VR code): the element is re-encoded rather than copied. */
  repaired: boolean;
}

class Parser {
  private buf: Buffer = Buffer.alloc(0);
  private bufStart = 0;
  /** Set when an undefined-length item was ended by a sequence delimiter (a quirk some writers have). */
  private sequenceEndedInItem = false;
  /** Elements + items + fragments created so far (maxElements). */
  private objects = 0;
  /** Bytes of non-bulk values held so far (maxHeaderBytes). */
  private headerBytes = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly limits: ParseLimits,
    private readonly repairs: RepairLog,
    private readonly stopBeforeTag?: Tag,
  ) {}

  private failLimit(limit: LimitName, reason: string, offset: number, dataset: DataSet | null, tag?: Tag): never {
    throw new DicomLimitError(limit, reason, offset, pathOf(dataset, tag));
  }

  /** Counts one more element/item/fragment against maxElements. */
  private countObject(offset: number, dataset: DataSet, tag?: Tag): void {
    if (++this.objects > this.limits.maxElements) {
      this.failLimit('maxElements', `more than ${this.limits.maxElements} elements, items and fragments in the file`, offset, dataset, tag);
    }
  }

  /** Counts value bytes held in memory against maxHeaderBytes (bulk values are not held). */
  private countHeaderBytes(length: number, offset: number, dataset: DataSet, tag?: Tag): void {
    if (length >= this.limits.bulkThreshold) return;
    this.headerBytes += length;
    if (this.headerBytes > this.limits.maxHeaderBytes) {
      this.failLimit('maxHeaderBytes', `more than ${this.limits.maxHeaderBytes} bytes of non-bulk values`, offset, dataset, tag);
    }
  }

  private fail(reason: string, offset: number, dataset: DataSet | null, tag?: Tag): never {
    throw new DicomParseError(reason, offset, pathOf(dataset, tag));
  }

  /**
   * A failure in the element header at `offset`. Its tag is not to be trusted: after a wrong length before it, it is
   * made of value bytes (a name's letters), so the error names the last element read correctly instead.
   */
  private failInHeader(reason: string, offset: number, dataset: DataSet): never {
    const last = dataset.elements[dataset.elements.length - 1];
    const where = last ? 'in the element header after this element' : 'in the first element header here';
    throw new DicomParseError(`${reason} (${where})`, offset, pathOf(dataset, last?.tag));
  }

  /** Makes bytes [pos, pos+n) addressable through this.buf; false when the source ends before. */
  private ensure(pos: number, n: number): boolean {
    if (pos >= this.bufStart && pos + n <= this.bufStart + this.buf.length) return true;
    if (pos + n > this.source.size) return false;
    const want = this.source.stable ? this.source.size - pos : Math.max(n, 64 * 1024);
    const view = this.source.read(pos, want);
    this.buf = Buffer.from(view.buffer, view.byteOffset, view.length);
    this.bufStart = pos;
    return this.buf.length >= n;
  }

  private u16(pos: number, little: boolean): number {
    const i = pos - this.bufStart;
    return little ? this.buf.readUInt16LE(i) : this.buf.readUInt16BE(i);
  }

  private u32(pos: number, little: boolean): number {
    const i = pos - this.bufStart;
    return little ? this.buf.readUInt32LE(i) : this.buf.readUInt32BE(i);
  }

  private readTag(pos: number, little: boolean): Tag {
    return makeTag(this.u16(pos, little), this.u16(pos + 2, little));
  }

  /** Copy (or view, for stable sources) of bytes [pos, pos+length). */
  private bytesAt(pos: number, length: number): Uint8Array {
    if (this.source.stable) return this.source.read(pos, length);
    if (!this.ensure(pos, length)) return this.source.read(pos, length).slice();
    return Uint8Array.prototype.slice.call(this.buf, pos - this.bufStart, pos - this.bufStart + length);
  }

  /** One header object, refilled for every element: it is read before anything else is parsed. */
  private readonly lastHeader: Header = { tag: 0, vr: '', fileVR: null, length: 0, headerLength: 0, repaired: false };

  private header(tag: Tag, vr: string, fileVR: string | null, length: number, headerLength: number): Header {
    const h = this.lastHeader;
    h.tag = tag;
    h.vr = vr;
    h.fileVR = fileVR;
    h.length = length;
    h.headerLength = headerLength;
    h.repaired = false;
    return h;
  }

  /** The header at `pos`. The object returned is reused by the next call: read it before parsing further. */
  private readHeader(pos: number, end: number, encoding: Encoding, dataset: DataSet): Header {
    const little = encoding.littleEndian;
    if (!this.ensure(pos, 8) || pos + 8 > end) this.failInHeader('truncated element header', pos, dataset);
    const tag = this.readTag(pos, little);
    if (tagGroup(tag) === 0xfffe) {
      return this.header(tag, '', null, this.u32(pos + 4, little), 8);
    }
    if (!encoding.explicitVR) {
      return this.header(tag, implicitVR(tag), null, this.u32(pos + 4, little), 8);
    }
    const c0 = this.buf[pos - this.bufStart + 4], c1 = this.buf[pos - this.bufStart + 5];
    const known = vrOfBytes(c0, c1);
    if (known !== undefined) {
      const vr = known.code;
      if (known.longLength) {
        if (!this.ensure(pos, 12) || pos + 12 > end) this.failInHeader('truncated element header', pos, dataset);
        return this.header(tag, vr, vr, this.u32(pos + 8, little), 12);
      }
      return this.header(tag, vr, vr, this.u16(pos + 6, little), 8);
    }
    const code = String.fromCharCode(c0, c1);
    const upper = (c: number): boolean => c >= 0x41 && c <= 0x5a;
    if (upper(c0) && upper(c1)) {
      // An unknown VR made of letters: like dcmtk, assume a reserved field and a 32-bit length, unless only a 16-bit
      // length (as pydicom reads it) lands on a plausible next element. Its VR is the dictionary's; it is re-encoded.
      const long = this.ensure(pos, 12) && pos + 12 <= end ? this.u32(pos + 8, little) : -1;
      const short = this.u16(pos + 6, little);
      const useShort = !(long >= 0 && this.plausibleNext(pos + 12 + long, end, tag, little)) && this.plausibleNext(pos + 8 + short, end, tag, little);
      if (!useShort && long < 0) this.failInHeader('truncated element header', pos, dataset);
      this.elementRepair(`unknown VR "${code}" read as ${isPrivateTag(tag) ? 'UN' : `the dictionary's VR`} with a ${useShort ? 16 : 32}-bit length`, pathOf(dataset, tag));
      const vr = isPrivateTag(tag) ? 'UN' : defaultVR(tag);
      const h = useShort ? this.header(tag, vr, null, short, 8) : this.header(tag, vr, null, long, 12);
      h.repaired = true;
      return h;
    }
    // Not a VR at all: an implicit VR element inside an explicit VR dataset (a known writer quirk) when a
    // 32-bit length fits, otherwise (like dcmtk) a non-standard VR with a 16-bit length.
    const implicitLength = this.u32(pos + 4, little);
    if (implicitLength !== UNDEFINED_LENGTH && pos + 8 + implicitLength <= end && (c1 === 0 || c0 === 0)) {
      return this.header(tag, implicitVR(tag), null, implicitLength, 8);
    }
    this.elementRepair('non-standard VR bytes read with a 16-bit length', pathOf(dataset, tag));
    return this.header(tag, implicitVR(tag), code, this.u16(pos + 6, little), 8);
  }

  /**
   * Whether an element of an explicit VR dataset after `tag` could start at `at`: the end of the container, or an
   * element header of a later tag with a known VR (or a delimiter).
   */
  private plausibleNext(at: number, end: number, tag: Tag, little: boolean): boolean {
    if (at === end) return true;
    if (at > end || !this.ensure(at, 8) || at + 8 > end) return false;
    const next = this.readTag(at, little);
    if (tagGroup(next) === 0xfffe) return true;
    const i = at - this.bufStart;
    return next > tag && vrOfBytes(this.buf[i + 4], this.buf[i + 5]) !== undefined;
  }

  /** The first repair of an element (odd length, unknown VR, mis-tagged item): after one, trailing zeros are suspect. */
  private firstElementRepair: string | null = null;

  private elementRepair(kind: string, where: string): void {
    this.firstElementRepair ??= `${kind}: ${where}`;
    this.repairs.add(kind, where);
  }

  /**
   * Fill bytes after the last element are skipped only when nothing says they are data: a file whose elements needed
   * a repair (an odd length, an unknown VR) may have a corrupted length that cut the data short, so the "padding" is
   * data that was read as elements or dropped; native Pixel Data shorter than its image attributes say was cut off
   * by its length, and the zeros after it are the rest of the image. Either fails the file, with offset and tag.
   */
  private assertPaddingBelievable(dataset: DataSet, pos: number, end: number): void {
    const last = dataset.elements[dataset.elements.length - 1];
    if (this.firstElementRepair !== null) {
      this.fail(`${end - pos} byte(s) of fill after the last element, in a file whose elements needed a repair (${this.firstElementRepair}): ` +
        'a corrupted length is more likely than padding; not read', pos, dataset, last?.tag);
    }
    if (last?.tag === PixelData && last.items === null && last.fragments === null) {
      const expected = nativePixelLength(dataset);
      if (expected !== null && last.valueLength < expected) {
        this.fail(`Pixel Data holds ${last.valueLength} byte(s) where Rows, Columns, Samples per Pixel, Bits Allocated and Number of Frames ` +
          `say ${expected}: the ${end - pos} byte(s) after it are image data cut off by a corrupted length, not padding`, pos, dataset, PixelData);
      }
    }
  }

  /** The byte of the last run of fill bytes isTrailingPadding scanned, and where that run ended (before `end`). */
  private fillRunByte = -1;
  private fillRunEnd = -1;

  /**
   * Padding after the last element of the top-level dataset (NUL bytes or spaces to the end): some writers pad files
   * to a block size. Anything else there is read as elements (and fails when it is not), 0xFF runs included.
   */
  private isTrailingPadding(pos: number, end: number): boolean {
    const head = Math.min(8, end - pos);
    if (!this.ensure(pos, head)) return false;
    const fill = this.buf[pos - this.bufStart];
    if (fill !== 0x00 && fill !== 0x20) return false;
    // A real element header differs from a run of one byte within its first 8 bytes: decided without reading further.
    for (let i = 1; i < head; i++) if (this.buf[pos - this.bufStart + i] !== fill) return false;
    // A run of fill bytes already seen to end before `end` (elements made of zeros, then one other byte) is not
    // scanned again at each of its elements: that was quadratic in the run's length.
    if (fill === this.fillRunByte && pos < this.fillRunEnd) return false;
    for (let at = pos + head; at < end; at += 64 * 1024) {
      const chunk = this.source.read(at, Math.min(64 * 1024, end - at));
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] !== fill) {
          this.fillRunByte = fill;
          this.fillRunEnd = at + i;
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Parses elements into `dataset` from `start` until `end` or, for an undefined-length item, until its item
   * delimiter. Returns the position after the last byte consumed.
   */
  parseElements(dataset: DataSet, start: number, end: number, undefinedItem: boolean, depth: number): number {
    const encoding = dataset.encoding;
    // Private creators of this dataset, made when the first one is read.
    let creators: Map<number, string> | null = null;
    let pos = start;
    while (pos < end) {
      if (depth === 0 && !undefinedItem && this.isTrailingPadding(pos, end)) {
        this.assertPaddingBelievable(dataset, pos, end);
        this.repairs.add(`${end - pos} byte(s) of padding after the last element ignored`);
        return end;
      }
      const header = this.readHeader(pos, end, encoding, dataset);
      const { tag } = header;
      if (depth === 0 && this.stopBeforeTag !== undefined && tag >= this.stopBeforeTag) return pos;
      if (tag === ItemDelimitationItem) {
        if (undefinedItem) return pos + 8;
        this.fail('item delimiter outside an undefined-length item', pos, dataset, tag);
      }
      if (tag === SequenceDelimitationItem) {
        if (undefinedItem) {
          this.sequenceEndedInItem = true;
          return pos;
        }
        this.fail('sequence delimiter outside a sequence', pos, dataset, tag);
      }
      if (tag === Item) this.fail('item tag where a data element was expected', pos, dataset, tag);
      if (dataset.elements.length >= this.limits.maxElementsPerDataset) {
        this.failLimit('maxElementsPerDataset', `more than ${this.limits.maxElementsPerDataset} elements in one dataset`, pos, dataset);
      }
      this.countObject(pos, dataset);
      pos = this.parseElement(dataset, header, pos, end, depth, creators);
      if (isPrivateCreatorTag(tag)) {
        const creator = dataset.elements[dataset.elements.length - 1];
        if (creator.value) (creators ??= new Map()).set(tagGroup(tag) * 256 + tagElement(tag), decodeCreator(creator.value));
      }
    }
    if (undefinedItem) this.fail('item has no item delimiter before the end of its container', pos, dataset);
    return pos;
  }

  private parseElement(
    dataset: DataSet, header: Header, pos: number, end: number, depth: number, creators: Map<number, string> | null,
  ): number {
    const { tag, length, headerLength, repaired } = header;
    const element = new DataElement(tag, header.vr, header.fileVR);
    element.offset = pos;
    const valuePos = pos + headerLength;

    if (isPrivateTag(tag)) {
      const group = tagGroup(tag), elementNumber = tagElement(tag);
      if (isPrivateCreatorTag(tag)) {
        if (element.vr === 'UN') element.vr = 'LO';
      } else if (elementNumber >= 0x1000) {
        element.privateCreator = creators?.get(group * 256 + (elementNumber >> 8)) ?? null;
      }
    }
    // A UN element whose tag the dictionary knows gets its real VR (the bytes are unchanged).
    if (element.fileVR === 'UN' && !isPrivateTag(tag)) {
      const known = defaultVR(tag);
      if (known !== 'UN') element.vr = known;
    }

    let next: number;
    if (length === UNDEFINED_LENGTH) {
      element.undefinedLength = true;
      if (tag === PixelData || element.vr === 'OB' || element.vr === 'OW') {
        next = this.parseFragments(dataset, element, valuePos, end);
      } else if (element.vr === 'SQ' || element.vr === 'UN') {
        // UN with undefined length: an implicit VR little endian sequence (PS3.5 6.2.2).
        const itemEncoding = element.fileVR === 'UN' || element.vr === 'UN' ? IMPLICIT_LE : dataset.encoding;
        element.vr = 'SQ';
        next = this.parseItems(dataset, element, valuePos, end, true, itemEncoding, depth);
      } else {
        this.failInHeader(`undefined length on an element of VR ${element.vr}`, pos, dataset);
      }
    } else {
      if (valuePos + length > end) {
        this.failInHeader(`value length ${length} runs past the end of its container (${end - valuePos} bytes left)`, pos, dataset);
      }
      next = valuePos + length;
      const unknownBytes = element.fileVR === 'UN' || element.vr === 'UN';
      if (element.vr === 'SQ' && !unknownBytes) {
        this.parseItems(dataset, element, valuePos, next, false, dataset.encoding, depth);
      } else if (unknownBytes && length >= 8 && this.looksLikeItem(valuePos)) {
        // A sequence hidden in UN (explicit VR file that did not know the tag, or implicit VR private data):
        // walk it when it parses cleanly, so nested identifiers are seen; otherwise keep the bytes opaque.
        this.tryHiddenSequence(dataset, element, valuePos, next, depth);
      } else {
        if (unknownBytes && element.vr === 'SQ') element.vr = 'UN';
        this.readValue(element, valuePos, length, dataset);
      }
    }
    element.span = { offset: pos, length: next - pos };
    if (repaired) element.span = null;
    if (length !== UNDEFINED_LENGTH && length % 2 === 1 && element.items === null) {
      // PS3.5 7.1.1: values have even length. Re-encoded (the writer pads it), so the output is valid.
      this.elementRepair('odd value length padded to even', pathOf(dataset, tag));
      element.span = null;
    }
    dataset.elements.push(element);
    return next;
  }

  private looksLikeItem(pos: number): boolean {
    return this.ensure(pos, 4) && this.readTag(pos, true) === Item;
  }

  private tryHiddenSequence(dataset: DataSet, element: DataElement, start: number, end: number, depth: number): void {
    const probe = new DataElement(element.tag, 'SQ', element.fileVR);
    try {
      this.parseItems(dataset, probe, start, end, false, IMPLICIT_LE, depth);
    } catch (error) {
      if (!(error instanceof DicomParseError) || error instanceof DicomLimitError) throw error;
      if (element.vr === 'SQ') element.vr = 'UN';
      this.readValue(element, start, end - start, dataset);
      return;
    }
    element.vr = 'SQ';
    element.fileVR = element.fileVR ?? 'UN';
    element.items = probe.items;
    element.itemEncoding = IMPLICIT_LE;
    for (const item of element.items ?? []) if (item.parent) item.parent.element = element;
  }

  private readValue(element: DataElement, pos: number, length: number, dataset: DataSet): void {
    // Values the reader and the value layer need themselves (file meta, private creators, the character set) are
    // always held in memory, whatever their length; a hostile huge one still counts against maxHeaderBytes.
    const needed = tagGroup(element.tag) === 0x0002 || isPrivateCreatorTag(element.tag) || element.tag === SpecificCharacterSet;
    if (!this.source.stable && length >= this.limits.bulkThreshold && !needed) {
      element.bulk = { offset: pos, length };
    } else {
      this.countHeaderBytes(length, pos, dataset, element.tag);
      element.value = this.bytesAt(pos, length);
    }
  }

  private parseItems(
    dataset: DataSet, element: DataElement, start: number, end: number, undefinedLength: boolean,
    itemEncoding: Encoding, depth: number,
  ): number {
    if (depth + 1 > this.limits.maxDepth) {
      this.failLimit('maxDepth', `sequences nested deeper than ${this.limits.maxDepth}`, start, dataset, element.tag);
    }
    element.items = [];
    element.itemEncoding = itemEncoding;
    const little = itemEncoding.littleEndian;
    let pos = start;
    while (true) {
      if (!undefinedLength && pos >= end) return pos;
      if (!this.ensure(pos, 8) || pos + 8 > end) {
        this.fail(undefinedLength ? 'sequence has no sequence delimiter' : 'truncated item header', pos, dataset, element.tag);
      }
      const tag = this.readTag(pos, little);
      const length = this.u32(pos + 4, little);
      if (tag === SequenceDelimitationItem) {
        if (!undefinedLength) this.fail('sequence delimiter in a defined-length sequence', pos, dataset, element.tag);
        return pos + 8;
      }
      // An item delimiter with a length in place of an item tag (a writer's slip pydicom reads through): read as the
      // item it stands for, and re-encoded with a proper item tag.
      const misTagged = tag === ItemDelimitationItem && length !== 0;
      if (misTagged) this.elementRepair('item delimiter (FFFE,E00D) in place of an item tag read as an item', pathOf(dataset, element.tag));
      // Never the tag found: after a wrong length it is value bytes.
      else if (tag !== Item) this.fail('expected an item (FFFE,E000)', pos, dataset, element.tag);
      if (element.items.length >= this.limits.maxItems) {
        this.failLimit('maxItems', `more than ${this.limits.maxItems} items in one sequence`, pos, dataset, element.tag);
      }
      this.countObject(pos, dataset, element.tag);
      const item = new DataSet(itemEncoding);
      item.parent = { element, dataset, index: element.items.length };
      const contentStart = pos + 8;
      let itemEnd: number;
      if (length === UNDEFINED_LENGTH) {
        item.undefinedLength = true;
        itemEnd = this.parseElements(item, contentStart, end, true, depth + 1);
      } else {
        if (contentStart + length > end) {
          this.fail(`item length ${length} runs past the end of its sequence`, pos, dataset, element.tag);
        }
        itemEnd = this.parseElements(item, contentStart, contentStart + length, false, depth + 1);
      }
      item.span = misTagged ? null : { offset: pos, length: itemEnd - pos };
      element.items.push(item);
      pos = itemEnd;
      if (this.sequenceEndedInItem) {
        // Quirk: the item was closed by the sequence delimiter itself. Stop the sequence; the item is re-encoded with
        // its item delimiter (kept verbatim, the output was a file dcmdump refuses: "Item Delimitation Item missing").
        this.sequenceEndedInItem = false;
        if (!undefinedLength) this.fail('sequence delimiter inside a defined-length item', pos, dataset, element.tag);
        item.span = null;
        this.elementRepair('sequence delimiter (FFFE,E0DD) closing an item read as the end of the item and its sequence', pathOf(dataset, element.tag));
        return pos + 8;
      }
    }
  }

  private parseFragments(dataset: DataSet, element: DataElement, start: number, end: number): number {
    element.fragments = [];
    // Encapsulated data is always little endian, whatever the transfer syntax says.
    let pos = start;
    while (true) {
      if (!this.ensure(pos, 8) || pos + 8 > end) this.fail('encapsulated data has no sequence delimiter', pos, dataset, element.tag);
      const tag = this.readTag(pos, true);
      const length = this.u32(pos + 4, true);
      if (tag === SequenceDelimitationItem) return pos + 8;
      if (tag !== Item) this.fail('expected a fragment item (FFFE,E000)', pos, dataset, element.tag);
      if (length === UNDEFINED_LENGTH || pos + 8 + length > end) {
        this.fail(`fragment length ${length === UNDEFINED_LENGTH ? 'undefined' : length} runs past the end of the file`, pos, dataset, element.tag);
      }
      if (element.fragments.length >= this.limits.maxItems) {
        this.failLimit('maxItems', `more than ${this.limits.maxItems} fragments`, pos, dataset, element.tag);
      }
      this.countObject(pos, dataset, element.tag);
      const valuePos = pos + 8;
      const bulk = !this.source.stable && length >= this.limits.bulkThreshold;
      if (!bulk) this.countHeaderBytes(length, pos, dataset, element.tag);
      const value = bulk ? { offset: valuePos, length } : this.bytesAt(valuePos, length);
      element.fragments.push({ span: { offset: pos, length: 8 + length }, value });
      pos = valuePos + length;
    }
  }
}

/** Tag path for an error: "(0008,1140)[0].(0008,1155)"; very deep paths keep their first and last levels. */
function pathOf(dataset: DataSet | null, tag?: Tag): string {
  const base = dataset ? dataset.path() : '';
  const tagPart = tag === undefined ? '' : formatTag(tag);
  const full = base && tagPart ? `${base}.${tagPart}` : base || tagPart;
  const parts = full.split('.');
  if (parts.length <= 12) return full;
  return [...parts.slice(0, 4), `…${parts.length - 8} levels…`, ...parts.slice(-4)].join('.');
}

/** VR of an element read without explicit VR: the dictionary's, UL for group lengths, UN otherwise. */
function implicitVR(tag: Tag): string {
  if (tagElement(tag) === 0 ) return 'UL';
  if (isPrivateTag(tag)) return isPrivateCreatorTag(tag) ? 'LO' : 'UN';
  return defaultVR(tag);
}

function decodeCreator(bytes: Uint8Array): string {
  return trimPaddingEnd(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1')).trim();
}


/** Length of native Pixel Data by the image attributes of `dataset` (in memory), or null when one is missing. */
function nativePixelLength(dataset: DataSet): number | null {
  const little = dataset.encoding.littleEndian;
  const us = (tag: Tag): number | null => {
    const el = dataset.get(tag);
    const v = el?.value;
    if (!v || v.length < 2) return null;
    return little ? v[0]! | (v[1]! << 8) : (v[0]! << 8) | v[1]!;
  };
  const rows = us(Rows), columns = us(Columns), bits = us(BitsAllocated), samples = us(SamplesPerPixel) ?? 1;
  if (rows === null || columns === null || bits === null || bits === 0) return null;
  const framesEl = dataset.get(NumberOfFrames)?.value;
  const frames = framesEl ? Number.parseInt(Buffer.from(framesEl).toString('latin1').trim(), 10) : 1;
  if (!Number.isFinite(frames) || frames < 1) return null;
  return Math.ceil((rows * columns * samples * frames * bits) / 8);
}
