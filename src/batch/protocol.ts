// What the main thread and the workers exchange: plain, structured-clone-able data only.

import type { AuditEntry } from '../anonymize/anonymizer.js';
import type { Plan } from '../plan/plan.js';
import type { OutputLayout } from '../plan/output-layout.js';
import type { ReadOptions } from '../dicom/part10.js';
import type { PathValue } from '../plan/identifying-path.js';
import type { BurnedInRecord, PatientIdRow } from '../records/index.js';

/** The key material: file bytes or text, both read by one rule (Keys.fromSecret: whitespace trimmed at the ends). */
export type KeySecret = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'text'; text: string };

/** Set once per worker. */
export interface WorkerSetup {
  plan: Plan;
  secret: KeySecret;
  layout: OutputLayout;
  /** Output folder (study layout) — mirror targets come with each task. */
  outputRoot: string;
  /** Real path of the output folder: every output folder must resolve inside it. Null for a single-file run. */
  outputReal: string | null;
  dryRun: boolean;
  skipExisting: boolean;
  /** Return the audit entries of each file (for --audit and --dry-run). */
  collectAudit: boolean;
  /** Read and anonymize files whose output exists (--skip-existing) anyway, to collect their identifiers. */
  collectIds: boolean;
  /** Reader limits (docs/limits.md); empty = the defaults. */
  readOptions: ReadOptions;
  /** The De-identification Method every output of the plan carries (its markers'), for --skip-existing; null: none. */
  methodText: string | null;
  /** The run fingerprint (fingerprint.ts) stamped into every output's file meta, and compared by --skip-existing. */
  fingerprint: string;
  /** Marks this run's staging files (study layout), so a resumed shard removes only its own leftovers. */
  stageTag: string;
  /**
   * Where at-risk files that nothing cleaned go (same relative path, or the study layout, under it). For a
   * single-file run, the quarantined file is `<quarantineRoot>/<name of the output>`.
   */
  quarantineRoot: string;
  /** Real path of the quarantine folder (every folder made in it must resolve inside it). */
  quarantineReal: string;
  /** True for a single-file run (the input and output are files). */
  singleFile?: boolean;
}

export interface FileTask {
  index: number;
  input: string;
  relativePath: string;
  /** Mirror layout: where the output goes. Study layout: null (known only after anonymization). */
  target: string | null;
}

/** The mirror layout's header pre-pass, one input: its path-identifying values (mirror-names.ts). */
export interface PathValuesTask {
  kind: 'path-values';
  /** Position in the list of every input of the run (all shards'). */
  index: number;
  input: string;
}

export interface PathValuesResult {
  kind: 'path-values';
  index: number;
  /** Null: the header could not be read (only the patterns decide its names). */
  values: PathValue[] | null;
}

/** What a worker (or the main thread, inline.ts) is given: a file to anonymize, or a header to look at. */
export type WorkerTask = FileTask | PathValuesTask;
export type WorkerResult = FileOutcome | PathValuesResult;

/** Old → new identifiers of one instance, for the --mapping CSVs. */
export interface InstanceIds {
  /** Patient IDs replaced: original, its issuer ('' when none), pseudonym (records/mapping.ts PatientIdRow). */
  patientIds: PatientIdRow[];
  study: [string, string] | null;
  series: [string, string] | null;
  sop: [string, string] | null;
  /**
   * Digests (never the values) of the patient's key (Patient ID with its issuer) and of the name and birth date
   * found with it: the main thread counts IDs seen with more than one (issue #22). Absent without a Patient ID.
   */
  patient?: { key: string; identity: string };
}

/** What the burned-in step decided, for the report and the audit (no values): its format is src/records/report.ts. */
export type { BurnedInRecord } from '../records/index.js';

export interface FileOutcome {
  index: number;
  /** quarantined: written (metadata de-identified) under the quarantine folder, never to the output. */
  status: 'ok' | 'failed' | 'skipped' | 'quarantined';
  /** Failed: what went wrong (offset and tag path, never a value). */
  error?: string;
  /** Skipped: why. */
  note?: string;
  output: string | null;
  /** Study layout: the finished file is here, beside `output`; the main thread renames it into place. */
  staged?: string;
  bytesIn: number;
  bytesOut: number;
  ids?: InstanceIds;
  audit?: AuditEntry[];
  /** The burned-in step's verdict (absent when the file was not anonymized). */
  burnedIn?: BurnedInRecord;
  /** Delivered with a warning (policy keep: it may carry burned-in text). */
  warning?: string;
  /** A plan without a profile: tags the Basic Profile would change that this file holds and the plan kept (no values). */
  untouchedProfileTags?: number[];
  /** Attributes its IOD requires that the anonymization removed (Type 1: or emptied), and its SOP class (iod-check.ts). */
  iodBroken?: { sopClassUid: string; tags: number[] };
}
