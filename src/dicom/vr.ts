// Value Representations (PS3.5 6.2): one record per VR holding every fact the code needs about it (length field,
// padding, character set, maximum length, how values are read). Other modules name VRs only to choose among them
// (which are shifted, searched, cleaned), never to restate a fact of a VR.

/** How the values of a VR are stored and read. */
export type VRKind =
  /** Backslash-separated text (PS3.5 6.2), ASCII unless `charset`. */
  | 'text'
  /** Binary numbers of a fixed size (US, SS, UL, SL, FL, FD, SV, UV) and their "other" word forms (OW, OL...). */
  | 'number'
  /** A tag (group, element). */
  | 'tag'
  /** Opaque bytes (OB, UN). */
  | 'bytes'
  | 'sequence';

export interface VRInfo {
  readonly code: string;
  readonly kind: VRKind;
  /** Explicit VR header with 2 reserved bytes and a 32-bit length (PS3.5 7.1.2). */
  readonly longLength: boolean;
  /** Byte that pads an odd-length value: NUL for UI and binary VRs, space for other text. */
  readonly padding: 0x00 | 0x20;
  /** Most characters (PN: per component group) or bytes in ONE value; undefined when unbounded (PS3.5 Table 6.2-1). */
  readonly maxLength?: number;
  /** Text whose bytes depend on Specific Character Set (PS3.5 6.1.2.3). */
  readonly charset: boolean;
  /** Text that may hold several values separated by backslash. */
  readonly multiValued: boolean;
  /** Text with leading spaces that are significant (LT, ST, UT keep them). */
  readonly keepsLeadingSpaces: boolean;
  /** Text with a fixed syntax (dates, ages, numbers as text) that arbitrary text such as a digest would break. */
  readonly formatted: boolean;
  /** A date, date-time or time (DA, DT, TM): what date shifts and the profile's date rules act on. */
  readonly temporal: boolean;
  /** Bytes in one binary value (numbers, AT; OB: 1). */
  readonly binarySize?: number;
  /** For binary numbers: the VR whose number type reads one value (OW → US, OF → FL...). */
  readonly numberType?: NumberVR;
  /** For binary integers: the range of one value (64-bit ones limited to what a double holds exactly). */
  readonly integerRange?: readonly [number, number];
}

/** The binary number VRs, as read and written by the value layer. */
export type NumberVR = 'US' | 'SS' | 'UL' | 'SL' | 'FL' | 'FD' | 'SV' | 'UV';

const text = (code: string, facts: Partial<VRInfo> = {}): VRInfo => ({
  code, kind: 'text', longLength: false, padding: 0x20, charset: false, multiValued: true, keepsLeadingSpaces: false, formatted: false, temporal: false, ...facts,
});
const number = (code: string, numberType: NumberVR, binarySize: number, facts: Partial<VRInfo> = {}): VRInfo => ({
  code, kind: 'number', longLength: false, padding: 0x00, charset: false, multiValued: false, keepsLeadingSpaces: false, formatted: false, temporal: false,
  numberType, binarySize, ...facts,
});
const other = (code: string, kind: VRKind, facts: Partial<VRInfo> = {}): VRInfo => ({
  code, kind, longLength: true, padding: 0x00, charset: false, multiValued: false, keepsLeadingSpaces: false, formatted: false, temporal: false, ...facts,
});
const MAX_SAFE: readonly [number, number] = [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];

