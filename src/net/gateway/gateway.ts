// The store-and-forward gateway (`dicom-anonymizer serve`): a Storage SCP writes each instance into the spool
// (spool.ts) and answers Success once it is on disk; the batch's own task handler (the same engine, Plan, worker
// pool and atomic writer as `dicom-anonymizer -i ... -o ...`) anonymizes it in this process, so its output is byte
// for byte the CLI's for the same file, key and options; each destination (destinations.ts) then gets it, with
// retries and back-off, and a per-destination journal (journal.ts) so a restart after kill -9 forwards every
// instance answered Success, and none twice but for the one in flight when the gateway was killed.

import { copyFileSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plan } from '../../plan/plan.js';
import type { ReadOptions } from '../../dicom/part10.js';
import { readDicomBuffer } from '../../dicom/part10.js';
import { getString } from '../../dicom/values.js';
import { MediaStorageSOPClassUID, SOPClassUID, SOPInstanceUID, TransferSyntaxUID } from '../../dicom/tags.generated.js';
import { writeFileAtomically } from '../../files/atomic-output.js';
import { GatewayReportWriter, appendingAuditWriter, formatDestinationsFile, formatGatewayStatus, type GatewayReportLine } from '../../records/index.js';
import { InlineRunner } from '../../batch/inline.js';
import { runFingerprint } from '../../batch/fingerprint.js';
import { siblingWorker, WorkerPool } from '../../batch/pool.js';
import type { FileOutcome, FileTask, KeySecret, WorkerResult, WorkerSetup, WorkerTask } from '../../batch/protocol.js';
import { startStorageScp, type RunningScp } from '../dimse/storage-scp.js';
import type { AllowEntry } from '../dimse/allow-list.js';
import { Spool } from './spool.js';
import { DestinationJournal } from './journal.js';
import type { Destination, ForwardItem, ForwardResult } from './destinations.js';

export interface GatewayOptions {
  spool: string;
  host: string;
  port: number;
  aeTitle: string;
  allow: readonly AllowEntry[];
  privateSopClasses: boolean;
  destinations: readonly Destination[];
  plan: Plan;
  secret: KeySecret;
  /** Worker threads anonymizing; 1: on the main thread between network events (as a small batch runs). */
  jobs: number;
  readOptions: ReadOptions;
  /** Quarantine folder (burned-in risk, or no destination syntax); default <spool>/quarantine. */
  quarantine?: string;
  /** JSON lines, appended as instances go through (no values: spool names, statuses, reasons). */
  reportPath?: string;
  /** JSON lines of the audit (tag paths, keywords, actions), per spool name. */
  auditPath?: string;
  /** Tries per instance and destination before it goes to failed/ (default 5); back-off doubles from retryMs. */
  attempts?: number;
  retryMs?: number;
  /** Written (atomically) whenever the counts change, at most once a second. */
  statusFile?: string;
  /** Refuse instances (A700) when the spool's disk has less free space than this (default 64 MiB). */
  reserveBytes?: number;
  tls?: { key: Buffer; cert: Buffer; ca?: Buffer };
  log: (message: string) => void;
}

/** What the gateway has done since it started (and what waits in the spool). Numbers only. */
export interface GatewayCounts {
  received: number;
  anonymized: number;
  forwarded: number;
  quarantined: number;
  failed: number;
  /** Instances in the spool not yet anonymized or not yet delivered everywhere. */
  queued: number;
}

interface RetryState {
  attempts: number;
  nextAt: number;
}

const DEFAULT_RESERVE = 64 * 1024 * 1024;

/**
 * A failed outcome whose cause is a full spool disk (describeError's "ENOSPC: write failed"): the instance was answered
 * Success, so it stays in received/ and is anonymized again once forwarding has made room, never put in failed/.
 */
const SPOOL_FULL_ERROR = /\b(ENOSPC|EDQUOT): /;

