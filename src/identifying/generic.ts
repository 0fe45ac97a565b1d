// Words that never identify anyone: placeholders and generic answers found in every kind of field, and the dummies
// the engine writes. A header value equal to one of them is not looked for.

export const GENERIC_WORDS: readonly string[] = [
  'YES', 'NO', 'NONE', 'UNKNOWN', 'ANONYMOUS', 'ANONYMIZED', 'MALE', 'FEMALE', 'OTHER', 'NULL', 'N/A', 'TEST',
];

/** Upper case values that identify no one (plan/generic-values.ts: these and the dummies of its table). */
export const GENERIC: ReadonlySet<string> = new Set([
  ...GENERIC_WORDS, 'ANONYMISED', 'REMOVED', 'DUMMY', 'EMPTY', 'N.A.', 'NA', 'NOT AVAILABLE', 'NOT APPLICABLE', 'UNDEFINED',
  '19000101', '000000', '19000101000000', '000Y', 'HTTPS://ANONYMIZED.INVALID',
]);

/** Name particles that are not a name on their own. */
export const PARTICLES: ReadonlySet<string> = new Set([
  'DE', 'DA', 'DI', 'DO', 'DU', 'DEL', 'DELLA', 'DES', 'DOS', 'DAS', 'VAN', 'VON', 'DER', 'DEN', 'TER', 'TEN', 'LE', 'LA', 'LOS', 'BIN', 'BEN',
  'AL', 'EL', 'Y', 'E', 'MC', 'ST', 'JR', 'SR', 'II', 'III', 'IV', 'MD', 'PHD', 'DR', 'MR', 'MRS', 'MS', 'PROF',
]);
