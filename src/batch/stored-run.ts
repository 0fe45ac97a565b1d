// A batch whose input, output, quarantine, report, audit or mapping is in object storage (s3://, az://, Azure https
// URLs: storage/location.ts), or whose input or output is a DICOMweb server (dicomweb+http(s)://, behind the same
// port). The objects are staged through a private local folder: this shard's inputs are fetched whole (streamed to
// disk, many in flight, bounded), the other shards' inputs only as a header window for the output-name decision (or
// not at all, with --names: name-digests.ts); the usual local batch (run.ts) runs on
// the staged folder, so the outputs are byte for byte those of a local run of the same files, under the same
// relative names and the same shard rule; then each output is written to its store atomically (one PUT or a
// completed multipart upload / block list) with the run fingerprint as metadata. An object that cannot be fetched
// is a failed file in the report, an output that cannot be written turns its file into a failed one: the run goes
// on. A run with only local paths is run.ts's, untouched.

import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../files/usage-error.js';
import { formatRunReport, parseRunReportText } from '../records/index.js';
import { isDicomwebUrl, isStorageUrl, parseLocation, refuseStudiesWithoutDicomweb } from '../storage/location.js';
import { openStore } from '../storage/open.js';
import type { DicomwebRequest } from '../storage/dicomweb/store.js';
import { forEachBounded } from '../storage/bounded.js';
import { ObjectExistsError, type ObjectStore } from '../storage/port.js';
import { runFingerprint } from './fingerprint.js';

/** Object metadata key of the run fingerprint (S3 and Azure both accept it: lower-case letters only). */
export const FINGERPRINT_METADATA = 'dcmanonfingerprint';
import { runBatch, type BatchOptions, type BatchSummary } from './run.js';
import { inShard } from './shard.js';
import { HEADER_WINDOW_BYTES, readSharedNames } from './name-digests.js';

export interface StoredBatchOptions extends BatchOptions {
  /** --s3-endpoint: an S3-compatible store's URL (path-style addressing). */
  s3Endpoint?: string;
  /** --study, --qido, --http-header: the studies a DICOMweb input reads, and the headers of a DICOMweb input or output. */
  dicomweb?: DicomwebRequest;
  /** Objects fetched or written at once (default 16). */
  requests?: number;
  /**
   * --names: scan's per-shard name digests (name-digests.ts). The output names are then decided from this shard's
   * headers plus their union: other shards' inputs are not read at all.
   */
  names?: string;
  /** Test hook: called after the input listing, before any object is fetched. */
  afterListing?: (names: readonly string[]) => Promise<void>;
}

const DEFAULT_REQUESTS = 16;

/** What a stored run staged and read, for its summary and the bench. */
export interface StagingCounts {
  /** Bytes fetched of this shard's inputs. */
  inputBytes: number;
  /** Bytes fetched of other shards' inputs (header windows for the output names). */
  headerBytes: number;
  /** Output objects kept by --skip-existing (same fingerprint, same size). */
  kept: number;
  /** Multipart uploads of a killed earlier run aborted. */
  abandonedAborted: number;
}

export type StoredBatchSummary = BatchSummary & { staging?: StagingCounts };

const usesStorage = (options: BatchOptions): boolean =>
  [options.input, options.output, options.quarantine, options.reportPath, options.auditPath, options.mappingDir].some((p) => p !== undefined && isStorageUrl(p));

/** A relative object name that is safe as a relative path (no empty, '.' or '..' component). */
const safeName = (name: string): boolean => name.split('/').every((c) => c !== '' && c !== '.' && c !== '..');

