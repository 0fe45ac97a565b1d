// One input file through read → anonymize → atomic write. Any failure becomes an outcome with a typed, value-free
// error message; no output remains for a failed file. Runs inside a worker (see worker.ts), or anywhere else.

import { createHash } from 'node:crypto';
import { patientKey } from '../anonymize/context.js';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { readDicomFile, type DicomFile } from '../dicom/part10.js';
import { writeDicomFile } from '../files/dicom-output.js';
import { ensureFolderInside } from '../files/output-folder.js';
import { getString } from '../dicom/values.js';
import { type Anonymizer, type AnonymizeResult, type AuditEntry } from '../anonymize/anonymizer.js';
import { deliveryOf } from '../anonymize/burned-in/delivery.js';
import { studyRelativePath, type NewIds } from '../files/output-names.js';
import { DICOMDIR_NOTE, skipReason } from '../files/discover.js';
import { stagedName } from './placement.js';
import { existingOutput, KEPT_NOTE, redoneNote, type ExistingOutput } from './resume.js';
import { stampFingerprint } from './fingerprint.js';
import { brokenRequirements, presentAttributes } from './iod-check.js';
import { IMPLEMENTATION_CLASS_UID } from '../dicom/create.js';
import { describeError } from './errors.js';
import { MEDIA_STORAGE_DIRECTORY_STORAGE } from '../dicom/sniff.js';
import type { BurnedInRecord, FileOutcome, FileTask, InstanceIds, WorkerSetup } from './protocol.js';
import type { BurnedInOutcome } from '../anonymize/burned-in/outcome.js';
import { pathHoldsAnyValue, pathIdentifyingValues } from '../plan/identifying-path.js';
import { ImplementationClassUID, MediaStorageSOPClassUID, PatientID, SOPClassUID, SOPInstanceUID, SeriesInstanceUID, StudyInstanceUID } from '../dicom/tags.generated.js';

export type ProcessOptions = Pick<
  WorkerSetup, 'layout' | 'outputRoot' | 'outputReal' | 'dryRun' | 'skipExisting' | 'collectAudit' | 'collectIds' | 'stageTag' | 'methodText'
> & Partial<Pick<WorkerSetup, 'readOptions' | 'quarantineRoot' | 'quarantineReal' | 'singleFile' | 'fingerprint'>>;

/** Creates the folder of an output; in an output tree, without following any link below its root (checked each time). */
function prepareFolder(dir: string, options: ProcessOptions): void {
  if (options.outputReal === null) mkdirSync(dir, { recursive: true });
  else ensureFolderInside(options.outputRoot, options.outputReal, dir);
}

/** Old → new identifiers of the instance, from the engine's facts. */
function instanceIds(result: AnonymizeResult): InstanceIds {
  const { original, facts } = result;
  const pair = (old: string): [string, string] | null => {
    const fresh = old === '' ? undefined : facts.uidMap.get(old);
    return fresh === undefined ? null : [old, fresh];
  };
  const digest = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
  const name = original.patientName.split('=')[0].replace(/\^+$/, '').trim().toUpperCase();
  return {
    ...(original.patientId.trim() !== '' ? { patient: { key: digest(patientKey(original)), identity: digest(`${name}\u0000${original.patientBirthDate ?? ''}`) } } : {}),
    patientIds: [...facts.patientIdMap.values()].filter((row) => row.old !== ''),
    study: pair(original.studyUid),
    series: pair(original.seriesUid),
    sop: pair(original.sopInstanceUid),
  };
}

/** The anonymized identifiers that name the study-layout path. */
function newIds(file: DicomFile): NewIds {
  const text = (tag: number): string => {
    const el = file.dataset.get(tag);
    return el && el.items === null ? getString(file.dataset, el, file.datasetSource) : '';
  };
  return {
    patientId: text(PatientID),
    studyUid: text(StudyInstanceUID),
    seriesUid: text(SeriesInstanceUID),
    sopUid: text(SOPInstanceUID),
  };
}

/** The burned-in outcome as plain report data. */
function burnedInRecord(outcome: BurnedInOutcome): BurnedInRecord {
  const { assessment } = outcome;
  const record: BurnedInRecord = { status: outcome.status, atRisk: assessment.atRisk, reasons: [...assessment.reasons], rulesMatched: [...assessment.rulesMatched] };
  if ('reason' in outcome) record.reason = outcome.reason;
  if (outcome.notes && outcome.notes.length > 0) record.notes = [...outcome.notes];
  if (outcome.status === 'redacted') {
    record.framesRedacted = [...outcome.framesRedacted];
    record.rectangles = outcome.rectangles.map((r) => ({ ...r }));
  }
  if ((outcome.status === 'redacted' || outcome.status === 'nothing-to-blank') && outcome.text) {
    record.text = { boxes: outcome.text.boxes, kept: outcome.text.kept, matched: [...outcome.text.matched] };
  }
  return record;
}

