// --limit NAME=VALUE (repeatable): the reader's limits (docs/limits.md) from the command line, checked up front.

import { DEFAULT_PARSE_LIMITS, resolveLimits, type ParseLimits, type ReadOptions } from '../api/dicom.js';
import { UsageError } from '../api/batch.js';

const PARSE_LIMIT_NAMES = Object.keys(DEFAULT_PARSE_LIMITS) as (keyof ParseLimits)[];
const FILE_LIMIT_NAMES = ['maxInflatedBytes', 'maxInflateRatio', 'inMemoryMaxBytes'] as const;
export const LIMIT_NAMES: readonly string[] = [...PARSE_LIMIT_NAMES, ...FILE_LIMIT_NAMES];

/** Turns ["maxDepth=256", "maxInflatedBytes=4e9"] into ReadOptions; UsageError for an unknown name or a bad value. */
export function parseLimitFlags(flags: readonly string[]): ReadOptions {
  const options: ReadOptions = {};
  const limits: Partial<ParseLimits> = {};
  for (const flag of flags) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(flag.trim());
    if (!m) throw new UsageError(`--limit takes NAME=VALUE, not "${flag}"`);
    const [, name, text] = m;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || !Number.isInteger(value)) {
      throw new UsageError(`--limit ${name} takes a whole number greater than 0, not "${text}"`);
    }
    if ((PARSE_LIMIT_NAMES as string[]).includes(name)) limits[name as keyof ParseLimits] = value;
    else if ((FILE_LIMIT_NAMES as readonly string[]).includes(name)) options[name as (typeof FILE_LIMIT_NAMES)[number]] = value;
    else throw new UsageError(`unknown --limit ${name}; use one of ${LIMIT_NAMES.join(', ')}`);
  }
  resolveLimits(limits); // the same checks the reader applies
  if (Object.keys(limits).length > 0) options.limits = limits;
  return options;
}
