// The engine: walks every element at every depth, asks the plan which rule applies (first match wins), runs that
// rule's action (actions/table.ts), then writes markers. Works on a dataset already in memory; anonymizeFile also
// makes the file meta agree (file-meta.ts) and finishPixels runs the burned-in step's second half (burned-in/finish.ts).

import type { DataElement, DataSet } from '../dicom/dataset.js';
import type { DicomFile } from '../dicom/part10.js';
import type { ByteSource } from '../dicom/source.js';
import { isPrivateCreatorTag, isPrivateTag, tagElement, tagGroup } from '../dicom/tag.js';
import { keywordOf } from '../dicom/dictionary.js';
import { getString, getStrings } from '../dicom/values.js';
import { elementPath } from '../dicom/dataset.js';
import { isStringVR } from '../dicom/vr.js';
import type { Plan, ProtectedAttribute, Rule } from '../plan/plan.js';
import { keepsInstanceValid } from '../plan/protection.js';
import type { ActionContext, OriginalIdentity, RunFacts } from './context.js';
import type { Keys } from './keys.js';
import { RuleMatcher } from './match.js';
import { addMarkers, withdrawIdentityRemoved } from './markers.js';
import { applyAction } from './actions/table.js';
import { isDirectory, resetDirectory } from './directory.js';
import { agreeFileMeta } from './file-meta.js';
import type { AnonymizeResult, AuditEntry } from './result.js';
import { assessPixels, settleDelivered } from './burned-in/pending.js';
import { embeddedOverlays, keptOverlayBits, removedOverlayBits } from './burned-in/overlays.js';
import { finishBurnedIn } from './burned-in/finish.js';
import type { BurnedInOutcome } from './burned-in/outcome.js';
import { headerValuesLater, type HeaderValue as IdentifyingValue, type HeaderValueKind } from '../identifying/index.js';
import {
  MedicalRecordLocator, OtherPatientIDs, OtherPatientIDsSequence, OtherPatientNames, PatientAddress, PatientBirthDate, PatientBirthName, PatientBirthTime,
  PatientMotherBirthName, PatientTelecomInformation, PatientTelephoneNumbers, ResponsiblePerson,
} from '../dicom/tags.generated.js';
import { patientIssuerOf } from './patient-issuer.js';
import { PatientID, PatientName, PrivateInformation, PrivateInformationCreatorUID, SOPInstanceUID, SeriesInstanceUID, StudyInstanceUID } from '../dicom/tags.generated.js';

// The engine's result types, where its callers have always found them.
export type { AnonymizeResult, AuditEntry } from './result.js';
export type { PendingPixels } from './burned-in/pending.js';

/** Top-level attributes that identify the patient: a rule keeping one makes Patient Identity Removed NO (issue #22). */
const PATIENT_IDENTITY: ReadonlySet<number> = new Set([
  PatientName, PatientID, PatientBirthDate, PatientBirthTime, PatientAddress, PatientTelephoneNumbers, PatientTelecomInformation, OtherPatientIDs,
  OtherPatientNames, OtherPatientIDsSequence, PatientBirthName, PatientMotherBirthName, MedicalRecordLocator, ResponsiblePerson,
]);

const KEEP: Rule = { selector: { kind: 'group', group: -1 }, action: { type: 'keep' }, origin: 'no rule matched: kept' };
const REMOVE: Rule = { selector: { kind: 'group', group: -1 }, action: { type: 'remove' }, origin: 'no rule matched: removed' };

/** Text VRs whose values, when the plan does not keep them, count as identifying for cleaning free text. */
const IDENTIFYING_VRS = new Set(['PN', 'LO', 'SH', 'AE', 'DA', 'DT']);

export class Anonymizer {
  readonly rules: readonly Rule[];
  private readonly matcher: RuleMatcher;
  private readonly needsIdentifyingValues: boolean;
  /** Rules clean prose outside E.1-1 (every profile): the top-level identifying values are read first (cheap). */
  private readonly cleansProse: boolean;
  private readonly protectedByTag: ReadonlyMap<number, ProtectedAttribute>;
  private readonly profileWouldChange: ReadonlySet<number> | null;

  constructor(readonly plan: Plan, readonly keys: Keys) {
    this.rules = plan.rules;
    this.matcher = new RuleMatcher(this.rules);
    this.needsIdentifyingValues = this.rules.some((r) => r.action.type === 'clean' && !['dates', 'safePrivate', 'prose'].includes(r.action.what));
    this.cleansProse = this.rules.some((r) => r.action.type === 'clean' && r.action.what === 'prose');
    this.protectedByTag = new Map(plan.protected.map((p) => [p.tag, p]));
    this.profileWouldChange = plan.profileWouldChange ? new Set(plan.profileWouldChange) : null;
  }

