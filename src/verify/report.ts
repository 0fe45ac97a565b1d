// Rendering a report: a human-readable table (file, severity, tag path, what, masked value) or the findings record
// (stable JSON, written by src/records/findings.ts).

import { printable } from '../files/terminal-text.js';
import { formatFindingsReport } from '../records/index.js';
import type { VerifyReport } from './types.js';

/** The --report / --json text: the findings record of src/records/findings.ts (versioned, stable field order). */
export function formatJson(report: VerifyReport): string {
  return formatFindingsReport(report);
}

export function formatTable(report: VerifyReport): string {
  const header = ['FILE', 'SEVERITY', 'TAG PATH', 'WHAT', 'VALUE'];
  const rows: string[][] = [];
  for (const f of report.files) {
    for (const x of f.findings) rows.push([f.output, x.severity, x.tagPath || '-', `${x.kind}: ${x.message}`, x.masked ?? '-']);
  }
  const s = report.summary;
  const summary = s.findings === 0
    ? `${s.files} file(s) verified: no findings.\n`
    : `${s.files} file(s) verified, ${s.filesWithFindings} with findings: ${s.high} high, ${s.medium} medium, ${s.low} low.\n`;
  if (rows.length === 0) return summary;
  const widths = header.map((h, i) => Math.min(i === 3 ? 90 : 70, Math.max(h.length, ...rows.map((r) => [...printable(r[i])].length))));
  // File names may hold newlines and terminal escapes: each cell is escaped before it is printed.
  const line = (cells: string[]): string => cells.map(printable).map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line), '', summary].join('\n');
}
