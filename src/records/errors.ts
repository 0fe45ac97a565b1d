// The one error of the records layer: a run file (report, audit, findings, mapping) that is not what it should be.
// It names the file, the line for line-based files (JSONL, CSV) and the field, never a value read from the file.

import type { z } from 'zod';

export class RecordError extends Error {
  override readonly name = 'RecordError';

  constructor(
    readonly file: string,
    /** 1-based line of a JSONL or CSV file; null for a whole-file JSON record. */
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${reason}`);
  }
}

/** A JSON path as `files[3].burnedIn.status` (array indices and field names from the schema; no values). */
function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out === '' ? 'the record' : out;
}

/**
 * What is wrong, from the first zod issue, built from the issue's kind and the schema's expectations only: zod's
 * own messages are not used, since a custom or future message could quote the input (a value of the file).
 */
export function describeIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  const where = pathText(issue.path);
  switch (issue.code) {
    case 'invalid_type': return `${where}: expected ${issue.expected}`;
    case 'invalid_value': return `${where}: expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'invalid_union': return `${where}: matches none of the known shapes`;
    case 'too_small': return `${where}: too small (at least ${String(issue.minimum)})`;
    case 'too_big': return `${where}: too big (at most ${String(issue.maximum)})`;
    case 'invalid_format': return `${where}: not a valid ${issue.format}`;
    // Only this layer's own refinements raise custom issues, with fixed messages.
    case 'custom': return `${where}: ${issue.message}`;
    case 'unrecognized_keys': return `${where}: ${issue.keys.length} unknown field(s)`;
    default: return `${where}: invalid (${issue.code})`;
  }
}
