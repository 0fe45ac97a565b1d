// Words that never identify anyone: the core list is the span finder's (src/identifying/generic.ts, one list for
// cleaning, verify, output names); GENERIC_VALUES (verify's search of outputs, and the renaming of identifying output
// path components) adds placeholders and the dummies the engine writes.

import { GENERIC_WORDS } from '../identifying/generic.js';

export { GENERIC_WORDS };

/** D: the dummy value the engine writes per VR (anonymize/actions/dummy.ts). A table of the plan, so that what reads
 * outputs back (verify) and what names them (batch) know it without reaching into the engine. */
export const DUMMY_TEXT: Readonly<Record<string, string>> = {
  AE: 'ANONYMOUS', AS: '000Y', CS: 'ANONYMIZED', DA: '19000101', DS: '0', DT: '19000101000000', IS: '0',
  LO: 'ANONYMIZED', LT: 'ANONYMIZED', PN: 'ANONYMIZED', SH: 'ANONYMIZED', ST: 'ANONYMIZED', TM: '000000',
  UC: 'ANONYMIZED', UR: 'https://anonymized.invalid', UT: 'ANONYMIZED',
};

/** Upper case values that identify no one: the core generic words, a few placeholders, and the dummies. */
export const GENERIC_VALUES: ReadonlySet<string> = new Set([
  ...GENERIC_WORDS, 'ANONYMISED', 'REMOVED', 'DUMMY', 'EMPTY', ...Object.values(DUMMY_TEXT).map((v) => v.toUpperCase()),
]);
