// The batch's side files: the --report and --audit writers over atomic files (their formats are src/records/report.ts
// and src/records/audit.ts; neither ever holds a value of a data element), and the --dry-run per-tag table.

import type { AuditEntry } from '../anonymize/anonymizer.js';
import { AtomicFile } from '../files/atomic-output.js';
import { AuditWriter, ReportWriter } from '../records/index.js';

/** The --report writer: streamed into a temporary file beside `path`, renamed into place when the run finishes. */
export const openReport = (path: string): ReportWriter => new ReportWriter(new AtomicFile(path, { makeFolder: true }));

/** The --audit writer, as the report. */
export const openAudit = (path: string): AuditWriter => new AuditWriter(new AtomicFile(path, { makeFolder: true }));

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
