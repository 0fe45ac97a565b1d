// A batch: refuse overlapping input/output trees, discover inputs (sharded), remove stale temporary files of an
// earlier run, process the files in a pool of worker threads, and record the outcomes in input order (report,
// audit, mapping, dry-run tally) whatever order they finish in. Output bytes depend only on input, plan and key,
// so any --jobs, any order and any --shard split give the same files.

import { existsSync, readdirSync, realpathSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Plan } from '../plan/plan.js';
import { DICOMDIR_NOTE, discoverInputs, NOT_DICOM_NOTE } from './discover.js';
import { describeError, UsageError } from './errors.js';
import { parseTempName } from './layout.js';
import { MappingCollector } from './mapping.js';
import { siblingWorker, WorkerPool } from './pool.js';
import { createProgress } from './progress.js';
import type { FileOutcome, FileTask, KeySecret, Layout, WorkerSetup } from './protocol.js';
import { AuditWriter, DryRunTally, ReportWriter, type ReportEntry, type ReportSummary } from './report.js';
import { inShard, shardOf, shardTag, type Shard } from './shard.js';
import type { ReadOptions } from '../dicom/part10.js';

export { UsageError } from './errors.js';

export interface BatchOptions {
  /** Reader limits (docs/limits.md); the defaults when absent. */
  readOptions?: ReadOptions;
  input: string;
  output: string;
  recursive: boolean;
  plan: Plan;
  secret: KeySecret;
  /** Worker threads; default os.availableParallelism(). */
  jobs?: number;
  layout?: Layout;
  failFast?: boolean;
  dryRun?: boolean;
  skipExisting?: boolean;
  shard?: Shard;
  reportPath?: string;
  auditPath?: string;
  mappingDir?: string;
  /** Show a progress bar on stderr when it is a TTY. */
  progress?: boolean;
  /** Where failures and notes go as they happen (default: stderr). */
  log?: (message: string) => void;
}

export interface BatchSummary {
  ok: number;
  failed: number;
  skipped: number;
  /** Skipped for what they are (not DICOM, DICOMDIR, links), not for --skip-existing or --fail-fast. */
  skippedInputs: { relativePath: string; reason: string }[];
  bytesIn: number;
  bytesOut: number;
  seconds: number;
  jobs: number;
  stoppedEarly: boolean;
  staleRemoved: number;
  /** --dry-run: the per-tag table. */
  dryRunLines: string[];
  mappingFiles: string[];
}

/** Most files, and most bytes beyond the first file, in one batch sent to a worker. */
const MAX_BATCH_FILES = 32;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const MAX_AUDITED_BATCH_FILES = 4;

const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent + sep);

/** Real path of `p`, or of its nearest existing ancestor joined with the rest (for outputs not yet created). */
export function realPathOf(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  if (parent === abs) return abs;
  return join(realPathOf(parent), basename(abs));
}

/** Throws UsageError when the output would be written into or over the input (or the reverse). */
export function checkPaths(input: string, output: string): void {
  if (!existsSync(input)) throw new UsageError(`input not found: ${input}`);
  const inputReal = realPathOf(input);
  const outputReal = realPathOf(output);
  if (statSync(input).isDirectory()) {
    if (inside(outputReal, inputReal)) throw new UsageError('the output folder must not be the input folder or inside it');
    if (inside(inputReal, outputReal)) throw new UsageError('the input folder must not be inside the output folder');
  } else if (inputReal === outputReal) {
    throw new UsageError('the output file must not be the input file');
  } else if (existsSync(output) && statSync(output).isDirectory() && realPathOf(join(output, basename(input))) === inputReal) {
    throw new UsageError('the output file must not be the input file');
  }
}

