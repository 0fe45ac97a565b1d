// A batch, as named stages over one RunContext (runBatch lists them): check and resolve the paths, discover the
// inputs (sharded), start the runner (worker threads and/or the main thread), decide the mirror layout's names, list
// the slots, remove stale temporary files of an earlier run, open the side files, process the files and record the
// outcomes in input order (ledger.ts) whatever order they finish in, then sum up. Output bytes depend only on input,
// plan and key, so any --jobs, any order and any --shard split give the same files.

import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Plan } from '../plan/plan.js';
import { sampleTrustedSeries } from './series-sampling.js';
import type { ReadOptions } from '../dicom/part10.js';
import { removeStaleTempsOf } from '../files/atomic-output.js';
import { discoverInputs, filesInSubfolders, type DiscoveredEntry, type InputFile } from '../files/discover.js';
import { assertWritableFolder } from '../files/writable-folder.js';
import { UsageError } from '../files/usage-error.js';
import { missingTextDetectionPackages, textDetectionMissingMessage } from '../ocr/installed.js';
import { OutcomeLedger, type Slot } from './ledger.js';
import { MappingCollector } from './mapping.js';
import { checkPaths, checkSidePaths, inside, outputPathFor, realPathOf } from './paths.js';
import { StudyPlacement } from './placement.js';
import { MirrorNames, recordRenamedNames, type NamedInput } from './mirror-names.js';
import { InlineRunner } from './inline.js';
import { MAIN_THREAD_JOINS_UP_TO, MixedRunner } from './mixed.js';
import { siblingWorker, WorkerPool } from './pool.js';
import { workersFor } from './pool-size.js';
import { estimatedAtRisk } from './at-risk-sample.js';
import { createProgress } from './progress.js';
import type { OutputLayout } from '../plan/output-layout.js';
import type { KeySecret, PathValuesTask, WorkerResult, WorkerSetup, WorkerTask } from './protocol.js';
import { DryRunTally, openAudit, openReport } from './report.js';
import { defaultQuarantineFolder, MAPPING_FILES, type AuditWriter, type ReportWriter, type RunSummary } from '../records/index.js';
import { untouchedByRules, untouchedError } from './untouched.js';
import { inShard, shardTag, type Shard } from './shard.js';
import { removeStaleTempFiles } from './stale-temps.js';
import { keysFromSecret } from './secret.js';
import { runFingerprint } from './fingerprint.js';
import { iodBreakError, iodBreaks, type IodBreak } from './iod-check.js';

export interface BatchOptions {
  /** Reader limits (docs/limits.md); the defaults when absent. */
  readOptions?: ReadOptions;
  input: string;
  output: string;
  recursive: boolean;
  plan: Plan;
  secret: KeySecret;
  /** Most worker threads; default os.availableParallelism(). Fewer when the work is small (pool-size.ts). */
  jobs?: number;
  /** Start exactly min(jobs, files) worker threads, whatever the work (tests of the thread path). */
  exactJobs?: boolean;
  layout?: OutputLayout;
  failFast?: boolean;
  dryRun?: boolean;
  skipExisting?: boolean;
  shard?: Shard;
  reportPath?: string;
  auditPath?: string;
  mappingDir?: string;
  /** Prefix mapping values that a spreadsheet would evaluate (=, +, -, @, tab, CR) with ' (--mapping-safe-csv). */
  mappingSafeCsv?: boolean;
  /**
   * Where at-risk files that nothing cleaned go (--quarantine). Default: `<input>-quarantine` beside the input
   * (records/quarantine.ts). Refused inside the output folder or the input (and the reverse).
   */
  quarantine?: string;
  /** Show a progress bar on stderr when it is a TTY. */
  progress?: boolean;
  /** Where failures and notes go as they happen (default: stderr). */
  log?: (message: string) => void;
  /**
   * --strict-rules: a plan without the profile that leaves attributes the Basic Profile would change untouched in any
   * input is refused (UsageError) before anything is written. Decided by a pre-pass: a dry run over every input.
   */
  strictRules?: boolean;
  /** Internal: the --strict-rules pre-pass (a dry run that collects no audit). */
  untouchedCheck?: boolean;
}