export class Gateway {
  readonly counts: GatewayCounts = { received: 0, anonymized: 0, forwarded: 0, quarantined: 0, failed: 0, queued: 0 };
  private readonly spool: Spool;
  private readonly journals = new Map<string, DestinationJournal>();
  private readonly retries = new Map<string, RetryState>();
  private readonly infos = new Map<string, ForwardItem>();
  private readonly quarantine: string;
  private readonly runner: Pick<WorkerPool<WorkerTask, WorkerResult>, 'run' | 'close'>;
  private scp: RunningScp | null = null;
  private working = false;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private statusWritten = 0;
  private statusPending: NodeJS.Timeout | null = null;
  private readonly reportWriter: GatewayReportWriter | null = null;
  private readonly auditWriter: ReturnType<typeof appendingAuditWriter> | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly fingerprint: string;
  private spoolFullLogged = false;

  private constructor(private readonly options: GatewayOptions) {
    this.spool = new Spool(resolve(options.spool), options.reserveBytes ?? DEFAULT_RESERVE);
    this.quarantine = resolve(options.quarantine ?? join(options.spool, 'quarantine'));
    mkdirSync(this.quarantine, { recursive: true });
    for (const d of options.destinations) this.journals.set(d.key, new DestinationJournal(join(this.spool.folder('journal'), `${d.key}.log`)));
    writeFileSync(join(this.spool.folder('journal'), 'destinations.json'), formatDestinationsFile(options.destinations.map((d) => ({ key: d.key, destination: d.label }))));
    if (options.reportPath) this.reportWriter = new GatewayReportWriter(options.reportPath);
    if (options.auditPath) this.auditWriter = appendingAuditWriter(options.auditPath);
    const anonymized = this.spool.folder('anonymized');
    this.fingerprint = runFingerprint(options.secret, options.plan);
    const setup: WorkerSetup = {
      plan: options.plan, secret: options.secret, layout: 'mirror', outputRoot: anonymized, outputReal: realpathSync(anonymized),
      dryRun: false, skipExisting: false, collectAudit: options.auditPath !== undefined, collectIds: false, readOptions: options.readOptions,
      methodText: options.plan.markers?.methodText ?? null, stageTag: 'gateway', fingerprint: this.fingerprint, quarantineRoot: this.quarantine, quarantineReal: realpathSync(this.quarantine),
    };
    this.runner = options.jobs <= 1
      ? new InlineRunner<WorkerTask, WorkerResult>(async () => (await import('../../batch/file-handler.js')).taskHandler(setup))
      : new WorkerPool<WorkerTask, WorkerResult>({ worker: batchWorker(), size: options.jobs, workerData: setup });
  }

  /** Opens the spool (dropping what a killed gateway was still receiving), starts listening and works off the queue. */
  static async start(options: GatewayOptions): Promise<Gateway> {
    const gateway = new Gateway(options);
    const dropped = gateway.spool.removeIncomplete();
    if (dropped > 0) options.log(`removed ${dropped} instance(s) whose C-STORE had not completed when the gateway stopped (never answered Success)`);
    gateway.counts.queued = gateway.spool.list('received').length + gateway.spool.list('anonymized').length;
    gateway.scp = await startStorageScp({
      host: options.host, port: options.port, aeTitle: options.aeTitle, allow: options.allow, privateSopClasses: options.privateSopClasses,
      tls: options.tls, log: options.log,
      store: gateway.spool.store(() => {
        gateway.counts.received++;
        gateway.counts.queued++;
        gateway.changed();
        gateway.kick();
      }, options.log),
    });
    gateway.timer = setInterval(() => gateway.kick(), 500);
    gateway.kick();
    return gateway;
  }

  get port(): number {
    return this.scp?.port ?? 0;
  }

