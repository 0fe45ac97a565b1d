// --limit NAME=VALUE (repeatable): the reader's limits (docs/limits.md) from the command line, checked up front.

import { LIMIT_NAMES, resolveLimits, setLimit, type ReadOptions } from '../api/dicom.js';
import { UsageError } from '../api/batch.js';

/** Turns ["maxDepth=256", "maxInflatedBytes=4e9"] into ReadOptions; UsageError for an unknown name or a bad value. */
export function parseLimitFlags(flags: readonly string[]): ReadOptions {
  const options: ReadOptions = {};
  for (const flag of flags) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(flag.trim());
    if (!m) throw new UsageError(`--limit takes NAME=VALUE, not "${flag}"`);
    const [, name, text] = m;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || !Number.isInteger(value)) {
      throw new UsageError(`--limit ${name} takes a whole number greater than 0, not "${text}"`);
    }
    if (!setLimit(options, name, value)) throw new UsageError(`unknown --limit ${name}; use one of ${LIMIT_NAMES.join(', ')}`);
  }
  resolveLimits(options.limits); // the same checks the reader applies
  return options;
}
