// Reading a whole-file JSON record (the run's report, verify's findings): JSON, then the version (absent: 1), then the
// shape, each failure a RecordError naming the file and the field.

import type { z } from 'zod';
import { describeIssue, RecordError } from './errors.js';
import { parseJson, readText } from './text-files.js';
import { checkVersion, recordTitle, type RecordKind } from './version.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A parsed JSON record checked against its kind's version and its schema. */
export function parseJsonRecord<S extends z.ZodType>(kind: RecordKind, schema: S, json: unknown, path: string): z.output<S> {
  const what = recordTitle(kind);
  if (!isObject(json)) throw new RecordError(path, null, `not a ${what}: not a JSON object`);
  checkVersion(kind, json.formatVersion, path, null);
  const parsed = schema.safeParse({ ...json, formatVersion: json.formatVersion ?? 1 });
  if (!parsed.success) throw new RecordError(path, null, `not a ${what}: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

/** A JSON record file read and checked. */
export function readJsonRecord<S extends z.ZodType>(kind: RecordKind, schema: S, path: string): z.output<S> {
  return parseJsonRecord(kind, schema, parseJson(readText(path), path, null, recordTitle(kind)), path);
}
