// PS3.15 Annex E Basic Application Level Confidentiality Profile (the generated Table E.1-1) and its options,
// turned into plan rules. Compound codes are resolved by one documented policy that never leaks a value.

import type { Action, ProfileOption, Rule, Selector } from '../config/plan.js';
import { makeTag } from '../dicom/tag.js';
import { PS315_ATTRIBUTES, PS315_EDITION, type Ps315Action, type Ps315Attribute } from './ps315.generated.js';

const PATIENT_NAME = makeTag(0x0010, 0x0010);
const PATIENT_ID = makeTag(0x0010, 0x0020);

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

function selectorFor(row: Ps315Attribute): Selector {
  if (row.kind === 'private') return { kind: 'private', group: null, creator: null, elementByte: null };
  const digits = row.tag.slice(1, 5) + row.tag.slice(6, 10);
  if (!/x/i.test(digits)) return { kind: 'tag', tag: parseInt(digits, 16) >>> 0 };
  let mask = 0, value = 0;
  for (const ch of digits) {
    mask = mask * 16 + (/x/i.test(ch) ? 0 : 0xf);
    value = value * 16 + (/x/i.test(ch) ? 0 : parseInt(ch, 16));
  }
  return { kind: 'mask', mask: mask >>> 0, value: value >>> 0 };
}

/**
 * Rules of the Basic Profile with `options`, in this order: the patient pseudonyms, every table row, then the
 * catch-alls the table implies but does not list (any other DA/DT/TM by VR, group 0004).
 */
export function basicProfileRules(options: readonly ProfileOption[]): Rule[] {
  const origin = (what: string): string => `PS3.15 ${PS315_EDITION} ${what}`;
  const rules: Rule[] = [];
  rules.push({ selector: { kind: 'tag', tag: PATIENT_NAME }, action: { type: 'pseudonym', prefix: 'ANON' }, origin: origin('(0010,0010) Z → pseudonym') });
  rules.push({ selector: { kind: 'tag', tag: PATIENT_ID }, action: { type: 'pseudonym', prefix: 'ANON' }, origin: origin('(0010,0020) Z → pseudonym') });
  for (const row of PS315_ATTRIBUTES) {
    const { action, code } = actionFor(row, options);
    rules.push({ selector: selectorFor(row), action, origin: origin(`E.1-1 ${row.tag} ${code}`) });
  }
  const dates = options.includes('retainLongitudinalFullDates')
    ? ({ type: 'keep' } as const)
    : options.includes('retainLongitudinalModifiedDates')
      ? ({ type: 'clean', what: 'dates' } as const)
      : ({ type: 'remove' } as const);
  for (const vr of ['DA', 'DT', 'TM'] as const) {
    rules.push({ selector: { kind: 'vr', vr }, action: dates, origin: origin(`every ${vr} not in E.1-1`) });
  }
  rules.push({ selector: { kind: 'group', group: 0x0004 }, action: { type: 'remove' }, origin: origin('group 0004 (directory records)') });
  return rules;
}
