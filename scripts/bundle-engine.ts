// Build step after tsc (`npm run build`): bundles the command line's modules (src/launch/engine-entry.ts) into one
// CommonJS file, dist/launch/engine.cjs, with esbuild, then runs it once on the bundled samples (examples/) and saves
// V8's code cache for it beside it (engine.cjs.cache). The launchers (dist/launch/cli.js, the `dicom-anonymizer`
// bin, and dist/launch/worker.js) compile the bundle from that cache; see src/launch/engine.ts for why.
//
//   npx tsx scripts/bundle-engine.ts [--dist DIR]     DIR: tsc's output folder (default dist/); writes DIR/launch/
//
// npm packages stay outside the bundle (required from node_modules at run time). esbuild keeps a dynamic import()
// of a package as it is; each one is rewritten here to the launcher's __importPackage (engine.ts says why), and the
// bundle must hold no other import() (our own modules' import() calls are bundled: esbuild makes them plain calls).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_FILE, CODE_CACHE_FILE } from '../src/launch/engine.js';
import { isMain } from './is-main.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(REPO_ROOT, 'src', 'launch', 'engine-entry.ts');
const SAMPLES = join(REPO_ROOT, 'examples');
/** The training run's key: a fixed throw-away value (the outputs are deleted). */
const TRAINING_KEY = 'bundle-engine training key, not a secret';

/** Bundles ENTRY into `launchDir`/engine.cjs; returns the bundle's size. */
export async function bundleEngine(launchDir: string): Promise<number> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    packages: 'external',
    // The bundle's modules share one import.meta.url: the bundle's own (the launcher passes it). run.ts finds the
    // worker beside it (launch/worker.js); createRequire resolves packages from it.
    define: { 'import.meta.url': '__moduleUrl' },
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const [output] = result.outputFiles;
  const dynamicPackages = new Set(
    Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.kind === 'dynamic-import' && i.external).map((i) => i.path)),
  );
  let rewritten = 0;
  const code = output.text.replace(/\bimport\(("[^"\\]+")\)/g, (whole, quoted: string) => {
    if (!dynamicPackages.has(JSON.parse(quoted) as string)) return whole;
    rewritten++;
    return `__importPackage(${quoted})`;
  });
  // esbuild writes every import() of a literal as import("..."): none may be left. (An import() of a computed name
  // would not be seen here; the sources have none.)
  const left = code.match(/\bimport\("/g)?.length ?? 0;
  if (left > 0) throw new Error(`${left} import("…") left in the bundle besides the ${rewritten} rewritten package imports`);
  if (rewritten === 0 && dynamicPackages.size > 0) throw new Error('no dynamic package import was rewritten');
  writeFileSync(join(launchDir, BUNDLE_FILE), code);
  return code.length;
}

/** Runs the bundle once on the samples in a fresh node (plain, no tsx: V8 flags as at run time) and saves its cache. */
export function trainEngine(launchDir: string): void {
  const out = mkdtempSync(join(tmpdir(), 'dicomanon-train-'));
  try {
    const engineModule = pathToFileURL(join(launchDir, 'engine.js')).href;
    const argv = ['-i', SAMPLES, '-o', join(out, 'out'), '-r', '-j', '1'];
    const script = `const { trainCodeCache } = await import(${JSON.stringify(engineModule)});
await trainCodeCache(${JSON.stringify(launchDir)}, ${JSON.stringify(argv)});`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, DICOM_ANONYMIZER_KEY: TRAINING_KEY },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`the training run failed (${run.status}): ${run.stderr}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--dist');
  const dist = resolve(at >= 0 ? args[at + 1] : join(REPO_ROOT, 'dist'));
  const launchDir = join(dist, 'launch');
  if (!existsSync(join(launchDir, 'engine.js'))) throw new Error(`${relative(REPO_ROOT, launchDir)}/engine.js not found: run tsc first (npm run build)`);
  const bytes = await bundleEngine(launchDir);
  trainEngine(launchDir);
  const cacheBytes = readFileSync(join(launchDir, CODE_CACHE_FILE)).length;
  console.log(`engine bundle: ${(bytes / 1e6).toFixed(2)} MB, code cache ${(cacheBytes / 1e6).toFixed(2)} MB (${relative(REPO_ROOT, launchDir) || launchDir})`);
}

if (isMain(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exitCode = 1;
  });
}
