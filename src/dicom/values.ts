// Typed access to element values: text decoded per Specific Character Set (inherited through sequences),
// numbers in the dataset's byte order, and encoders that produce valid, padded values for new content.

import { DataElement, DataSet } from './dataset.js';
import { decodeText, encodeText, parseSpecificCharacterSet } from './charset.js';
import { DicomWriteError } from './errors.js';
import type { ByteSource } from './source.js';
import { formatTag, type Tag } from './tag.js';
import { allowsMultipleStrings, isStringVR, maxValueLength, paddingByte, usesSpecificCharset, vrInfo, type NumberVR } from './vr.js';
import { trimPaddingEnd, trimPaddingStart } from './padding.js';
import { SpecificCharacterSet } from './tags.generated.js';

/** Character set terms in force for `dataset`: its own (0008,0005), else the nearest enclosing dataset's. */
export function characterSetOf(dataset: DataSet, source?: ByteSource): string[] {
  for (let ds: DataSet | undefined = dataset; ds; ds = ds.parent?.dataset) {
    const el = ds.get(SpecificCharacterSet);
    if (el && (el.value || el.bulk)) {
      const raw = el.value ?? (source ? el.bytes(source) : new Uint8Array(0));
      return parseSpecificCharacterSet(Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('latin1'));
    }
  }
  return [];
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');

/** Strips DICOM padding: trailing NULs and spaces (leading spaces too, except for text VRs where they matter). */
function trimPadding(text: string, vr: string): string {
  const trailing = trimPaddingEnd(text);
  return vrInfo(vr)?.keepsLeadingSpaces ? trailing : trimPaddingStart(trailing);
}

/** The whole string value of a string-VR element (all values joined by backslash), padding removed. */
export function getString(dataset: DataSet, element: DataElement, source?: ByteSource): string {
  const bytes = source ? element.bytes(source) : element.value ?? new Uint8Array(0);
  const text = usesSpecificCharset(element.vr) ? decodeText(bytes, characterSetOf(dataset, source), element.vr) : latin1(bytes);
  return trimPadding(text, element.vr);
}

/** The values of a string-VR element, split on backslash where the VR allows multiple values. */
export function getStrings(dataset: DataSet, element: DataElement, source?: ByteSource): string[] {
  const whole = getString(dataset, element, source);
  if (whole === '') return [];
  return allowsMultipleStrings(element.vr) ? whole.split('\\').map((v) => trimPadding(v, element.vr)) : [whole];
}

/**
 * Encodes `text` for an element of `vr` in `dataset`'s character set, padded to even length. Returns null when a
 * character cannot be represented in that character set (callers switch the dataset to UTF-8 then).
 */
export function encodeString(dataset: DataSet, vr: string, text: string): Uint8Array | null {
  let bytes: Uint8Array | null;
  if (usesSpecificCharset(vr)) {
    bytes = encodeText(text, characterSetOf(dataset), vr);
    if (!bytes) return null;
  } else {
    // Non-charset string VRs are ASCII by definition.
    if (/[^\x00-\x7f]/.test(text)) return null;
    bytes = Buffer.from(text, 'latin1');
  }
  if (bytes.length % 2 === 1) {
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes);
    padded[bytes.length] = paddingByte(vr);
    return padded;
  }
  return bytes;
}

/** Checks each value of `text` against the VR's maximum length; throws DicomWriteError naming the tag. */
export function checkValueLength(vr: string, text: string, tag: Tag): void {
  const max = maxValueLength(vr);
  // Code points never outnumber UTF-16 units: a text that short needs no per-value check.
  if (max === undefined || text.length <= max) return;
  const values = allowsMultipleStrings(vr) ? text.split('\\') : [text];
  for (const value of values) {
    const parts = vr === 'PN' ? value.split('=') : [value];
    for (const part of parts) {
      if ([...part].length > max) {
        throw new DicomWriteError(`a value of ${[...part].length} characters exceeds the ${max} allowed for VR ${vr}`, formatTag(tag));
      }
    }
  }
}

/**
 * Sets a string value on `element` (of `dataset`), switching the dataset's character set to ISO_IR 192 when the
 * current one cannot represent the text. Throws DicomWriteError when the value breaks the VR's length limit.
 */
export function setString(dataset: DataSet, element: DataElement, text: string, vr: string = element.vr): void {
  if (!isStringVR(vr)) throw new DicomWriteError(`cannot store text in VR ${vr}`, formatTag(element.tag));
  checkValueLength(vr, text, element.tag);
  let bytes = encodeString(dataset, vr, text);
  if (!bytes) {
    if (!usesSpecificCharset(vr)) throw new DicomWriteError(`non-ASCII text is not allowed in VR ${vr}`, formatTag(element.tag));
    switchToUtf8(dataset);
    bytes = encodeString(dataset, vr, text);
    if (!bytes) throw new DicomWriteError('text cannot be encoded even in UTF-8', formatTag(element.tag));
  }
  element.setValue(bytes, vr);
}

/**
 * Re-encodes every charset text value of the top-level dataset (and nested items without their own character
 * set) as UTF-8 and sets (0008,0005) to ISO_IR 192, so new text in any script can be stored.
 */