/** What runBatch returns: the report's summary (src/records/report.ts RunSummary), and what the command line prints. */
export interface BatchSummary extends RunSummary {
  /** True when quarantineFolder is the default (no --quarantine): messages say where that is and why. */
  quarantineIsDefault: boolean;
  /** Attributes the inputs' IODs require that the plan removed (Type 1: or emptied), with file counts (iod-check.ts). */
  iodBreaks: IodBreak[];
  /** Skipped for what they are (not DICOM, DICOMDIR, links), not for --skip-existing or --fail-fast. */
  skippedInputs: { relativePath: string; reason: string }[];
  staleRemoved: number;
  /** --dry-run: the per-tag table. */
  dryRunLines: string[];
  mappingFiles: string[];
}

/** Most files, and most bytes beyond the first file, in one batch sent to a worker. */
const MAX_BATCH_FILES = 32;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const MAX_AUDITED_BATCH_FILES = 4;

/** The run's stages in order; each reads the run's context (options and resolved paths) and what the stages before it made. */
export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  if (options.plan.pixels.policy === 'redact') {
    const missing = missingTextDetectionPackages();
    if (missing.length > 0) throw new UsageError(textDetectionMissingMessage('--burned-in redact', missing));
  }
  if (options.strictRules) await refuseUntouched(options);
  const resolved = resolveRun(options);
  const inputs = discover(resolved);
  // --burned-in redact: the series the gate trusts are sampled first (series-sampling.ts); every shard samples all.
  // (Not in the --strict-rules pre-pass: a dry run of the metadata, which never looks at the pixels.)
  const sampling = options.untouchedCheck ? { plan: options.plan } : await sampleTrustedSeries(inputs.all, options.plan, options.readOptions);
  const run = sampling.plan === options.plan ? resolved : { ...resolved, options: { ...options, plan: sampling.plan } };
  // The runner starts before the header pre-pass: the workers load their code while the main thread hands them the
  // headers to read, then the files.
  const runner = startRunner(run, inputs.inShard);
  try {
    const names = await decideMirrorNames(run, inputs, runner);
    const slots = listSlots(run, inputs, names);
    const staleRemoved = removeStaleOutputs(run, slots) + removeStaleSideFiles(run);
    const sides = openSideFiles(run);
    const processed = await processFiles(run, runner, slots, sides);
    return summarize(run, sides, processed, staleRemoved);
  } finally {
    await runner.close();
  }
}

/**
 * --strict-rules: every input is read and anonymized in memory first (a dry run: nothing is written, no report), and
 * the run is refused when any input holds an attribute the Basic Profile would change that the rules keep. A file
 * that cannot be read is left to the real run, which reports it.
 */
async function refuseUntouched(options: BatchOptions): Promise<void> {
  const check = await runBatch({
    ...options, strictRules: false, untouchedCheck: true, dryRun: true, failFast: false, progress: false, log: () => {},
    reportPath: undefined, auditPath: undefined, mappingDir: undefined,
  });
  if (check.untouchedByRules) throw new UsageError(untouchedError(check.untouchedByRules));
  if (check.iodBreaks.length > 0) throw new UsageError(iodBreakError(check.iodBreaks));
}
/** What runs the tasks: a pool of worker threads, or the main thread itself (inline.ts). */
type TaskRunner = Pick<WorkerPool<WorkerTask, WorkerResult>, 'run' | 'close' | 'size'>;

/** What every stage of one run reads: the caller's options and the paths checked and resolved from them. */
interface RunContext {
  options: BatchOptions;
  started: bigint;
  layout: OutputLayout;
  dryRun: boolean;
  input: string;
  output: string;
  inputIsDir: boolean;
  outputIsTree: boolean;
  /** Where at-risk files that nothing cleaned go. */
  quarantine: string;
  /** One input file written to one output file (not into a folder). */
  singleFile: boolean;
  /** One input file written into an existing output folder. */
  intoFolder: boolean;
}

