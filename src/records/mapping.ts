// The --mapping folder: old → new identifiers as CSV files with the header `id_old,id_new`, sorted and deduplicated.
//   patient_id.csv  PatientID            study_uid.csv  Study Instance UID
//   series_uid.csv  Series Instance UID  sop_uid.csv    SOP Instance UID
//   uid_mapping.csv all three UID kinds in one file: what the MIDI-B validation script takes as its
//                   "uid_mapping_file" (patient_id.csv is its "patid_mapping_file": same two columns).
//   path_component.csv  mirror layout: each folder or file name renamed because it held an identifying value.
// The format version is the header row: the MIDI-B script reads exactly these two columns, so no version column or
// comment line can be added; `id_old,id_new` is version 1, and a later version will have another header, which this
// build refuses. These files re-identify the data: they stay with whoever holds the key.

import { z } from 'zod';
import { describeIssue, RecordError } from './errors.js';
import { PathComponentSchema } from './path-component.js';
import { readText } from './text-files.js';
import { FORMAT_VERSIONS, recordTitle } from './version.js';

export const MAPPING_FILES = {
  patientId: 'patient_id.csv',
  study: 'study_uid.csv',
  series: 'series_uid.csv',
  sop: 'sop_uid.csv',
  allUids: 'uid_mapping.csv',
  pathComponents: 'path_component.csv',
} as const;

/** The header row of a mapping CSV of format version 1 (FORMAT_VERSIONS.mapping). */
export const MAPPING_HEADER = ['id_old', 'id_new'] as const;
export const MAPPING_FORMAT_VERSION = FORMAT_VERSIONS.mapping;

/** One row: an original identifier and the one that replaced it. */
export const MappingRowSchema = z.object({ old: z.string().min(1), new: z.string().min(1) });
export type MappingRow = z.infer<typeof MappingRowSchema>;

/** A row of path_component.csv: both sides are one folder or file name. */
export const PathComponentRowSchema = z.object({ old: PathComponentSchema, new: PathComponentSchema });

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF. With `safe`, a value that a spreadsheet would
 * evaluate as a formula (starting with =, +, -, @, tab or CR) is prefixed with ' (--mapping-safe-csv). */
export function csvField(value: string, safe = false): string {
  const text = safe && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const byOld = (a: readonly [string, string], b: readonly [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

/** A mapping CSV's text: the header, then the rows sorted by old (then new) value, each distinct row once. */
export function formatMappingCsv(rows: Iterable<readonly [string, string]>, safe = false): string {
  const sorted = [...rows].sort(byOld);
  let out = `${MAPPING_HEADER.join(',')}\n`;
  let last = '';
  for (const [o, n] of sorted) {
    const line = `${csvField(o, safe)},${csvField(n, safe)}\n`;
    if (line !== last) out += line;
    last = line;
  }
  return out;
}

/** Rows of a CSV text (quoted fields, "" escapes, CRLF or LF), each with the 1-based line it starts on; blank rows skipped. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [], field = '', quoted = false, line = 1, start = 1;
  const s = text.replace(/^\uFEFF/, '');
  const endRow = (): void => {
    fields.push(field);
    field = '';
    if (fields.some((f) => f !== '')) rows.push({ line: start, fields });
    fields = [];
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\n') line++;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { fields.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') { i++; line++; }
      else if (c === '\r') line++;
      endRow();
      start = line;
    } else field += c;
  }
  endRow();
  return rows;
}

/**
 * Reads a mapping CSV: the version-1 header, then rows of two non-empty fields, exactly as written. RecordError names the
 * file and line, never a value. `pathComponents`: both sides must be single folder or file names (path_component.csv).
 */
export function readMappingCsv(path: string, options: { pathComponents?: boolean } = {}): MappingRow[] {
  const what = recordTitle('mapping');
  const rows = parseCsv(readText(path));
  if (rows.length === 0) return [];
  const header = rows[0].fields.map((h) => h.trim().toLowerCase());
  if (header.length !== MAPPING_HEADER.length || header.some((h, i) => h !== MAPPING_HEADER[i])) {
    throw new RecordError(path, rows[0].line, `not a ${what} of format version ${MAPPING_FORMAT_VERSION}: the first line is not the header ${MAPPING_HEADER.join(',')}`);
  }
  const schema = options.pathComponents ? PathComponentRowSchema : MappingRowSchema;
  return rows.slice(1).map(({ line, fields }) => {
    if (fields.length !== 2) throw new RecordError(path, line, `not a ${what}: ${fields.length} field(s), expected 2`);
    const parsed = schema.safeParse({ old: fields[0], new: fields[1] });
    if (!parsed.success) throw new RecordError(path, line, `not a ${what}: ${describeIssue(parsed.error)}`);
    return parsed.data;
  });
}
