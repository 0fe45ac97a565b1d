// The word sets behind the finders, split from the generated strings once, on first use (a value without prose never
// needs them): person names by script, words known not to identify, and the cue and filler words of prose.

import { CJK_FAMILY_NAMES, CJK_GIVEN_NAMES, FAMILY_NAMES, GIVEN_NAMES } from './names.generated.js';
import { CLINICAL_WORDS, COMMON_WORDS } from './words.generated.js';

export interface WordSets {
  given: ReadonlySet<string>;
  family: ReadonlySet<string>;
  cjkFamily: ReadonlySet<string>;
  cjkGiven: ReadonlySet<string>;
  /** Words known not to identify (imaging, anatomy, the standard's words). */
  clinical: ReadonlySet<string>;
  /** English words that are not only names. */
  common: ReadonlySet<string>;
  /** Longest CJK family name, in characters. */
  cjkFamilyMax: number;
}

let sets: WordSets | null = null;

export function wordSets(): WordSets {
  if (sets) return sets;
  const split = (s: string): Set<string> => new Set(s.split('|'));
  const cjkFamily = split(CJK_FAMILY_NAMES);
  sets = {
    given: split(GIVEN_NAMES), family: split(FAMILY_NAMES), cjkFamily, cjkGiven: split(CJK_GIVEN_NAMES),
    clinical: split(CLINICAL_WORDS), common: split(COMMON_WORDS),
    cjkFamilyMax: Math.max(...[...cjkFamily].map((n) => [...n].length)),
  };
  return sets;
}

/** Titles before a person's name (folded, without a final dot). */
export const TITLES: ReadonlySet<string> = new Set([
  'DR', 'DRS', 'DOCTOR', 'MR', 'MRS', 'MS', 'MISS', 'MX', 'PROF', 'PROFESSOR', 'PT', 'HERR', 'FRAU', 'MME', 'MLLE', 'SR', 'SRA',
  'SRTA', 'DRA', 'DOTT', 'DOTTSSA', 'SIG', 'SIGRA', 'SIGNOR', 'SIGNORA', 'NURSE', 'RN', 'SISTER', 'MADAME', 'MONSIEUR', 'SENOR', 'SENORA',
]);

/** Words after which a person's name often follows in prose (folded). */
export const NAME_CUES: ReadonlySet<string> = new Set([
  'BY', 'PER', 'ATTN', 'CONTACT', 'CALLED', 'INFORMED', 'NOTIFIED', 'WITH', 'TO', 'WIFE', 'HUSBAND', 'MOTHER', 'FATHER', 'SON',
  'DAUGHTER', 'SISTER', 'BROTHER', 'RELATIVE', 'PARTNER', 'GUARDIAN', 'NAME', 'NAMED', 'PATIENT', 'PHYSICIAN', 'RADIOLOGIST',
  'TECHNOLOGIST', 'TECH', 'ATTENDING', 'RESIDENT', 'REFERRER', 'SURGEON', 'FROM', 'FOR', 'AND', 'PARA', 'PAR', 'VON', 'DE', 'DA', 'DI',
]);

/** Cues that make the next name-shaped word a name even when it is also a common word ("seen by Will Grace"). */
export const STRONG_CUES: ReadonlySet<string> = new Set(['BY', 'PER', 'ATTN', 'WIFE', 'HUSBAND', 'MOTHER', 'FATHER', 'SON', 'DAUGHTER', 'NAME', 'NAMED']);

/**
 * Cues for a person that also come before clinical words (Informed Consent, Resident Preliminary Read): the next
 * word is a name when it is one by itself (listed, or on no list and no word of the language); the parts after it
 * are taken as after a title.
 */
export const PERSON_CUES: ReadonlySet<string> = new Set([
  'CONTACT', 'CALLED', 'INFORMED', 'NOTIFIED', 'PHYSICIAN', 'RADIOLOGIST', 'TECHNOLOGIST', 'TECH', 'ATTENDING', 'RESIDENT', 'REFERRER',
  'SURGEON', 'GUARDIAN', 'RELATIVE', 'PARTNER', 'BROTHER', 'SISTER', 'PATIENT',
]);

/** Words that carry nothing clinical on their own: a value left with only these (and punctuation) is emptied. */
export const FILLER: ReadonlySet<string> = new Set([
  ...NAME_CUES, ...TITLES, 'ON', 'AT', 'OF', 'THE', 'A', 'AN', 'IN', 'IS', 'WAS', 'DATED', 'DATE', 'SINCE', 'SEEN', 'ORDERED',
  'REFERRED', 'REQUESTED', 'REPORTED', 'READ', 'DICTATED', 'SIGNED', 'PERFORMED', 'REVIEWED', 'APPROVED', 'VERIFIED', 'INTERPRETED',
  'SCANNED', 'SENT', 'TRANSCRIBED', 'DISCUSSED', 'SPOKE', 'MRN', 'ID', 'NO', 'NUMBER', 'ACC', 'ACCESSION', 'ORDER', 'CASE', 'TEL',
  'PHONE', 'FAX', 'PH', 'EMAIL', 'MAIL', 'E', 'URL', 'WEB', 'ADDRESS', 'LIVES', 'AGE', 'AGED', 'YEAR', 'YEARS', 'OLD', 'YO', 'Y',
  'SSN', 'DOB', 'BORN', 'IP', 'HOST', 'CALL', 'CELL', 'MOBILE', 'PAGER', 'AM', 'PM', 'H', 'VIA', 'PLEASE', 'REF', 'RE',
  'TODAY', 'YESTERDAY', 'TOMORROW', 'TONIGHT', 'AGAIN', 'ALSO', 'ONLY', 'AGREES', 'AWARE', 'NOTED', 'THANKS',
]);