/** Checks the paths (UsageError before anything is written) and resolves them. */
function resolveRun(options: BatchOptions): RunContext {
  const started = process.hrtime.bigint();
  const layout = options.layout ?? 'mirror';
  checkPaths(options.input, options.output);
  const input = resolve(options.input);
  const output = resolve(options.output);
  const inputIsDir = statSync(input).isDirectory();
  const outputIsDir = existsSync(output) && statSync(output).isDirectory();
  if (layout === 'study' && existsSync(output) && !outputIsDir) throw new UsageError('--layout study needs an output folder, not a file');
  const outputIsTree = layout === 'study' || inputIsDir;
  checkSidePaths(options, inputIsDir, outputIsTree || outputIsDir);
  const singleFile = !outputIsTree && !outputIsDir;
  const quarantine = quarantineFolder(options.quarantine, input, output, inputIsDir);
  const intoFolder = !inputIsDir && outputIsDir;
  if (!options.dryRun && !options.untouchedCheck) {
    assertWritableFolder(singleFile ? dirname(output) : output, '--output (-o)');
    warnUnwritableQuarantine(options, quarantine);
  }
  return { options, started, layout, dryRun: options.dryRun ?? false, input, output, inputIsDir, outputIsTree, quarantine, singleFile, intoFolder };
}

/**
 * The quarantine folder: `given`, or `<input>-quarantine` beside the input (records/quarantine.ts says why). Never
 * inside the output (it would be delivered) nor the input, nor holding either.
 */
export function quarantineFolder(given: string | undefined, input: string, output: string, inputIsDir: boolean): string {
  const fallback = defaultQuarantineFolder(input);
  if (given === undefined && fallback === null) throw new UsageError(`the input ${input} is a file-system root, so no default quarantine folder can be beside it: pass --quarantine DIR (a private folder, not shared with the outputs)`);
  const folder = resolve(given ?? fallback!);
  const real = realPathOf(folder);
  const outputReal = realPathOf(output);
  const inputReal = realPathOf(input);
  if (inside(real, outputReal) || inside(outputReal, real)) throw new UsageError('--quarantine must not be the output folder, inside it, or hold it: quarantined files must never be delivered');
  if ((inputIsDir && inside(real, inputReal)) || inside(inputReal, real)) throw new UsageError('--quarantine must not be inside the input, nor hold it');
  return folder;
}

/**
 * A quarantine folder that cannot be written (e.g. beside a read-only input, the default) is told once before the run:
 * a run that quarantines nothing still works, and every file that would be quarantined fails rather than being
 * delivered.
 */
function warnUnwritableQuarantine(options: BatchOptions, quarantine: string): void {
  const policy = options.plan.pixels.policy;
  if (policy !== 'quarantine' && policy !== 'redact') return;
  try {
    assertWritableFolder(quarantine, '--quarantine');
  } catch (error) {
    const log = options.log ?? ((m: string) => void process.stderr.write(`${m}\n`));
    log(`warning: ${(error as Error).message}; files at risk of burned-in text will fail instead of being quarantined`);
  }
}

/**
 * As many threads as the work at hand pays for (pool-size.ts), at most --jobs (default: one per core). Work for one
 * runs on the main thread, with no worker to start; up to MAIN_THREAD_JOINS_UP_TO jobs, the main thread is one of
 * them beside the workers (mixed.ts); more jobs are all workers.
 */
