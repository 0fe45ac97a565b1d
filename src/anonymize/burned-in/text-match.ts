// Does text read in the pixels match the header's identifying values? Used to mark detected boxes in the report
// and audit (by attribute keyword, never the value), to refuse the keep-list a box whose words are a header value,
// and by verify --pixels. Redaction never depends on it: the recogniser reads less well than the detector finds.
//
// Fuzzy on purpose, both sides normalised the same way: upper case, accents dropped, everything but letters and
// digits removed (the recogniser drops spaces and reads ^ as ~), O read as 0 and I as 1 (the span finder's OCR form).
// A value of 3 or more normalised characters (the finder's shortest form) matches anywhere in the text; a shorter one
// (a middle initial, a two-letter ID) only as a whole word of the text, or it would match by chance. As in prose, a
// generic word (UNKNOWN, ANONYMOUS...) is no one's value, and a name particle (VAN, DER, DEL) not a name on its own.

import type { DataSet } from '../../dicom/dataset.js';
import type { ByteSource } from '../../dicom/source.js';
import { fold, GENERIC, headerValuesOf, MIN_FORM, normaliseForOcr, PARTICLES } from '../../identifying/index.js';

/** One identifying attribute of the original and the normalised forms its value may take in the pixels. */
export interface HeaderValue {
  keyword: string;
  forms: string[];
}

type Kind = 'name' | 'id' | 'date' | 'text';

/** Shorter normalised values match only as a whole word of the text (the finder's shortest form). */
const SUBSTRING_MIN = MIN_FORM;

/** Upper case, no accents, letters and digits only, O → 0, I → 1: the span finder's OCR form (src/identifying). */
export const normaliseForMatch = normaliseForOcr;

/** The words of a text (runs of letters and digits), normalised. */
export function wordsOf(text: string): string[] {
  return fold(text).split(/[^A-Z0-9]+/).filter((w) => w !== '').map(normaliseForMatch);
}

/** YYYYMMDD → the same date as YYYYMMDD, DDMMYYYY, MMDDYYYY, DDMMYY, MMDDYY (separators are dropped anyway). */
export function dateForms(value: string): string[] {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim().replace(/[-.]/g, ''));
  if (!m) return [];
  const [, y, mo, d] = m;
  return [...new Set([`${y}${mo}${d}`, `${d}${mo}${y}`, `${mo}${d}${y}`, `${d}${mo}${y.slice(2)}`, `${mo}${d}${y.slice(2)}`])];
}

/** Whether `text` (a value, a name component or word) is looked for: not a generic word, not a lone particle of 3+. */
function looksFor(text: string): boolean {
  const folded = fold(text.replace(/\^+/g, ' ').trim());
  if (folded === '' || GENERIC.has(folded)) return false;
  // A particle matched anywhere (3+ characters) would find VAN in CARAVAN; a shorter one matches only as a whole word,
  // and a middle initial must still refuse the keep-list.
  return !(PARTICLES.has(folded) && folded.length >= SUBSTRING_MIN);
}

function formsOf(value: string, kind: Kind): string[] {
  if (kind === 'date') return looksFor(value) ? dateForms(value) : [];
  const forms: string[] = [];
  const add = (text: string): void => {
    const form = normaliseForMatch(text);
    if (form !== '' && looksFor(text)) forms.push(form);
  };
  add(value);
  if (kind === 'name' || kind === 'text') {
    // Names: every component and every word of them (SMITH^JOHN PAUL → SMITH, JOHN, PAUL, JOHNPAUL).
    for (const component of value.split(/[\^=]/)) {
      add(component);
      for (const word of fold(component).split(/[^A-Z0-9]+/)) add(word);
    }
  }
  return [...new Set(forms)];
}

/**
 * The identifying values of a dataset's top level (and Other Patient IDs Sequence), as normalised forms by keyword:
 * the attributes are the span finder's (src/identifying/dataset-values.ts), one list for cleaning, verify and pixels.
 */
export function identifyingHeaderValues(dataset: DataSet, source?: ByteSource): HeaderValue[] {
  const byKeyword = new Map<string, Set<string>>();
  for (const { value, kind, label } of headerValuesOf(dataset, source)) {
    const forms = formsOf(value, kind === 'age' ? 'id' : kind);
    if (forms.length === 0) continue;
    const set = byKeyword.get(label) ?? new Set<string>();
    for (const f of forms) set.add(f);
    byKeyword.set(label, set);
  }
  return [...byKeyword].map(([keyword, forms]) => ({ keyword, forms: [...forms] }));
}

/**
 * Keywords of the header values the text matches (each once, in the order of `values`). Forms shorter than
 * `minFormLength` are not looked for: 1 (all) for the keep-list, where a middle initial "R" must refuse the marker
 * "R"; verify uses 2, since a one-character reading ("i" for a Study ID "1") is noise, not a finding.
 */
export function matchHeaderValues(text: string, values: readonly HeaderValue[], minFormLength = 1): string[] {
  const whole = normaliseForMatch(text);
  if (whole === '') return [];
  const words = new Set(wordsOf(text));
  return values
    .filter((v) => v.forms.some((form) => form.length >= minFormLength && (form.length >= SUBSTRING_MIN ? whole.includes(form) : words.has(form))))
    .map((v) => v.keyword);
}

/**
 * True when a box may stay unblanked: the text has at least one word, every word is on the keep-list, and the text
 * matches no header value (a keep-list word that is also the patient's name or ID is blanked).
 */
export function isKeepListText(text: string, keepWords: ReadonlySet<string>, values: readonly HeaderValue[]): boolean {
  const words = text.toUpperCase().split(/[^A-Z0-9]+/).filter((w) => w !== '');
  if (words.length === 0 || !words.every((w) => keepWords.has(w))) return false;
  return matchHeaderValues(text, values).length === 0;
}
