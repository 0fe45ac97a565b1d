// Words that never identify anyone: the list is the span finder's (src/identifying/generic.ts, one list for cleaning,
// verify, output names); GENERIC_VALUES (verify's search of outputs, and the renaming of identifying output path
// components) is it plus the dummies of this plan's table, so that a new dummy cannot be missed there.

import { GENERIC } from '../identifying/generic.js';

/** D: the dummy value the engine writes per VR (anonymize/actions/dummy.ts). A table of the plan, so that what reads
 * outputs back (verify) and what names them (batch) know it without reaching into the engine. */
export const DUMMY_TEXT: Readonly<Record<string, string>> = {
  AE: 'ANONYMOUS', AS: '000Y', CS: 'ANONYMIZED', DA: '19000101', DS: '0', DT: '19000101000000', IS: '0',
  LO: 'ANONYMIZED', LT: 'ANONYMIZED', PN: 'ANONYMIZED', SH: 'ANONYMIZED', ST: 'ANONYMIZED', TM: '000000',
  UC: 'ANONYMIZED', UR: 'https://anonymized.invalid', UT: 'ANONYMIZED',
};

/** Upper case values that identify no one: the finder's generic words and placeholders, and the dummies. */
export const GENERIC_VALUES: ReadonlySet<string> = new Set([...GENERIC, ...Object.values(DUMMY_TEXT).map((v) => v.toUpperCase())]);