function startRunner({ options, layout, dryRun, output, inputIsDir, outputIsTree, quarantine, singleFile }: RunContext, files: readonly InputFile[]): TaskRunner {
  const setup: WorkerSetup = {
    plan: options.plan,
    secret: options.secret,
    layout,
    outputRoot: output,
    outputReal: outputIsTree ? realPathOf(output) : null,
    dryRun,
    skipExisting: options.skipExisting ?? false,
    methodText: options.plan.markers?.methodText ?? null,
    fingerprint: runFingerprint(options.secret, options.plan),
    collectAudit: options.auditPath !== undefined || (dryRun && !options.untouchedCheck),
    collectIds: options.mappingDir !== undefined,
    stageTag: shardTag(options.shard),
    readOptions: options.readOptions ?? {},
    quarantineRoot: quarantine,
    quarantineReal: realPathOf(quarantine),
    singleFile,
  };
  const jobs = inputIsDir ? Math.max(1, options.jobs ?? availableParallelism()) : 1;
  const size = options.exactJobs ? Math.min(jobs, Math.max(1, files.length))
    : workersFor(files.length, jobs, () => files.reduce((n, f) => n + (f.size ||= sizeOf(f.path)), 0),
      options.plan.pixels.policy === 'redact' ? (enough) => estimatedAtRisk(files.map((f) => f.path), options.plan.pixels.gate, enough) : undefined);
  const workers = (n: number): WorkerPool<WorkerTask, WorkerResult> =>
    new WorkerPool<WorkerTask, WorkerResult>({ worker: siblingWorker('worker', import.meta.url), size: n, workerData: setup });
  // Loaded when the main thread's first task comes: a run whose work all goes to workers never loads the engine here.
  const mainThread = (): InlineRunner<WorkerTask, WorkerResult> =>
    new InlineRunner(async () => (await import('./file-handler.js')).taskHandler(setup));
  if (options.exactJobs) return workers(size);
  if (size === 1) return mainThread();
  // A few jobs: the main thread is one of them (mixed.ts), one thread fewer to start and warm up.
  if (size <= MAIN_THREAD_JOINS_UP_TO) return new MixedRunner(workers(size - 1), mainThread());
  return workers(size);
}

/** Size of an input for the pool's estimate; 0 when it cannot be stat'ed (its task reports why). */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

interface RunInputs {
  entries: DiscoveredEntry[];
  /** Every input file of the run (all shards'): the mirror names are decided from all of them. */
  all: InputFile[];
  /** This shard's input files. */
  inShard: InputFile[];
}

function discover({ options, input }: RunContext): RunInputs {
  const sizes = (options.progress ?? false) && process.stderr.isTTY === true;
  const { entries } = discoverInputs(input, { recursive: options.recursive, sniff: false, sizes });
  const all = entries.flatMap((e) => (e.kind === 'file' ? [e.file] : []));
  if (all.length === 0 && !options.recursive && statSync(input).isDirectory()) refuseEmptyWithoutRecursion(options.input, input);
  return { entries, all, inShard: options.shard ? all.filter((f) => inShard(f.relativePath, options.shard)) : all };
}

/**
 * A folder given without -r whose files are all in sub-folders would run on nothing and say "0 ok": it is a usage
 * error that says where the files are and suggests -r.
 */
function refuseEmptyWithoutRecursion(given: string, input: string): void {
  const below = filesInSubfolders(input);
  if (below.count === 0) return;
  const shown = below.folders.slice(0, 3).join(', ') + (below.folders.length > 3 ? ` and ${below.folders.length - 3} more` : '');
  throw new UsageError(
    `no files directly in ${given}; ${below.more ? 'more than ' : ''}${below.count} file(s) are in its sub-folder(s) ${shown}: ` +
    'add -r (--recursive) to anonymize them',
  );
}

/** Header pre-pass batches: a header read costs about 0.1 ms, so many go in one message. */
const PATH_VALUES_BATCH = 128;

/**
 * The mirror layout's output names (mirror-names.ts), decided from the headers of every input of the run, so that
 * all shards agree. The headers are read by the runner (the workers, or the main thread for a small batch).
 */
async function decideMirrorNames({ options, layout, inputIsDir, intoFolder }: RunContext, discovery: RunInputs, runner: TaskRunner): Promise<MirrorNames | null> {
  if (layout !== 'mirror' || !(inputIsDir || intoFolder)) return null;
  const { all } = discovery;
  const values: NamedInput['values'][] = new Array(all.length).fill(null);
  const tasks = all.map((f, index): PathValuesTask => ({ kind: 'path-values', index, input: f.path }));
  if (tasks.length > 0) {
    await runner.run(tasks[Symbol.iterator](), {
      total: tasks.length,
      batchSize: PATH_VALUES_BATCH,
      onResult: (result) => {
        if ('kind' in result) values[result.index] = result.values;
      },
      // A header whose read stopped the worker counts as unreadable: the patterns alone decide its names.
      onCrash: (task) => ({ kind: 'path-values', index: task.index, values: null }),
    });
  }
  return new MirrorNames(keysFromSecret(options.secret), all.map((f, i) => ({ relativePath: f.relativePath, values: values[i] })));
}

