// PatientID / PatientName: one keyed pseudonym per original patient (prefix + digits), identical for the name and
// the ID of that patient in every file.
import { patientKey, type ActionContext } from '../context.js';
import { getString, setString } from '../../dicom/values.js';

import { PatientID, PatientName } from '../../dicom/tags.generated.js';
import { PATIENT_PSEUDONYM_DIGITS } from '../keys.js';

/** Digits that fit after the prefix: 20 (keys.ts), fewer only where the VR is short (SH: 16 characters). */
function digitsFor(vr: string, prefix: string): number {
  const max = vr === 'SH' ? 16 : 64;
  return Math.max(1, Math.min(PATIENT_PSEUDONYM_DIGITS, max - prefix.length));
}

export function pseudonymize(ctx: ActionContext, prefix: string): 'walk' | void {
  const el = ctx.element;
  if (el.items !== null) return 'walk';
  const own = getString(ctx.dataset, el, ctx.source);
  const topLevel = ctx.dataset.parent === null;
  // The top-level name and ID derive from the patient's original ID (and its issuer), so both carry the same pseudonym.
  const keyed = topLevel && (el.tag === PatientName || el.tag === PatientID);
  const basis = keyed ? patientKey(ctx.original) : own;
  if (basis === '' && own === '') return;
  const pseudonym = ctx.keys.pseudonym('patient', basis, prefix, digitsFor(el.vr, prefix));
  // The mapping names the original by its ID and the issuer the pseudonym was keyed with: two sites' 12345, two rows.
  if (el.tag === PatientID && own !== '') {
    const issuer = keyed ? ctx.original.patientIssuer ?? '' : '';
    ctx.facts.patientIdMap.set(`${own}\u0000${issuer}`, { old: own, issuer, new: pseudonym });
  }
  setString(ctx.dataset, el, pseudonym, el.vr === 'PN' || el.vr === 'LO' || el.vr === 'SH' ? el.vr : 'LO');
}
