// Reading what the anonymize run and verify wrote: the --report JSON, the --audit JSON lines (streamed: one line per
// element of every file can run to millions) and verify's --report JSON. Shapes are checked loosely: a field of the
// wrong type is dropped, never trusted, and a file that is not what it should be is a UsageError naming it.

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { UsageError } from '../files/usage-error.js';
import type { Finding, Severity } from '../verify/types.js';

/** One file of the run's report (src/batch/report.ts ReportEntry), as far as the page needs it. */
export interface RunReportEntry {
  input: string;
  output: string | null;
  status: 'ok' | 'failed' | 'skipped' | 'quarantined';
  note?: string;
  burnedIn?: RunBurnedIn;
}

export interface RunBurnedIn {
  status: string;
  reasons: string[];
  rectangles: { x: number; y: number; width: number; height: number; frames?: number[] }[];
  framesRedacted: number[];
}

export interface RunReport {
  files: RunReportEntry[];
  summary: { ok: number; failed: number; skipped: number; quarantined: number; quarantineFolder: string | null; layout: string | null; dryRun: boolean };
}

export interface AuditLine {
  file: string;
  path: string;
  keyword: string;
  action: string;
  origin: string;
}

const STATUSES = new Set(['ok', 'failed', 'skipped', 'quarantined']);
const SEVERITIES = new Set<Severity>(['high', 'medium', 'low']);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${what} ${path} is not JSON`);
  }
}

function burnedIn(value: unknown): RunBurnedIn | undefined {
  if (!isObject(value)) return undefined;
  const rectangles = Array.isArray(value.rectangles)
    ? value.rectangles.filter(isObject).map((r) => {
        const frames = Array.isArray(r.frames) ? r.frames.filter((f): f is number => Number.isInteger(f)) : undefined;
        return { x: num(r.x), y: num(r.y), width: num(r.width), height: num(r.height), ...(frames ? { frames } : {}) };
      })
    : [];
  return {
    status: str(value.status) ?? '',
    reasons: Array.isArray(value.reasons) ? value.reasons.filter((r): r is string => typeof r === 'string') : [],
    rectangles,
    framesRedacted: Array.isArray(value.framesRedacted) ? value.framesRedacted.filter((f): f is number => Number.isInteger(f)) : [],
  };
}

/** The anonymize run's --report file. */
export function readRunReport(path: string): RunReport {
  const json = readJson(path, 'report');
  if (!isObject(json) || !Array.isArray(json.files) || !isObject(json.summary)) throw new UsageError(`${path} is not a report of the anonymize run (--report): no "files" and "summary"`);
  const files: RunReportEntry[] = [];
  for (const f of json.files) {
    if (!isObject(f) || typeof f.input !== 'string' || !STATUSES.has(f.status as string)) continue;
    const entry: RunReportEntry = { input: f.input, output: str(f.output) ?? null, status: f.status as RunReportEntry['status'] };
    const note = str(f.note);
    if (note !== undefined) entry.note = note;
    const record = burnedIn(f.burnedIn);
    if (record) entry.burnedIn = record;
    files.push(entry);
  }
  const s = json.summary;
  return {
    files,
    summary: {
      ok: num(s.ok), failed: num(s.failed), skipped: num(s.skipped), quarantined: num(s.quarantined),
      quarantineFolder: str(s.quarantineFolder) ?? null, layout: str(s.layout) ?? null, dryRun: s.dryRun === true,
    },
  };
}

/** Lines of a text file, read in chunks (an audit can be larger than a string may be). */
export function* readLines(path: string): Generator<string> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const buffer = Buffer.alloc(1 << 20);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const parts = (rest + decoder.write(buffer.subarray(0, n))).split('\n');
      rest = parts.pop() ?? '';
      yield* parts;
    }
    rest += decoder.end();
    if (rest !== '') yield rest;
  } finally {
    closeSync(fd);
  }
}

/** The element lines of the run's --audit file (the burned-in lines are in the report too, and skipped here). */
export function* readAudit(path: string): Generator<AuditLine> {
  let lineNumber = 0;
  for (const line of readLines(path)) {
    lineNumber++;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new UsageError(`${path}:${lineNumber} is not a line of the anonymize run's --audit (not JSON)`);
    }
    if (!isObject(json) || typeof json.file !== 'string' || typeof json.path !== 'string' || typeof json.action !== 'string') continue;
    yield { file: json.file, path: json.path, keyword: str(json.keyword) ?? '', action: json.action, origin: str(json.origin) ?? '' };
  }
}

/** verify's --report file: findings per output path. */
export function readFindings(path: string): Map<string, Finding[]> {
  const json = readJson(path, 'verify report');
  if (!isObject(json) || !Array.isArray(json.files)) throw new UsageError(`${path} is not a report of verify (--report): no "files"`);
  const out = new Map<string, Finding[]>();
  for (const f of json.files) {
    if (!isObject(f) || typeof f.output !== 'string' || !Array.isArray(f.findings)) continue;
    const findings: Finding[] = [];
    for (const x of f.findings) {
      if (!isObject(x) || !SEVERITIES.has(x.severity as Severity)) continue;
      findings.push({
        severity: x.severity as Severity, tagPath: str(x.tagPath) ?? '', kind: (str(x.kind) ?? 'unreadable') as Finding['kind'],
        message: str(x.message) ?? '', masked: str(x.masked) ?? null,
      });
    }
    out.set(f.output, findings);
  }
  return out;
}
