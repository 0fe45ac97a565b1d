// Rendering a report: a human-readable table (file, severity, tag path, what, masked value) or stable JSON.

import { printable } from '../files/terminal-text.js';
import type { VerifyReport } from './types.js';

export function formatJson(report: VerifyReport): string {
  const stable = {
    files: report.files.map((f) => ({
      output: f.output,
      input: f.input,
      findings: f.findings.map((x) => ({ severity: x.severity, tagPath: x.tagPath, kind: x.kind, message: x.message, masked: x.masked })),
    })),
    summary: { ...report.summary },
  };
  // JSON.stringify leaves C1 controls and U+2028/2029 raw; as \u escapes they mean the same and print harmlessly.
  return JSON.stringify(stable, null, 2).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
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
