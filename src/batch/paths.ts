// The paths of a batch checked before anything is written: the output never lands in or over the input (or the
// reverse), and the side files (report, audit, mapping) never land in the input, nor the mapping in the output.

import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UsageError } from '../files/usage-error.js';

export const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent + sep);

/** Real path of `p`, or of its nearest existing ancestor joined with the rest (for outputs not yet created). */
export function realPathOf(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  if (parent === abs) return abs;
  return join(realPathOf(parent), basename(abs));
}

/** Throws UsageError when the output would be written into or over the input (or the reverse). */
export function checkPaths(input: string, output: string): void {
  if (!existsSync(input)) throw new UsageError(`input not found: ${input}`);
  const inputReal = realPathOf(input);
  const outputReal = realPathOf(output);
  if (statSync(input).isDirectory()) {
    if (inside(outputReal, inputReal)) throw new UsageError('the output folder must not be the input folder or inside it');
    if (inside(inputReal, outputReal)) throw new UsageError('the input folder must not be inside the output folder');
  } else if (inputReal === outputReal) {
    throw new UsageError('the output file must not be the input file');
  } else if (existsSync(output) && statSync(output).isDirectory() && realPathOf(join(output, basename(input))) === inputReal) {
    throw new UsageError('the output file must not be the input file');
  }
}

export interface SidePaths {
  input: string;
  output: string;
  reportPath?: string;
  auditPath?: string;
  mappingDir?: string;
}

/**
 * Refuses side files (report, audit, mapping) inside the input, and inside the output tree (`outputIsTree`: a folder
 * input, the study layout, or an existing output folder): they name original paths or identifiers, the output is not
 * identifying.
 */
export function checkSidePaths(paths: SidePaths, inputIsDir: boolean, outputIsTree: boolean): void {
  const inputReal = realPathOf(paths.input);
  const outputReal = realPathOf(paths.output);
  const sides: [string, string | undefined][] = [['--report', paths.reportPath], ['--audit', paths.auditPath], ['--mapping', paths.mappingDir]];
  for (const [flag, path] of sides) {
    if (path === undefined) continue;
    const real = realPathOf(path);
    if (inputIsDir ? inside(real, inputReal) : real === inputReal) throw new UsageError(`${flag} must not be inside the input`);
    if (real === outputReal && flag !== '--mapping') throw new UsageError(`${flag} must not be the output itself`);
    if (outputIsTree && flag !== '--mapping' && inside(real, outputReal)) {
      throw new UsageError(`${flag} must not be inside the output folder: it names the original paths (identifying data), the output is not identifying`);
    }
  }
  if (paths.mappingDir !== undefined) {
    const real = realPathOf(paths.mappingDir);
    if ((outputIsTree || real === outputReal) && (inside(real, outputReal) || inside(outputReal, real))) {
      throw new UsageError('--mapping must not be inside the output folder (or hold it): the mapping is identifying data, the output is not');
    }
  }
}

/** Where the output of one input goes: mirror the input tree, or the output path itself for a single file. */
export function outputPathFor(input: string, output: string, relativePath: string): string {
  if (!statSync(input).isDirectory()) {
    return existsSync(output) && statSync(output).isDirectory() ? join(output, basename(input)) : output;
  }
  return join(output, relativePath);
}
