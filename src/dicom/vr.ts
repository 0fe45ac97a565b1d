// Value Representations (PS3.5 6.2): which have 32-bit lengths, how they pad, how long they may be.

export const VRS = [
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW',
  'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
] as const;
export type VR = (typeof VRS)[number];

const VR_SET: ReadonlySet<string> = new Set(VRS);
export const isVR = (code: string): code is VR => VR_SET.has(code);

/** In explicit VR encoding these have 2 reserved bytes and a 32-bit length. */
const LONG_VRS: ReadonlySet<string> = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
export const hasLongLength = (vr: string): boolean => LONG_VRS.has(vr);

/** Text VRs whose bytes are affected by Specific Character Set (PS3.5 6.1.2.3). */
const CHARSET_TEXT_VRS: ReadonlySet<string> = new Set(['SH', 'LO', 'ST', 'LT', 'UC', 'UT', 'PN']);
export const usesSpecificCharset = (vr: string): boolean => CHARSET_TEXT_VRS.has(vr);

/** All string-valued VRs (ASCII or charset text). */
const STRING_VRS: ReadonlySet<string> = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
export const isStringVR = (vr: string): boolean => STRING_VRS.has(vr);

/** String VRs whose value can hold several values separated by backslash. */
const SINGLE_VALUE_STRING_VRS: ReadonlySet<string> = new Set(['LT', 'ST', 'UT', 'UR']);
export const allowsMultipleStrings = (vr: string): boolean => isStringVR(vr) && !SINGLE_VALUE_STRING_VRS.has(vr);

/** Fixed size in bytes of one value of a binary numeric VR; undefined for others. */
const BINARY_SIZE: Readonly<Record<string, number>> = { AT: 4, FD: 8, FL: 4, SL: 4, SS: 2, SV: 8, UL: 4, US: 2, UV: 8, OD: 8, OF: 4, OL: 4, OV: 8, OW: 2, OB: 1 };
export const binaryValueSize = (vr: string): number | undefined => BINARY_SIZE[vr];

/** Padding byte for an odd-length value: NUL for UI and binary, space for other strings. */
export const paddingByte = (vr: string): number => (vr === 'UI' || !isStringVR(vr) ? 0x00 : 0x20);

/**
 * Maximum length of ONE value, in characters (PN: per component group) or bytes; undefined when unbounded
 * (PS3.5 Table 6.2-1). Used to validate values we create, never to reject what we read.
 */
const MAX_VALUE_LENGTH: Readonly<Record<string, number>> = {
  AE: 16, AS: 4, CS: 16, DA: 8, DS: 16, DT: 26, IS: 12, LO: 64, LT: 10240, PN: 64, SH: 16, ST: 1024, TM: 14, UI: 64,
};
export const maxValueLength = (vr: string): number | undefined => MAX_VALUE_LENGTH[vr];