/** Refuses side files (report, audit, mapping) inside the input, and the mapping inside the output. */
function checkSidePaths(options: BatchOptions, inputIsDir: boolean): void {
  const inputReal = realPathOf(options.input);
  const outputReal = realPathOf(options.output);
  const sides: [string, string | undefined][] = [['--report', options.reportPath], ['--audit', options.auditPath], ['--mapping', options.mappingDir]];
  for (const [flag, path] of sides) {
    if (path === undefined) continue;
    const real = realPathOf(path);
    if (inputIsDir ? inside(real, inputReal) : real === inputReal) throw new UsageError(`${flag} must not be inside the input`);
    if (real === outputReal && flag !== '--mapping') throw new UsageError(`${flag} must not be the output itself`);
  }
  if (options.mappingDir !== undefined) {
    const real = realPathOf(options.mappingDir);
    if (inputIsDir && (inside(real, outputReal) || inside(outputReal, real))) {
      throw new UsageError('--mapping must not be inside the output folder (or hold it): the mapping is identifying data, the output is not');
    }
  }
}

/** Where the output of one input goes: mirror the input tree, or the output path itself for a single file. */
export function outputPathFor(input: string, output: string, relativePath: string): string {
  if (!statSync(input).isDirectory()) {
    return existsSync(output) && statSync(output).isDirectory() ? join(output, basename(input)) : output;
  }
  return join(output, relativePath);
}

/**
 * Deletes temporary files a killed run left in the output tree (the writer's `.…partial` files and study-layout
 * staging files). With --shard only this shard's own: other shards may be writing into the same tree right now.
 */
export function removeStaleTempFiles(outputRoot: string, layout: Layout, shard: Shard | undefined): number {
  if (!existsSync(outputRoot) || !statSync(outputRoot).isDirectory()) return 0;
  const ownTag = shardTag(shard);
  let removed = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      if (!entry.isFile() || !entry.name.startsWith('.') || !entry.name.endsWith('.partial')) continue;
      const parsed = parseTempName(entry.name);
      if (parsed === null) continue;
      let mine = shard === undefined || shard.count === 1;
      if (!mine && parsed.stageTag !== null) mine = parsed.stageTag === ownTag;
      else if (!mine && layout === 'mirror') mine = shardOf(relative(outputRoot, join(dir, parsed.target)), shard!.count) === shard!.index;
      if (!mine) continue;
      try {
        unlinkSync(path);
        removed++;
      } catch { /* gone meanwhile */ }
    }
  };
  walk(outputRoot);
  return removed;
}

type Slot =
  | { kind: 'file'; task: FileTask; size: number; outcome?: FileOutcome }
  | { kind: 'skipped'; input: string; relativePath: string; reason: string };

export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  const started = process.hrtime.bigint();
  const layout = options.layout ?? 'mirror';
  const dryRun = options.dryRun ?? false;
  checkPaths(options.input, options.output);
  const input = resolve(options.input);
  const output = resolve(options.output);
  const inputIsDir = statSync(input).isDirectory();
  checkSidePaths(options, inputIsDir);
  if (layout === 'study' && existsSync(output) && !statSync(output).isDirectory()) {
    throw new UsageError('--layout study needs an output folder, not a file');
  }

  const outputIsTree = layout === 'study' || inputIsDir;
  const setup: WorkerSetup = {
    plan: options.plan,
    secret: options.secret,
    layout,
    outputRoot: output,
    outputReal: outputIsTree ? realPathOf(output) : null,
    dryRun,
    skipExisting: options.skipExisting ?? false,
    collectAudit: options.auditPath !== undefined || dryRun,
    collectIds: options.mappingDir !== undefined,
    stageTag: shardTag(options.shard),
    readOptions: options.readOptions ?? {},
  };
  // Workers (up to one per core) start now and load the engine while this thread lists the inputs; once the
  // count of inputs is known, the pool runs min(--jobs, inputs) of them.
  const size = inputIsDir ? Math.max(1, options.jobs ?? availableParallelism()) : 1;
  const pool = new WorkerPool<FileTask, FileOutcome>({
    worker: siblingWorker('worker', import.meta.url),
    size,
    prestart: Math.min(size, availableParallelism()),
    workerData: setup,
  });
  try {
    return await runWithPool(options, pool, { started, layout, dryRun, input, output, inputIsDir, outputIsTree });
  } finally {
    await pool.close();
  }
}

interface Prepared {
  started: bigint;
  layout: Layout;
  dryRun: boolean;
  input: string;
  output: string;
  inputIsDir: boolean;
  outputIsTree: boolean;
}

