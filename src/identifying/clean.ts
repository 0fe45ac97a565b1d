// Cleaning replaces spans, not values: the identifying spans go, the clinical words stay ("MR BRAIN W/O CONTRAST
// ordered by Dr Raj Patel on 4 March 2024" → "MR BRAIN W/O CONTRAST ordered by"). The word that introduces a date
// ("on", "dated") goes with it, brackets and separators left empty are tidied away, and a value left with nothing
// clinical (only filler words such as "seen by", "MRN:", punctuation) becomes ''. The result is never longer than the
// input, so a VR's length limit still holds.

import { fold } from './fold.js';
import type { Span } from './span.js';
import { FILLER, wordSets } from './words.js';
import { findSpans } from './find.js';

const DATE_LEAD = /(?:^|[\s(,;])(?:on|at|dated|since|from|le|am|el|il|du|vom|den)\s+$/i;

/** `text` without `spans` (merged, sorted: findSpans' output); '' when nothing clinical is left. */
export function cleanProse(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    let kept = text.slice(at, s.start);
    if (s.kind === 'date' || s.kind === 'time') {
      const lead = DATE_LEAD.exec(kept);
      if (lead) kept = kept.slice(0, lead.index + (/^[\s(,;]/.test(lead[0]) ? 1 : 0));
    }
    out += kept + '\u0000';
    at = s.end;
  }
  out += text.slice(at);
  const tidy = out
    .replace(/[ \t]*\u0000[ \t]*/g, '\u0000')
    .replace(/\u0000+/g, '\u0000')
    .replace(/[([{]\s*[,;:/-]*\s*\u0000?\s*[,;:/-]*\s*[)\]}]/g, '\u0000')
    .replace(/(?:\s*[,;:#&+/-])+\s*\u0000/g, (m) => (/^\s*[,;]/.test(m) ? '\u0000' : '\u0000'))
    .replace(/\u0000(?:\s*[,;:#&/-])+(?=\s*(?:\u0000|$))/g, '\u0000')
    .replace(/\u0000/g, ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/^[\s,;:#&/.-]+|[\s,;:#&/-]+$/g, '')
    .replace(/\s+([,.;:])/g, '$1');
  return hasClinical(tidy) ? tidy : '';
}

const PLAIN = new Map<string, string | null>();

/**
 * `text` cleaned by the patterns alone when it is plain vocabulary (plainVocabulary), else null; remembered per text
 * (bounded): the same code meanings and descriptions come back in every slice.
 */
export function cleanPlain(text: string): string | null {
  let out = PLAIN.get(text);
  if (out === undefined) {
    out = plainVocabulary(text) ? cleanProse(text, findSpans(text)) : null;
    if (text.length <= 1024) {
      if (PLAIN.size >= 4096) PLAIN.clear();
      PLAIN.set(text, out);
    }
  }
  return out;
}

/** Whether every word of `text` is a known word (clinical, common English, filler) and it has no digit. */
export function plainVocabulary(text: string): boolean {
  if (/\d/.test(text)) return false;
  const w = wordSets();
  for (const m of text.matchAll(/[\p{L}][\p{L}'’]*/gu)) {
    const f = fold(m[0]);
    if (!w.clinical.has(f) && !w.common.has(f) && !FILLER.has(f)) return false;
  }
  return true;
}

/** Whether `text` holds a word that is not filler (a word of its own: clinical, or at least not known as filler). */
export function hasClinical(text: string): boolean {
  for (const m of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’]*/gu)) if (!FILLER.has(fold(m[0]))) return true;
  return false;
}