/** A path as it appears inside a JSON string (the report and audit name paths that way). */
const jsonEscaped = (text: string): string => text.replace(/[\\"]/g, (c) => `\\${c}`);

const localPath = (root: string, name: string): string => join(root, ...name.split('/'));

export async function runStoredBatch(given: StoredBatchOptions): Promise<StoredBatchSummary> {
  refuseDicomwebMisuse(given);
  const options = given.names === undefined ? given
    : { ...given, sharedNames: await readSharedNames(given.names, given.shard?.count ?? 1, given.secret, { s3Endpoint: given.s3Endpoint }) };
  if (!usesStorage(options)) return runBatch(options);
  const work = mkdtempSync(join(tmpdir(), 'dicomanon-stage-'));
  try {
    return await runStaged(options, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A URL flag's staged local stand-in, and the store it goes to. */
interface Sink {
  local: string;
  store: ObjectStore;
}

/** The store and path of a URL location, for the inside checks ('' store for local paths: run.ts checks those). */
function storeAndPath(url: string): { store: string; path: string } {
  const l = parseLocation(url);
  if (l.kind === 's3') return { store: `s3:${l.bucket}`, path: l.prefix };
  if (l.kind === 'azure') return { store: `az:${l.account}/${l.container}`, path: l.prefix };
  if (l.kind === 'dicomweb') return { store: `dicomweb:${l.baseUrl}`, path: '' };
  return { store: '', path: url };
}

const within = (inner: string, outer: string): boolean => outer === '' || inner === outer || inner.startsWith(`${outer}/`);

/**
 * As run.ts refuses for folders: the report, audit, mapping and quarantine never inside the output (they would be
 * delivered with it: they name original paths and identifiers) nor inside the input, and the output not inside the
 * input or holding it.
 */
function refuseOverlaps(options: StoredBatchOptions): void {
  const at = (url: string | undefined): { store: string; path: string } | null => (url !== undefined && isStorageUrl(url) ? storeAndPath(url) : null);
  const input = at(options.input);
  const output = at(options.output);
  const overlaps = (a: { store: string; path: string } | null, b: { store: string; path: string } | null): boolean =>
    a !== null && b !== null && a.store === b.store && (within(a.path, b.path) || within(b.path, a.path));
  if (overlaps(input, output)) throw new UsageError('the output must not be the input, inside it, or hold it');
  const sides: [string, string | undefined][] = [['--report', options.reportPath], ['--audit', options.auditPath], ['--mapping', options.mappingDir], ['--quarantine', options.quarantine]];
  for (const [flag, url] of sides) {
    const side = at(url);
    if (overlaps(side, output)) throw new UsageError(`${flag} must not be inside the output (nor hold it): it would be delivered with the anonymized files`);
    if (overlaps(side, input)) throw new UsageError(`${flag} must not be inside the input (nor hold it)`);
  }
}

/**
 * DICOMweb takes instances only: the run's own files (report, audit, mapping, quarantine) go where those flags say, as
 * for a bucket output; and a DICOMweb input or output has no sibling for the default quarantine, so --quarantine is
 * required.
 */
function refuseDicomwebMisuse(options: StoredBatchOptions): void {
  const sides: [string, string | undefined][] = [['--report', options.reportPath], ['--audit', options.auditPath], ['--mapping', options.mappingDir], ['--quarantine', options.quarantine]];
  for (const [flag, url] of sides) {
    if (url !== undefined && isDicomwebUrl(url)) throw new UsageError(`${flag} cannot be a DICOMweb location: it takes DICOM instances only (give a folder or an object-storage URL)`);
  }
  if (isDicomwebUrl(options.output) && options.quarantine === undefined) {
    throw new UsageError('a DICOMweb output needs --quarantine DIR (quarantined files are never uploaded)');
  }
  if (isDicomwebUrl(options.input) && options.quarantine === undefined) {
    throw new UsageError('a DICOMweb input needs --quarantine DIR (there is no folder beside it for the default)');
  }
  refuseStudiesWithoutDicomweb(options.input, options.dicomweb);
}

async function runStaged(given: StoredBatchOptions, work: string): Promise<StoredBatchSummary> {
  refuseOverlaps(given);
  // A DICOMweb input is a tree (study-N/series-N/instance-N.dcm: storage/dicomweb/names.ts), walked whole.
  const options = isDicomwebUrl(given.input) ? { ...given, recursive: true } : given;
  const storeOptions = { s3Endpoint: options.s3Endpoint, dicomweb: options.dicomweb };
  const open = (url: string): Promise<ObjectStore> => openStore(parseLocation(url), storeOptions);
  const requests = Math.max(1, options.requests ?? DEFAULT_REQUESTS);
  const counts: StagingCounts = { inputBytes: 0, headerBytes: 0, kept: 0, abandonedAborted: 0 };
  const local: BatchOptions = { ...options };
  const translations: [string, string][] = [];

  let inputStore: ObjectStore | null = null;
  const failedInputs = new Map<string, string>();
  if (isStorageUrl(options.input)) {
    inputStore = await open(options.input);
    const stageIn = join(work, 'in');
    mkdirSync(stageIn);
    await stageInputs(options, inputStore, stageIn, requests, failedInputs, counts);
    local.input = stageIn;
    local.failedInputs = failedInputs;
    translations.push([stageIn + sep, `${inputStore.root}/`]);
  }
  const sinkFor = async (url: string | undefined, name: string, folder: boolean): Promise<Sink | null> => {
    if (url === undefined || !isStorageUrl(url)) return null;
    const sink = { local: join(work, name), store: await open(url) };
    if (folder) mkdirSync(sink.local);
    translations.push([folder ? sink.local + sep : sink.local, folder ? `${sink.store.root}/` : sink.store.root]);
    return sink;
  };
  const output = await sinkFor(options.output, 'out', true);
  // The default quarantine of an object output is the sibling prefix `<output>-quarantine`, as for a folder.
  const quarantineUrl = options.quarantine ?? (output ? `${output.store.root}-quarantine` : undefined);
  const quarantine = await sinkFor(quarantineUrl, 'quarantine', false);
  const report = await sinkFor(options.reportPath, 'report.json', false);
  const audit = await sinkFor(options.auditPath, 'audit.jsonl', false);
  const mapping = await sinkFor(options.mappingDir, 'mapping', false);
  if (output) local.output = output.local;
  if (quarantine) local.quarantine = quarantine.local;
  if (report) local.reportPath = report.local;
  if (audit) local.auditPath = audit.local;
  if (mapping) local.mappingDir = mapping.local;
  if (inputStore && local.quarantine === undefined && !output) {
    throw new UsageError('an object-storage input with a local output: give --quarantine too (the default sits beside the output)');
  }

  const summary: StoredBatchSummary = await runBatch(local);
  const fingerprint = runFingerprint(options.secret, options.plan);
  const uploadFailures = new Map<string, string>();
  if (!options.dryRun) {
    for (const sink of [output, quarantine]) {
      if (sink && existsSync(sink.local)) await writeTree(sink, options.skipExisting ?? false, fingerprint, requests, uploadFailures, counts);
    }
  }
  const translate = (text: string): string => translations.reduce((t, [from, to]) => t.split(from).join(to).split(jsonEscaped(from)).join(to), text);
  // The report, in object storage or a local file: staging paths replaced by object locations, unwritten outputs failed.
  const reportFile = report ? report.local : options.reportPath !== undefined && !options.dryRun ? options.reportPath : undefined;
  if (reportFile !== undefined && existsSync(reportFile)) {
    patchReport(reportFile, uploadFailures, translate, summary);
    if (report) await writeSide(report);
  } else {
    summary.failed += uploadFailures.size;
    summary.ok -= uploadFailures.size;
  }
  const auditFile = audit ? audit.local : options.auditPath;
  if (auditFile !== undefined && existsSync(auditFile)) {
    await translateLines(auditFile, translate);
    if (audit) await writeSide(audit);
  }
  if (mapping && existsSync(mapping.local)) {
    for (const name of readdirSync(mapping.local)) await mapping.store.write(name, createReadStream(join(mapping.local, name)), { size: statSync(join(mapping.local, name)).size });
  }
  // Each output that could not be written, on stderr even with -q (as run.ts's warnings): the summary counts it failed.
  const log = options.log ?? ((m: string) => void process.stderr.write(`${m}\n`));
  for (const [, error] of uploadFailures) log(`failed: ${error}`);
  summary.quarantineFolder = summary.quarantineFolder === null ? null : translate(summary.quarantineFolder);
  summary.mappingFiles = summary.mappingFiles.map(translate);
  summary.staging = counts;
  return summary;
}

/** Fetches this shard's inputs whole and, for the mirror layout's names, the other inputs' header windows. */
async function stageInputs(
  options: StoredBatchOptions, store: ObjectStore, stageIn: string, requests: number, failed: Map<string, string>, counts: StagingCounts,
): Promise<void> {
  const objects: { name: string; size: number | null }[] = [];
  for await (const o of store.list(options.recursive)) objects.push(o);
  if (objects.length === 0) throw new UsageError(`${store.root}: no objects under this location`);
  await options.afterListing?.(objects.map((o) => o.name));
  const headersToo = (options.layout ?? 'mirror') === 'mirror' && options.sharedNames === undefined;
  await forEachBounded(objects, requests, async ({ name, size }) => {
    const mine = inShard(name, options.shard);
    if (!safeName(name)) {
      if (mine) {
        // A stand-in name of this shard (the batch applies the shard rule to it again), where the failure is recorded.
        let n = failed.size;
        while (!inShard(`unsafe-object-name-${n}`, options.shard)) n++;
        const placeholder = `unsafe-object-name-${n}`;
        writeFileSync(join(stageIn, placeholder), '');
        failed.set(placeholder, `${store.locationOf(name)}: an object name with an empty, "." or ".." component cannot be a relative path; not processed`);
      }
      return;
    }
    if (!mine && !headersToo) return;
    const path = localPath(stageIn, name);
    mkdirSync(dirname(path), { recursive: true });
    const range = mine ? undefined : { start: 0, end: Math.min(size ?? HEADER_WINDOW_BYTES, HEADER_WINDOW_BYTES) };
    try {
      await pipeline(await store.read(name, range), createWriteStream(path));
      const got = statSync(path).size;
      if (mine) counts.inputBytes += got;
      else counts.headerBytes += got;
    } catch (error) {
      writeFileSync(path, ''); // keeps its place in the walk: recorded as a failed file there
      if (mine) failed.set(name.split('/').join(sep), `${store.locationOf(name)}: could not be read from storage (${describe(error)})`);
    }
  });
}

const describe = (error: unknown): string => {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; statusCode?: number };
  const status = e.$metadata?.httpStatusCode ?? e.statusCode;
  return `${e.name ?? 'Error'}${status ? ` ${status}` : ''}: ${(e.message ?? String(error)).slice(0, 200)}`;
};

function localFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile()) out.push(path);
    }
  };
  walk(root);
  return out.sort();
}

