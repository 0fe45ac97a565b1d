// The outcomes of a batch in input order: one slot per discovered input, filled as workers answer (in any order),
// recorded into the report, audit, mapping, dry-run tally and counts strictly in input order, whatever the finish order.

import { rmSync } from 'node:fs';
import { DICOMDIR_NOTE, NOT_DICOM_NOTE } from '../files/discover.js';
import type { AuditEntry } from '../anonymize/anonymizer.js';
import type { BurnedInRecord, FileOutcome, FileTask, InstanceIds } from './protocol.js';
import type { ReportEntry } from '../records/index.js';

export type Slot =
  | { kind: 'file'; task: FileTask; size: number; outcome?: FileOutcome }
  | { kind: 'skipped'; input: string; relativePath: string; reason: string };

/** Where recorded outcomes go; each is optional (the flags that ask for them). */
export interface LedgerSinks {
  report?: { add(entry: ReportEntry): void } | null;
  audit?: { add(input: string, entries: readonly AuditEntry[]): void; addBurnedIn?(input: string, record: BurnedInRecord): void } | null;
  mapping?: { add(ids: InstanceIds): void; collision?(ids: InstanceIds, input: string): string | null } | null;
  tally?: { add(entries: readonly AuditEntry[]): void } | null;
  /** Failures, as they are recorded. */
  log: (message: string) => void;
}

export interface LedgerCounts {
  ok: number;
  failed: number;
  skipped: number;
  quarantined: number;
  bytesIn: number;
  bytesOut: number;
}

const NOT_PROCESSED = 'not processed: --fail-fast stopped the batch';

export class OutcomeLedger {
  readonly counts: LedgerCounts = { ok: 0, failed: 0, skipped: 0, quarantined: 0, bytesIn: 0, bytesOut: 0 };
  /** Why files were quarantined, with how many, in order of first appearance. */
  readonly quarantineReasons = new Map<string, number>();
  /** A plan without a profile: per tag the Basic Profile would change, how many files held it untouched. */
  readonly untouchedProfileTags = new Map<number, number>();
  /** Per tag an IOD required and the anonymization removed: how many files, and the SOP classes that required it. */
  readonly iodBrokenTags = new Map<number, { files: number; sopClassUids: Set<string> }>();
  /** Digest of a patient's key → digest of the first name and birth date seen with it (issue #22). */
  private readonly patientIdentities = new Map<string, string>();
  /** Patient keys seen with more than one name or birth date in this run: counted, never shown. */
  readonly conflictingPatients = new Set<string>();
  /** Skipped for what they are (not DICOM, DICOMDIR, links), in input order. */
  readonly skippedInputs: { relativePath: string; reason: string }[] = [];
  /** The first slot not yet recorded. */
  private flushed = 0;

  constructor(private readonly slots: readonly Slot[], private readonly sinks: LedgerSinks) {}

  /** The files to process, in input order (their `index` is their slot). */
  tasks(): FileTask[] {
    return this.slots.flatMap((s) => (s.kind === 'file' ? [s.task] : []));
  }

  fileSlot(index: number): Extract<Slot, { kind: 'file' }> {
    const slot = this.slots[index];
    if (slot?.kind !== 'file') throw new Error(`slot ${index} is not a file`);
    return slot;
  }

  /** An outcome received but not yet recorded (placement may still change it). */
  pendingOutcome(index: number): FileOutcome | undefined {
    return index >= this.flushed ? this.fileSlot(index).outcome : undefined;
  }

  /** Stores the outcome of one file and records every slot that is now complete in order. */
  receive(outcome: FileOutcome): void {
    this.fileSlot(outcome.index).outcome = outcome;
    this.flush(false);
  }

  /** Records every remaining slot; files without an outcome were never processed (--fail-fast). */
  finish(): void {
    this.flush(true);
  }

