// `dicom-anonymizer merge`: the reports, audits and mapping CSVs of the N shards of one batch combined into one set,
// as one unsharded run would have left them. Refused (UsageError, nothing written) unless every report ran under
// the same run fingerprint (key and Plan: fingerprint.ts), the shards are exactly 0..N-1 of one N, none stopped
// early, and no input appears in two shards; a mapping that gives one original two new values is refused too (in
// patient_id.csv the original is the Patient ID with its issuer: two sites' 12345 stay two rows). The merged mapping
// is written readable by the owner only. Each file may be local or in object storage (storage/).

import { Readable } from 'node:stream';
import { UsageError } from '../files/usage-error.js';
import { parseLocation } from '../storage/location.js';
import { openStore, type StoreOptions } from '../storage/open.js';
import {
  formatMappingCsv, formatRunReport, MAPPING_FILES, parseMappingCsv, parseRunReportText, PATIENT_ID_HEADER, patientIdRows, RecordError,
  type ReportEntry, type RunReport, type RunSummary,
} from '../records/index.js';

export interface MergeOptions {
  reports: string[];
  audits?: string[];
  mappings?: string[];
  /** Where the merged set goes: a report file, an audit file, a mapping folder (each optional). */
  reportOut?: string;
  auditOut?: string;
  mappingOut?: string;
  storage?: StoreOptions;
}

export interface MergeResult {
  shards: number;
  files: number;
  summary: Pick<RunSummary, 'ok' | 'failed' | 'skipped' | 'quarantined' | 'bytesIn' | 'bytesOut'>;
}