/** Where a quarantined file goes: the quarantine folder, mirroring the output tree or in the study layout. */
function quarantinePath(file: DicomFile, task: FileTask, options: ProcessOptions): string {
  const root = options.quarantineRoot;
  if (root === undefined) throw new Error('no quarantine folder');
  if (options.singleFile) return join(root, basename(task.target ?? task.relativePath));
  if (options.layout === 'study') return join(root, studyRelativePath(newIds(file), task.relativePath));
  // The mirror target's path below the output root: its identifying components already renamed (mirror-names.ts).
  return join(root, task.target !== null ? relative(options.outputRoot, task.target) : task.relativePath);
}

/**
 * Read → anonymize the metadata (sync) → the burned-in step (async: redaction by the plan's rules, the policy) →
 * write to the output, or to the quarantine folder, or fail.
 */
export async function processFile(anonymizer: Anonymizer, task: FileTask, options: ProcessOptions): Promise<FileOutcome> {
  const base = { index: task.index, bytesIn: 0, bytesOut: 0 };
  const resuming = options.skipExisting && !options.dryRun;
  const existing = (path: string): ExistingOutput => (resuming ? existingOutput(path, options.methodText, options.fingerprint ?? '', options.readOptions) : 'none');
  // Mirror layout: the output path is known before the input is read.
  const mirrorExisting = task.target !== null ? existing(task.target) : 'none';
  if (mirrorExisting === 'ours' && !options.collectIds && !options.collectAudit) {
    return { ...base, status: 'skipped', note: KEPT_NOTE, output: task.target };
  }
  const file = readInput(task, options);
  if (!('dataset' in file)) return { ...base, ...file };
  base.bytesIn = file.source.size;
  if (mirrorPathLeaks(file, task, options)) {
    file.close();
    return {
      ...base, status: 'failed', output: null,
      error: withInput(task.input, 'its output path would hold an identifying value of its header (an element out of ascending tag order, after the groups the path pre-pass reads); nothing was written'),
    };
  }
  const audit: AuditEntry[] | undefined = options.collectAudit ? [] : undefined;
  try {
    const sopClassUid = textOf(file, SOPClassUID);
    const before = presentAttributes(file.dataset);
    const result = anonymizer.anonymizeFile(file, audit ? (entry) => audit.push(entry) : undefined);
    const ids = instanceIds(result);
    const broken = brokenRequirements(sopClassUid, before, file.dataset);
    const untouched = {
      ...(result.untouchedProfileTags.length > 0 ? { untouchedProfileTags: result.untouchedProfileTags } : {}),
      ...(broken.length > 0 ? { iodBroken: { sopClassUid, tags: broken } } : {}),
    };
    const pixels = await anonymizer.finishPixels(file, result);
    const burnedIn = burnedInRecord(pixels);
    const delivery = deliveryOf(pixels);
    const reason = 'reason' in pixels ? pixels.reason : '';
    if (delivery === 'none') {
      return { ...base, status: 'failed', error: withInput(task.input, reason), output: null, bytesOut: 0, burnedIn };
    }
    if (delivery === 'quarantine') {
      // Metadata de-identified, pixels not cleaned: never in the output folder.
      if (options.dryRun) return { ...base, status: 'quarantined', note: reason, output: null, ids, audit, burnedIn, ...untouched };
      const path = quarantinePath(file, task, options);
      if (options.quarantineReal === undefined) mkdirSync(dirname(path), { recursive: true });
      else ensureFolderInside(options.quarantineRoot!, options.quarantineReal, dirname(path));
      stampRunFingerprint(file, options);
      base.bytesOut = writeDicomFile(file, path);
      return { ...base, status: 'quarantined', note: reason, output: path, ids, audit, burnedIn, ...untouched };
    }
    const warning = pixels.status === 'kept-at-risk' ? { warning: `delivered as is under --burned-in keep: ${pixels.reason}` } : {};
    let target = task.target;
    if (options.layout === 'study') target = join(options.outputRoot, studyRelativePath(newIds(file), task.relativePath));
    if (target === null) throw new Error('no output path');
    const found = task.target !== null ? mirrorExisting : existing(target);
    if (found === 'ours') return { ...base, status: 'skipped', note: KEPT_NOTE, output: target, ids, audit, burnedIn, ...untouched };
    // What the lenient reader repaired is named on the ok status (kinds and tag paths, never a value).
    const redone = redoneNote(found);
    const notes = [
      ...(redone !== null ? [redone] : []), ...(file.repairs?.length ? [`read with repairs: ${file.repairs.join('; ')}`] : []),
      ...(pixels.notes ?? []),
    ];
    const note = notes.length > 0 ? { note: notes.join('; ') } : {};
    if (options.dryRun) return { ...base, status: 'ok', output: null, ids, audit, burnedIn, ...warning, ...note, ...untouched };
    stampRunFingerprint(file, options);
    const written = writeOutput(file, target, task, options);
    return { ...base, ...written, status: 'ok', output: target, ids, audit, burnedIn, ...warning, ...note, ...untouched };
  } catch (error) {
    return { ...base, status: 'failed', error: withInput(task.input, describeError(error)), output: null, bytesOut: 0 };
  } finally {
    file.close();
  }
}

