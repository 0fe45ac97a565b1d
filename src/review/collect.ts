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
import { ProfileView } from '../verify/profile.js';
import { verifyTrees } from '../verify/index.js';
import type { Finding, FindingKind } from '../verify/types.js';
import { walkFile } from '../verify/walk.js';
import {
  defaultQuarantineFolder, readAuditElements, readFindingsReport, readRunReport, type FindingRecord, type ReportEntry, type RunReport,
} from '../records/index.js';
import type { AttributeRow, ReviewData, ReviewFinding, ReviewInstance, ReviewSeries, ReviewStudy, ReviewSummary } from './model.js';
import { isPlainValue } from './plain-values.js';
import { DEFAULT_THUMBNAIL_SIZE, renderThumbnails, type FullSizeBudget } from './thumbnails.js';
import {
  CodeValue, DeidentificationMethod, DeidentificationMethodCodeSequence, InstanceNumber, Modality, PixelData,
  SeriesDescription, SeriesInstanceUID, SeriesNumber, StudyInstanceUID,
} from '../dicom/tags.generated.js';

/** Which instances get thumbnails: all, one per series (plus every redacted one), none; auto = all up to AUTO_ALL_LIMIT. */
import type { ThumbnailMode } from '../plan/thumbnail-modes.js';
export { THUMBNAIL_MODES, type ThumbnailMode } from '../plan/thumbnail-modes.js';
/** Above this many instances, auto shows one thumbnail set per series (and every redacted instance). */
export const AUTO_ALL_LIMIT = 1000;
/** Characters of full-size images (data: URIs) a page holds at most, so that a page of thousands still opens. */
export const FULL_SIZE_BUDGET = 96 * 1024 * 1024;

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
  /** The run's quarantine folder (default: from the report, else <input>-quarantine when it exists). */
  quarantine?: string;
  showValues?: boolean;
  showQuarantined?: boolean;
  thumbnails?: ThumbnailMode;
  thumbnailSize?: number;
  /** Characters of full-size images the page may hold (default FULL_SIZE_BUDGET; 0: thumbnails only). */
  fullSizeBudget?: number;
}

/**
 * An output value as the page shows it: masked (first character and length) unless `show` (or `show` of its text
 * says so); binary values by size.
 */
