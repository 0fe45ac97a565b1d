// The finder: every identifying span of a string, from the instance's header values (header.ts) and the patterns
// that need no header (patterns.ts, person-names.ts), merged. A value of clinical words only costs a few tests.

import { HeaderTerms } from './header.js';
import { patternSpans } from './patterns.js';
import { personNameSpans } from './person-names.js';
import { mergeSpans, type Span } from './span.js';

export interface FindOptions {
  /** The instance's (and its patient's) own values; none: patterns only. */
  header?: HeaderTerms;
  /** Look for patterns too (default true). */
  patterns?: boolean;
}

/** The identifying spans of `text`, sorted, merged where they overlap. */
export function findSpans(text: string, options: FindOptions = {}): Span[] {
  if (text === '' || !/[\p{L}\p{N}]/u.test(text)) return [];
  const spans: Span[] = options.header ? options.header.spans(text) : [];
  if (options.patterns !== false) {
    // Every pattern but names needs a digit, an '@' or a dot (URLs).
    if (/[\d@.]/.test(text)) for (const s of patternSpans(text)) spans.push(s);
    for (const s of personNameSpans(text)) spans.push(s);
  }
  return mergeSpans(spans);
}

/** Whether `text` holds any identifying span (findSpans, stopping at nothing: it is cheap enough). */
export function holdsIdentifying(text: string, options: FindOptions = {}): boolean {
  return findSpans(text, options).length > 0;
}
