// The anonymize run's --audit: JSON lines. The first line declares the format version ({"formatVersion": 1}); then one
// line per file and element (tag path, keyword, action, rule origin) and one per file with the burned-in step's verdict.
// Never a value of a data element. An audit can hold millions of lines: it is written and read one line at a time.

import { z } from 'zod';
import { describeIssue, RecordError } from './errors.js';
import { BurnedInRecordSchema, type BurnedInRecord } from './report.js';
import { parseJson, readLines, type CommittableSink } from './text-files.js';
import { checkVersion, FORMAT_VERSIONS, recordTitle } from './version.js';

/** The first line of an audit. Older audits have none: they are read as version 1. */
export const AuditHeaderSchema = z.object({ formatVersion: z.literal(FORMAT_VERSIONS.audit) });

/** What was done to one element of one file. */
export const AuditElementLineSchema = z.object({
  /** The input file, as the report names it. */
  file: z.string(),
  /** Tag path, e.g. "(0008,1140)[0].(0008,1155)". */
  path: z.string(),
  keyword: z.string(),
  /** The action (the engine's action type: remove, replace, remap-uid, ...). */
  action: z.string(),
  /** The rule that decided it (profile table row, config rule...). */
  origin: z.string(),
});
export type AuditElementLine = z.infer<typeof AuditElementLineSchema>;

/** The burned-in step's verdict for one file (as in the report's `burnedIn`). */
export const AuditBurnedInLineSchema = z.object({ file: z.string(), burnedIn: BurnedInRecordSchema });
export type AuditBurnedInLine = z.infer<typeof AuditBurnedInLineSchema>;

export type AuditLine = AuditElementLine | AuditBurnedInLine;

/** An element the engine acted on, as the engine's AuditEntry has it (structurally: records does not import the engine). */
export interface AuditedElement {
  path: string;
  keyword: string;
  action: string;
  origin: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The lines of an --audit file, checked one by one: the version line (absent in older audits: version 1), then element
 * and burned-in lines. A malformed line is a RecordError naming the file, the line and the field; blank lines are skipped.
 */
export function* readAudit(path: string): Generator<AuditLine> {
  const what = `line of the ${recordTitle('audit')}`;
  let first = true;
  for (const { line, text } of readLines(path)) {
    if (text.trim() === '') continue;
    const json = parseJson(text, path, line, what);
    if (!isObject(json)) throw new RecordError(path, line, `not a ${what}: not a JSON object`);
    if (first) {
      first = false;
      if ('formatVersion' in json && !('file' in json)) {
        checkVersion('audit', json.formatVersion, path, line);
        continue;
      }
    }
    const schema = 'burnedIn' in json ? AuditBurnedInLineSchema : AuditElementLineSchema;
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new RecordError(path, line, `not a ${what}: ${describeIssue(parsed.error)}`);
    yield parsed.data;
  }
}

/** Only the element lines of an audit (the burned-in lines are in the report too). */
export function* readAuditElements(path: string): Generator<AuditElementLine> {
  for (const line of readAudit(path)) if (!('burnedIn' in line)) yield line;
}

/** Streams an audit into a sink (an atomic file), one line at a time. */
export class AuditWriter {
  constructor(private readonly sink: CommittableSink) {
    sink.writeText(`${JSON.stringify({ formatVersion: FORMAT_VERSIONS.audit })}\n`);
  }

  /** One line per file: the burned-in step's gate reasons, rules matched and what was done. */
  addBurnedIn(input: string, record: BurnedInRecord): void {
    this.sink.writeText(JSON.stringify({ file: input, burnedIn: record }) + '\n');
  }

  add(input: string, entries: readonly AuditedElement[]): void {
    for (const e of entries) {
      this.sink.writeText(JSON.stringify({ file: input, path: e.path, keyword: e.keyword, action: e.action, origin: e.origin }) + '\n');
    }
  }

  finish(): void {
    this.sink.commit();
  }

  abort(): void {
    this.sink.abort();
  }
}