export function switchToUtf8(dataset: DataSet): void {
  let root = dataset;
  while (root.parent) root = root.parent.dataset;
  const oldTerms = characterSetOf(root);
  const visit = (ds: DataSet, terms: string[]): void => {
    const own = ds.get(SpecificCharacterSet);
    const active = own && ds !== root ? characterSetOf(ds) : terms;
    for (const el of ds.elements) {
      if (el.items) for (const item of el.items) visit(item, active);
      else if (usesSpecificCharset(el.vr) && el.value && el.value.length > 0) {
        const text = decodeText(el.value, active, el.vr);
        const bytes = Buffer.from(text, 'utf8');
        el.setValue(bytes.length % 2 ? Buffer.concat([bytes, Buffer.from(' ')]) : bytes);
      }
    }
    if (own && ds !== root) ds.remove(SpecificCharacterSet);
  };
  visit(root, oldTerms);
  const charset = root.get(SpecificCharacterSet) ?? new DataElement(SpecificCharacterSet, 'CS');
  charset.setValue(Buffer.from('ISO_IR 192'), 'CS');
  root.put(charset);
}

/** Creates a new string element (not yet inserted). */
export function newStringElement(dataset: DataSet, tag: Tag, vr: string, text: string): DataElement {
  const element = new DataElement(tag, vr);
  setString(dataset, element, text, vr);
  return element;
}

/** Creates a new element of a binary number VR (US, SS, UL, FL...) holding `values`, in the dataset's byte order. */
export function newNumberElement(dataset: DataSet, tag: Tag, vr: string, values: number[]): DataElement {
  const element = new DataElement(tag, vr);
  element.setValue(encodeNumbers(dataset, vr, values), vr);
  return element;
}

/** Creates a new, empty sequence element. */
export function newSequenceElement(tag: Tag, items: DataSet[] = []): DataElement {
  const element = new DataElement(tag, 'SQ');
  element.setItems(items);
  element.undefinedLength = false;
  return element;
}

/** Creates an item dataset to append to `sequence` (which belongs to `parent`). */
export function newItem(parent: DataSet, sequence: DataElement): DataSet {
  const item = new DataSet(sequence.itemEncoding ?? parent.encoding);
  item.parent = { element: sequence, dataset: parent, index: sequence.items?.length ?? 0 };
  item.modified = true;
  return item;
}

/** Numeric values of a binary VR (US, SS, UL, SL, FL, FD, SV, UV, AT as tags) in the dataset's byte order. */
export function getNumbers(dataset: DataSet, element: DataElement, source?: ByteSource): number[] {
  const bytes = Buffer.from(source ? element.bytes(source) : element.value ?? new Uint8Array(0));
  const le = dataset.encoding.littleEndian;
  const out: number[] = [];
  const read: Record<NumberVR, (at: number) => number> = {
    US: (at) => (le ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at)),
    SS: (at) => (le ? bytes.readInt16LE(at) : bytes.readInt16BE(at)),
    UL: (at) => (le ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at)),
    SL: (at) => (le ? bytes.readInt32LE(at) : bytes.readInt32BE(at)),
    FL: (at) => (le ? bytes.readFloatLE(at) : bytes.readFloatBE(at)),
    FD: (at) => (le ? bytes.readDoubleLE(at) : bytes.readDoubleBE(at)),
    SV: (at) => Number(le ? bytes.readBigInt64LE(at) : bytes.readBigInt64BE(at)),
    UV: (at) => Number(le ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at)),
  };
  const info = vrInfo(element.vr);
  // Only the number VRs themselves: an OW value is read through a view of type US (see numberTypeOf).
  if (info?.numberType !== element.vr || info.binarySize === undefined) return out;
  const fn = read[info.numberType];
  const size = info.binarySize;
  for (let at = 0; at + size <= bytes.length; at += size) out.push(fn(at));
  return out;
}

/** Encodes numbers for a binary VR in the dataset's byte order. */
export function encodeNumbers(dataset: DataSet, vr: string, values: number[]): Uint8Array {
  const le = dataset.encoding.littleEndian;
  const info = vrInfo(vr);
  const size = info?.numberType === vr ? info.binarySize : undefined;
  if (!size) throw new DicomWriteError(`VR ${vr} is not a binary number`, '');
  const out = Buffer.alloc(size * values.length);
  values.forEach((v, i) => {
    const at = i * size;
    switch (vr) {
      case 'US': le ? out.writeUInt16LE(v, at) : out.writeUInt16BE(v, at); break;
      case 'SS': le ? out.writeInt16LE(v, at) : out.writeInt16BE(v, at); break;
      case 'UL': le ? out.writeUInt32LE(v, at) : out.writeUInt32BE(v, at); break;
      case 'SL': le ? out.writeInt32LE(v, at) : out.writeInt32BE(v, at); break;
      case 'FL': le ? out.writeFloatLE(v, at) : out.writeFloatBE(v, at); break;
      case 'FD': le ? out.writeDoubleLE(v, at) : out.writeDoubleBE(v, at); break;
      case 'SV': le ? out.writeBigInt64LE(BigInt(Math.trunc(v)), at) : out.writeBigInt64BE(BigInt(Math.trunc(v)), at); break;
      case 'UV': le ? out.writeBigUInt64LE(BigInt(Math.trunc(v)), at) : out.writeBigUInt64BE(BigInt(Math.trunc(v)), at); break;
    }
  });
  return out;
}