/** The inputs in walk order, restricted to this shard, each with its mirror-layout target (identifying components renamed). */
function listSlots({ options, layout, input, output, inputIsDir, intoFolder }: RunContext, discovery: RunInputs, names: MirrorNames | null): Slot[] {
  const slots: Slot[] = [];
  for (const entry of discovery.entries) {
    const rel = entry.kind === 'file' ? entry.file.relativePath : entry.skipped.relativePath;
    if (!inShard(rel, options.shard)) continue;
    if (entry.kind === 'skipped') {
      slots.push({ kind: 'skipped', input: entry.skipped.path, relativePath: rel, reason: entry.skipped.reason });
      continue;
    }
    const renamed = names ? names.outputRelativePath(rel) : rel;
    const target = layout === 'study' ? null : inputIsDir ? join(output, renamed) : intoFolder ? join(output, basename(renamed)) : outputPathFor(input, output, rel);
    slots.push({ kind: 'file', size: entry.file.size, task: { index: slots.length, input: entry.file.path, relativePath: rel, target } });
  }
  return slots;
}

/** Temporary files a killed run left where this run writes: the whole output tree, or beside a single output file. */
function removeStaleOutputs({ options, dryRun, outputIsTree, quarantine, output, layout }: RunContext, slots: readonly Slot[]): number {
  if (dryRun) return 0;
  if (outputIsTree) {
    const quarantined = existsSync(quarantine) ? removeStaleTempFiles(quarantine, layout, options.shard) : 0;
    return removeStaleTempFiles(output, layout, options.shard) + quarantined;
  }
  return slots.reduce((n, s) => n + (s.kind === 'file' && s.task.target !== null ? removeStaleTempsOf(s.task.target) : 0), 0);
}

/** Temporary files a killed run left beside the report, audit and mapping files this run writes. */
function removeStaleSideFiles({ options }: RunContext): number {
  const mapping = options.mappingDir ? Object.values(MAPPING_FILES).map((name) => join(resolve(options.mappingDir!), name)) : [];
  const paths = [options.reportPath, options.auditPath].flatMap((p) => (p ? [resolve(p)] : [])).concat(mapping);
  return paths.reduce((n, path) => n + removeStaleTempsOf(path), 0);
}

interface SideFiles {
  report: ReportWriter | null;
  audit: AuditWriter | null;
  mapping: MappingCollector | null;
  tally: DryRunTally | null;
}

/** Opens the report and audit (their temporary files) up front, so that a bad path fails before any work. */
function openSideFiles({ options, dryRun }: RunContext): SideFiles {
  const report = options.reportPath ? openReport(resolve(options.reportPath)) : null;
  let audit: AuditWriter | null = null;
  try {
    audit = options.auditPath ? openAudit(resolve(options.auditPath)) : null;
  } catch (error) {
    report?.abort();
    throw error;
  }
  // The collector always runs: it detects pseudonym collisions; the UID tables only for --mapping.
  const tally = dryRun && !options.untouchedCheck ? new DryRunTally() : null;
  return { report, audit, mapping: new MappingCollector(options.mappingDir !== undefined), tally };
}

/** What processing the files left for the summary. */
interface Processed {
  ledger: OutcomeLedger;
  /** Threads that took part, and file tasks run. */
  jobs: number;
  files: number;
  /** --fail-fast stopped the run. */
  stop: boolean;
}