/**
 * Writes every staged output to its store under the same relative name. With --skip-existing an object is kept
 * when it carries this run's fingerprint and has the staged file's size (it was completely written by a run with
 * the same key and Plan, which gives the same bytes); where nothing is there, the write is create-only.
 */
async function writeTree(sink: Sink, skipExisting: boolean, fingerprint: string, requests: number, failures: Map<string, string>, counts: StagingCounts): Promise<void> {
  const files = localFiles(sink.local);
  const names = new Set(files.map((f) => relative(sink.local, f).split(sep).join('/')));
  // Multipart uploads a killed run of this shard left for these names: nothing else will ever complete them.
  try {
    counts.abandonedAborted += await sink.store.cleanAbandonedWrites(names);
  } catch {
    // Not allowed to list uploads, or no such bucket: the writes below go on, and each says why if it fails.
  }
  await forEachBounded(files, requests, async (file) => {
    const name = relative(sink.local, file).split(sep).join('/');
    const size = statSync(file).size;
    try {
      if (skipExisting) {
        const head = await sink.store.head(name);
        if (head && head.metadata[FINGERPRINT_METADATA] === fingerprint && head.size === size) {
          counts.kept++;
          return;
        }
        try {
          await sink.store.write(name, createReadStream(file), { size, metadata: { [FINGERPRINT_METADATA]: fingerprint }, ifNoneMatch: head === null });
          return;
        } catch (error) {
          if (!(error instanceof ObjectExistsError)) throw error;
          const now = await sink.store.head(name); // another run of this shard wrote it meanwhile
          if (now && now.metadata[FINGERPRINT_METADATA] === fingerprint && now.size === size) return;
        }
      }
      await sink.store.write(name, createReadStream(file), { size, metadata: { [FINGERPRINT_METADATA]: fingerprint } });
    } catch (error) {
      failures.set(file, `${sink.store.locationOf(name)}: could not be written (${describe(error)}); nothing was left at its name`);
    }
  });
}

