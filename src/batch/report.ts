// --report FILE: {"files": [{"input","output","status","error"|"note"}...], "summary": {...}}, files in input
// order (status ok, failed, skipped or quarantined; "burnedIn" for files the gate or a pixel rule concerned), streamed into a temporary file and renamed into place at the end. --audit FILE: one JSON line per file
// and element (tag path, keyword, action, rule origin), plus one line per file with the burned-in step's verdict. Neither ever holds a value of a data element.

import type { AuditEntry } from '../anonymize/anonymizer.js';
import { AtomicFile } from '../files/atomic-output.js';
import type { BurnedInRecord } from './protocol.js';

export interface ReportEntry {
  input: string;
  /** Quarantined: the file in the quarantine folder. */
  output: string | null;
  status: 'ok' | 'failed' | 'skipped' | 'quarantined';
  /** Failed: the reason, with byte offset and tag path where known. */
  error?: string;
  /** Skipped: why (not DICOM, DICOMDIR, output exists, ...). Quarantined: why (no values). */
  note?: string;
  /** Delivered with a warning (--burned-in keep). */
  warning?: string;
  /** The burned-in step, for files at risk or matched by a pixel rule: gate reasons, rules matched, what was done. */
  burnedIn?: BurnedInRecord;
}

export interface ReportSummary {
  ok: number;
  failed: number;
  skipped: number;
  quarantined: number;
  /** Why files were quarantined: each distinct reason (no values) and how many files. */
  quarantineReasons: { reason: string; files: number }[];
  /** Where the quarantined files are (null when none was written). */
  quarantineFolder: string | null;
  bytesIn: number;
  bytesOut: number;
  seconds: number;
  filesPerSecond: number;
  megabytesPerSecond: number;
  jobs: number;
  layout: string;
  dryRun: boolean;
  shard: string | null;
  /** Keyed digest of the key and the Plan (fingerprint.ts): `merge` refuses shards that ran under different ones. */
  runFingerprint?: string;
  /** --fail-fast stopped the batch before every file was processed. */
  stoppedEarly: boolean;
  /**
   * A rules file without the profile: the attributes the Basic Profile would change that the inputs hold and the rules
   * left untouched (keywords, tags and how many files; never values), with the suggested fix. Absent otherwise.
   */
  untouchedByRules?: UntouchedByRules;
}

/** The untouched-PHI warning, as data: one entry per attribute, in tag order. */
export interface UntouchedByRules {
  attributes: { tag: string; keyword: string; files: number }[];
  suggestion: string;
}

export class ReportWriter {
  private readonly file: AtomicFile;
  private first = true;

  constructor(path: string) {
    this.file = new AtomicFile(path, { makeFolder: true });
    this.file.writeText('{"files": [');
  }

  add(entry: ReportEntry): void {
    const clean: ReportEntry = { input: entry.input, output: entry.output, status: entry.status };
    if (entry.error !== undefined) clean.error = entry.error;
    if (entry.note !== undefined) clean.note = entry.note;
    if (entry.warning !== undefined) clean.warning = entry.warning;
    if (entry.burnedIn !== undefined) clean.burnedIn = entry.burnedIn;
    this.file.writeText(`${this.first ? '\n' : ',\n'}  ${JSON.stringify(clean)}`);
    this.first = false;
  }

  finish(summary: ReportSummary): void {
    this.file.writeText(`${this.first ? '' : '\n'}],\n"summary": ${JSON.stringify(summary)}}\n`);
    this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }
}

export class AuditWriter {
  private readonly file: AtomicFile;

  constructor(path: string) {
    this.file = new AtomicFile(path, { makeFolder: true });
  }

  /** One line per file: the burned-in step's gate reasons, rules matched and what was done. */
  addBurnedIn(input: string, record: BurnedInRecord): void {
    this.file.writeText(JSON.stringify({ file: input, burnedIn: record }) + '\n');
  }

  add(input: string, entries: readonly AuditEntry[]): void {
    for (const e of entries) {
      this.file.writeText(JSON.stringify({ file: input, path: e.path, keyword: e.keyword, action: e.action, origin: e.origin }) + '\n');
    }
  }

  finish(): void {
    this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }
}

/** --dry-run: how many files each (tag path, keyword, action, rule) applies to; item numbers folded to [*]. */
export class DryRunTally {
  private readonly counts = new Map<string, number>();

  add(entries: readonly AuditEntry[]): void {
    const seen = new Set<string>();
    for (const e of entries) {
      const key = [e.path.replace(/\[\d+\]/g, '[*]'), e.keyword || '-', e.action, e.origin].join('\t');
      if (seen.has(key)) continue;
      seen.add(key);
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  /** Lines "path  keyword  action  files  origin", sorted by tag path. */
  lines(): string[] {
    const rows = [...this.counts].map(([key, n]) => {
      const [path, keyword, action, origin] = key.split('\t');
      return { path, keyword, action, origin, n };
    });
    rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.action < b.action ? -1 : a.action > b.action ? 1 : 0));
    const w = (f: (r: (typeof rows)[number]) => string): number => Math.max(0, ...rows.map((r) => f(r).length));
    const wp = w((r) => r.path), wk = w((r) => r.keyword), wa = w((r) => r.action), wn = w((r) => String(r.n));
    return rows.map((r) => `${r.path.padEnd(wp)}  ${r.keyword.padEnd(wk)}  ${r.action.padEnd(wa)}  ${String(r.n).padStart(wn)} file(s)  ${r.origin}`);
  }
}
