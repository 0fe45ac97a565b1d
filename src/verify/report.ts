// Rendering a report: a human-readable table (file, severity, tag path, what, masked value) or the findings record
// (stable JSON, written by src/records/findings.ts).

import { printable } from '../files/terminal-text.js';
import { formatFindingsReport } from '../records/index.js';
import { NO_ORIGINALS, type VerifyReport } from './types.js';

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
  const scannedOnly = s.verified === 0 && report.files.length > 0 && report.files.every((f) => f.input === null && f.notVerified === NO_ORIGINALS);
  // Only outputs compared with their originals count as verified; the others are named, with why.
  const notVerified = scannedOnly ? [] : report.files.filter((f) => !f.verified);
  const counted = scannedOnly
    ? `${s.files} file(s) scanned without originals (not verified against them)`
    : `${s.verified} file(s) verified${s.notVerified > 0 ? `, ${s.notVerified} NOT verified (listed below; scanned for patterns only)` : ''}`;
  const summary = s.findings === 0
    ? `${counted}: no findings.\n`
    : `${counted}; ${s.filesWithFindings} with findings: ${s.high} high, ${s.medium} medium, ${s.low} low.\n`;
  const unverifiedLines = notVerified.slice(0, 50).map((f) => `not verified: ${printable(f.output)}: ${printable(f.notVerified ?? 'not compared with an original')}`);
  if (notVerified.length > 50) unverifiedLines.push(`not verified: … and ${notVerified.length - 50} more (see --json)`);
  const tail = [...unverifiedLines, ...(unverifiedLines.length > 0 ? [''] : []), summary].join('\n');
  if (rows.length === 0) return tail;
  const widths = header.map((h, i) => Math.min(i === 3 ? 90 : 70, Math.max(h.length, ...rows.map((r) => [...printable(r[i])].length))));
  // File names may hold newlines and terminal escapes: each cell is escaped before it is printed.
  const line = (cells: string[]): string => cells.map(printable).map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line), '', tail].join('\n');
}

/** verify's exit code: 3 with findings; else 5 when originals were given and some outputs could not be compared; else 0. */
export function verifyExitCode(report: VerifyReport, originalsGiven: boolean): 0 | 3 | 5 {
  if (report.summary.findings > 0) return 3;
  return originalsGiven && report.summary.notVerified > 0 ? 5 : 0;
}
