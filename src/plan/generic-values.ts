// Words that never identify anyone: placeholders and generic answers found in every kind of field. The engine (when it
// cleans free text) and verify (when it searches outputs) each add their own few to this core list.

export const GENERIC_WORDS: readonly string[] = [
  'YES', 'NO', 'NONE', 'UNKNOWN', 'ANONYMOUS', 'ANONYMIZED', 'MALE', 'FEMALE', 'OTHER', 'NULL', 'N/A', 'TEST',
];
