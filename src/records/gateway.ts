// The gateway's run files (`serve`): its report, JSON lines appended as instances go through (first line: the format
// version; a restart appends to the same file without another), its status file (the counts, rewritten as they
// change) and its destinations file (which journal is which destination). Spool names, statuses, reasons and counts:
// never a value of a data element.

import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { BurnedInRecordSchema, type BurnedInRecord } from './report.js';
import type { CommittableSink } from './text-files.js';
import { FORMAT_VERSIONS, type RecordKind } from './version.js';
import { AuditWriter } from './audit.js';
import { readJsonRecord } from './json-record.js';

export const GatewayReportLineSchema = z.object({
  time: z.string(),
  /** The instance's name in the spool (arrival time and a counter). */
  instance: z.string(),
  stage: z.enum(['anonymize', 'forward']),
  status: z.string(),
  destination: z.string().optional(),
  error: z.string().optional(),
  note: z.string().optional(),
  reason: z.string().optional(),
  burnedIn: BurnedInRecordSchema.optional(),
});
export type GatewayReportLine = z.infer<typeof GatewayReportLineSchema>;

export const GatewayStatusSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSIONS.gatewayStatus),
  time: z.string(),
  received: z.number(),
  anonymized: z.number(),
  forwarded: z.number(),
  quarantined: z.number(),
  failed: z.number(),
  queued: z.number(),
});
export type GatewayStatus = z.infer<typeof GatewayStatusSchema>;

/**
 * A text sink appending to a file that outlives one gateway run: a file that already holds lines keeps its first
 * line as the version line, so the version line a writer begins with is dropped (`versionLine` says how to know it).
 * commit() closes it; abort() too (appended lines stay: they describe what was done).
 */
export function appendingSink(path: string, kind: RecordKind): CommittableSink {
  const versionLine = `${JSON.stringify({ formatVersion: FORMAT_VERSIONS[kind] })}\n`;
  const fd = openSync(path, 'a', 0o600);
  let skipVersion = fstatSync(fd).size > 0;
  return {
    writeText(text: string) {
      if (skipVersion && text === versionLine) {
        skipVersion = false;
        return;
      }
      skipVersion = false;
      const bytes = Buffer.from(text, 'utf8');
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at);
    },
    commit: () => closeSync(fd),
    abort: () => closeSync(fd),
  };
}

/** Appends the gateway's report lines (the version line first, in a new file). */
export class GatewayReportWriter {
  private readonly sink: CommittableSink;

  constructor(path: string) {
    this.sink = appendingSink(path, 'gatewayReport');
    this.sink.writeText(`${JSON.stringify({ formatVersion: FORMAT_VERSIONS.gatewayReport })}\n`);
  }

  add(line: Omit<GatewayReportLine, 'time' | 'burnedIn'> & { burnedIn?: BurnedInRecord }): void {
    this.sink.writeText(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);
  }

  close(): void {
    this.sink.commit();
  }
}

/** The batch's audit format, appended across gateway runs (the version line once, at the top). */
export const appendingAuditWriter = (path: string): AuditWriter => new AuditWriter(appendingSink(path, 'audit'));

/** The status file's text. */
export function formatGatewayStatus(counts: Omit<GatewayStatus, 'formatVersion' | 'time'>): string {
  return `${JSON.stringify({ formatVersion: FORMAT_VERSIONS.gatewayStatus, time: new Date().toISOString(), ...counts })}\n`;
}

/** The status file, checked (a file being rewritten is replaced atomically, never read half-written). */
export const readGatewayStatus = (path: string): GatewayStatus => readJsonRecord('gatewayStatus', GatewayStatusSchema, path);

/** spool/journal/destinations.json: which journal (key) is which destination. */
export function formatDestinationsFile(destinations: readonly { key: string; destination: string }[]): string {
  return `${JSON.stringify(destinations, null, 2)}\n`;
}
