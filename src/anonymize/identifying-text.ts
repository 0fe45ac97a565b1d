// Which text values count as identifying when cleaning free text: long enough to mean something, and not a
// placeholder or generic word that would match innocent text everywhere.

import { GENERIC_WORDS } from '../plan/generic-values.js';

/** Upper-case values never treated as identifying: the core generic words and placeholders seen in free text. */
const GENERIC = new Set([...GENERIC_WORDS, 'N.A.', 'NA', 'NOT AVAILABLE', 'NOT APPLICABLE', 'UNDEFINED']);

/** The normalized (trimmed, upper-case) form of `value` when it should be searched for, else null. */
export function identifyingForm(value: string): string | null {
  const v = value.trim().toUpperCase();
  if (v.length < 3 || GENERIC.has(v) || /^[^\p{L}\p{N}]*$/u.test(v)) return null;
  return v;
}
