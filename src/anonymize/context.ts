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
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
}

/** Facts gathered while anonymizing one instance, for markers and the audit. */
export interface RunFacts {
  datesShifted: boolean;
  datesRemoved: boolean;
  /** Old → new for the identifiers the mapping export records. */
  uidMap: Map<string, string>;
  patientIdMap: Map<string, string>;
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

export const pathOf = (ctx: ActionContext): string => elementPath(ctx.dataset, ctx.element);

/** An action that cannot be applied to an element (wrong VR, unparsable value); names the tag path, never the value. */
export class AnonymizeError extends Error {
  override readonly name = 'AnonymizeError';
  constructor(readonly reason: string, readonly tagPath: string) {
    super(`${reason} at ${tagPath}`);
  }
}