  private flush(all: boolean): void {
    while (this.flushed < this.slots.length) {
      const slot = this.slots[this.flushed];
      if (slot.kind === 'file' && slot.outcome === undefined && !all) break;
      this.record(slot);
      this.flushed++;
    }
  }

  private record(slot: Slot): void {
    const entry = slot.kind === 'skipped' ? this.recordSkipped(slot) : this.recordFile(slot);
    this.counts[entry.status]++;
    this.sinks.report?.add(entry);
  }

  private recordSkipped(slot: Extract<Slot, { kind: 'skipped' }>): ReportEntry {
    this.skippedInputs.push({ relativePath: slot.relativePath, reason: slot.reason });
    return { input: slot.input, output: null, status: 'skipped', note: slot.reason };
  }

  private recordFile(slot: Extract<Slot, { kind: 'file' }>): ReportEntry {
    let o = slot.outcome ?? { index: slot.task.index, status: 'skipped', note: NOT_PROCESSED, output: null, bytesIn: 0, bytesOut: 0 };
    const collision = o.status !== 'failed' && o.ids ? this.sinks.mapping?.collision?.(o.ids, slot.task.input) ?? null : null;
    if (collision !== null) {
      // Two patients under one pseudonym: the later file (in input order) fails and leaves nothing at its output.
      if (o.output !== null) rmSync(o.output, { force: true });
      o = { index: o.index, status: 'failed', error: `${slot.task.input}: ${collision}`, output: null, bytesIn: o.bytesIn, bytesOut: 0 };
    }
    const entry: ReportEntry = { input: slot.task.input, output: o.output, status: o.status };
    if (o.error !== undefined) entry.error = o.error;
    if (o.note !== undefined) entry.note = o.note;
    if (o.warning !== undefined) entry.warning = o.warning;
    const b = o.burnedIn;
    if (b && (b.atRisk || b.rulesMatched.length > 0 || b.status !== 'not-at-risk' || (b.notes?.length ?? 0) > 0)) entry.burnedIn = b;
    if (o.status === 'quarantined') {
      const why = b?.reason ?? o.note ?? 'quarantined';
      this.quarantineReasons.set(why, (this.quarantineReasons.get(why) ?? 0) + 1);
    }
    if (o.warning !== undefined) this.sinks.log(`warning: ${slot.task.input}: ${o.warning}`);
    this.counts.bytesIn += o.bytesIn;
    this.counts.bytesOut += o.bytesOut;
    if (o.status === 'failed') this.sinks.log(`failed: ${o.error ?? slot.task.input}`);
    if (o.status === 'skipped' && (o.note === NOT_DICOM_NOTE || o.note === DICOMDIR_NOTE)) {
      this.skippedInputs.push({ relativePath: slot.task.relativePath, reason: o.note });
    }
    if (b && (o.audit || o.status === 'failed')) this.sinks.audit?.addBurnedIn?.(slot.task.input, b);
    if (o.status !== 'failed') {
      for (const tag of o.untouchedProfileTags ?? []) this.untouchedProfileTags.set(tag, (this.untouchedProfileTags.get(tag) ?? 0) + 1);
      for (const tag of o.iodBroken?.tags ?? []) {
        const seen = this.iodBrokenTags.get(tag) ?? { files: 0, sopClassUids: new Set<string>() };
        seen.files++;
        seen.sopClassUids.add(o.iodBroken!.sopClassUid);
        this.iodBrokenTags.set(tag, seen);
      }
      if (o.ids) this.sinks.mapping?.add(o.ids);
      const patient = o.ids?.patient;
      if (patient) {
        const first = this.patientIdentities.get(patient.key);
        if (first === undefined) this.patientIdentities.set(patient.key, patient.identity);
        else if (first !== patient.identity) this.conflictingPatients.add(patient.key);
      }
      if (o.audit) {
        this.sinks.audit?.add(slot.task.input, o.audit);
        this.sinks.tally?.add(o.audit);
      }
    }
    slot.outcome = undefined; // free the audit entries
    return entry;
  }
}
