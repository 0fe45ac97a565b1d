// The element tree the reader builds and the writer serializes. Each element remembers the byte span it came
// from; the writer copies untouched elements verbatim and re-encodes only what was changed.

import type { ByteSource } from './source.js';
import { formatTag, type Tag } from './tag.js';

/** A range of bytes in the source the dataset was read from. */
export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * Bytes in a source other than the dataset's own, e.g. a scratch file the pixel layer wrote redacted frames into,
 * so a new multi-gigabyte value is streamed by the writer instead of being held in memory.
 */
export interface ExternalRange {
  source: ByteSource;
  offset: number;
  length: number;
}

/** True for a range of another source (ExternalRange), false for a range of the dataset's own source. */
export const isExternalRange = (value: Uint8Array | ByteRange | ExternalRange): value is ExternalRange =>
  !(value instanceof Uint8Array) && 'source' in value;

/** One item of encapsulated Pixel Data (the first is the Basic Offset Table). Kept opaque. */
export interface Fragment {
  /** Span of the whole item (8-byte header + value) in the source; null for a new fragment. */
  span: ByteRange | null;
  /** In memory, a range of the dataset's source, or (new fragments only) a range of another source. */
  value: Uint8Array | ByteRange | ExternalRange;
}

export class DataElement {
  /** Span of header + value (+ nested content and delimiters) in the source; null once changed. */
  span: ByteRange | null = null;
  /** Value bytes as stored in the file (byte order of the transfer syntax), when held in memory. */
  value: Uint8Array | null = null;
  /** Value left in the source (large values of a file read through a window). */
  bulk: ByteRange | null = null;
  /** New value made of ranges of other sources, one after another (set with setExternalValue). */
  external: ExternalRange[] | null = null;
  /** Items of a sequence (SQ, or UN / private data holding an implicit VR little endian sequence). */
  items: DataSet[] | null = null;
  /** Encapsulated Pixel Data fragments, in order; the first is the offset table. */
  fragments: Fragment[] | null = null;
  /** How the items of this sequence are encoded (a UN sequence holds implicit VR little endian items). */
  itemEncoding: Encoding | null = null;
  /** Written with undefined length (sequences, encapsulated data). Kept so as written. */
  undefinedLength = false;
  /** Private creator string reserving this element's block, for private data elements. */
  privateCreator: string | null = null;
  /** Byte offset of the element header in its source, for error messages. */
  offset = -1;
  /** @internal The writer's memo: whether this element can be spliced, as found by encoder run `pristineRun`. */
  pristineRun = 0;
  /** @internal */
  pristine = false;

  constructor(
    readonly tag: Tag,
    /** Effective VR: as written (explicit VR), from the dictionary (implicit VR), or the real VR of a known UN. */
    public vr: string,
    /** VR bytes as found in the file; null for implicit VR or new elements. */
    public fileVR: string | null = null,
  ) {}

  /** The value, in memory or read from the source. */
  bytes(source: ByteSource): Uint8Array {
    if (this.value) return this.value;
    if (this.bulk) return source.read(this.bulk.offset, this.bulk.length);
    if (this.external) {
      const out = new Uint8Array(this.valueLength);
      let at = 0;
      for (const range of this.external) {
        out.set(range.source.read(range.offset, range.length), at);
        at += range.length;
      }
      return out;
    }
    return new Uint8Array(0);
  }

  /** Value length as stored (for sequences and fragments: not meaningful). */
  get valueLength(): number {
    if (this.value) return this.value.length;
    if (this.bulk) return this.bulk.length;
    if (this.external) return this.external.reduce((sum, range) => sum + range.length, 0);
    return 0;
  }

  /** Replace the value with new raw bytes (already in the transfer syntax's byte order, unpadded is fine). */
  setValue(bytes: Uint8Array, vr: string = this.vr): void {
    this.value = bytes;
    this.bulk = null;
    this.external = null;
    this.items = null;
    this.fragments = null;
    this.undefinedLength = false;
    this.vr = vr;
    this.fileVR = null;
    this.span = null;
  }

  /** Replace the value with ranges of other sources (streamed by the writer, never concatenated in memory). */
  setExternalValue(ranges: ExternalRange[], vr: string = this.vr): void {
    this.setValue(new Uint8Array(0), vr);
    this.value = null;
    this.external = ranges;
  }

  /** Replace the fragments of encapsulated Pixel Data (the first is the offset table); the element is rewritten. */
  setFragments(fragments: Fragment[]): void {
    this.fragments = fragments;
    this.value = null;
    this.bulk = null;
    this.external = null;
    this.items = null;
    this.undefinedLength = true;
    this.span = null;
  }