async function runWithPool(options: BatchOptions, pool: WorkerPool<FileTask, FileOutcome>, prepared: Prepared): Promise<BatchSummary> {
  const { started, layout, dryRun, input, output, inputIsDir, outputIsTree } = prepared;
  // Inputs, in walk order, restricted to this shard.
  const discovery = discoverInputs(input, { recursive: options.recursive, sniff: false, sizes: (options.progress ?? false) && process.stderr.isTTY === true });
  const slots: Slot[] = [];
  for (const entry of discovery.entries) {
    const rel = entry.kind === 'file' ? entry.file.relativePath : entry.skipped.relativePath;
    if (!inShard(rel, options.shard)) continue;
    if (entry.kind === 'skipped') {
      slots.push({ kind: 'skipped', input: entry.skipped.path, relativePath: rel, reason: entry.skipped.reason });
      continue;
    }
    const target = layout === 'study' ? null : inputIsDir ? join(output, rel) : outputPathFor(input, output, rel);
    slots.push({ kind: 'file', size: entry.file.size, task: { index: slots.length, input: entry.file.path, relativePath: rel, target } });
  }
  const tasks = slots.flatMap((s) => (s.kind === 'file' ? [s.task] : []));
  const totalBytes = slots.reduce((n, s) => n + (s.kind === 'file' ? s.size : 0), 0);

  const staleRemoved = !dryRun && outputIsTree ? removeStaleTempFiles(output, layout, options.shard) : 0;

  const report = options.reportPath ? new ReportWriter(resolve(options.reportPath)) : null;
  let audit: AuditWriter | null = null;
  try {
    audit = options.auditPath ? new AuditWriter(resolve(options.auditPath)) : null;
  } catch (error) {
    report?.abort();
    throw error;
  }
  const mapping = options.mappingDir ? new MappingCollector() : null;
  const tally = dryRun ? new DryRunTally() : null;
  const jobs = Math.max(1, Math.min(pool.size, tasks.length));
  const counts = { ok: 0, failed: 0, skipped: 0, bytesIn: 0, bytesOut: 0 };
  const skippedInputs: { relativePath: string; reason: string }[] = [];
  const progress = createProgress(options.progress ?? false, tasks.length, totalBytes);
  const log = options.log ?? ((m: string) => progress.log(m));
  let stop = false;

  // Outcomes are recorded in input order: `flushed` is the first slot not yet recorded.
  let flushed = 0;
  const record = (slot: Slot): void => {
    let entry: ReportEntry;
    if (slot.kind === 'skipped') {
      entry = { input: slot.input, output: null, status: 'skipped', note: slot.reason };
      skippedInputs.push({ relativePath: slot.relativePath, reason: slot.reason });
    } else {
      const o = slot.outcome ?? { index: slot.task.index, status: 'skipped', note: 'not processed: --fail-fast stopped the batch', output: null, bytesIn: 0, bytesOut: 0 };
      entry = { input: slot.task.input, output: o.output, status: o.status };
      if (o.error !== undefined) entry.error = o.error;
      if (o.note !== undefined) entry.note = o.note;
      counts.bytesIn += o.bytesIn;
      counts.bytesOut += o.bytesOut;
      if (o.status === 'failed') log(`failed: ${o.error ?? slot.task.input}`);
      if (o.status === 'skipped' && (o.note === NOT_DICOM_NOTE || o.note === DICOMDIR_NOTE)) {
        skippedInputs.push({ relativePath: slot.task.relativePath, reason: o.note });
      }
      if (o.status !== 'failed') {
        if (o.ids && mapping) mapping.add(o.ids);
        if (o.audit && audit) audit.add(slot.task.input, o.audit);
        if (o.audit && tally) tally.add(o.audit);
      }
      slot.outcome = undefined; // free the audit entries
    }
    counts[entry.status]++;
    report?.add(entry);
  };
  const flush = (all = false): void => {
    while (flushed < slots.length) {
      const slot = slots[flushed];
      if (slot.kind === 'file' && slot.outcome === undefined && !all) break;
      record(slot);
      flushed++;
    }
  };

  // Study layout: which input holds each output name. The first input in walk order wins a duplicated name.
  const claims = new Map<string, number>();
  const place = (o: FileOutcome): void => {
    if (o.staged === undefined || o.output === null) return;
    const holder = claims.get(o.output);
    const fail = (error: string): void => {
      o.status = 'failed';
      o.error = error;
      o.output = null;
      o.bytesOut = 0;
      o.ids = undefined;
    };
    if (holder !== undefined && holder < o.index) {
      try { unlinkSync(o.staged); } catch { /* gone */ }
      const other = (slots[holder] as { task: FileTask }).task.relativePath;
      fail(`${(slots[o.index] as { task: FileTask }).task.input}: same output as ${other} (duplicate SOP Instance UID); not written`);
      return;
    }
    try {
      renameSync(o.staged, o.output);
    } catch (error) {
      try { unlinkSync(o.staged); } catch { /* gone */ }
      fail(`${(slots[o.index] as { task: FileTask }).task.input}: ${describeError(error)}`);
      return;
    }
    if (holder !== undefined) {
      // A later input had taken the name first; this one replaces it (not yet recorded: it comes later in order).
      const later = slots[holder] as { task: FileTask; outcome?: FileOutcome };
      if (later.outcome) {
        later.outcome.status = 'failed';
        later.outcome.error = `${later.task.input}: same output as ${(slots[o.index] as { task: FileTask }).task.relativePath} (duplicate SOP Instance UID); replaced`;
        later.outcome.output = null;
        later.outcome.bytesOut = 0;
        later.outcome.ids = undefined;
      }
    }
    claims.set(o.output, o.index);
    o.staged = undefined;
  };

  try {
    if (tasks.length > 0) {
      await pool.run(tasks[Symbol.iterator](), {
        total: tasks.length,
        // Batches of small files: one message each way per batch instead of per file. With --fail-fast one file at a
        // time, so that little is processed after the first failure; with audit entries (one per element, tens of
        // thousands for an enhanced multi-frame file) a few files at a time, so that one answer stays small.
        batchSize: options.failFast ? 1 : audit !== null || dryRun ? MAX_AUDITED_BATCH_FILES : MAX_BATCH_FILES,
        cost: (task) => (slots[task.index] as { size: number }).size,
        maxBatchCost: MAX_BATCH_BYTES,
        shouldStop: () => stop,
        onResult: (outcome, task) => {
          place(outcome);
          const slot = slots[task.index] as { outcome?: FileOutcome };
          slot.outcome = outcome;
          if (outcome.status === 'failed' && options.failFast) stop = true;
          progress.advance(1, (slots[task.index] as { size: number }).size);
          flush();
        },
        onCrash: (task, error) => ({
          index: task.index, status: 'failed', output: null, bytesIn: 0, bytesOut: 0,
          error: `${task.input}: internal error: the worker stopped while processing this file (${error.name})`,
        }),
      });
    }
    flush(true);
  } catch (error) {
    progress.stop();
    report?.abort();
    audit?.abort();
    throw error;
  }
  progress.stop();

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const summary: ReportSummary = {
    ok: counts.ok, failed: counts.failed, skipped: counts.skipped, bytesIn: counts.bytesIn, bytesOut: counts.bytesOut,
    seconds, filesPerSecond: tasks.length / Math.max(seconds, 1e-9), megabytesPerSecond: counts.bytesIn / 1e6 / Math.max(seconds, 1e-9),
    jobs, layout, dryRun, shard: options.shard ? `${options.shard.index}/${options.shard.count}` : null, stoppedEarly: stop,
  };
  report?.finish(summary);
  audit?.finish();
  const mappingFiles = mapping && options.mappingDir ? mapping.write(resolve(options.mappingDir)) : [];
  return {
    ok: counts.ok, failed: counts.failed, skipped: counts.skipped, skippedInputs, bytesIn: counts.bytesIn, bytesOut: counts.bytesOut,
    seconds, jobs, stoppedEarly: stop, staleRemoved, dryRunLines: tally ? tally.lines() : [], mappingFiles,
  };
}
