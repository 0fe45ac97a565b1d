// The --mapping folder: old → new identifiers as CSV files, sorted and deduplicated.
//   patient_id.csv  PatientID, with the issuer it was keyed with   study_uid.csv  Study Instance UID
//   series_uid.csv  Series Instance UID                            sop_uid.csv    SOP Instance UID
//   uid_mapping.csv all three UID kinds in one file: what the MIDI-B validation script takes as its
//                   "uid_mapping_file" (patient_id.csv is its "patid_mapping_file").
//   path_component.csv  mirror layout: each folder or file name renamed because it held an identifying value.
// The format version is the header row: the MIDI-B script reads the columns id_old and id_new by name (pandas), so no
// version column or comment line can be added. Version 1: every file `id_old,id_new`. Version 2: patient_id.csv
// `id_old,id_new,issuer_old`, one row per Patient ID and issuer (two sites' 12345 are two patients with two
// pseudonyms, issue #22); the other files unchanged. Both are read; another header is refused. These files
// re-identify the data: they stay with whoever holds the key (written readable by the owner only).

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

/** The header row of the UID and path mapping CSVs (format versions 1 and 2), and of patient_id.csv in version 1. */
export const MAPPING_HEADER = ['id_old', 'id_new'] as const;
/**
 * The header row of patient_id.csv from format version 2: the third column is the Issuer of Patient ID of the
 * original, with its qualifiers' Universal Entity ID and type joined by & (what the pseudonym is keyed with), empty
 * when none.
 */
export const PATIENT_ID_HEADER = ['id_old', 'id_new', 'issuer_old'] as const;
export const MAPPING_FORMAT_VERSION = FORMAT_VERSIONS.mapping;

/** One row: an original identifier and the one that replaced it; a patient row also the original's issuer ('' when none). */
export const MappingRowSchema = z.object({ old: z.string().min(1), new: z.string().min(1), issuer: z.string().optional() });
export type MappingRow = z.infer<typeof MappingRowSchema>;

/** One row of patient_id.csv: the original Patient ID and issuer (together, the patient) and the pseudonym. */
export interface PatientIdRow {
  old: string;
  issuer: string;
  new: string;
}

/** A row of path_component.csv: both sides are one folder or file name. */
export const PathComponentRowSchema = z.object({ old: PathComponentSchema, new: PathComponentSchema });

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF. With `safe`, a value that a spreadsheet would
 * evaluate as a formula (starting with =, +, -, @, tab or CR) is prefixed with ' (--mapping-safe-csv). */
export function csvField(value: string, safe = false): string {
  const text = safe && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const byFields = (a: readonly string[], b: readonly string[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '', y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/**
 * A mapping CSV's text: the header (MAPPING_HEADER unless given), then the rows sorted by old value (then the other
 * fields in column order), each distinct row once.
 */
export function formatMappingCsv(rows: Iterable<readonly string[]>, safe = false, header: readonly string[] = MAPPING_HEADER): string {
  const sorted = [...rows].sort(byFields);
  let out = `${header.join(',')}\n`;
  let last = '';
  for (const row of sorted) {
    const line = `${row.map((f) => csvField(f, safe)).join(',')}\n`;
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

/** patient_id.csv's rows: a version-2 file as written, a version-1 file (no issuer column) with every issuer ''. */
export function patientIdRows(rows: readonly MappingRow[]): PatientIdRow[] {
  return rows.map((r) => ({ old: r.old, issuer: r.issuer ?? '', new: r.new }));
}

/**
 * Parses a mapping CSV's text: a header of version 1 or 2 (MAPPING_HEADER, or PATIENT_ID_HEADER for patient_id.csv),
 * then rows of as many fields as the header, id_old and id_new non-empty, exactly as written. RecordError names
 * `file` and the line, never a value. `pathComponents`: both sides must be single folder or file names.
 */
export function parseMappingCsv(text: string, file: string, options: { pathComponents?: boolean } = {}): MappingRow[] {
  const what = recordTitle('mapping');
  const rows = parseCsv(text);
  if (rows.length === 0) return [];
  const header = rows[0].fields.map((h) => h.trim().toLowerCase());
  const known = [MAPPING_HEADER, PATIENT_ID_HEADER].find((k) => header.length === k.length && header.every((h, i) => h === k[i]));
  if (known === undefined || (options.pathComponents && known !== MAPPING_HEADER)) {
    throw new RecordError(
      file, rows[0].line,
      `not a ${what} of format version 1 or ${MAPPING_FORMAT_VERSION}: the first line is not the header ${MAPPING_HEADER.join(',')}` +
        (options.pathComponents ? '' : ` or ${PATIENT_ID_HEADER.join(',')}`),
    );
  }
  const schema = options.pathComponents ? PathComponentRowSchema : MappingRowSchema;
  return rows.slice(1).map(({ line, fields }) => {
    if (fields.length !== known.length) throw new RecordError(file, line, `not a ${what}: ${fields.length} field(s), expected ${known.length}`);
    const parsed = schema.safeParse({ old: fields[0], new: fields[1], ...(known === PATIENT_ID_HEADER ? { issuer: fields[2] } : {}) });
    if (!parsed.success) throw new RecordError(file, line, `not a ${what}: ${describeIssue(parsed.error)}`);
    return parsed.data;
  });
}

/** Reads a mapping CSV file (parseMappingCsv). */
export function readMappingCsv(path: string, options: { pathComponents?: boolean } = {}): MappingRow[] {
  return parseMappingCsv(readText(path), path, options);
}
