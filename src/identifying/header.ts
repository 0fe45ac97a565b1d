// The instance's own identifying values, compiled once per instance into the forms they may take in text: a name's
// components and words (accents dropped, umlauts written out: Müller → MULLER and MUELLER), an ID with and without
// its leading zeros, a date (YYYYMMDD) in its numeric forms (the written ones are patterns.ts's), an institution or
// address whole, an age over 89. `label` says where a value came from (an attribute keyword), never what it is.
// A strict set (HeaderTerms.of(values, { strict: true })) keeps the short forms prose leaves out, for text read in the
// pixels: there a box stays unblanked only if it holds no header value, so a middle initial R must count.

import { CJK, fold, foldUmlautsOut, foldWithMap, isWordChar } from './fold.js';
import { GENERIC, PARTICLES } from './generic.js';
import type { Span, SpanKind } from './span.js';
import { wordSets } from './words.js';

export type HeaderValueKind = 'name' | 'id' | 'date' | 'text' | 'age';

export interface HeaderValue {
  value: string;
  kind: HeaderValueKind;
  /** Where it came from (e.g. the attribute keyword), for messages; never the value. */
  label: string;
}

interface Term {
  /** Folded form. */
  form: string;
  /** Normalised form for OCR text (letters and digits, O → 0, I → 1). */
  ocr: string;
  kind: SpanKind;
  /** Where the values with this form came from (a date shared by StudyDate and SeriesDate: both); spans take the first. */
  labels: string[];
  /** How a match is delimited: 'word' (no letter or digit around), 'digits' (no digit around), 'none' (CJK). */
  delimit: 'word' | 'digits' | 'none';
}

export interface TermOptions {
  /**
   * Every form down to one character, for text read in the pixels (the keep-list, verify --pixels): a middle initial,
   * a two-letter ID, a short digit run, a name part that is also a clinical word (SUPINE^ANNA), every word of an
   * institution or address. Prose leaves these out, where they would match by chance; in OCR text a form shorter
   * than MIN_FORM matches only as a whole word. Generic words and particles of MIN_FORM or more stay out.
   */
  strict?: boolean;
}

/** Shortest form looked for (characters); CJK names are short, so their whole forms may be 2. */
export const MIN_FORM = 3;
export const MIN_NAME_PART = 2;
export const MIN_DIGITS = 4;

/** A date's numeric form shorter than this is not looked for in OCR text: with its separators dropped (3/5/24 → 3524) it is any number. */
const MIN_OCR_DATE = 6;

/** Upper case, no accents, letters (any script) and digits only, O → 0, I → 1: both sides of an OCR comparison. */
export function normaliseForOcr(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]/gu, '').replace(/O/g, '0').replace(/I/g, '1');
}

/** The words of OCR text (runs of letters and digits), normalised as normaliseForOcr. */
export function ocrWords(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '').map(normaliseForOcr);
}

export class HeaderTerms {
  private constructor(readonly terms: readonly Term[]) {}

  static readonly EMPTY = new HeaderTerms([]);

  /**
   * The terms of `values`, from a bounded cache keyed by the values: every slice of a series has the same patient,
   * study and physicians, so the forms are made once per distinct set.
   */
  static of(values: Iterable<HeaderValue>, options: TermOptions = {}): HeaderTerms {
    const list = [...values];
    const strict = options.strict === true;
    const key = `${strict ? 'S' : 'P'}\u0002${list.map((v) => `${v.kind}\u0001${v.label}\u0001${v.value}`).join('\u0000')}`;
    let terms = TERMS_CACHE.get(key);
    if (terms === undefined) {
      terms = HeaderTerms.compile(list, strict);
      if (TERMS_CACHE.size >= 256) TERMS_CACHE.clear();
      TERMS_CACHE.set(key, terms);
    }
    return terms;
  }

  private static compile(values: readonly HeaderValue[], strict: boolean): HeaderTerms {
    const terms = new Map<string, Term>();
    const add = (text: string, kind: SpanKind, label: string, min = MIN_FORM, part = false): void => {
      const t = text.trim();
      if (t === '') return;
      // A name part that is a clinical word (a test patient KNEE^MOVING) is looked for only inside the whole name:
      // on its own it would take "Knee" out of every description. Strict: a box reading SUPINE is then her name.
      if (part && !strict && wordSets().clinical.has(fold(t))) return;
      const cjk = CJK.test(t);
      const forms = new Set([fold(t), foldUmlautsOut(t)]);
      for (const form of forms) {
        const length = [...form].length;
        if (GENERIC.has(form)) continue;
        // Strict: only a particle that would match inside a word (VAN in CARAVAN) stays out; a short one is whole-word.
        if (strict ? PARTICLES.has(form) && length >= MIN_FORM : length < (cjk ? 2 : min) || /^(.)\1*$/u.test(form) || PARTICLES.has(form)) continue;
        if (!strict && /^\d+$/.test(form) && form.length < MIN_DIGITS) continue;
        if (!strict && /^[+-]?\d*\.\d+$/.test(form)) continue;
        const known = terms.get(form);
        if (known === undefined) {
          const ocr = normaliseForOcr(form);
          terms.set(form, {
            form, ocr: kind === 'date' && ocr.length < MIN_OCR_DATE ? '' : ocr, kind, labels: [label], delimit: cjk ? 'none' : /^\d+$/.test(form) ? 'digits' : 'word',
          });
        } else if (!known.labels.includes(label)) known.labels.push(label);
      }
    };
    // Strict splits a name part or a text into every word (O'BRIEN → O, BRIEN), as the recogniser may read any one.
    const wordsOf = (text: string): string[] => text.split(strict ? /[^\p{L}\p{N}]+/u : /[\s-]+/);
    for (const { value, kind, label } of values) {
      // A placeholder (UNKNOWN, a dummy date 19000101) is no one's value, in any of its forms.
      if (GENERIC.has(fold(value.replace(/\^+/g, ' ').trim()))) continue;
      switch (kind) {
        case 'name':
          for (const group of value.split('=')) {
            const components = group.split('^');
            const [family = '', given = '', middle = ''] = components;
            add([given, middle, family].filter((c) => c.trim() !== '').join(' '), 'name', label);
            add([family, given].filter((c) => c.trim() !== '').join(' '), 'name', label);
            for (const c of [family, given, middle]) {
              if (CJK.test(c)) { add(c, 'name', label); continue; }
              add(c, 'name', label, MIN_NAME_PART, true);
              for (const word of wordsOf(c)) add(word, 'name', label, MIN_NAME_PART, true);
            }
          }
          break;
        case 'id': {
          add(value, 'id', label);
          const bare = value.trim().replace(/^0+(?=\d)/, '');
          if (bare !== value.trim()) add(bare, 'id', label);
          break;
        }
        case 'date':
          for (const form of dateForms(value)) add(form, 'date', label);
          break;
        case 'age': {
          const m = /^0*(\d+)\s*Y?$/i.exec(value.trim());
          if (m && +m[1] >= 90) { add(`${m[1]}Y`, 'age', label, 3); add(value, 'age', label); }
          // Strict: any age as written (045Y): PS3.15 removes it, so in the pixels it is the header's value.
          else if (strict) add(value, 'age', label);
          break;
        }
        default:
          add(value, 'text', label, 4);
          if (strict) for (const word of wordsOf(value)) add(word, 'text', label);
      }
    }
    return new HeaderTerms([...terms.values()].sort((a, b) => b.form.length - a.form.length));
  }

