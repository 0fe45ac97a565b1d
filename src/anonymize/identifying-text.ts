// Which text values count as identifying when cleaning free text: long enough to mean something, and not a
// placeholder or generic word that would match innocent text everywhere.

/** Upper-case values never treated as identifying (placeholders, generic words, our own dummies). */
const GENERIC = new Set([
  'YES', 'NO', 'NONE', 'UNKNOWN', 'ANONYMOUS', 'ANONYMIZED', 'MALE', 'FEMALE', 'OTHER',
  'N.A.', 'N/A', 'NA', 'NULL', 'NOT AVAILABLE', 'NOT APPLICABLE', 'UNDEFINED', 'TEST',
]);

/** The normalized (trimmed, upper-case) form of `value` when it should be searched for, else null. */
export function identifyingForm(value: string): string | null {
  const v = value.trim().toUpperCase();
  if (v.length < 3 || GENERIC.has(v) || /^[^\p{L}\p{N}]*$/u.test(v)) return null;
  return v;
}
