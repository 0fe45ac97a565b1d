// Resource limits of the reader: how deep, how many, how big a hostile file may make us go before it is rejected
// with a DicomLimitError (a DicomParseError, so callers need handle one type only). Documented in docs/limits.md.

import { DicomParseError } from './errors.js';

export interface ParseLimits {
  /** Deepest sequence nesting accepted (dcmtk itself crashes on 20,000). Default 128. */
  maxDepth: number;
  /** Most items in one sequence or fragments in one Pixel Data element. Default 1,000,000. */
  maxItems: number;
  /** Most elements in one dataset or item (real files have a few hundred). Default 10,000. */
  maxElementsPerDataset: number;
  /** Most elements + items + fragments in the whole file (all datasets together). Default 1,000,000. */
  maxElements: number;
  /**
   * Most bytes of non-bulk values (values shorter than `bulkThreshold`) held in memory for one file: element
   * values and small fragments. Bulk values stay in the file (or are views of an in-memory buffer). Default 256 MiB.
   */
  maxHeaderBytes: number;
  /** Values at least this long stay in the source as byte ranges when the source is a windowed file. Default 64 KiB. */
  bulkThreshold: number;
}

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxDepth: 128,
  maxItems: 1_000_000,
  maxElementsPerDataset: 10_000,
  maxElements: 1_000_000,
  maxHeaderBytes: 256 * 1024 * 1024,
  bulkThreshold: 64 * 1024,
});

/**
 * Largest inflated size of a deflated dataset (deflate bomb guard): 256 MiB, so that a worker holds a rejected bomb
 * (about 0.3 GB peak RSS, docs/limits.md) several times over. Real deflated datasets are far smaller (Deflated
 * Explicit VR is used for SR and other non-image objects).
 */
export const DEFAULT_MAX_INFLATED_BYTES = 256 * 1024 * 1024;
/** Largest inflated/deflated ratio accepted (deflate bomb guard; zlib's best is about 1032:1). */
export const DEFAULT_MAX_INFLATE_RATIO = 1000;
/** Files up to this size are read into memory in one go; larger ones through a 1 MiB window. */
export const DEFAULT_IN_MEMORY_MAX_BYTES = 16 * 1024 * 1024;

export type LimitName = keyof ParseLimits | 'maxInflatedBytes' | 'maxInflateRatio' | 'stack';

/** A file exceeded one of the limits above. Still a DicomParseError: where, which limit, never a value. */
export class DicomLimitError extends DicomParseError {
  constructor(readonly limit: LimitName, reason: string, offset: number, tagPath: string, file?: string) {
    super(reason, offset, tagPath, file);
  }
}

/** Merges user overrides over the defaults; rejects nonsense (a limit must be a positive number). */
export function resolveLimits(overrides: Partial<ParseLimits> | undefined): ParseLimits {
  const limits: ParseLimits = { ...DEFAULT_PARSE_LIMITS };
  for (const [key, value] of Object.entries(overrides ?? {}) as [keyof ParseLimits, number | undefined][]) {
    if (value === undefined) continue;
    if (!(key in limits)) throw new TypeError(`unknown parse limit ${String(key)}`);
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) throw new TypeError(`parse limit ${key} must be a non-negative number`);
    limits[key] = value;
  }
  return limits;
}