  /**
   * The rule that decides `element` (the plan's fallback when none matches); `within` = the tag of the sequence
   * whose item holds it (null at the top level).
   */
  ruleFor(element: DataElement, within: number | null = null, dataset?: DataSet): Rule {
    const rule = this.matcher.match(element, within, dataset) ?? (this.plan.unmatched === 'keep' ? KEEP : REMOVE);
    if (within !== null || rule.selector.kind === 'tag') return rule;
    // A broad rule (group, mask, VR, private, the fallback) never unmakes the instance: see plan.protected.
    const guard = this.protectedByTag.get(element.tag);
    if (guard === undefined || keepsInstanceValid(rule.action, guard)) return rule;
    return { selector: { kind: 'tag', tag: element.tag }, action: guard.action, origin: `protected: ${guard.why}; not ${rule.origin}` };
  }

  /** Anonymizes a dataset in place. `source` is where its unchanged values are (for bulk values). */
  anonymizeDataset(dataset: DataSet, source: ByteSource, audit?: (entry: AuditEntry) => void): AnonymizeResult {
    const original = originalIdentity(dataset, source);
    // Before anything changes: the gate and the rectangle rules read the original attributes.
    const burnedIn = assessPixels(dataset, source, this.plan.pixels);
    const overlays = burnedIn.hasPixels ? embeddedOverlays(dataset, source) : [];
    const facts: RunFacts = { datesShifted: false, datesRemoved: false, uidMap: new Map(), patientIdMap: new Map() };
    // Under an option's C rules, every value the plan does not keep (collected now, before the walk changes them);
    // for prose outside E.1-1 alone, the top-level identifying attributes, decoded only if a prose value needs them.
    const collected = this.needsIdentifyingValues ? this.collectIdentifyingValues(dataset, source) : null;
    const later = collected === null && this.cleansProse ? headerValuesLater(dataset, source) : null;
    // One context for the whole walk, re-pointed at each element: the loop below runs for every element of every file.
    const ctx: ActionContext = {
      source, keys: this.keys, plan: this.plan, original, facts, identifyingValues: () => collected ?? later?.() ?? [],
      dataset, element: dataset.elements[0], rule: KEEP,
    };
    const directory = isDirectory(dataset);
    const untouched = this.profileWouldChange ? new Set<number>() : null;
    this.walk(dataset, ctx, audit, untouched);
    // An overlay group the plan removed takes its bits out of the pixel words too (in finishPixels).
    burnedIn.overlayBits = removedOverlayBits(overlays, dataset);
    burnedIn.keptOverlayBits = keptOverlayBits(overlays, dataset);
    if (directory && !isDirectory(dataset)) resetDirectory(dataset);
    // The gate decides on what will be delivered: a document the plan replaced, a waveform it removed, is no risk.
    settleDelivered(burnedIn, dataset);
    const pixelsPending = burnedIn.assessment.atRisk || burnedIn.rectangles.length > 0;
    // Markers tell the truth: until finishPixels has cleaned the pixels, Patient Identity Removed is NO (a plan
    // without markers adds none, but a YES the input carried is withdrawn).
    const identityKept = (facts.identityKept?.length ?? 0) > 0;
    if (this.plan.markers) addMarkers(dataset, this.plan.markers, facts, pixelsPending || identityKept);
    else if (pixelsPending || identityKept) withdrawIdentityRemoved(dataset, source);
    return { original, facts, burnedIn, untouchedProfileTags: untouched ? [...untouched].sort((a, b) => a - b) : [] };
  }

