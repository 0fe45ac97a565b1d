// What an action sees: the element, the dataset holding it, the keyed derivation, and the original identity of
// the instance (for per-patient/study/series/instance scopes). Actions mutate the dataset in place.

import type { DataElement, DataSet } from '../dicom/dataset.js';
import { elementPath } from '../dicom/dataset.js';
import type { ByteSource } from '../dicom/source.js';
import type { Plan, Rule } from '../plan/plan.js';
import type { Keys } from './keys.js';
import type { HeaderValue } from '../identifying/index.js';

/** Identifiers of the instance as they were before anonymization. */
export interface OriginalIdentity {
  patientId: string;
  patientName: string;
  /**
   * Issuer of Patient ID (0010,0021) and its qualifiers' Universal Entity ID and type ((0010,0024) item), joined:
   * "" when none. Two sites' Patient ID 12345 are two patients (issue #22).
   */
  patientIssuer?: string;
  /** Patient Birth Date (0010,0030) as found: with the name, what tells two patients under one ID apart. */
  patientBirthDate?: string;
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
}

/** A Patient ID replaced: the original, the issuer its pseudonym was keyed with ('' when none), the pseudonym. */
export interface PatientIdReplaced {
  old: string;
  issuer: string;
  new: string;
}

/** Facts gathered while anonymizing one instance, for markers and the audit. */
export interface RunFacts {
  datesShifted: boolean;
  datesRemoved: boolean;
  /** Old → new for the identifiers the mapping export records. */
  uidMap: Map<string, string>;
  /** Patient IDs replaced, by original ID and issuer (`${old}\u0000${issuer}`): two sites' 12345 are two rows. */
  patientIdMap: Map<string, PatientIdReplaced>;
  /** Keywords of attributes that identify the patient and that a rule kept (Patient Identity Removed is then NO). */
  identityKept?: string[];
}

export interface ActionContext {
  dataset: DataSet;
  element: DataElement;
  source: ByteSource;
  keys: Keys;
  plan: Plan;
  rule: Rule;
  original: OriginalIdentity;
  facts: RunFacts;
  /** Identifying values of this instance (names, IDs, dates, institution...) that do not survive, for cleaning free text. */
  identifyingValues(): readonly HeaderValue[];
}

/**
 * What identifies the patient of an instance for pseudonyms and date shifts: the Patient ID (else the name), with the
 * issuer when there is one, written as HL7 v2 writes an ID and its assigning authority (12345^^^SITE-A).
 */
export function patientKey(o: OriginalIdentity): string {
  const id = o.patientId || o.patientName;
  return o.patientIssuer ? `${id}^^^${o.patientIssuer}` : id;
}

export const pathOf = (ctx: ActionContext): string => elementPath(ctx.dataset, ctx.element);

/** An action that cannot be applied to an element (wrong VR, unparsable value); names the tag path, never the value. */
export class AnonymizeError extends Error {
  override readonly name = 'AnonymizeError';
  constructor(readonly reason: string, readonly tagPath: string) {
    super(`${reason} at ${tagPath}`);
  }
}
