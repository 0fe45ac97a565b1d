// Loads the engine bundle: every module of the command line in one CommonJS file (engine.cjs, made by
// scripts/bundle-engine.ts at build time), compiled through node:vm with the V8 code cache that the build saved
// from a run on the bundled samples (engine.cjs.cache). Node keeps no compiled code for ES modules between runs,
// so without this every process and every worker thread parses and compiles each function again before it can
// start on the files. With it V8 takes the bytecode from the cache.
//
// The cache file starts with the SHA-256 of the bundle it was made from. V8 checks the cache against its own version
// and flags, and against the source's length only, so a cache for another bundle is never handed to it. A cache that
// V8 rejects (another Node version) is ignored, and the bundle is compiled as usual. A bundle that is absent or does
// not compile makes the launcher fall back to the ES modules (cli/main.ts, batch/worker.ts), which run the same code.
//
// DICOM_ANONYMIZER_LAUNCH=modules runs the ES modules, =bundle the bundle without its cache (default: both);
// DICOM_ANONYMIZER_LAUNCH_TRACE=1 writes one line to stderr per thread saying which ran.

import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';

/** What the bundle exports (launch/engine-entry.ts). */
export interface Engine {
  runCommandLine(argv: string[]): Promise<void>;
  serveBatchWorker(): void;
}

/** What became of the code cache: used, refused by V8, made for another bundle, not there, or not asked for. */
export type CodeCacheState = 'accepted' | 'rejected' | 'stale' | 'absent' | 'off';

export const BUNDLE_FILE = 'engine.cjs';
export const CODE_CACHE_FILE = 'engine.cjs.cache';
export const LAUNCH_ENV = 'DICOM_ANONYMIZER_LAUNCH';
export const LAUNCH_TRACE_ENV = 'DICOM_ANONYMIZER_LAUNCH_TRACE';
const DIGEST_BYTES = 32;

/**
 * The parameters the bundle's code sees: CommonJS's five, the URL the bundle's `import.meta.url` stands for, and the
 * dynamic import of a package (the bundle has no `import()` of its own: scripts/bundle-engine.ts rewrites each one to
 * this, since code compiled by node:vm from a code cache loses the callback that `import()` needs).
 */
const WRAPPER_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', '__moduleUrl', '__importPackage'];

/** `import()` from this module's place (dist/launch/): the packages resolve from the project's node_modules. */
const importPackage = (specifier: string): Promise<unknown> => import(specifier);

export interface LoadedEngine {
  engine: Engine;
  codeCache: CodeCacheState;
  /** For trainCodeCache: the compiled bundle and the digest of its source. */
  script: vm.Script;
  digest: Buffer;
}

/** Compiles and runs the bundle in `dir`; null when there is no bundle. Throws when it does not compile. */
export function loadEngine(dir: string, useCodeCache: boolean): LoadedEngine | null {
  const bundlePath = join(dir, BUNDLE_FILE);
  let source: string;
  try {
    source = readFileSync(bundlePath, 'utf8');
  } catch {
    return null;
  }
  const digest = createHash('sha256').update(source).digest();
  let cachedData: Buffer | undefined;
  let codeCache: CodeCacheState = useCodeCache ? 'absent' : 'off';
  if (useCodeCache) {
    try {
      const file = readFileSync(join(dir, CODE_CACHE_FILE));
      if (file.length > DIGEST_BYTES && file.subarray(0, DIGEST_BYTES).equals(digest)) cachedData = file.subarray(DIGEST_BYTES);
      else codeCache = 'stale';
    } catch {
      // no cache: compiled as usual
    }
  }
  // The wrapper's head stays on the bundle's first line, so stack traces keep the bundle's line numbers.
  const script = new vm.Script(`(function (${WRAPPER_PARAMETERS.join(', ')}) {${source}\n})`, { filename: bundlePath, cachedData });
  if (cachedData) codeCache = script.cachedDataRejected === true ? 'rejected' : 'accepted';
  const factory = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as Engine };
  factory(module.exports, createRequire(bundlePath), module, bundlePath, dir, pathToFileURL(bundlePath).href, importPackage);
  return { engine: module.exports, codeCache, script, digest };
}

/**
 * The engine as DICOM_ANONYMIZER_LAUNCH asks: the bundle in `dir` with its cache (default), without it ('bundle'),
 * or null for the ES modules ('modules', no bundle, or a bundle that does not compile).
 */
export function launchEngine(dir: string): Engine | null {
  const mode = process.env[LAUNCH_ENV];
  let loaded: LoadedEngine | null = null;
  let why = 'asked for';
  if (mode !== 'modules') {
    try {
      loaded = loadEngine(dir, mode !== 'bundle');
      if (!loaded) why = 'no engine bundle';
    } catch (error) {
      why = `the engine bundle did not load: ${(error as Error).message}`;
    }
  }
  if (process.env[LAUNCH_TRACE_ENV] === '1') {
    const thread = isMainThread ? 'main thread' : 'worker thread';
    process.stderr.write(loaded ? `launch (${thread}): engine bundle, code cache ${loaded.codeCache}\n` : `launch (${thread}): ES modules (${why})\n`);
  }
  return loaded?.engine ?? null;
}

/**
 * Runs the bundle in `dir` once on `argv` (compiled without a cache, so that V8 compiles every function the run
 * needs) and saves its code cache beside it, behind the digest of the bundle's source. Used by the build.
 */
export async function trainCodeCache(dir: string, argv: string[]): Promise<number> {
  const loaded = loadEngine(dir, false);
  if (!loaded) throw new Error(`no ${BUNDLE_FILE} in ${dir}`);
  await loaded.engine.runCommandLine(argv);
  if (process.exitCode !== undefined && process.exitCode !== 0) throw new Error(`the training run exited with ${process.exitCode}`);
  const data = loaded.script.createCachedData();
  const path = join(dir, CODE_CACHE_FILE);
  writeFileSync(`${path}.partial`, Buffer.concat([loaded.digest, data]));
  renameSync(`${path}.partial`, path);
  return data.length;
}