  /** `untouched` collects the tags of plan.profileWouldChange that a rule (or the fallback) kept. */
  private walk(dataset: DataSet, ctx: ActionContext, audit: ((entry: AuditEntry) => void) | undefined, untouched: Set<number> | null): void {
    let creators: Map<number, DataElement> | null = null;
    for (const el of dataset.elements) {
      if (isPrivateCreatorTag(el.tag)) (creators ??= new Map()).set(tagGroup(el.tag) * 256 + tagElement(el.tag), el);
    }
    const within = enclosingSequence(dataset);
    const elements = dataset.elements.slice();
    // Removals are deferred to one pass at the end: a hostile item with 10,000 elements stays linear.
    dataset.deferRemovals(() => {
      for (const element of elements) {
        const rule = this.ruleFor(element, within, dataset);
        if (audit) audit({ path: elementPath(dataset, element), keyword: keywordOf(element.tag), action: rule.action.type, origin: rule.origin });
        if (untouched !== null && rule.action.type === 'keep' && this.profileWouldChange!.has(element.tag)) untouched.add(element.tag);
        if (rule.action.type === 'keep' && within === null && PATIENT_IDENTITY.has(element.tag) && element.valueLength > 0) {
          // Honest markers: a kept name, ID, birth date, address... means the patient's identity was not removed.
          (ctx.facts.identityKept ??= []).push(keywordOf(element.tag) ?? 'an attribute');
          audit?.({ path: elementPath(dataset, element), keyword: keywordOf(element.tag), action: 'keep', origin: `${rule.origin}: keeps an attribute that identifies the patient, so Patient Identity Removed (0012,0062) is NO` });
        }
        // Re-pointed at every element: walking the items below moves it into them.
        ctx.dataset = dataset;
        ctx.element = element;
        ctx.rule = rule;
        const result = applyAction(ctx, rule.action);
        const walkItems = result === 'walk' || rule.action.type === 'keep';
        if (walkItems && element.items) for (const item of element.items) this.walk(item, ctx, audit, untouched);
      }
    });
    // A private element that survived keeps its Private Creator, even if a rule removed the creator element.
    if (!creators) return;
    const present = new Set(dataset.elements);
    for (const el of [...dataset.elements]) {
      if (!isPrivateTag(el.tag) || isPrivateCreatorTag(el.tag) || tagElement(el.tag) < 0x1000) continue;
      const creator = creators.get(tagGroup(el.tag) * 256 + (tagElement(el.tag) >> 8));
      if (creator && !present.has(creator)) {
        dataset.put(creator);
        present.add(creator);
      }
    }
  }

  /** Every PN, LO, SH, AE, DA and DT value the plan does not keep or clean, at any depth, for the span finder. */
  private collectIdentifyingValues(dataset: DataSet, source: ByteSource): IdentifyingValue[] {
    const found: IdentifyingValue[] = [];
    const visit = (ds: DataSet): void => {
      for (const el of ds.elements) {
        if (el.items) {
          el.items.forEach(visit);
          continue;
        }
        if (!IDENTIFYING_VRS.has(el.vr) || !isStringVR(el.vr)) continue;
        const action = this.ruleFor(el, enclosingSequence(ds), ds).action.type;
        if (action === 'keep' || (action === 'clean')) continue;
        const kind: HeaderValueKind = el.vr === 'PN' ? 'name' : el.vr === 'DA' || el.vr === 'DT' ? 'date' : 'id';
        for (const value of getStrings(ds, el, source)) if (value.trim() !== '') found.push({ value, kind, label: keywordOf(el.tag) ?? 'a value' });
      }
    };
    visit(dataset);
    return found;
  }

  /** Anonymizes a whole file: the dataset, then the file meta so it agrees with it (file-meta.ts). */
  anonymizeFile(file: DicomFile, audit?: (entry: AuditEntry) => void): AnonymizeResult {
    const result = this.anonymizeDataset(file.dataset, file.datasetSource, audit);
    agreeFileMeta(file, this.keys);
    // (0002,0100)/(0002,0102) Private Information: an application's own data, decided by the plan's rule (the Basic
    // Profile removes it: profiles/outside-e11.ts), audited like any element.
    const meta = file.meta;
    for (const tag of [PrivateInformationCreatorUID, PrivateInformation]) {
      const el = meta?.get(tag);
      if (!meta || !el) continue;
      const rule = this.ruleFor(el, null, meta);
      audit?.({ path: elementPath(meta, el), keyword: keywordOf(el.tag), action: rule.action.type, origin: rule.origin });
      if (rule.action.type !== 'keep') meta.removeElement(el);
    }
    return result;
  }

  /**
   * The burned-in step's second half, after anonymizeFile (burned-in/finish.ts): text detection under policy redact,
   * the redaction, and the policy's verdict. The dataset is changed in place; write it, then call file.close().
   */
  finishPixels(file: DicomFile, result: AnonymizeResult): Promise<BurnedInOutcome> {
    return finishBurnedIn(file, result.burnedIn, this.plan, (result.facts.identityKept?.length ?? 0) > 0);
  }
}

/** The tag of the sequence whose item `dataset` is; null for the top level. */
export const enclosingSequence = (dataset: DataSet): number | null => (dataset.parent ? dataset.parent.element.tag : null);

function originalIdentity(dataset: DataSet, source: ByteSource): OriginalIdentity {
  const text = (tag: number): string => {
    const el = dataset.get(tag);
    return el && el.items === null ? getString(dataset, el, source) : '';
  };
  return {
    patientId: text(PatientID),
    patientName: text(PatientName),
    patientIssuer: patientIssuerOf(dataset, source),
    patientBirthDate: text(PatientBirthDate).trim(),
    studyUid: text(StudyInstanceUID),
    seriesUid: text(SeriesInstanceUID),
    sopInstanceUid: text(SOPInstanceUID),
  };
}