export function displayValue(dataset: DataSet, element: DataElement, source: ByteSource, show: boolean | ((text: string) => boolean)): string {
  if (element.items !== null) return `(${element.items.length} item${element.items.length === 1 ? '' : 's'})`;
  if (element.valueLength === 0) return '(empty)';
  let text: string;
  if (isStringVR(element.vr)) text = getString(dataset, element, source);
  else if (numberTypeOf(element.vr) === element.vr && element.valueLength <= 64) text = getNumbers(dataset, element, source).join('\\');
  else return `(${element.vr}, ${element.valueLength} bytes)`;
  if (!(typeof show === 'function' ? show(text) : show)) return maskValue(text);
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

/**
 * Output values per folded tag path of one file (at most three distinct per path, over a series): whole with
 * --show-values or when of a kept, non-identifying vocabulary (plain-values.ts), masked otherwise; and always their
 * masked forms, for a path whose audit says the Plan did not keep it.
 */
function collectValues(file: DicomFile, show: boolean, profile: ProfileView, into: SeriesValues): void {
  const seen = new Set<string>();
  for (const visit of walkFile(file)) {
    const path = foldItems(visit.path);
    let row = into.get(path);
    if (!row) {
      row = { keyword: keywordOf(visit.element.tag) ?? '', values: new Set(), masked: new Set(), files: 0 };
      into.set(path, row);
    }
    if (!seen.has(path)) {
      seen.add(path);
      row.files++;
    }
    if (row.values.size < 3) {
      const shown = displayValue(visit.dataset, visit.element, visit.source, show || ((text) => isPlainValue(visit, text, profile)));
      if (!row.values.has(shown)) {
        row.values.add(shown);
        row.masked.add(show ? shown : displayValue(visit.dataset, visit.element, visit.source, false));
      }
    }
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

/** Output values per folded tag path, over one series: keyword, at most three distinct values (as shown, and masked), files holding it. */
type SeriesValues = Map<string, { keyword: string; values: Set<string>; masked: Set<string>; files: number }>;

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
  /** A quarantined file's own values (its path): not mixed into its series', which are what leaves. */
  valuesByQuarantined: Map<string, SeriesValues>;
  seriesFacts: Map<string, Facts>;
}

/** verify's findings per resolved output path, and whether they include its reading of the pixels. */
interface Findings {
  byOutput: Map<string, Finding[]>;
  pixels: boolean;
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
  const gathered = readListed(listed, findings, show, new ProfileView(options.options ?? []), pathHider(options));
  const grouped = groupInstances(gathered);
  attachAttributes(options, report, gathered, grouped, notes);
  await attachThumbnails(options, grouped, notes);
  notes.push(show
    ? 'Values: --show-values: output values are shown whole (never an original value).'
    : 'Values are masked as verify masks them: first character and length, e.g. "S…(12)" (--show-values shows output values); ' +
      'only values of a kept, non-identifying vocabulary (Modality, Body Part Examined, Image Type, MR sequence names…) are shown whole.');
  if (findings !== null && !findings.pixels) notes.push('Pixels not verified: the findings are of the attributes only (verify --pixels --report FILE, then --findings FILE, reads the pixels).');
  return { summary: summarize(report, gathered, grouped, findings), studies: grouped.studies, series: grouped.series, instances: grouped.ordered.map((p) => p.instance), notes, showValues: show };
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
  const root = options.quarantine ?? report?.summary.quarantineFolder ?? (options.input ? defaultQuarantineFolder(options.input) : null) ?? '';
  const listed: Listed[] = [];
  if (report) {
    for (const e of report.files) {
      if (e.status !== 'quarantined' || e.output === null) continue;
      listed.push({ path: e.output, shownPath: relative(root, e.output) || basename(e.output), status: 'quarantined', entry: e, pairedInput: null });
    }
  } else if (root !== '' && existsSync(root)) {
    for (const f of listFiles(root)) listed.push({ path: f.path, shownPath: f.relativePath, status: 'quarantined', entry: null, pairedInput: null });
  }
  return listed.filter((q) => existsSync(q.path));
}

/** Findings per resolved output path: verify's report, or verify run here (attributes only); null when neither. */
function gatherFindings(options: ReviewOptions): Findings | null {
  if (options.findingsPath) {
    const read = readFindingsReport(options.findingsPath);
    return { byOutput: new Map(read.files.map((f) => [resolve(f.output), f.findings.map(findingOf)])), pixels: read.summary.pixels === true };
  }
  if (options.verify === false) return null;
  const verified = verifyTrees({ input: options.input, output: options.output, mapping: options.mapping, options: options.options });
  return { byOutput: new Map(verified.files.map((f) => [resolve(f.output), f.findings])), pixels: false };
}

/**
 * Replaces, in a text of the run's report (a quarantine reason may quote a pixel error naming the file), the file's
 * original path by the path the page shows, and the input folder by "<input>": the page never shows an original path.
 */
type PathHider = (text: string, input: string | null, shownPath: string) => string;

function pathHider(options: ReviewOptions): PathHider {
  const root = resolve(options.input);
  return (text, input, shownPath) => {
    let hidden = text;
    for (const original of input === null ? [] : [...new Set([input, resolve(input)])].sort((a, b) => b.length - a.length)) hidden = hidden.split(original).join(shownPath);
    for (const folder of [...new Set([root, options.input])].sort((a, b) => b.length - a.length)) if (folder.length > 1) hidden = hidden.split(folder).join('<input>');
    return hidden;
  };
}

/** A finding as verify's report file holds it; a kind this build does not know is shown by its name. */
const findingOf = (f: FindingRecord): Finding => ({ ...f, kind: f.kind as FindingKind });

/** Reads every listed file once: its facts and its values (per series for outputs); one pending instance each. */
function readListed(listed: readonly Listed[], findings: Findings | null, show: boolean, profile: ProfileView, hide: PathHider): Gathered {
  const gathered: Gathered = { pending: [], codes: new Set(), methodTexts: new Set(), valuesBySeries: new Map(), valuesByQuarantined: new Map(), seriesFacts: new Map() };
  for (const item of listed) {
    const file = openOrNull(item.path);
    const facts = file ? readFacts(file, item, show, profile, gathered) : null;
    gathered.pending.push(pendingOf(item, facts, file !== null, findings, hide));
  }
  return gathered;
}

/** One file's facts, its codes and method texts into the run's, and its values into its series' (or its own when quarantined). */
function readFacts(file: DicomFile, item: Listed, show: boolean, profile: ProfileView, into: Gathered): Facts {
  try {
    const facts = factsOf(file, show);
    for (const c of facts.codes) into.codes.add(c);
    for (const m of facts.methodTexts) into.methodTexts.add(m);
    const seriesKey = `${facts.studyUid}\0${facts.seriesUid}`;
    let values = into.valuesBySeries.get(seriesKey);
    if (!values) into.valuesBySeries.set(seriesKey, (values = new Map()));
    if (item.status === 'ok') collectValues(file, show, profile, values);
    else {
      const own: SeriesValues = new Map();
      collectValues(file, show, profile, own);
      into.valuesByQuarantined.set(item.path, own);
    }
    if (!into.seriesFacts.has(seriesKey)) into.seriesFacts.set(seriesKey, facts);
    return facts;
  } finally {
    file.close();
  }
}

/** The page's instance for one listed file (ids and series are given when the instances are grouped). */
function pendingOf(item: Listed, facts: Facts | null, readable: boolean, findings: Findings | null, hide: PathHider): Pending {
  const { path, shownPath, status, entry } = item;
  const record = entry?.burnedIn;
  const verified = findings?.byOutput.get(resolve(path)) ?? [];
  // A path verify found an original value in (a mirror tree named after its patients) is not shown.
  const withheld = verified.some((f) => f.kind === 'identifying-value-in-path');
  const pagePath = withheld ? `(path withheld: it holds an identifying value of the original) ${maskValue(shownPath)}` : shownPath;
  const original = entry ? entry.input : item.pairedInput;
  const hidden = (text: string): string => hide(text, original, pagePath);
  const found = verified.map(toFinding).map((f) => ({ ...f, message: hidden(f.message) }));
  const instance: ReviewInstance = {
    id: 0, series: 0, path: pagePath, status, instanceNumber: facts?.instanceNumber ?? null,
    rows: null, columns: null, frames: null, photometric: null, thumbnails: [],
    thumbnailNote: readable ? (facts?.hasPixels ? null : 'no Pixel Data') : 'cannot be read',
    burnedIn: record ? { status: record.status, reasons: record.reasons.map(hidden), rectangles: record.rectangles ?? [] } : null,
    quarantineReason: status === 'quarantined' ? (entry?.note !== undefined ? hidden(entry.note) : 'in the quarantine folder (no --report: reason not known)') : null,
    findings: found, attributes: [],
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

/** Attribute rows of one table by key (tag path, keyword, action, rule). */
type Rows = Map<string, AttributeRow>;

/** Attribute tables: one per series (its outputs: what leaves) and one per quarantined instance (its id). */
interface Tables {
  bySeries: Map<number, Rows>;
  byQuarantined: Map<number, Rows>;
}

const byPathThenAction = (a: AttributeRow, b: AttributeRow): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.action < b.action ? -1 : 1);

/**
 * What happened to each attribute, per series and per quarantined file: the audit's rows with the files' values,
 * else what the files hold.
 */
function attachAttributes(options: ReviewOptions, report: RunReport | null, gathered: Gathered, grouped: Grouped, notes: string[]): void {
  const tables = options.auditPath
    ? auditRows(options.auditPath, report, gathered, grouped, notes)
    : outputRows(gathered, grouped, notes);
  for (const s of grouped.series) s.attributes = [...(tables.bySeries.get(s.id)?.values() ?? [])].sort(byPathThenAction);
  for (const p of grouped.ordered) p.instance.attributes = [...(tables.byQuarantined.get(p.instance.id)?.values() ?? [])].sort(byPathThenAction);
}

/** The values shown for a path: the Plan's own decision wins: only a kept attribute may show a value whole. */
function valuesAt(values: SeriesValues | undefined, path: string, action: string): string[] {
  if (action === 'remove') return [];
  const found = values?.get(path);
  if (!found) return [];
  return [...(action === 'keep' ? found.values : found.masked)];
}

/**
 * The audit's lines folded per table (tag path, keyword, action, rule), counting instances, with the files' values at
 * each path: outputs per series, each quarantined file on its own (its attributes are not what leaves).
 */
function auditRows(auditPath: string, report: RunReport | null, { valuesBySeries, valuesByQuarantined }: Gathered, { ordered }: Grouped, notes: string[]): Tables {
  const byInput = new Map<string, Pending>();
  for (const p of ordered) if (p.input !== null) byInput.set(p.input, p);
  const tables: Tables = { bySeries: new Map(), byQuarantined: new Map() };
  const notDelivered = new Set((report?.files ?? []).filter((e) => e.status !== 'ok').map((e) => resolve(e.input)));
  let unlinked = 0, current: string | null = null, seen = new Set<string>();
  for (const line of readAuditElements(auditPath)) {
    const p = byInput.get(resolve(line.file));
    if (!p) {
      // Failed files, and quarantined ones no longer in the quarantine folder: counted in the summary, not listed.
      if (!notDelivered.has(resolve(line.file))) unlinked++;
      continue;
    }
    if (line.file !== current) {
      current = line.file;
      seen = new Set();
    }
    const path = foldItems(line.path);
    const key = `${path}\t${line.keyword}\t${line.action}\t${line.origin}`;
    const quarantined = p.instance.status === 'quarantined';
    const table = quarantined ? tables.byQuarantined : tables.bySeries;
    const tableKey = quarantined ? p.instance.id : p.instance.series;
    let rows = table.get(tableKey);
    if (!rows) table.set(tableKey, (rows = new Map()));
    let row = rows.get(key);
    if (!row) {
      const values = quarantined ? valuesByQuarantined.get(p.file) : valuesBySeries.get(p.seriesKey);
      row = { path, keyword: line.keyword, action: line.action, origin: line.origin, instances: 0, values: valuesAt(values, path, line.action) };
      rows.set(key, row);
    }
    if (!seen.has(key)) {
      seen.add(key);
      row.instances++;
    }
  }
  if (unlinked > 0) notes.push(`${unlinked} audit line(s) name files that are not among these outputs (another run, or paths given from another folder).`);
  return tables;
}

/** The paths a set of values holds, as rows without an action. */
function heldRows(values: SeriesValues | undefined): Rows {
  const rows: Rows = new Map();
  for (const [path, v] of values ?? []) rows.set(path, { path, keyword: v.keyword, action: 'in output', origin: '', instances: v.files, values: [...v.values] });
  return rows;
}

/** Without an audit: per series (and quarantined file), the tag paths the files hold and their values. */
function outputRows({ valuesBySeries, valuesByQuarantined }: Gathered, { ordered }: Grouped, notes: string[]): Tables {
  notes.push('No --audit given: the attribute tables list what the outputs hold, not what was done.');
  const tables: Tables = { bySeries: new Map(), byQuarantined: new Map() };
  for (const p of ordered) {
    if (p.instance.status === 'quarantined') tables.byQuarantined.set(p.instance.id, heldRows(valuesByQuarantined.get(p.file)));
    else if (!tables.bySeries.has(p.instance.series)) tables.bySeries.set(p.instance.series, heldRows(valuesBySeries.get(p.seriesKey)));
  }
  return tables;
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
  const budget: FullSizeBudget = { remaining: options.fullSizeBudget ?? FULL_SIZE_BUDGET };
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
    await renderInto(p, options.thumbnailSize ?? DEFAULT_THUMBNAIL_SIZE, budget);
  }
  const shown = grouped.ordered.flatMap((p) => p.instance.thumbnails);
  if (shown.length === 0) return;
  const cut = shown.filter((t) => t.full === null).length;
  notes.push('Click a thumbnail (or focus it and press Enter) to see the frame at the image\'s own resolution; arrow keys move between frames, Escape closes.' +
    (cut > 0 ? ` ${cut} frame(s) past the page's size budget for full-size images enlarge their thumbnail only (--thumbnails series leaves room).` : ''));
}

/** One instance's thumbnails, or the reason they cannot be shown (PixelDataError messages name tag and frame, never a value). */
async function renderInto(p: Pending, size: number, budget: FullSizeBudget): Promise<void> {
  const { instance } = p;
  const file = openOrNull(p.file);
  if (!file) {
    instance.thumbnailNote = 'cannot be read';
    return;
  }
  try {
    // The frames the run blanked boxes on are the ones a reviewer must see.
    const set = await renderThumbnails(file, { size, rectangles: instance.burnedIn?.rectangles ?? [], budget });
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
function summarize(report: RunReport | null, { codes, methodTexts }: Gathered, { studies, series, ordered }: Grouped, findings: Findings | null): ReviewSummary {
  const allFindings = ordered.flatMap((p) => p.instance.findings);
  const run = report?.summary;
  return {
    run: run ? { ok: run.ok, failed: run.failed, skipped: run.skipped, quarantined: run.quarantined, layout: run.layout, dryRun: run.dryRun } : null,
    outputs: ordered.filter((p) => p.instance.status === 'ok').length,
    quarantinedShown: ordered.filter((p) => p.instance.status === 'quarantined').length,
    studies: studies.length,
    series: series.length,
    redacted: ordered.filter((p) => p.instance.burnedIn?.status === 'redacted').length,
    pixelsVerified: findings?.pixels === true,
    findings: findings === null ? null : {
      high: allFindings.filter((f) => f.severity === 'high').length,
      medium: allFindings.filter((f) => f.severity === 'medium').length,
      low: allFindings.filter((f) => f.severity === 'low').length,
      filesWithFindings: ordered.filter((p) => p.instance.findings.length > 0).length,
    },
    methods: CID7050.filter((c) => codes.has(c.codeValue)).map((c) => `${c.codeMeaning} (${c.codeValue})`),
    methodTexts: [...methodTexts].slice(0, 10),
  };
}
