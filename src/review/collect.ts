// Gathers the review page's data (model.ts): pairs outputs with originals as verify does, reads every output (and,
// for the listing, every quarantined file), links the run's report and audit to them, runs verify (or reads its
// report) and renders thumbnails. Values come from the outputs only; the originals are read by verify alone.

import { existsSync, statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import type { DataElement, DataSet } from '../dicom/dataset.js';
import { keywordOf } from '../dicom/dictionary.js';
import { readDicomFile, type DicomFile } from '../dicom/part10.js';
import type { ByteSource } from '../dicom/source.js';
import { getNumbers, getString, getStrings } from '../dicom/values.js';
import { isStringVR, numberTypeOf } from '../dicom/vr.js';
import { UsageError } from '../files/usage-error.js';
import type { ProfileOption } from '../plan/plan.js';
import { CID7050 } from '../profiles/cid7050.generated.js';
import { maskValue } from '../verify/mask.js';
import { listFiles, pairOutputs } from '../verify/pairing.js';
import { verifyTrees } from '../verify/index.js';
import type { Finding, FindingKind } from '../verify/types.js';
import { walkFile } from '../verify/walk.js';
import {
  defaultQuarantineFolder, readAuditElements, readFindingsReport, readRunReport, type FindingRecord, type ReportEntry, type RunReport,
} from '../records/index.js';
import type { AttributeRow, ReviewData, ReviewFinding, ReviewInstance, ReviewSeries, ReviewStudy, ReviewSummary } from './model.js';
import { DEFAULT_THUMBNAIL_SIZE, renderThumbnails } from './thumbnails.js';
import {
  CodeValue, DeidentificationMethod, DeidentificationMethodCodeSequence, InstanceNumber, Modality, PixelData,
  SeriesDescription, SeriesInstanceUID, SeriesNumber, StudyInstanceUID,
} from '../dicom/tags.generated.js';

/** Which instances get thumbnails: all, one per series (plus every redacted one), none; auto = all up to AUTO_ALL_LIMIT. */
export type ThumbnailMode = 'auto' | 'all' | 'series' | 'none';
export const THUMBNAIL_MODES: readonly ThumbnailMode[] = ['auto', 'all', 'series', 'none'];
/** Above this many instances, auto shows one thumbnail set per series (and every redacted instance). */
export const AUTO_ALL_LIMIT = 1000;

export interface ReviewOptions {
  /** Originals (file or folder): verify compares the outputs with them. */
  input: string;
  /** Anonymized outputs (file or folder). */
  output: string;
  /** Folder with sop_uid.csv: pair by SOP Instance UID (as verify does). */
  mapping?: string;
  /** The anonymize run's --report file. */
  reportPath?: string;
  /** The anonymize run's --audit file. */
  auditPath?: string;
  /** verify's --report file; without it, verify runs here (unless verify is false). */
  findingsPath?: string;
  verify?: boolean;
  /** PS3.15 options the outputs were made with (for verify). */
  options?: readonly ProfileOption[];
  /** The run's quarantine folder (default: from the report, else <output>-quarantine when it exists). */
  quarantine?: string;
  showValues?: boolean;
  showQuarantined?: boolean;
  thumbnails?: ThumbnailMode;
  thumbnailSize?: number;
}

/** An output value as the page shows it: masked (first character and length) unless `show`; binary values by size. */
export function displayValue(dataset: DataSet, element: DataElement, source: ByteSource, show: boolean): string {
  if (element.items !== null) return `(${element.items.length} item${element.items.length === 1 ? '' : 's'})`;
  if (element.valueLength === 0) return '(empty)';
  let text: string;
  if (isStringVR(element.vr)) text = getString(dataset, element, source);
  else if (numberTypeOf(element.vr) === element.vr && element.valueLength <= 64) text = getNumbers(dataset, element, source).join('\\');
  else return `(${element.vr}, ${element.valueLength} bytes)`;
  if (!show) return maskValue(text);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

const foldItems = (path: string): string => path.replace(/\[\d+\]/g, '[*]');

/** A short code or number shown unmasked (Modality, Series and Instance Number); anything else is masked. */
function structural(dataset: DataSet, tag: number, source: ByteSource, pattern: RegExp): string | null {
  const el = dataset.get(tag);
  if (!el || el.items !== null || el.valueLength === 0) return null;
  const text = getString(dataset, el, source).trim();
  return pattern.test(text) ? text : maskValue(text);
}

interface Facts {
  studyUid: string;
  seriesUid: string;
  modality: string;
  seriesNumber: string | null;
  instanceNumber: string | null;
  description: string | null;
  hasPixels: boolean;
  codes: string[];
  methodTexts: string[];
}

function factsOf(file: DicomFile, show: boolean): Facts {
  const { dataset, datasetSource: source } = file;
  const text = (tag: number): string => {
    const el = dataset.get(tag);
    return el && el.items === null ? getString(dataset, el, source).trim() : '';
  };
  const description = dataset.get(SeriesDescription);
  const codes: string[] = [];
  for (const item of dataset.get(DeidentificationMethodCodeSequence)?.items ?? []) {
    const el = item.get(CodeValue);
    if (el) codes.push(getString(item, el, source).trim());
  }
  const method = dataset.get(DeidentificationMethod);
  return {
    studyUid: text(StudyInstanceUID),
    seriesUid: text(SeriesInstanceUID),
    modality: structural(dataset, Modality, source, /^[A-Z0-9_]{1,16}$/) ?? '?',
    seriesNumber: structural(dataset, SeriesNumber, source, /^[+-]?\d{1,9}$/),
    instanceNumber: structural(dataset, InstanceNumber, source, /^[+-]?\d{1,9}$/),
    description: description && description.valueLength > 0 ? displayValue(dataset, description, source, show) : null,
    hasPixels: dataset.get(PixelData) !== undefined,
    codes,
    // Only our own marker text is shown whole; any other method text is an output value like the rest.
    methodTexts: method ? getStrings(dataset, method, source).filter((m) => m.startsWith('dicom-anonymizer:')) : [],
  };
}

/** Output values per folded tag path of one file (at most three distinct per path, over a series). */
function collectValues(file: DicomFile, show: boolean, into: Map<string, { keyword: string; values: Set<string>; files: number }>): void {
  const seen = new Set<string>();
  for (const visit of walkFile(file)) {
    const path = foldItems(visit.path);
    let row = into.get(path);
    if (!row) {
      row = { keyword: keywordOf(visit.element.tag) ?? '', values: new Set(), files: 0 };
      into.set(path, row);
    }
    if (!seen.has(path)) {
      seen.add(path);
      row.files++;
    }
    if (row.values.size < 3) row.values.add(displayValue(visit.dataset, visit.element, visit.source, show));
  }
}

const toFinding = (f: Finding): ReviewFinding => ({ severity: f.severity, kind: f.kind, tagPath: f.tagPath, message: f.message, masked: f.masked });

interface Pending {
  instance: ReviewInstance;
  /** The file to read thumbnails from. */
  file: string;
  /** Original path as the run's report and audit name it (resolved), for the audit; never shown. */
  input: string | null;
  seriesKey: string;
  studyKey: string;
  sortKey: number;
}

function openOrNull(path: string): DicomFile | null {
  try {
    return readDicomFile(path);
  } catch {
    return null;
  }
}

/** Output values per folded tag path, over one series: keyword, at most three distinct values, files holding it. */
type SeriesValues = Map<string, { keyword: string; values: Set<string>; files: number }>;

/** An output (or quarantined file) to show, with what the run's report says of it. */
interface Listed {
  path: string;
  /** Path below the output (or quarantine) folder, as the page shows it. */
  shownPath: string;
  status: 'ok' | 'quarantined';
  entry: ReportEntry | null;
  /** The original verify paired it with (ok outputs). */
  pairedInput: string | null;
}

/** What reading every listed file gathered: the instances, and per series its facts and output values. */
interface Gathered {
  pending: Pending[];
  codes: Set<string>;
  methodTexts: Set<string>;
  valuesBySeries: Map<string, SeriesValues>;
  seriesFacts: Map<string, Facts>;
}

/** Studies and series in first-seen order, and the instances in page order (their ids). */
interface Grouped {
  studies: ReviewStudy[];
  series: ReviewSeries[];
  ordered: Pending[];
}

/** Builds the page's data. Throws UsageError for missing inputs, RecordError for run files that are not what they should be. */
export async function collectReview(options: ReviewOptions): Promise<ReviewData> {
  const show = options.showValues === true;
  if (!existsSync(options.output)) throw new UsageError(`output not found: ${options.output}`);
  const report = options.reportPath ? readRunReport(options.reportPath) : null;
  const notes: string[] = [];
  const listed = [...listOutputs(options, report), ...listQuarantined(options, report)];
  const findings = gatherFindings(options);
  const gathered = readListed(listed, findings, show);
  const grouped = groupInstances(gathered);
  attachAttributes(options, report, gathered, grouped, notes);
  await attachThumbnails(options, grouped, notes);
  notes.push(show
    ? 'Values: --show-values: output values are shown whole (never an original value).'
    : 'Values are masked as verify masks them: first character and length, e.g. "S…(12)" (--show-values shows output values).');
  return { summary: summarize(report, gathered, grouped, findings !== null), studies: grouped.studies, series: grouped.series, instances: grouped.ordered.map((p) => p.instance), notes, showValues: show };
}

/** The outputs, paired with their originals as verify pairs them, each with its entry of the run's report. */
function listOutputs(options: ReviewOptions, report: RunReport | null): Listed[] {
  const byOutput = new Map<string, ReportEntry>();
  for (const e of report?.files ?? []) if (e.output !== null) byOutput.set(resolve(e.output), e);
  const outputIsDir = statSync(options.output).isDirectory();
  const shown = (path: string): string => (outputIsDir ? relative(options.output, path) : basename(path));
  return pairOutputs(options.input, options.output, options.mapping).map((pair) => ({
    path: pair.output, shownPath: shown(pair.output), status: 'ok', entry: byOutput.get(resolve(pair.output)) ?? null, pairedInput: pair.input,
  }));
}

/** Quarantined files that are still there: from the report, else every file of the quarantine folder. */
function listQuarantined(options: ReviewOptions, report: RunReport | null): Listed[] {
  const root = options.quarantine ?? report?.summary.quarantineFolder ?? defaultQuarantineFolder(options.output);
  const listed: Listed[] = [];
  if (report) {
    for (const e of report.files) {
      if (e.status !== 'quarantined' || e.output === null) continue;
      listed.push({ path: e.output, shownPath: relative(root, e.output) || basename(e.output), status: 'quarantined', entry: e, pairedInput: null });
    }
  } else if (existsSync(root)) {
    for (const f of listFiles(root)) listed.push({ path: f.path, shownPath: f.relativePath, status: 'quarantined', entry: null, pairedInput: null });
  }
  return listed.filter((q) => existsSync(q.path));
}

/** Findings per resolved output path: verify's report, or verify run here; null when neither. */
function gatherFindings(options: ReviewOptions): Map<string, Finding[]> | null {
  if (options.findingsPath) {
    return new Map(readFindingsReport(options.findingsPath).files.map((f) => [resolve(f.output), f.findings.map(findingOf)]));
  }
  if (options.verify === false) return null;
  const verified = verifyTrees({ input: options.input, output: options.output, mapping: options.mapping, options: options.options });
  return new Map(verified.files.map((f) => [resolve(f.output), f.findings]));
}

/** A finding as verify's report file holds it; a kind this build does not know is shown by its name. */
const findingOf = (f: FindingRecord): Finding => ({ ...f, kind: f.kind as FindingKind });

/** Reads every listed file once: its facts and, for outputs, the values per series; one pending instance each. */
function readListed(listed: readonly Listed[], findings: Map<string, Finding[]> | null, show: boolean): Gathered {
  const gathered: Gathered = { pending: [], codes: new Set(), methodTexts: new Set(), valuesBySeries: new Map(), seriesFacts: new Map() };
  for (const item of listed) {
    const file = openOrNull(item.path);
    const facts = file ? readFacts(file, item.status, show, gathered) : null;
    gathered.pending.push(pendingOf(item, facts, file !== null, findings));
  }
  return gathered;
}

/** One file's facts, its codes and method texts into the run's, and (outputs only) its values into its series'. */
function readFacts(file: DicomFile, status: Listed['status'], show: boolean, into: Gathered): Facts {
  try {
    const facts = factsOf(file, show);
    for (const c of facts.codes) into.codes.add(c);
    for (const m of facts.methodTexts) into.methodTexts.add(m);
    const seriesKey = `${facts.studyUid}\0${facts.seriesUid}`;
    let values = into.valuesBySeries.get(seriesKey);
    if (!values) into.valuesBySeries.set(seriesKey, (values = new Map()));
    if (status === 'ok') collectValues(file, show, values);
    if (!into.seriesFacts.has(seriesKey)) into.seriesFacts.set(seriesKey, facts);
    return facts;
  } finally {
    file.close();
  }
}

/** The page's instance for one listed file (ids and series are given when the instances are grouped). */
function pendingOf(item: Listed, facts: Facts | null, readable: boolean, findings: Map<string, Finding[]> | null): Pending {
  const { path, shownPath, status, entry } = item;
  const record = entry?.burnedIn;
  const found = (findings?.get(resolve(path)) ?? []).map(toFinding);
  // A path verify found an original value in (a mirror tree named after its patients) is not shown.
  const withheld = found.some((f) => f.kind === 'identifying-value-in-path');
  const instance: ReviewInstance = {
    id: 0, series: 0, path: withheld ? `(path withheld: it holds an identifying value of the original) ${maskValue(shownPath)}` : shownPath, status, instanceNumber: facts?.instanceNumber ?? null,
    rows: null, columns: null, frames: null, photometric: null, thumbnails: [],
    thumbnailNote: readable ? (facts?.hasPixels ? null : 'no Pixel Data') : 'cannot be read',
    burnedIn: record ? { status: record.status, reasons: record.reasons, rectangles: record.rectangles ?? [] } : null,
    quarantineReason: status === 'quarantined' ? entry?.note ?? 'in the quarantine folder (no --report: reason not known)' : null,
    findings: found,
  };
  const input = entry ? resolve(entry.input) : item.pairedInput ? resolve(item.pairedInput) : null;
  const number = Number.parseInt(facts?.instanceNumber ?? '', 10);
  return {
    instance, file: path, input,
    seriesKey: facts ? `${facts.studyUid}\0${facts.seriesUid}` : `unreadable\0${path}`, studyKey: facts?.studyUid ?? `unreadable\0${path}`,
    sortKey: Number.isFinite(number) ? number : Number.MAX_SAFE_INTEGER,
  };
}

/** Studies and series in first-seen order; within a series outputs before quarantined files, by Instance Number, then path. */
function groupInstances({ pending, seriesFacts }: Gathered): Grouped {
  const studies: ReviewStudy[] = [];
  const series: ReviewSeries[] = [];
  const studyIds = new Map<string, number>();
  const seriesIds = new Map<string, number>();
  for (const p of pending) {
    let studyId = studyIds.get(p.studyKey);
    if (studyId === undefined) {
      studyId = studies.length;
      studyIds.set(p.studyKey, studyId);
      studies.push({ id: studyId, series: [] });
    }
    if (!seriesIds.has(p.seriesKey)) {
      const id = series.length;
      seriesIds.set(p.seriesKey, id);
      const facts = seriesFacts.get(p.seriesKey);
      series.push({ id, study: studyId, modality: facts?.modality ?? '?', seriesNumber: facts?.seriesNumber ?? null, description: facts?.description ?? null, instances: [], attributes: [] });
      studies[studyId].series.push(id);
    }
  }
  const ordered = [...pending].sort((a, b) =>
    seriesIds.get(a.seriesKey)! - seriesIds.get(b.seriesKey)! || (a.instance.status === b.instance.status ? 0 : a.instance.status === 'ok' ? -1 : 1) ||
    a.sortKey - b.sortKey || (a.instance.path < b.instance.path ? -1 : a.instance.path > b.instance.path ? 1 : 0));
  ordered.forEach((p, id) => {
    p.instance.id = id;
    p.instance.series = seriesIds.get(p.seriesKey)!;
    series[p.instance.series].instances.push(id);
  });
  return { studies, series, ordered };
}

/** What happened to each attribute, per series: the audit's rows with the outputs' values, else what the outputs hold. */
function attachAttributes(options: ReviewOptions, report: RunReport | null, gathered: Gathered, grouped: Grouped, notes: string[]): void {
  const rowsBySeries = options.auditPath
    ? auditRows(options.auditPath, report, gathered, grouped, notes)
    : outputRows(gathered, grouped, notes);
  for (const s of grouped.series) s.attributes = [...(rowsBySeries.get(s.id)?.values() ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.action < b.action ? -1 : 1));
}

/** The audit's lines folded per series (tag path, keyword, action, rule), counting instances, with the output values at each path. */
function auditRows(auditPath: string, report: RunReport | null, { valuesBySeries }: Gathered, { ordered }: Grouped, notes: string[]): Map<number, Map<string, AttributeRow>> {
  const byInput = new Map<string, Pending>();
  for (const p of ordered) if (p.input !== null && p.instance.status === 'ok') byInput.set(p.input, p);
  const rowsBySeries = new Map<number, Map<string, AttributeRow>>();
  const notDelivered = new Set((report?.files ?? []).filter((e) => e.status !== 'ok').map((e) => resolve(e.input)));
  let unlinked = 0, current: string | null = null, seen = new Set<string>();
  for (const line of readAuditElements(auditPath)) {
    const p = byInput.get(resolve(line.file));
    if (!p) {
      // Quarantined files were anonymized too, but their attributes are not what leaves: not in the tables.
      if (!notDelivered.has(resolve(line.file))) unlinked++;
      continue;
    }
    if (line.file !== current) {
      current = line.file;
      seen = new Set();
    }
    const path = foldItems(line.path);
    const key = `${path}\t${line.keyword}\t${line.action}\t${line.origin}`;
    let rows = rowsBySeries.get(p.instance.series);
    if (!rows) rowsBySeries.set(p.instance.series, (rows = new Map()));
    let row = rows.get(key);
    if (!row) {
      const found = line.action === 'remove' ? undefined : valuesBySeries.get(p.seriesKey)?.get(path);
      row = { path, keyword: line.keyword, action: line.action, origin: line.origin, instances: 0, values: found ? [...found.values] : [] };
      rows.set(key, row);
    }
    if (!seen.has(key)) {
      seen.add(key);
      row.instances++;
    }
  }
  if (unlinked > 0) notes.push(`${unlinked} audit line(s) name files that are not among these outputs (another run, or paths given from another folder).`);
  return rowsBySeries;
}

/** Without an audit: per series, the tag paths the outputs hold and their values. */
function outputRows({ valuesBySeries }: Gathered, { ordered }: Grouped, notes: string[]): Map<number, Map<string, AttributeRow>> {
  notes.push('No --audit given: the attribute tables list what the outputs hold, not what was done.');
  const rowsBySeries = new Map<number, Map<string, AttributeRow>>();
  for (const p of ordered) {
    if (rowsBySeries.has(p.instance.series)) continue;
    const rows = new Map<string, AttributeRow>();
    for (const [path, v] of valuesBySeries.get(p.seriesKey) ?? []) {
      rows.set(path, { path, keyword: v.keyword, action: 'in output', origin: '', instances: v.files, values: [...v.values] });
    }
    rowsBySeries.set(p.instance.series, rows);
  }
  return rowsBySeries;
}

/** The instances that get thumbnails under the mode: all, or one per series plus every redacted one. */
function chooseThumbnails(options: ReviewOptions, { series, ordered }: Grouped, notes: string[]): { mode: ThumbnailMode; chosen: Set<number> } {
  const okCount = ordered.filter((p) => p.instance.status === 'ok').length;
  const requested = options.thumbnails ?? 'auto';
  const mode = requested === 'auto' ? (okCount <= AUTO_ALL_LIMIT ? 'all' : 'series') : requested;
  if (requested === 'auto' && mode === 'series') notes.push(`${okCount} instances (more than ${AUTO_ALL_LIMIT}): thumbnails of one instance per series and of every redacted instance (--thumbnails all shows every one).`);
  const chosen = new Set<number>();
  if (mode === 'all') for (const p of ordered) chosen.add(p.instance.id);
  if (mode === 'series') {
    for (const s of series) {
      const ok = s.instances.filter((id) => ordered[id].instance.status === 'ok' && ordered[id].instance.thumbnailNote === null);
      if (ok.length > 0) chosen.add(ok[Math.floor((ok.length - 1) / 2)]);
    }
    for (const p of ordered) if (p.instance.burnedIn?.status === 'redacted') chosen.add(p.instance.id);
  }
  return { mode, chosen };
}

/** Renders the chosen instances' thumbnails (quarantined ones only with showQuarantined); the others say why not. */
async function attachThumbnails(options: ReviewOptions, grouped: Grouped, notes: string[]): Promise<void> {
  const { mode, chosen } = chooseThumbnails(options, grouped, notes);
  for (const p of grouped.ordered) {
    const { instance } = p;
    if (instance.thumbnailNote !== null) continue;
    if (instance.status === 'quarantined' && !options.showQuarantined) {
      instance.thumbnailNote = 'pixels not shown: quarantined files may carry burned-in text (--show-quarantined shows them)';
      continue;
    }
    if (instance.status === 'quarantined' && options.showQuarantined) chosen.add(instance.id);
    if (!chosen.has(instance.id)) {
      instance.thumbnailNote = mode === 'none' ? 'thumbnails off (--thumbnails none)' : 'no thumbnail: one instance per series is shown';
      continue;
    }
    await renderInto(p, options.thumbnailSize ?? DEFAULT_THUMBNAIL_SIZE);
  }
}

/** One instance's thumbnails, or the reason they cannot be shown (PixelDataError messages name tag and frame, never a value). */
async function renderInto(p: Pending, size: number): Promise<void> {
  const { instance } = p;
  const file = openOrNull(p.file);
  if (!file) {
    instance.thumbnailNote = 'cannot be read';
    return;
  }
  try {
    const set = await renderThumbnails(file, size);
    instance.rows = set.rows;
    instance.columns = set.columns;
    instance.frames = set.frames;
    instance.photometric = set.photometric;
    instance.thumbnails = set.thumbnails;
  } catch (error) {
    instance.thumbnailNote = `pixels cannot be shown: ${error instanceof Error ? error.message.replace(p.file, instance.path) : 'unknown error'}`;
  } finally {
    file.close();
  }
}

/** The page's summary: the run's counts (from its report), what is shown, the findings and the methods found. */
function summarize(report: RunReport | null, { codes, methodTexts }: Gathered, { studies, series, ordered }: Grouped, verified: boolean): ReviewSummary {
  const allFindings = ordered.flatMap((p) => p.instance.findings);
  const run = report?.summary;
  return {
    run: run ? { ok: run.ok, failed: run.failed, skipped: run.skipped, quarantined: run.quarantined, layout: run.layout, dryRun: run.dryRun } : null,
    outputs: ordered.filter((p) => p.instance.status === 'ok').length,
    quarantinedShown: ordered.filter((p) => p.instance.status === 'quarantined').length,
    studies: studies.length,
    series: series.length,
    redacted: ordered.filter((p) => p.instance.burnedIn?.status === 'redacted').length,
    findings: !verified ? null : {
      high: allFindings.filter((f) => f.severity === 'high').length,
      medium: allFindings.filter((f) => f.severity === 'medium').length,
      low: allFindings.filter((f) => f.severity === 'low').length,
      filesWithFindings: ordered.filter((p) => p.instance.findings.length > 0).length,
    },
    methods: CID7050.filter((c) => codes.has(c.codeValue)).map((c) => `${c.codeMeaning} (${c.codeValue})`),
    methodTexts: [...methodTexts].slice(0, 10),
  };
}
