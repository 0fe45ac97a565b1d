// The reader's limits by name (docs/limits.md), as a caller sets them one at a time (`--limit NAME=VALUE`): the parse
// limits and the file-level limits of ReadOptions, in one list.

import { DEFAULT_PARSE_LIMITS, type ParseLimits } from './limits.js';
import type { ReadOptions } from './part10.js';

const FILE_LIMIT_NAMES = ['maxInflatedBytes', 'maxInflateRatio', 'inMemoryMaxBytes'] as const;

const isParseLimit = (name: string): name is keyof ParseLimits => Object.hasOwn(DEFAULT_PARSE_LIMITS, name);
const isFileLimit = (name: string): name is (typeof FILE_LIMIT_NAMES)[number] => FILE_LIMIT_NAMES.some((n) => n === name);

/** Every limit name a caller may set. */
export const LIMIT_NAMES: readonly string[] = [...Object.keys(DEFAULT_PARSE_LIMITS), ...FILE_LIMIT_NAMES];

/** Sets the limit `name` in `options`; false when no limit has that name. The value is checked by the reader. */
export function setLimit(options: ReadOptions, name: string, value: number): boolean {
  if (isParseLimit(name)) options.limits = { ...options.limits, [name]: value };
  else if (isFileLimit(name)) options[name] = value;
  else return false;
  return true;
}