/** Rewrites a file of lines (the audit: it can be large) through `translate`, line by line, streamed. */
async function translateLines(path: string, translate: (text: string) => string): Promise<void> {
  const temp = `${path}.translated`;
  const out = createWriteStream(temp);
  let carry = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = carry + (chunk as string);
    const cut = text.lastIndexOf('\n') + 1;
    carry = text.slice(cut);
    if (cut > 0 && !out.write(translate(text.slice(0, cut)))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end(translate(carry));
  await new Promise<void>((r, j) => { out.once('finish', () => r()); out.once('error', j); });
  renameSync(temp, path);
}

async function writeSide(sink: Sink): Promise<void> {
  await sink.store.write('', createReadStream(sink.local), { size: statSync(sink.local).size });
}

/** The staged report with object locations instead of staging paths, and outputs that could not be written as failed. */
function patchReport(path: string, failures: ReadonlyMap<string, string>, translate: (text: string) => string, summary: BatchSummary): void {
  if (failures.size === 0) {
    writeFileSync(path, translate(readFileSync(path, 'utf8')));
    return;
  }
  const report = parseRunReportText(readFileSync(path, 'utf8'), path);
  for (const entry of report.files) {
    const error = entry.output !== null ? failures.get(entry.output) : undefined;
    if (error === undefined) continue;
    if (entry.status === 'ok') summary.ok--;
    else if (entry.status === 'quarantined') summary.quarantined--;
    summary.failed++;
    entry.status = 'failed';
    entry.error = error;
    entry.output = null;
  }
  const counts = { ok: summary.ok, failed: summary.failed, quarantined: summary.quarantined };
  writeFileSync(path, translate(formatRunReport(report.files, { ...report.summary, ...counts })));
}
