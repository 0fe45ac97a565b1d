// verify's --report: the JSON report written atomically, after removing what a verify killed while writing it left.

import { removeStaleTempsOf, writeFileAtomically } from '../files/atomic-output.js';
import { formatJson } from './report.js';
import type { VerifyReport } from './types.js';

/** Writes `report` as JSON to `path` (atomically); returns the JSON. */
export function writeVerifyReport(report: VerifyReport, path: string): string {
  const json = formatJson(report);
  removeStaleTempsOf(path);
  writeFileAtomically(path, json);
  return json;
}