  /** Replace the items of a sequence (use [] for an empty sequence). */
  setItems(items: DataSet[]): void {
    this.items = items;
    this.value = null;
    this.bulk = null;
    this.external = null;
    this.span = null;
  }

  get isSequence(): boolean {
    return this.items !== null;
  }
}

/** The two choices of an encoding that matter for element headers and binary values. */
export interface Encoding {
  explicitVR: boolean;
  littleEndian: boolean;
}

export class DataSet {
  elements: DataElement[] = [];
  constructor(
    /** How this dataset's elements are encoded. */
    readonly encoding: Encoding,
  ) {}
  /** Span of an item (header + content + delimiter) in the source; null for the top level or once changed. */
  span: ByteRange | null = null;
  /** Set when elements were added or removed, so the writer re-frames this dataset. */
  modified = false;
  /** @internal The writer's memo: whether this item can be spliced, as found by encoder run `pristineRun`. */
  pristineRun = 0;
  /** @internal */
  pristine = false;
  /** Item written with undefined length (ends with an item delimiter). */
  undefinedLength = false;
  /** The sequence element that holds this item, for walking up (charset inheritance, tag paths). */
  parent: { element: DataElement; dataset: DataSet; index: number } | null = null;

  /** Inside `deferRemovals`: removed elements wait in `pendingRemovals` (made on the first removal). */
  private deferring = false;
  /** Elements removed during `deferRemovals`, dropped from `elements` in one pass at its end. */
  private pendingRemovals: Set<DataElement> | null = null;

  private live(el: DataElement): boolean {
    return this.pendingRemovals === null || !this.pendingRemovals.has(el);
  }

  get(tag: Tag): DataElement | undefined {
    // Linear: datasets are small and may hold duplicates; the first occurrence wins like dcmtk.
    for (const el of this.elements) if (el.tag === tag && this.live(el)) return el;
    return undefined;
  }

  /** Remove every occurrence of `tag`; returns how many were removed. */
  remove(tag: Tag): number {
    const before = this.elements.length;
    this.elements = this.elements.filter((el) => el.tag !== tag);
    const removed = before - this.elements.length;
    if (removed) this.markModified();
    return removed;
  }

  removeElement(element: DataElement): void {
    if (this.deferring) {
      (this.pendingRemovals ??= new Set()).add(element);
      this.markModified();
      return;
    }
    const i = this.elements.indexOf(element);
    if (i >= 0) {
      this.elements.splice(i, 1);
      this.markModified();
    }
  }

  /**
   * Runs `fn` with removeElement deferred: removed elements are hidden from get/put at once and dropped from
   * `elements` in one pass at the end, so removing most of a 10,000-element dataset stays linear.
   */
  deferRemovals(fn: () => void): void {
    if (this.deferring) return fn();
    this.deferring = true;
    try {
      fn();
    } finally {
      this.deferring = false;
      const pending = this.pendingRemovals;
      this.pendingRemovals = null;
      if (pending !== null && pending.size > 0) this.elements = this.elements.filter((el) => !pending.has(el));
    }
  }

  /** True when `element` is (still) one of this dataset's elements. */
  has(element: DataElement): boolean {
    return this.live(element) && this.elements.includes(element);
  }

  /** Insert or replace (first occurrence) an element, keeping tags in ascending order for new ones. */
  put(element: DataElement): void {
    const i = this.elements.findIndex((el) => el.tag === element.tag && this.live(el));
    if (i >= 0) this.elements[i] = element;
    else {
      let at = this.elements.findIndex((el) => el.tag > element.tag);
      if (at < 0) at = this.elements.length;
      this.elements.splice(at, 0, element);
    }
    this.markModified();
  }

  markModified(): void {
    this.modified = true;
    this.span = null;
  }

  /** Tag path of this dataset from the top, e.g. "(0008,1140)[0].(0040,A730)[2]". */
  path(): string {
    const parts: string[] = [];
    for (let ds: DataSet = this; ds.parent; ds = ds.parent.dataset) {
      parts.unshift(`${formatTag(ds.parent.element.tag)}[${ds.parent.index}]`);
    }
    return parts.join('.');
  }
}

/** Tag path of one element: "(0008,1140)[0].(0008,1155)". */
export function elementPath(dataset: DataSet, element: DataElement): string {
  const base = dataset.path();
  return base ? `${base}.${formatTag(element.tag)}` : formatTag(element.tag);
}
