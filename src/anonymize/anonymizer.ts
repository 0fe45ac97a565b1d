// The engine: walks every element at every depth, asks the plan which rule applies (first match wins), runs that
// rule's action, then writes markers and makes the file meta agree. Pure over the in-memory tree: no files, no CLI.

import { DataElement, type DataSet } from '../dicom/dataset.js';
import type { DicomFile } from '../dicom/part10.js';
import type { ByteSource } from '../dicom/source.js';
import { isPrivateCreatorTag, isPrivateTag, makeTag, tagElement, tagGroup } from '../dicom/tag.js';
import { keywordOf } from '../dicom/dictionary.js';
import { uidName } from '../dicom/uid-registry.js';
import { createFileMeta, IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../dicom/create.js';
import { encodeNumbers, getNumbers, getString, getStrings, newSequenceElement, newStringElement, setString } from '../dicom/values.js';
import { elementPath } from '../dicom/dataset.js';
import { isStringVR } from '../dicom/vr.js';
import type { Action, BurnedInPolicy, Plan, ProtectedAttribute, Rule } from '../plan/plan.js';
import { keepsInstanceValid } from '../plan/protection.js';
import type { ActionContext, OriginalIdentity, RunFacts } from './context.js';
import type { Keys } from './keys.js';
import { RuleMatcher } from './match.js';
import { addMarkers, confirmIdentityRemoved, markPixelsCleaned, withdrawIdentityRemoved } from './markers.js';
import { assessRisk, deliveredRisk, documentSnapshot, withRuleFlags } from './burned-in/gate.js';
import { evaluatePixelRules } from './burned-in/rules.js';
import type { BurnedInAssessment, BurnedInOutcome, TextFindings } from './burned-in/outcome.js';
import { identifyingHeaderValues, type HeaderValue } from './burned-in/text-match.js';
import { PixelDataError, redactPixelData, type Rectangle } from '../pixels/index.js';
import { cleanPixelChannels, type PixelChannels } from './burned-in/pixel-channels.js';
import { removeElement } from './actions/remove.js';
import { emptyElement } from './actions/empty.js';
import { dummyElement } from './actions/dummy.js';
import { remapUidValues } from './actions/remap-uid.js';
import { pseudonymize } from './actions/pseudonym.js';
import { shiftDates } from './actions/shift-date.js';
import { replaceValue } from './actions/replace.js';
import { hashValue } from './actions/hash.js';
import { redactValue } from './actions/redact.js';
import { encryptValue } from './actions/encrypt.js';
import { perturbValue } from './actions/perturb.js';
import { cleanElement } from './actions/clean.js';
import { identifyingForm } from './identifying-text.js';
import { DirectoryRecordSequence, FileMetaInformationVersion, FileSetConsistencyFlag, FileSetID, ImplementationClassUID, ImplementationVersionName, MediaStorageSOPClassUID, MediaStorageSOPInstanceUID, OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity, PatientID, PatientName, ReceivingApplicationEntityTitle, SOPClassUID, SOPInstanceUID, SendingApplicationEntityTitle, SeriesInstanceUID, SourceApplicationEntityTitle, StudyInstanceUID } from '../dicom/tags.generated.js';

/** One line of the audit: which rule decided what for which element. Never a value. */
export interface AuditEntry {
  path: string;
  keyword: string;
  action: Action['type'];
  origin: string;
}

export interface AnonymizeResult {
  original: OriginalIdentity;
  facts: RunFacts;
  /** The burned-in step's first half, decided on the original dataset: finishPixels completes it. */
  burnedIn: PendingPixels;
  /**
   * A plan without a profile: the tags of plan.profileWouldChange that this file holds (at any depth) and that the
   * plan kept unchanged, ascending. Empty when the plan uses the profile.
   */
  untouchedProfileTags: number[];
}

/** What the sync path found on the ORIGINAL dataset: the gate's verdict and the rules' rectangles, not yet applied. */
export interface PendingPixels {
  assessment: BurnedInAssessment;
  rectangles: Rectangle[];
  hasPixels: boolean;
  encapsulatedDocument: boolean;
  /** A waveform at risk is delivered (gate.waveforms): nothing reads it, so nothing can clean it. */
  waveform: boolean;
  /**
   * Bit positions of overlays kept in unused high bits of Pixel Data (60xx,0102 without 60xx,3000) whose group the
   * plan removed: finishPixels clears them from the pixel words, else the overlay survives its removal.
   */
  overlayBits: number[];
  /** Bit positions of such overlays whose group the plan kept: their bits stay in the pixel words. */
  keptOverlayBits: number[];
  /**
   * The original's identifying values (normalised forms by attribute keyword) that text read in the pixels is
   * matched against; collected only when text detection will run (policy redact, at risk, Pixel Data).
   */
  headerValues: HeaderValue[];
}

/** Overlays stored in Pixel Data's high bits: group and Overlay Bit Position, from the top level. */
function embeddedOverlays(dataset: DataSet, source: ByteSource): { group: number; bit: number }[] {
  const found: { group: number; bit: number }[] = [];
  for (let group = 0x6000; group <= 0x601e; group += 2) {
    const position = dataset.get(makeTag(group, 0x0102));
    if (!position || !dataset.get(makeTag(group, 0x0100)) || dataset.get(makeTag(group, 0x3000))) continue;
    const bit = getNumbers(dataset, position, source)[0];
    if (bit !== undefined) found.push({ group, bit });
  }
  return found;
}

const KEEP: Rule = { selector: { kind: 'group', group: -1 }, action: { type: 'keep' }, origin: 'no rule matched: kept' };
const REMOVE: Rule = { selector: { kind: 'group', group: -1 }, action: { type: 'remove' }, origin: 'no rule matched: removed' };

/** Text VRs whose values, when the plan does not keep them, count as identifying for cleaning free text. */
const IDENTIFYING_VRS = new Set(['PN', 'LO', 'SH', 'AE', 'DA', 'DT']);

export class Anonymizer {
  readonly rules: readonly Rule[];
  private readonly matcher: RuleMatcher;
  private readonly needsIdentifyingValues: boolean;
  private readonly protectedByTag: ReadonlyMap<number, ProtectedAttribute>;
  private readonly profileWouldChange: ReadonlySet<number> | null;

  constructor(readonly plan: Plan, readonly keys: Keys) {
    this.rules = plan.rules;
    this.matcher = new RuleMatcher(this.rules);
    this.needsIdentifyingValues = this.rules.some((r) => r.action.type === 'clean' && r.action.what !== 'dates' && r.action.what !== 'safePrivate');
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
    const ruled = evaluatePixelRules(dataset, source, this.plan.pixels.rules);
    const verdict = withRuleFlags(assessRisk(dataset, source, this.plan.pixels.gate), ruled.flagged);
    const document = verdict.encapsulatedDocument ? documentSnapshot(dataset) : null;
    const burnedIn: PendingPixels = {
      assessment: { atRisk: verdict.atRisk, reasons: verdict.reasons, rulesMatched: ruled.matched },
      rectangles: verdict.hasPixels ? ruled.rectangles : [],
      hasPixels: verdict.hasPixels,
      encapsulatedDocument: verdict.encapsulatedDocument,
      waveform: verdict.waveform === true,
      overlayBits: [],
      keptOverlayBits: [],
      headerValues: this.plan.pixels.policy === 'redact' && verdict.atRisk && verdict.hasPixels ? identifyingHeaderValues(dataset, source) : [],
    };
    const overlays = verdict.hasPixels ? embeddedOverlays(dataset, source) : [];
    const facts: RunFacts = { datesShifted: false, datesRemoved: false, uidMap: new Map(), patientIdMap: new Map() };
    const identifying = this.needsIdentifyingValues ? this.collectIdentifyingValues(dataset, source) : [];
    // One context for the whole walk, re-pointed at each element: the loop below runs for every element of every file.
    const ctx: ActionContext = {
      source, keys: this.keys, plan: this.plan, original, facts, identifyingValues: () => identifying,
      dataset, element: dataset.elements[0], rule: KEEP,
    };
    const directory = dataset.get(DirectoryRecordSequence) !== undefined;
    const untouched = this.profileWouldChange ? new Set<number>() : null;
    this.walk(dataset, ctx, audit, untouched);
    // An overlay group the plan removed takes its bits out of the pixel words too (in finishPixels).
    burnedIn.overlayBits = [...new Set(overlays.filter((o) => !dataset.get(makeTag(o.group, 0x0102))).map((o) => o.bit))];
    burnedIn.keptOverlayBits = [...new Set(overlays.filter((o) => dataset.get(makeTag(o.group, 0x0102))).map((o) => o.bit))];
    if (directory && !dataset.get(DirectoryRecordSequence)) resetDirectory(dataset);
    // The gate decides on what will be delivered: a document the plan replaced, a waveform it removed, is no risk.
    const delivered = deliveredRisk(verdict, dataset, document);
    if (delivered !== verdict) {
      burnedIn.assessment = { ...burnedIn.assessment, atRisk: delivered.atRisk, reasons: delivered.reasons };
      burnedIn.encapsulatedDocument = delivered.encapsulatedDocument;
      burnedIn.waveform = delivered.waveform === true;
    }
    const pixelsPending = delivered.atRisk || burnedIn.rectangles.length > 0;
    // Markers tell the truth: until finishPixels has cleaned the pixels, Patient Identity Removed is NO (a plan
    // without markers adds none, but a YES the input carried is withdrawn).
    if (this.plan.markers) addMarkers(dataset, this.plan.markers, facts, pixelsPending);
    else if (pixelsPending) withdrawIdentityRemoved(dataset, source);
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

  /** Upper-case text of every PN component and identifying value the plan does not keep, at any depth. */
  private collectIdentifyingValues(dataset: DataSet, source: ByteSource): string[] {
    const found = new Set<string>();
    const visit = (ds: DataSet): void => {
      for (const el of ds.elements) {
        if (el.items) {
          el.items.forEach(visit);
          continue;
        }
        if (!IDENTIFYING_VRS.has(el.vr) || !isStringVR(el.vr)) continue;
        const action = this.ruleFor(el, enclosingSequence(ds), ds).action.type;
        if (action === 'keep' || (action === 'clean')) continue;
        for (const value of getStrings(ds, el, source)) {
          const parts = el.vr === 'PN' ? value.split(/[\^=]/) : [value];
          for (const part of parts) {
            const v = identifyingForm(part);
            if (v !== null) found.add(v);
          }
        }
      }
    };
    visit(dataset);
    return [...found];
  }

  /**
   * Anonymizes a whole file: the dataset, then the file meta so it agrees with it ((0002,0003) = new SOP Instance
   * UID, source/sending/receiving AE titles dropped, our implementation UID). A file without meta gets one when
   * its SOP Class and Instance UIDs are known, so the output is a standard Part 10 file.
   */
  anonymizeFile(file: DicomFile, audit?: (entry: AuditEntry) => void): AnonymizeResult {
    const result = this.anonymizeDataset(file.dataset, file.datasetSource, audit);
    const sopClass = file.dataset.get(SOPClassUID);
    const sopInstance = file.dataset.get(SOPInstanceUID);
    const sopClassUid = sopClass ? getString(file.dataset, sopClass, file.datasetSource) : '';
    const sopInstanceUid = sopInstance ? getString(file.dataset, sopInstance, file.datasetSource) : '';
    if (!file.meta) {
      if (sopClassUid && sopInstanceUid) file.meta = createFileMeta(sopClassUid, sopInstanceUid, file.transferSyntax.uid);
      return result;
    }
    const meta = file.meta;
    // A plan that changed nothing (e.g. Microsoft's {"rules": []}) leaves the file as it was, meta included.
    if (!treeChanged(file.dataset)) return result;
    if (!meta.get(FileMetaInformationVersion)) {
      // (0002,0001) is Type 1; some writers omit it. The output is a new file, so it gets one.
      const version = new DataElement(FileMetaInformationVersion, 'OB');
      version.setValue(Uint8Array.of(0x00, 0x01), 'OB');
      meta.put(version);
    }
    for (const tag of [SourceApplicationEntityTitle, SendingApplicationEntityTitle, ReceivingApplicationEntityTitle]) meta.remove(tag);
    // Private elements or anything else unexpected in group 0002 carry no meaning for the file: keep only the standard ones.
    const put = (tag: number, vr: string, text: string): void => {
      const el = meta.get(tag);
      if (el) setString(meta, el, text, vr);
      else meta.put(newStringElement(meta, tag, vr, text));
    };
    if (sopInstanceUid) put(MediaStorageSOPInstanceUID, 'UI', sopInstanceUid);
    else {
      const old = meta.get(MediaStorageSOPInstanceUID);
      if (old) put(MediaStorageSOPInstanceUID, 'UI', this.keys.uid(getString(meta, old, file.source)));
    }
    if (sopClassUid) put(MediaStorageSOPClassUID, 'UI', sopClassUid);
    put(ImplementationClassUID, 'UI', IMPLEMENTATION_CLASS_UID);
    put(ImplementationVersionName, 'SH', IMPLEMENTATION_VERSION_NAME);
    return result;
  }

  /**
   * The burned-in step's second half, after anonymizeFile: under policy redact, searches every frame of an at-risk
   * image for text (burned-in/detect.ts); blanks the detected boxes and the rules' rectangles
   * (plan.pixels.redactedSyntax), and decides by the plan's policy what the file is. On a successful redaction, or
   * when detection searched every frame and found nothing to blank ('nothing-to-blank', Pixel Data untouched), Burned
   * In Annotation becomes NO and, with markers, Patient Identity Removed YES and code 113101 are added. A file at
   * risk that nothing cleaned is 'quarantine' (policies quarantine, and redact for encapsulated documents), 'fail'
   * (fail) or 'kept-at-risk' (keep, Patient Identity Removed stays NO). An error of the pixel layer (frames that
   * cannot be decoded) is 'fail' (policies fail and keep) or 'quarantine': never delivered.
   * The dataset is changed in place; write it, then call file.close() (frees the staged frames).
   */
  async finishPixels(file: DicomFile, result: AnonymizeResult): Promise<BurnedInOutcome> {
    // First what Pixel Data holds besides its frames' pixel values (every image, at risk or not).
    let channels: PixelChannels;
    try {
      channels = await cleanPixelChannels(file, { removed: result.burnedIn.overlayBits, kept: result.burnedIn.keptOverlayBits });
    } catch (error) {
      // The reason and tag, not the message: that names the file, and quarantine reasons are grouped across files.
      const why = error instanceof PixelDataError ? `${error.reason}${error.tag ? ` in ${error.tag}` : ''}` : error instanceof Error ? error.message : 'unknown error';
      channels = { notes: [], refusal: `the pixels could not be checked for data outside their frames (${why})` };
    }
    const outcome = await this.finishPixelsChecked(file, result, channels.refusal);
    return channels.notes.length > 0 ? { ...outcome, notes: [...(outcome.notes ?? []), ...channels.notes] } : outcome;
  }

  private async finishPixelsChecked(file: DicomFile, result: AnonymizeResult, refusal: string | null): Promise<BurnedInOutcome> {
    const { assessment, rectangles } = result.burnedIn;
    const pixels = this.plan.pixels;
    const pixelError = (error: unknown, what: string): BurnedInOutcome => {
      const reason = `the pixels could not be ${what} (${error instanceof Error ? error.message : 'unknown error'})`;
      return pixels.policy === 'quarantine' || pixels.policy === 'redact'
        ? { status: 'quarantine', assessment, reason }
        : { status: 'fail', assessment, reason };
    };
    if (refusal !== null) {
      return pixels.policy === 'quarantine' || pixels.policy === 'redact' ? { status: 'quarantine', assessment, reason: refusal } : { status: 'fail', assessment, reason: refusal };
    }
    // Policy redact: every frame of an at-risk image is searched for text (after the overlay bits are cleared);
    // the detected boxes are blanked together with the rules' rectangles, in one re-encode.
    if (result.burnedIn.waveform) return uncleanable(pixels.policy, assessment, 'a waveform (audio, leads that can be plotted) is not read or cleaned');
    const searchText = pixels.policy === 'redact' && assessment.atRisk && result.burnedIn.hasPixels && !result.burnedIn.encapsulatedDocument;
    let text: TextFindings | undefined;
    let blank = rectangles;
    if (searchText) {
      try {
        const { detectTextInFile } = await import('./burned-in/detect.js');
        const found = await detectTextInFile(file, pixels.detection, result.burnedIn.headerValues);
        text = { boxes: found.boxes, kept: found.kept, matched: found.matched };
        blank = [...rectangles, ...found.rectangles];
      } catch (error) {
        return pixelError(error, 'searched for text');
      }
    }
    if (blank.length > 0) {
      try {
        const redaction = await redactPixelData(file, blank, { redactedSyntax: pixels.redactedSyntax });
        if (redaction.changed) {
          markPixelsCleaned(file.dataset, this.plan.markers);
          const blanked = blank.map(({ x, y, width, height, frames }) => (frames ? { x, y, width, height, frames: [...frames] } : { x, y, width, height }));
          return {
            status: 'redacted', assessment, framesRedacted: redaction.framesRedacted, lossyReencode: redaction.lossyReencode !== null, rectangles: blanked,
            ...(text ? { text } : {}),
            ...(redaction.transcoded ? { notes: [transcodedNote(redaction.transcoded)] } : {}),
          };
        }
      } catch (error) {
        return pixelError(error, 'redacted');
      }
    }
    if (text) {
      // Every frame was searched and nothing needs blanking: the pixels are delivered as they are, marked clean.
      markPixelsCleaned(file.dataset, this.plan.markers);
      return { status: 'nothing-to-blank', assessment, text };
    }
    if (!assessment.atRisk) {
      // Rules matched but their rectangles missed the image: nothing was at risk, nothing changed.
      if (rectangles.length > 0) confirmIdentityRemoved(file.dataset, this.plan.markers);
      return { status: 'not-at-risk', assessment };
    }
    const why = result.burnedIn.encapsulatedDocument
      ? 'an encapsulated document cannot be cleaned by rectangles or text detection'
      : `${assessment.rulesMatched.length > 0 ? 'the matching pixel rules blanked nothing' : 'no pixel rule matched'} and text detection runs only under policy redact`;
    const reason = `may carry burned-in text (${assessment.reasons.join('; ')}): ${why}`;
    switch (pixels.policy) {
      case 'quarantine':
      case 'redact': return { status: 'quarantine', assessment, reason };
      case 'fail': return { status: 'fail', assessment, reason };
      case 'keep': return { status: 'kept-at-risk', assessment, reason };
    }
  }
}

/** An at-risk file that nothing here can clean: where the policy sends it. */
function uncleanable(policy: BurnedInPolicy, assessment: BurnedInAssessment, why: string): BurnedInOutcome {
  const reason = `may carry identifying content (${assessment.reasons.join('; ')}): ${why}`;
  switch (policy) {
    case 'quarantine':
    case 'redact': return { status: 'quarantine', assessment, reason };
    case 'fail': return { status: 'fail', assessment, reason };
    case 'keep': return { status: 'kept-at-risk', assessment, reason };
  }
}

/** The report's words for frames written in another syntax (uidName: the registry's name of a transfer syntax). */
function transcodedNote(transcoded: { from: string; to: string }): string {
  const name = (uid: string): string => uidName(uid) ?? uid;
  return `frames written losslessly as ${name(transcoded.to)} (no encoder for ${name(transcoded.from)} at this bit depth): Transfer Syntax UID changed, Lossy Image Compression stays 01`;
}

/** The tag of the sequence whose item `dataset` is; null for the top level. */
export const enclosingSequence = (dataset: DataSet): number | null => (dataset.parent ? dataset.parent.element.tag : null);

/** True when anything in the tree was changed, added or removed since it was read. */
function treeChanged(dataset: DataSet): boolean {
  if (dataset.modified) return true;
  for (const el of dataset.elements) {
    if (el.span === null) return true;
    if (el.items) for (const item of el.items) if (item.span === null || treeChanged(item)) return true;
  }
  return false;
}

/**
 * A DICOMDIR whose directory records the plan removed (the profile removes group 0004: the records repeat patient
 * names, IDs, dates and file paths, and their byte offsets cannot survive re-encoding) becomes a valid, empty
 * directory: File-set ID empty (Type 2), no records (Type 2 sequence, empty), root record offsets 0 and
 * consistency flag 0 (Type 1). The anonymized file-set must be re-indexed by whoever assembles it.
 */
function resetDirectory(dataset: DataSet): void {
  const ul = (tag: number, vr: 'UL' | 'US'): DataElement => {
    const el = new DataElement(tag, vr);
    el.setValue(encodeNumbers(dataset, vr, [0]));
    return el;
  };
  const fileSetId = new DataElement(FileSetID, 'CS');
  fileSetId.setValue(new Uint8Array(0));
  dataset.put(fileSetId);
  dataset.put(ul(OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, 'UL'));
  dataset.put(ul(OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity, 'UL'));
  dataset.put(ul(FileSetConsistencyFlag, 'US'));
  dataset.put(newSequenceElement(DirectoryRecordSequence));
}

function originalIdentity(dataset: DataSet, source: ByteSource): OriginalIdentity {
  const text = (tag: number): string => {
    const el = dataset.get(tag);
    return el && el.items === null ? getString(dataset, el, source) : '';
  };
  return {
    patientId: text(PatientID),
    patientName: text(PatientName),
    studyUid: text(StudyInstanceUID),
    seriesUid: text(SeriesInstanceUID),
    sopInstanceUid: text(SOPInstanceUID),
  };
}

/** Runs one action; returns 'walk' when the engine should descend into the element's items. */
export function applyAction(ctx: ActionContext, action: Action): 'walk' | void {
  switch (action.type) {
    case 'keep': return;
    case 'remove': return removeElement(ctx);
    case 'empty': return emptyElement(ctx);
    case 'dummy': return dummyElement(ctx, action.value);
    case 'remapUid': return remapUidValues(ctx);
    case 'pseudonym': return pseudonymize(ctx, action.prefix);
    case 'shiftDate': return shiftDates(ctx, action);
    case 'replace': return replaceValue(ctx, action.value);
    case 'hash': return hashValue(ctx, action.key);
    case 'redact': return ctx.element.items !== null ? emptyElement(ctx) : redactValue(ctx, action);
    case 'encrypt': return encryptValue(ctx, action.key);
    case 'perturb': return perturbValue(ctx, action);
    case 'clean': return cleanElement(ctx, action.what);
  }
}

