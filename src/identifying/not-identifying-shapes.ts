// Shapes of technical text that the span finder's patterns would otherwise take for identifying spans: a number next
// to a unit of measure is a measurement, not a house number ("KV 34 PRE-EXP TRACK", "15 MM MAIN STREET"), and a
// DICOM PN written out whose given-name part is an imaging word is a "Region^Modality" description, not a person
// ("MAR^CT" in an Attenuation Correction Method). One place, used by patterns.ts and person-names.ts, so the
// engine's cleaning and verify agree.

import { fold } from './fold.js';
import { wordSets } from './words.js';

/** Units of measure (folded) written beside numbers in acquisition and dose descriptions. */
const UNITS = new Set([
  'MM', 'CM', 'M', 'UM', 'NM', 'MS', 'S', 'SEC', 'MIN', 'KV', 'KVP', 'MA', 'MAS', 'KEV', 'MEV', 'GY', 'MGY', 'UGY', 'NGY', 'CGY', 'SV', 'MSV',
  'USV', 'HZ', 'KHZ', 'MHZ', 'T', 'MT', 'ML', 'CC', 'L', 'MBQ', 'GBQ', 'KBQ', 'MCI', 'DB', 'DEG', 'PX', 'PIXELS', 'BPM', 'FPS', 'MM2', 'CM2',
  'MGY*CM', 'MGYCM', 'G', 'KG', 'MG', '%', '°',
]);

/** The word right before `index` (letters, digits, µ, %, °), folded, or ''. */
function wordBefore(text: string, index: number): string {
  const m = /([\p{L}\p{N}µ%°*]+)\s*[:=]?\s*$/u.exec(text.slice(Math.max(0, index - 16), index));
  return m ? fold(m[1]!.replace(/µ/g, 'U')) : '';
}

/** The word right after `index`, folded, or ''. */
function wordAfter(text: string, index: number): string {
  const m = /^\s*([\p{L}\p{N}µ%°*]+)/u.exec(text.slice(index, index + 16));
  return m ? fold(m[1]!.replace(/µ/g, 'U')) : '';
}

/**
 * Whether the number at [start, end) of `text` is a measurement: a unit of measure directly before it (a parameter
 * label "KV 34", "kVp: 120") or after it ("610 mm").
 */
export function isMeasurement(text: string, start: number, end: number): boolean {
  return UNITS.has(wordBefore(text, start)) || UNITS.has(wordAfter(text, end));
}

/**
 * Whether a PN written out ("X^Y...") is a description of an imaging region or protocol: its given-name component
 * (the second) is an imaging word (a modality, anatomy) and no given name on the name lists. "MAR^CT" is one,
 * "DOE^JOHN" and "DOE^JOHN^^MR" (a prefix in the fourth component) are not.
 */
export function isImagingDescription(written: string): boolean {
  const given = fold(written.split('^')[1] ?? '');
  if (given === '') return false;
  const w = wordSets();
  return w.clinical.has(given) && !w.given.has(given);
}