  /** One line of counts, for the log and SIGUSR1. */
  statusLine(): string {
    const c = this.counts;
    return `received ${c.received}, anonymized ${c.anonymized}, forwarded ${c.forwarded}, quarantined ${c.quarantined}, failed ${c.failed}, queued ${c.queued}`;
  }

  /** Resolves when nothing is queued (tests, and a clean stop). */
  idle(): Promise<void> {
    if (this.counts.queued === 0 && !this.working) return Promise.resolve();
    return new Promise((done) => this.idleWaiters.push(done));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.scp?.close();
    while (this.working) await new Promise((r) => setTimeout(r, 20));
    await this.runner.close();
    for (const j of this.journals.values()) j.close();
    this.reportWriter?.close();
    this.auditWriter?.finish();
    this.writeStatus();
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.working) {
      this.again = true;
      return;
    }
    this.working = true;
    void this.work().finally(() => {
      this.working = false;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      } else if (this.counts.queued === 0) {
        for (const done of this.idleWaiters.splice(0)) done();
      }
    });
  }

  private async work(): Promise<void> {
    try {
      await this.anonymizeReceived();
      await this.forwardAnonymized();
    } catch (error) {
      this.options.log(`gateway: ${(error as Error).message}`);
    }
  }

  /** Every received instance through the batch's task handler into anonymized/ (or the quarantine, or failed/). */
  private async anonymizeReceived(): Promise<void> {
    const received = this.spool.folder('received');
    const names = this.spool.list('received');
    if (names.length === 0) return;
    const tasks: FileTask[] = names.map((name, index) => ({ index, input: join(received, name), relativePath: name, target: join(this.spool.folder('anonymized'), name) }));
    await this.runner.run(tasks[Symbol.iterator](), {
      total: tasks.length,
      batchSize: 8,
      onResult: (result, task) => {
        if ('kind' in result) return;
        this.afterAnonymize(result, task as FileTask);
      },
      onCrash: (task, error) => ({ index: task.index, status: 'failed', output: null, bytesIn: 0, bytesOut: 0, error: `internal error while anonymizing (${error.name})` }),
    });
  }

  private afterAnonymize(outcome: FileOutcome, task: FileTask): void {
    const name = task.relativePath;
    if (outcome.status === 'failed' && SPOOL_FULL_ERROR.test(outcome.error ?? '')) {
      // Tried again at every turn until there is room: logged once, not reported (nothing happened to it).
      if (!this.spoolFullLogged) this.options.log(`the spool is full: ${name} and what follows stay received until forwarding makes room`);
      this.spoolFullLogged = true;
      return;
    }
    this.report({ instance: name, stage: 'anonymize', status: outcome.status, ...(outcome.error ? { error: outcome.error } : {}), ...(outcome.note ? { note: outcome.note } : {}), ...(outcome.burnedIn ? { burnedIn: outcome.burnedIn } : {}) });
    if (this.auditWriter) {
      if (outcome.burnedIn) this.auditWriter.addBurnedIn(name, outcome.burnedIn);
      if (outcome.audit) this.auditWriter.add(name, outcome.audit);
    }
    if (outcome.status === 'ok') {
      this.spoolFullLogged = false;
      this.counts.anonymized++;
      // The anonymized file is on disk (atomic, fsynced): the received one can go. A kill between the two redoes
      // the anonymization, which writes the same bytes.
      this.spool.removeReceived(name);
    } else if (outcome.status === 'quarantined') {
      this.counts.quarantined++;
      this.counts.queued--;
      this.options.log(`quarantined ${name}: ${outcome.note ?? 'at risk of burned-in text'}`);
      this.spool.removeReceived(name);
    } else {
      this.counts.failed++;
      this.counts.queued--;
      const reason = outcome.error ?? outcome.note ?? 'not anonymized';
      this.options.log(`failed ${name}: ${reason}`);
      const failed = join(this.spool.folder('failed'), 'anonymize');
      mkdirSync(failed, { recursive: true });
      copyFileSync(task.input, join(failed, name));
      writeFileAtomically(join(failed, `${name}.reason.txt`), `${reason}\n`);
      this.spool.removeReceived(name);
    }
    this.changed();
  }

  /** Every anonymized instance to every destination that has not taken it yet. */
  private async forwardAnonymized(): Promise<void> {
    const names = this.spool.list('anonymized');
    if (names.length === 0) return;
    const now = Date.now();
    for (const destination of this.options.destinations) {
      const journal = this.journals.get(destination.key)!;
      const due: [string, ForwardItem][] = [];
      for (const name of names) {
        const item = this.item(name);
        if (item === null || journal.has(item.sopInstanceUid)) continue;
        const retry = this.retries.get(`${destination.key} ${name}`);
        if (retry && retry.nextAt > now) continue;
        due.push([name, item]);
      }
      for (let i = 0; i < due.length && !this.stopped; i += destination.batchSize) {
        const batch = due.slice(i, i + destination.batchSize);
        let results: ForwardResult[];
        try {
          results = await destination.send(batch.map(([, item]) => item));
        } catch (error) {
          results = batch.map(() => ({ kind: 'retry', reason: (error as Error).message }));
        }
        batch.forEach(([name, item], k) => this.afterForward(destination, journal, name, item, results[k]));
      }
    }
    for (const name of names) {
      const item = this.item(name);
      if (item === null) continue;
      if (this.options.destinations.every((d) => this.journals.get(d.key)!.has(item.sopInstanceUid))) {
        rmSync(join(this.spool.folder('anonymized'), name), { force: true });
        this.infos.delete(name);
        this.counts.queued--;
        this.changed();
      }
    }
  }

  private afterForward(destination: Destination, journal: DestinationJournal, name: string, item: ForwardItem, result: ForwardResult): void {
    const retryKey = `${destination.key} ${name}`;
    if (result.kind === 'stored') {
      journal.record(item.sopInstanceUid, 'stored');
      this.retries.delete(retryKey);
      this.counts.forwarded++;
      this.report({ instance: name, stage: 'forward', destination: destination.label, status: 'forwarded' });
    } else if (result.kind === 'not-accepted') {
      // Quarantined with the reason: the destination takes none of the syntaxes this tool can give it losslessly.
      const folder = join(this.quarantine, `destination-${destination.key}`);
      mkdirSync(folder, { recursive: true });
      writeFileAtomically(join(folder, `${item.sopInstanceUid}.dcm`), item.bytes);
      writeFileAtomically(join(folder, `${item.sopInstanceUid}.reason.txt`), `${destination.label}: ${result.reason}\n`);
      journal.record(item.sopInstanceUid, 'quarantined');
      this.retries.delete(retryKey);
      this.counts.quarantined++;
      this.options.log(`quarantined ${name} for ${destination.label}: ${result.reason}`);
      this.report({ instance: name, stage: 'forward', destination: destination.label, status: 'quarantined', reason: result.reason });
    } else {
      const state = this.retries.get(retryKey) ?? { attempts: 0, nextAt: 0 };
      state.attempts++;
      const attempts = this.options.attempts ?? 5;
      if (result.kind === 'refused' || state.attempts >= attempts) {
        const folder = join(this.spool.folder('failed'), `destination-${destination.key}`);
        mkdirSync(folder, { recursive: true });
        writeFileAtomically(join(folder, `${item.sopInstanceUid}.dcm`), item.bytes);
        writeFileAtomically(join(folder, `${item.sopInstanceUid}.reason.txt`), `${destination.label}: ${result.reason} (after ${state.attempts} attempt(s))\n`);
        journal.record(item.sopInstanceUid, 'failed');
        this.retries.delete(retryKey);
        this.counts.failed++;
        this.options.log(`failed ${name} for ${destination.label} after ${state.attempts} attempt(s): ${result.reason}`);
        this.report({ instance: name, stage: 'forward', destination: destination.label, status: 'failed', reason: result.reason });
      } else {
        state.nextAt = Date.now() + (this.options.retryMs ?? 1000) * 2 ** (state.attempts - 1);
        this.retries.set(retryKey, state);
        this.options.log(`will retry ${name} for ${destination.label} (attempt ${state.attempts} of ${attempts}): ${result.reason}`);
      }
    }
    this.changed();
  }

  /** The anonymized instance's bytes and identifiers (cached), or null when it cannot be read (moved to failed/). */
  private item(name: string): ForwardItem | null {
    const cached = this.infos.get(name);
    if (cached) return cached;
    const path = join(this.spool.folder('anonymized'), name);
    try {
      const bytes = readFileSync(path);
      const file = readDicomBuffer(bytes, name, { ...this.options.readOptions, stopBeforeTag: 0x00080019 });
      const text = (tag: number, inMeta: boolean): string => {
        const ds = inMeta ? file.meta : file.dataset;
        const el = ds?.get(tag);
        return el && ds ? getString(ds, el, inMeta ? file.source : file.datasetSource) : '';
      };
      const item: ForwardItem = {
        bytes, datasetOffset: datasetOffset(bytes),
        sopClassUid: text(SOPClassUID, false) || text(MediaStorageSOPClassUID, true),
        sopInstanceUid: text(SOPInstanceUID, false),
        transferSyntaxUid: text(TransferSyntaxUID, true) || file.transferSyntax.uid,
        runFingerprint: this.fingerprint,
      };
      file.close();
      if (!/^[0-9.]+$/.test(item.sopInstanceUid)) throw new Error('no SOP Instance UID');
      this.infos.set(name, item);
      return item;
    } catch (error) {
      const failed = join(this.spool.folder('failed'), 'forward');
      mkdirSync(failed, { recursive: true });
      copyFileSync(path, join(failed, name));
      writeFileAtomically(join(failed, `${name}.reason.txt`), `the anonymized instance cannot be forwarded: ${(error as Error).message}\n`);
      rmSync(path, { force: true });
      this.counts.failed++;
      this.counts.queued--;
      this.changed();
      return null;
    }
  }

  private report(line: Omit<GatewayReportLine, 'time'>): void {
    this.reportWriter?.add(line);
  }

  /** The status file, at most once a second. */
  private changed(): void {
    if (!this.options.statusFile || this.statusPending) return;
    const wait = Math.max(0, 1000 - (Date.now() - this.statusWritten));
    this.statusPending = setTimeout(() => {
      this.statusPending = null;
      this.writeStatus();
    }, wait);
  }

  private writeStatus(): void {
    if (!this.options.statusFile) return;
    this.statusWritten = Date.now();
    try {
      writeFileAtomically(this.options.statusFile, formatGatewayStatus(this.counts), { fsync: false });
    } catch (error) {
      // A full disk must not stop the gateway (this runs from a timer): the next change writes it again.
      this.options.log(`the status file could not be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
}

/** Offset of the dataset in a Part 10 file this tool wrote (preamble, DICM, group length first). */
function datasetOffset(bytes: Buffer): number {
  if (bytes.length < 144 || bytes.toString('latin1', 128, 132) !== 'DICM' || bytes.readUInt32LE(132) !== 0x00000002) throw new Error('not a Part 10 file with a group length');
  return 144 + bytes.readUInt32LE(140);
}

/** The batch's worker entry: beside the batch modules, or beside the engine bundle (launch/worker.js). */
function batchWorker(): ReturnType<typeof siblingWorker> {
  const here = import.meta.url;
  if (!/\/net\/gateway\/gateway\.[jt]s$/.test(here)) return siblingWorker('worker', here);
  return siblingWorker('worker', new URL(`../../batch/run${here.endsWith('.ts') ? '.ts' : '.js'}`, here).href);
}