/**
 * The run fingerprint into the output's file meta, when the anonymizer made that meta ours (a plan that changed
 * nothing leaves the file, meta included, as it was: it stays byte for byte the input).
 */
function stampRunFingerprint(file: DicomFile, options: ProcessOptions): void {
  const implementation = file.meta?.get(ImplementationClassUID);
  if (!options.fingerprint || !file.meta || !implementation || getString(file.meta, implementation, file.source) !== IMPLEMENTATION_CLASS_UID) return;
  stampFingerprint(file.meta, options.fingerprint);
}

/** A top-level string value of the file ('' when absent). */
function textOf(file: DicomFile, tag: number): string {
  const el = file.dataset.get(tag);
  return el && el.items === null ? getString(file.dataset, el, file.datasetSource).trim() : '';
}

/** Whether the top-level elements are in ascending tag order (PS3.5 7.1), as the path pre-pass assumes. */
function ascending(file: DicomFile): boolean {
  const elements = file.dataset.elements;
  for (let i = 1; i < elements.length; i++) if (elements[i].tag <= elements[i - 1].tag) return false;
  return true;
}

/**
 * The mirror layout's output names were decided by a pre-pass that read each header only up to its patient and study
 * groups (mirror-names.ts). A file out of tag order may hold a value after that: its whole header is checked against
 * its output path here, and such a file is never written under a name that holds its value.
 */
function mirrorPathLeaks(file: DicomFile, task: FileTask, options: ProcessOptions): boolean {
  if (task.target === null || options.layout === 'study' || options.singleFile || ascending(file)) return false;
  return pathHoldsAnyValue(relative(options.outputRoot, task.target), pathIdentifyingValues(file));
}

/** The input read, or the outcome of an input that is not readable DICOM (or is a DICOMDIR). */
function readInput(task: FileTask, options: ProcessOptions): DicomFile | Pick<FileOutcome, 'status' | 'note' | 'error' | 'output'> {
  let file: DicomFile;
  try {
    file = readDicomFile(task.input, options.readOptions);
  } catch (error) {
    // Inputs are listed unread: a file that is not DICOM at all (and not named like it) is skipped, not failed.
    const reason = skipReason(task.input);
    if (reason !== null) return { status: 'skipped', note: reason, output: null };
    return { status: 'failed', error: withInput(task.input, describeError(error)), output: null };
  }
  if (!isDicomdir(file)) return file;
  file.close();
  return { status: 'skipped', note: DICOMDIR_NOTE, output: null };
}

/** Writes the anonymized file at `target`; in the study layout under a staging name the main thread renames. */
function writeOutput(file: DicomFile, target: string, task: FileTask, options: ProcessOptions): { bytesOut: number; staged?: string } {
  prepareFolder(dirname(target), options);
  const within = { within: options.outputReal ?? undefined };
  if (options.layout !== 'study') return { bytesOut: writeDicomFile(file, target, within) };
  // Two inputs may claim one name (a duplicated SOP Instance UID): the main thread decides which one lands.
  const staged = join(dirname(target), stagedName(basename(target), options.stageTag, task.index));
  return { bytesOut: writeDicomFile(file, staged, within), staged };
}

function isDicomdir(file: DicomFile): boolean {
  const sopClass = file.meta?.get(MediaStorageSOPClassUID);
  return sopClass !== undefined && getString(file.meta!, sopClass, file.source) === MEDIA_STORAGE_DIRECTORY_STORAGE;
}

const withInput = (input: string, message: string): string => (message.startsWith(input) ? message : `${input}: ${message}`);
