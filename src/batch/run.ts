// A batch: discover inputs, refuse overlapping input/output trees, process each file, collect results.

import { realpathSync, existsSync, statSync } from 'node:fs';
import { join, resolve, sep, basename } from 'node:path';
import type { Anonymizer, AuditEntry } from '../anonymize/anonymizer.js';
import { discoverInputs, type SkippedInput } from './discover.js';
import { processFile, type FileResult } from './process-file.js';

export interface BatchOptions {
  input: string;
  output: string;
  recursive: boolean;
  failFast?: boolean;
  dryRun?: boolean;
  audit?: (input: string, entry: AuditEntry) => void;
  onResult?: (result: FileResult, done: number, total: number) => void;
}

export interface BatchSummary {
  results: FileResult[];
  skipped: SkippedInput[];
  ok: number;
  failed: number;
  bytesIn: number;
  seconds: number;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const real = (p: string): string => (existsSync(p) ? realpathSync(p) : resolve(p));
const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent + sep);

/** Throws UsageError when the output would be written into or over the input (or the reverse). */
export function checkPaths(input: string, output: string): void {
  if (!existsSync(input)) throw new UsageError(`input not found: ${input}`);
  const inputReal = real(input);
  const outputReal = real(output);
  if (statSync(input).isDirectory()) {
    if (inside(outputReal, inputReal)) throw new UsageError('the output folder must not be the input folder or inside it');
    if (inside(inputReal, outputReal)) throw new UsageError('the input folder must not be inside the output folder');
  } else if (inputReal === outputReal) {
    throw new UsageError('the output file must not be the input file');
  }
}

/** Where the output of one input goes: mirror the input tree, or the output path itself for a single file. */
export function outputPathFor(input: string, output: string, relativePath: string): string {
  if (!statSync(input).isDirectory()) {
    return existsSync(output) && statSync(output).isDirectory() ? join(output, basename(input)) : output;
  }
  return join(output, relativePath);
}

export function runBatch(anonymizer: Anonymizer, options: BatchOptions): BatchSummary {
  const started = process.hrtime.bigint();
  checkPaths(options.input, options.output);
  const { files, skipped } = discoverInputs(options.input, { recursive: options.recursive });
  const results: FileResult[] = [];
  for (const file of files) {
    const target = outputPathFor(options.input, options.output, file.relativePath);
    const audit = options.audit ? (entry: AuditEntry) => options.audit?.(file.path, entry) : undefined;
    const result = processFile(anonymizer, file.path, target, { audit, dryRun: options.dryRun });
    results.push(result);
    options.onResult?.(result, results.length, files.length);
    if (options.failFast && result.status === 'failed') break;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    results,
    skipped,
    ok: results.filter((r) => r.status === 'ok').length,
    failed: results.filter((r) => r.status === 'failed').length,
    bytesIn: results.reduce((s, r) => s + r.bytesIn, 0),
    seconds,
  };
}
