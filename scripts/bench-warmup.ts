// How much of a run is the JavaScript engine warming up: the same batch (full PS3.15 Basic Profile, one thread,
// --burned-in keep, fixed key) run four times in ONE process, so that pass 1 pays for compiling and optimizing the
// code (V8's interpreter, then its optimizing compiler on background threads) and passes 2-4 run warm code; beside
// it `gdcmanon -e` (compiled C++, no warm-up) on the same input. A measurement script, not a test.
//
//   npm run build && npx tsx scripts/bench-warmup.ts        2,000 real-header CT slices and the readable corpus
//   npx tsx scripts/bench-warmup.ts --tmp DIR               scratch folder (default /dev/shm, else os.tmpdir())
//
// Each workload runs in a fresh Node process (so the second does not start on code the first warmed). CPU is user +
// system of that whole process (every thread: the compiler's included), from process.cpuUsage(). Module loading
// (about 0.2-0.5 s) is outside the passes.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './bench-measure.js';
import { copyReadableCorpus, generateSmallSlices } from './bench-workloads.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS_DIR = resolve(process.env.DICOM_CORPUS_DIR ?? join(REPO_ROOT, '..', 'shared', 'corpus'));
const DIST = join(REPO_ROOT, 'dist');
const PASSES = 4;
const KEY = 'bench-warmup fixed key 0123456789';

const fmt = (n: number, digits = 2): string => n.toFixed(digits);

interface Pass { seconds: number; cpuSeconds: number }

/** Run by a fresh node: loads dist/, then runs the batch PASSES times over argv[1] (outputs under argv[2]). */
const PASSES_SCRIPT = `
import { rmSync } from 'node:fs';
const t0 = process.hrtime.bigint();
const { runBatch } = await import(${JSON.stringify(pathToFileURL(join(DIST, 'batch', 'run.js')).href)});
const { basicProfilePlan } = await import(${JSON.stringify(pathToFileURL(join(DIST, 'config', 'load.js')).href)});
const moduleSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
const profile = basicProfilePlan([]);
const plan = { ...profile, pixels: { ...profile.pixels, policy: 'keep' } };
const [input, out] = process.argv.slice(1);
const passes = [];
for (let pass = 0; pass < ${PASSES}; pass++) {
  const output = out + '-' + pass;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await runBatch({ input, output, recursive: true, plan, secret: { kind: 'text', text: ${JSON.stringify(KEY)} }, jobs: 1, log: () => {} });
  const used = process.cpuUsage(cpu);
  passes.push({ seconds: Number(process.hrtime.bigint() - start) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 });
  rmSync(output, { recursive: true, force: true });
  rmSync(output + '-quarantine', { recursive: true, force: true });
}
process.stdout.write(JSON.stringify({ moduleSeconds, passes }));
`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--tmp');
  const scratchBase = resolve(at >= 0 ? args[at + 1] : existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  if (!existsSync(join(DIST, 'batch', 'run.js'))) throw new Error('dist/ not found: run npm run build first');
  if (!existsSync(join(CORPUS_DIR, 'manifest.json'))) {
    console.log(`${CORPUS_DIR}/manifest.json not found: both workloads come from the corpus; nothing measured`);
    return;
  }

  const scratch = mkdtempSync(join(scratchBase, 'dicomanon-bench-warmup-'));
  const hasGdcm = spawnSync('gdcmanon', ['--version'], { stdio: 'ignore' }).status === 0;
  const keyPem = join(scratch, 'k.pem'), certPem = join(scratch, 'cert.pem');
  if (hasGdcm) {
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPem, '-out', certPem, '-subj', '/CN=bench'], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error('openssl could not make the throw-away certificate');
  }
  const rows: string[][] = [];
  try {
    const workloads: Array<[string, string, () => number]> = [
      ['2,000 real-header CT slices', join(scratch, 'in-small'), () => { generateSmallSlices(CORPUS_DIR, join(scratch, 'in-small'), 2000); return 2000; }],
      ['the readable corpus', join(scratch, 'in-corpus'), () => copyReadableCorpus(CORPUS_DIR, join(scratch, 'in-corpus'), scratch, keyPem, certPem, hasGdcm).files],
    ];
    for (const [name, input, make] of workloads) {
      process.stdout.write(`  ${name}: generating…`);
      const files = make();
      process.stdout.write(` ${files} files; ${PASSES} passes in one process…`);
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', PASSES_SCRIPT, input, join(scratch, 'out')], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error(`the passes failed: ${child.stderr}`);
      const { moduleSeconds, passes } = JSON.parse(child.stdout) as { moduleSeconds: number; passes: Pass[] };
      let gdcm = NaN;
      if (hasGdcm) {
        process.stdout.write(' gdcmanon -e…');
        const times: number[] = [];
        for (let run = 0; run < 3; run++) {
          const output = join(scratch, 'out-gdcm');
          mkdirSync(output, { recursive: true });
          const start = process.hrtime.bigint();
          spawnSync('gdcmanon', ['-e', '--continue', '-r', '-k', keyPem, '-c', certPem, '-i', input, '-o', output], { stdio: 'ignore' });
          times.push(Number(process.hrtime.bigint() - start) / 1e9);
          rmSync(output, { recursive: true, force: true });
        }
        gdcm = median(times);
      }
      process.stdout.write(' done\n');
      rmSync(input, { recursive: true, force: true });
      const cold = passes[0], warm = passes.slice(1);
      const warmSeconds = median(warm.map((p) => p.seconds)), warmCpu = median(warm.map((p) => p.cpuSeconds));
      rows.push([
        `${name} (${files})`, `${fmt(moduleSeconds)} s`, `${fmt(cold.seconds)} s / ${fmt(cold.cpuSeconds)} s`, `${fmt(warmSeconds)} s / ${fmt(warmCpu)} s`,
        `${fmt(cold.seconds - warmSeconds)} s (${fmt(100 * (cold.seconds - warmSeconds) / cold.seconds, 0)}%)`,
        Number.isNaN(gdcm) ? '-' : `${fmt(gdcm)} s`,
        Number.isNaN(gdcm) ? '-' : `${fmt(gdcm / cold.seconds)}× / ${fmt(gdcm / warmSeconds)}×`,
      ]);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log('\nOne thread (jobs 1), one process per workload; wall / CPU of the whole process:\n');
  const head = ['workload', 'modules', 'pass 1 (cold)', `passes 2-${PASSES} (warm, median)`, 'warm-up cost', 'gdcmanon -e', 'gdcmanon / ours: cold / warm'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log([line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

await main();