const TABLE = [
  text('AE', { maxLength: 16 }),
  text('AS', { maxLength: 4, formatted: true }),
  other('AT', 'tag', { longLength: false, binarySize: 4 }),
  text('CS', { maxLength: 16 }),
  text('DA', { temporal: true, maxLength: 8, formatted: true }),
  text('DS', { maxLength: 16, formatted: true }),
  text('DT', { temporal: true, maxLength: 26, formatted: true }),
  number('FD', 'FD', 8),
  number('FL', 'FL', 4),
  text('IS', { maxLength: 12, formatted: true, integerRange: [-0x80000000, 0x7fffffff] }),
  text('LO', { maxLength: 64, charset: true }),
  text('LT', { maxLength: 10240, charset: true, multiValued: false, keepsLeadingSpaces: true }),
  other('OB', 'bytes', { binarySize: 1 }),
  number('OD', 'FD', 8, { longLength: true }),
  number('OF', 'FL', 4, { longLength: true }),
  number('OL', 'UL', 4, { longLength: true, integerRange: [0, 0xffffffff] }),
  number('OV', 'UV', 8, { longLength: true, integerRange: [0, Number.MAX_SAFE_INTEGER] }),
  number('OW', 'US', 2, { longLength: true, integerRange: [0, 0xffff] }),
  text('PN', { maxLength: 64, charset: true }),
  text('SH', { maxLength: 16, charset: true }),
  number('SL', 'SL', 4, { integerRange: [-0x80000000, 0x7fffffff] }),
  other('SQ', 'sequence'),
  number('SS', 'SS', 2, { integerRange: [-0x8000, 0x7fff] }),
  text('ST', { maxLength: 1024, charset: true, multiValued: false, keepsLeadingSpaces: true }),
  number('SV', 'SV', 8, { longLength: true, integerRange: MAX_SAFE }),
  text('TM', { temporal: true, maxLength: 14, formatted: true }),
  text('UC', { longLength: true, charset: true }),
  text('UI', { maxLength: 64, padding: 0x00 }),
  number('UL', 'UL', 4, { integerRange: [0, 0xffffffff] }),
  other('UN', 'bytes'),
  text('UR', { longLength: true, multiValued: false }),
  number('US', 'US', 2, { integerRange: [0, 0xffff] }),
  text('UT', { longLength: true, charset: true, multiValued: false, keepsLeadingSpaces: true }),
  number('UV', 'UV', 8, { longLength: true, integerRange: [0, Number.MAX_SAFE_INTEGER] }),
] as const satisfies readonly VRInfo[];

export type VR = (typeof TABLE)[number]['code'];
export const VRS: readonly VR[] = TABLE.map((v) => v.code);

const BY_CODE: ReadonlyMap<string, VRInfo> = new Map(TABLE.map((v) => [v.code, v]));
export const isVR = (code: string): code is VR => BY_CODE.has(code);

/** VR record by its two bytes (first << 8 | second), for the reader's hot loop: no string made per element. */
const BY_BYTES: (VRInfo | undefined)[] = new Array(65536);
for (const v of TABLE) BY_BYTES[(v.code.charCodeAt(0) << 8) | v.code.charCodeAt(1)] = v;

/** The VR whose code is the two bytes `c0`, `c1`; undefined when they are not a VR code. */
export const vrOfBytes = (c0: number, c1: number): VRInfo | undefined => BY_BYTES[(c0 << 8) | c1];

/** The record of a VR; undefined for a code that is not a VR. */
export const vrInfo = (vr: string): VRInfo | undefined => BY_CODE.get(vr);

/** Every VR matching `test`, in table order (for messages and config checks). */
export const vrsWhere = (test: (info: VRInfo) => boolean): VR[] => TABLE.filter(test).map((v) => v.code);

export const hasLongLength = (vr: string): boolean => BY_CODE.get(vr)?.longLength ?? false;
export const usesSpecificCharset = (vr: string): boolean => BY_CODE.get(vr)?.charset ?? false;
export const isStringVR = (vr: string): boolean => BY_CODE.get(vr)?.kind === 'text';
export const allowsMultipleStrings = (vr: string): boolean => {
  const info = BY_CODE.get(vr);
  return info !== undefined && info.kind === 'text' && info.multiValued;
};
/** Padding byte for an odd-length value (unknown VRs pad with NUL like binary data). */
export const paddingByte = (vr: string): number => BY_CODE.get(vr)?.padding ?? 0x00;
/** Maximum length of ONE value; used to validate values we create, never to reject what we read. */
export const maxValueLength = (vr: string): number | undefined => BY_CODE.get(vr)?.maxLength;
/** The number type that reads the values of a binary number VR (OW → US...); undefined for other VRs. */
/** DA, DT or TM. */
export const isTemporalVR = (vr: string): boolean => BY_CODE.get(vr)?.temporal ?? false;
export const numberTypeOf = (vr: string): NumberVR | undefined => BY_CODE.get(vr)?.numberType;
