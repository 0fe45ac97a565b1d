// How one code of PS3.15 Table E.1-1 (or E.3.4-1) becomes a plan action under the chosen options: compound codes are
// resolved by one documented policy that never leaks a value; K in an option column wins over C, C over the basic code.

import type { Action, ProfileOption } from '../plan/plan.js';
import type { Ps315Action, Ps315Attribute } from './ps315.generated.js';

/**
 * Compound codes, resolved without knowing the IOD: any code that allows D becomes D (a dummy keeps Type 1 and 2
 * attributes present and leaks nothing); X/Z becomes Z (present but empty, safe for Type 2); X/Z/U* (reference
 * sequences) keeps the sequence and walks it, so the UIDs inside are remapped by their own U rules.
 */
export function resolveBasicCode(code: Ps315Action): Action {
  switch (code) {
    case 'X': return { type: 'remove' };
    case 'Z': return { type: 'empty' };
    case 'D': case 'Z/D': case 'X/D': case 'X/Z/D': return { type: 'dummy' };
    case 'X/Z': return { type: 'empty' };
    case 'U': return { type: 'remapUid' };
    case 'X/Z/U*': return { type: 'keep' };
    case 'K': return { type: 'keep' };
    case 'C': return { type: 'keep' };
  }
}

/** What a C in an option column means for that option. */
const CLEAN_FOR_OPTION: Record<ProfileOption, Extract<Action, { type: 'clean' }>['what']> = {
  retainSafePrivate: 'safePrivate',
  retainUIDs: 'descriptors',
  retainDeviceIdentity: 'device',
  retainInstitutionIdentity: 'descriptors',
  retainPatientCharacteristics: 'patientCharacteristics',
  retainLongitudinalFullDates: 'dates',
  retainLongitudinalModifiedDates: 'dates',
  cleanDescriptors: 'descriptors',
  cleanStructuredContent: 'structuredContent',
  cleanGraphics: 'graphics',
};

/** The action for one table row under the chosen options: K wins over C, C over the basic code. */
export function actionFor(row: Ps315Attribute, options: readonly ProfileOption[]): { action: Action; code: string } {
  const codes = options.map((o) => [o, row.options[o]] as const).filter(([, c]) => c !== null);
  const keep = codes.find(([, c]) => c === 'K');
  if (keep) {
    // A kept age is still capped at 90 years (HIPAA Safe Harbor); clean(patientCharacteristics) does that for AS.
    if (row.vr === 'AS') return { action: { type: 'clean', what: 'patientCharacteristics' }, code: `K (${keep[0]}), age capped` };
    return { action: { type: 'keep' }, code: `K (${keep[0]})` };
  }
  const clean = codes.find(([, c]) => c === 'C');
  if (clean) return { action: { type: 'clean', what: CLEAN_FOR_OPTION[clean[0]] }, code: `C (${clean[0]})` };
  return { action: resolveBasicCode(row.basic), code: row.basic };
}