async function readText(where: string, storage: StoreOptions | undefined, name = ''): Promise<string> {
  const store = await openStore(parseLocation(where), storage);
  const chunks: Buffer[] = [];
  for await (const c of await store.read(name)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function writeText(where: string, text: string, storage: StoreOptions | undefined, name = '', ownerOnly = false): Promise<void> {
  const store = await openStore(parseLocation(where), storage);
  const bytes = Buffer.from(text, 'utf8');
  await store.write(name, Readable.from([bytes]), { size: bytes.length, ownerOnly });
}

/** Checks the shards belong to one batch and are all there, once. */
function checkShards(reports: readonly { where: string; report: RunReport }[]): number {
  const fingerprints = new Set(reports.map((r) => r.report.summary.runFingerprint ?? 'none'));
  if (fingerprints.size !== 1 || fingerprints.has('none')) {
    throw new UsageError(`merge: the reports were not all made with the same key and Plan (run fingerprints ${[...fingerprints].join(', ')}); nothing was written`);
  }
  const shards = reports.map((r) => {
    const m = /^(\d+)\/(\d+)$/.exec(r.report.summary.shard ?? '0/1');
    return { where: r.where, index: Number(m?.[1] ?? 0), count: Number(m?.[2] ?? 1) };
  });
  const n = shards[0].count;
  if (shards.some((s) => s.count !== n)) throw new UsageError(`merge: the reports come from shardings of different N (${[...new Set(shards.map((s) => s.count))].join(', ')}); nothing was written`);
  const seen = new Map<number, string>();
  for (const s of shards) {
    const other = seen.get(s.index);
    if (other !== undefined) throw new UsageError(`merge: shard ${s.index}/${n} is given twice (${other} and ${s.where}); nothing was written`);
    seen.set(s.index, s.where);
  }
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new UsageError(`merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${n}`).join(', ')} missing: their inputs were not processed or not reported; nothing was written`);
  const stopped = reports.find((r) => r.report.summary.stoppedEarly);
  if (stopped) throw new UsageError(`merge: ${stopped.where} stopped early (--fail-fast): some of its inputs were never processed; nothing was written`);
  return n;
}

/**
 * One mapping CSV merged over the shards (records/mapping.ts reads and writes it, version 1 or 2); one original with
 * two new values is refused. patient_id.csv is written in the current version, a version-1 shard's rows with no issuer.
 */
function mergeCsv(name: string, texts: readonly { where: string; text: string }[]): string {
  const patients = name === MAPPING_FILES.patientId;
  const rows = new Map<string, string[]>();
  for (const { where, text } of texts) {
    let parsed;
    try {
      parsed = parseMappingCsv(text, `${where}/${name}`, { pathComponents: name === MAPPING_FILES.pathComponents });
    } catch (error) {
      if (error instanceof RecordError) throw new UsageError(`merge: ${error.message}; nothing was written`);
      throw error;
    }
    const fields = patients ? patientIdRows(parsed).map((r) => [r.old, r.new, r.issuer]) : parsed.map((r) => [r.old, r.new]);
    for (const row of fields) {
      const original = patients ? `${row[0]}\u0000${row[2]}` : row[0];
      const prior = rows.get(original);
      if (prior !== undefined && prior[1] !== row[1]) throw new UsageError(`merge: ${name}: one original has two different new values across shards (different keys?); nothing was written`);
      rows.set(original, row);
    }
  }
  return patients ? formatMappingCsv(rows.values(), false, PATIENT_ID_HEADER) : formatMappingCsv(rows.values());
}

export async function mergeShards(options: MergeOptions): Promise<MergeResult> {
  if (options.reports.length === 0) throw new UsageError('merge: give every shard\'s --report');
  const storage = options.storage;
  const reports = await Promise.all(options.reports.map(async (where) => ({ where, report: parseRunReportText(await readText(where, storage), where) })));
  const n = checkShards(reports);
  const byInput = new Map<string, ReportEntry>();
  for (const { where, report } of reports) {
    for (const entry of report.files) {
      if (byInput.has(entry.input)) throw new UsageError(`merge: ${entry.input} was done by two shards (again in ${where}); nothing was written`);
      byInput.set(entry.input, entry);
    }
  }
  const files = [...byInput.values()].sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : 0));
  const sum = (key: 'ok' | 'failed' | 'skipped' | 'quarantined' | 'bytesIn' | 'bytesOut' | 'jobs'): number => reports.reduce((t, r) => t + r.report.summary[key], 0);
  const summaries = reports.map((r) => r.report.summary);
  const reasons = new Map<string, number>();
  for (const q of summaries.flatMap((x) => x.quarantineReasons)) reasons.set(q.reason, (reasons.get(q.reason) ?? 0) + q.files);
  // The shards ran side by side: the merged run took as long as the longest of them.
  const seconds = Math.max(...summaries.map((x) => x.seconds));
  const summary: RunSummary = {
    ok: sum('ok'), failed: sum('failed'), skipped: sum('skipped'), quarantined: sum('quarantined'),
    quarantineReasons: [...reasons].map(([reason, files]) => ({ reason, files })),
    quarantineFolder: summaries.find((x) => x.quarantineFolder !== null)?.quarantineFolder ?? null,
    bytesIn: sum('bytesIn'), bytesOut: sum('bytesOut'), seconds,
    filesPerSecond: files.length / Math.max(seconds, 1e-9), megabytesPerSecond: sum('bytesIn') / 1e6 / Math.max(seconds, 1e-9),
    jobs: sum('jobs'), layout: summaries[0].layout, dryRun: summaries[0].dryRun, shard: null, runFingerprint: summaries[0].runFingerprint, stoppedEarly: false,
  };
  const mappingTexts = new Map<string, { where: string; text: string }[]>();
  for (const dir of options.mappings ?? []) {
    const store = await openStore(parseLocation(dir), storage);
    for await (const o of store.list(false)) {
      if (!o.name.endsWith('.csv')) continue;
      mappingTexts.set(o.name, [...(mappingTexts.get(o.name) ?? []), { where: dir, text: await readText(dir, storage, o.name) }]);
    }
  }
  const mappingOut = [...mappingTexts].map(([name, texts]) => [name, mergeCsv(name, texts)] as const);
  const audits = await Promise.all((options.audits ?? []).map((where) => readText(where, storage)));
  // Everything is checked before anything is written.
  if (options.reportOut) await writeText(options.reportOut, formatRunReport(files, summary), storage);
  if (options.auditOut) await writeText(options.auditOut, audits.map((a) => (a === '' || a.endsWith('\n') ? a : `${a}\n`)).join(''), storage);
  if (options.mappingOut) for (const [name, text] of mappingOut) await writeText(options.mappingOut, text, storage, name, true);
  return { shards: n, files: files.length, summary };
}
