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
  /** Use the pattern cache (default true; the bench measures without). */
  cache?: boolean;
}

/**
 * Pattern spans by text, bounded: the same descriptions and code meanings come back in every slice of a series, so
 * the patterns run once per distinct value (the header's spans, which depend on the instance, are not cached).
 */
const PATTERN_CACHE = new Map<string, readonly Span[]>();
const PATTERN_CACHE_MAX = 4096;

function patternsOf(text: string, cache: boolean): readonly Span[] {
  let spans = cache ? PATTERN_CACHE.get(text) : undefined;
  if (spans === undefined) {
    const found: Span[] = [];
    // Every pattern but names needs a digit, an '@' or a dot (URLs).
    if (/[\d@.]/.test(text)) for (const s of patternSpans(text)) found.push(s);
    for (const s of personNameSpans(text)) found.push(s);
    spans = found;
    if (cache && text.length <= 1024) {
      if (PATTERN_CACHE.size >= PATTERN_CACHE_MAX) PATTERN_CACHE.clear();
      PATTERN_CACHE.set(text, spans);
    }
  }
  return spans;
}

/** The identifying spans of `text`, sorted, merged where they overlap. */
export function findSpans(text: string, options: FindOptions = {}): Span[] {
  if (text === '' || !/[\p{L}\p{N}]/u.test(text)) return [];
  const spans: Span[] = options.header ? options.header.spans(text) : [];
  if (options.patterns !== false) for (const s of patternsOf(text, options.cache !== false)) spans.push(s);
  return mergeSpans(spans);
}

/** Whether `text` holds any identifying span (findSpans, stopping at nothing: it is cheap enough). */
export function holdsIdentifying(text: string, options: FindOptions = {}): boolean {
  return findSpans(text, options).length > 0;
}