  get size(): number {
    return this.terms.length;
  }

  /**
   * Every occurrence of a term in `text`. `ocr`: compare OCR-normalised (terms of MIN_FORM or more and CJK ones
   * anywhere, shorter ones as whole words; a date only in its forms of MIN_OCR_DATE digits or more).
   */
  spans(text: string, ocr = false): Span[] {
    if (this.terms.length === 0 || text === '') return [];
    // Positions in OCR text are not kept: the whole text is the span (the caller wants which values, not where).
    if (ocr) return this.ocrTerms(text).map((t) => ({ start: 0, end: text.length, kind: t.kind, by: 'header', label: t.labels[0] }));
    return this.textMatches(text).map(({ term, start, end }) => ({ start, end, kind: term.kind, by: 'header', label: term.labels[0] }));
  }

  /** The labels of the values found in `text` (each once, longest forms first; every value a form came from). */
  labels(text: string, ocr = false, minLength = 1): string[] {
    if (this.terms.length === 0 || text === '') return [];
    const terms = ocr ? this.ocrTerms(text, minLength) : this.textMatches(text).map((m) => m.term);
    return [...new Set(terms.flatMap((t) => t.labels))];
  }

  private textMatches(text: string): { term: Term; start: number; end: number }[] {
    const folded = foldWithMap(text);
    const hay = folded.text;
    const out: { term: Term; start: number; end: number }[] = [];
    for (const t of this.terms) {
      for (let at = hay.indexOf(t.form); at >= 0; at = hay.indexOf(t.form, at + 1)) {
        const before = hay[at - 1], after = hay[at + t.form.length];
        if (t.delimit === 'word' && ((isWordChar(t.form[0]) && isWordChar(before)) || (isWordChar(t.form[t.form.length - 1]) && isWordChar(after)))) continue;
        if (t.delimit === 'digits' && (/\d/.test(before ?? '') || /\d/.test(after ?? ''))) continue;
        out.push({ term: t, start: folded.origin[at], end: folded.origin[at + t.form.length] });
      }
    }
    return out;
  }

  private ocrTerms(text: string, minLength = 1): Term[] {
    const whole = normaliseForOcr(text);
    if (whole === '') return [];
    const words = new Set(ocrWords(text));
    return this.terms.filter((t) => t.ocr !== '' && [...t.ocr].length >= minLength
      && (t.ocr.length >= MIN_FORM || t.delimit === 'none' ? whole.includes(t.ocr) : words.has(t.ocr)));
  }
}

const TERMS_CACHE = new Map<string, HeaderTerms>();

/** A DA (YYYYMMDD, or the old YYYY.MM.DD) or DT value's date in the numeric forms prose uses. */
export function dateForms(value: string): string[] {
  // DA is YYYYMMDD; ACR-NEMA files and some writers still use YYYY.MM.DD (PS3.5 6.2, DA, retired form).
  const m = /^(\d{4})[-.]?(\d{2})[-.]?(\d{2})/.exec(value.trim());
  if (!m) return [];
  const [, y, mo, d] = m;
  const yy = y.slice(2), dn = String(+d), mn = String(+mo);
  const out = [`${y}${mo}${d}`, `${d}${mo}${y}`, `${mo}${d}${y}`];
  for (const sep of ['-', '/', '.']) {
    out.push(`${y}${sep}${mo}${sep}${d}`, `${d}${sep}${mo}${sep}${y}`, `${mo}${sep}${d}${sep}${y}`, `${dn}${sep}${mn}${sep}${y}`, `${mn}${sep}${dn}${sep}${y}`,
      `${d}${sep}${mo}${sep}${yy}`, `${mo}${sep}${d}${sep}${yy}`, `${dn}${sep}${mn}${sep}${yy}`, `${mn}${sep}${dn}${sep}${yy}`);
  }
  return [...new Set(out)];
}