/** Runs every file task on the runner and records the outcomes in input order; aborts the side files on a throw. */
async function processFiles({ options, dryRun }: RunContext, runner: TaskRunner, slots: Slot[], sides: SideFiles): Promise<Processed> {
  if (options.mappingDir !== undefined) recordRenamedNames(slots, sides.mapping);
  const totalBytes = slots.reduce((n, s) => n + (s.kind === 'file' ? s.size : 0), 0);
  const progress = createProgress(options.progress ?? false, slots.filter((s) => s.kind === 'file').length, totalBytes);
  const ledger = new OutcomeLedger(slots, { ...sides, log: options.log ?? ((m: string) => progress.log(m)) });
  const placement = new StudyPlacement({
    inputOf: (index) => ledger.fileSlot(index).task,
    pendingOutcome: (index) => ledger.pendingOutcome(index),
  });
  const tasks = ledger.tasks();
  let stop = false;
  try {
    if (tasks.length > 0) {
      await runner.run(tasks[Symbol.iterator](), {
        total: tasks.length,
        // Batches of small files: one message each way per batch instead of per file. With --fail-fast one file at a
        // time, so that little is processed after the first failure; with audit entries (one per element, tens of
        // thousands for an enhanced multi-frame file) a few files at a time, so that one answer stays small.
        batchSize: options.failFast ? 1 : sides.audit !== null || dryRun ? MAX_AUDITED_BATCH_FILES : MAX_BATCH_FILES,
        cost: (task) => ledger.fileSlot(task.index).size,
        maxBatchCost: MAX_BATCH_BYTES,
        shouldStop: () => stop,
        onResult: (outcome, task) => {
          if ('kind' in outcome) throw new Error('internal error: a header result for a file task');
          placement.place(outcome);
          if (outcome.status === 'failed' && options.failFast) stop = true;
          progress.advance(1, ledger.fileSlot(task.index).size);
          ledger.receive(outcome);
        },
        onCrash: (task, error) => ({
          index: task.index, status: 'failed', output: null, bytesIn: 0, bytesOut: 0,
          error: `${task.input}: internal error: the worker stopped while processing this file (${error.name})`,
        }),
      });
    }
    ledger.finish();
  } catch (error) {
    progress.stop();
    sides.report?.abort();
    sides.audit?.abort();
    throw error;
  }
  progress.stop();
  return { ledger, jobs: Math.max(1, Math.min(runner.size, tasks.length)), files: tasks.length, stop };
}

/** Finishes the report, audit and mapping, and sums the run up. */
function summarize({ options, started, layout, dryRun, quarantine }: RunContext, sides: SideFiles, run: Processed, staleRemoved: number): BatchSummary {
  const { counts, skippedInputs } = run.ledger;
  const quarantineReasons = [...run.ledger.quarantineReasons].map(([reason, files]) => ({ reason, files }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const untouched = untouchedByRules(run.ledger.untouchedProfileTags);
  const summary: RunSummary = {
    ...counts, seconds, filesPerSecond: run.files / Math.max(seconds, 1e-9), megabytesPerSecond: counts.bytesIn / 1e6 / Math.max(seconds, 1e-9),
    jobs: run.jobs, layout: layout, dryRun: dryRun, shard: options.shard ? `${options.shard.index}/${options.shard.count}` : null,
    stoppedEarly: run.stop, quarantineReasons, quarantineFolder: counts.quarantined > 0 && !dryRun ? quarantine : null,
    ...(untouched ? { untouchedByRules: untouched } : {}),
    ...(run.ledger.conflictingPatients.size > 0 ? { patientIdConflicts: run.ledger.conflictingPatients.size } : {}),
  };
  if (summary.patientIdConflicts) {
    options.log?.(`warning: ${summary.patientIdConflicts} Patient ID(s) came with more than one patient name or birth date in this run: two patients may share an ID (each got one pseudonym and one date shift; add Issuer of Patient ID to tell them apart)`);
  }
  sides.report?.finish(summary);
  sides.audit?.finish();
  const mappingFiles = sides.mapping && options.mappingDir ? sides.mapping.write(resolve(options.mappingDir), { safeCsv: options.mappingSafeCsv }) : [];
  return {
    ...summary, quarantineIsDefault: options.quarantine === undefined, iodBreaks: iodBreaks(run.ledger.iodBrokenTags), skippedInputs, staleRemoved, dryRunLines: sides.tally ? sides.tally.lines() : [], mappingFiles,
  };
}
