// What the launcher (src/launch/) buys: the installed command (dist/launch/cli.js) run three ways, interleaved round
// by round so that the machine's drift hits each alike: from the ES modules (DICOM_ANONYMIZER_LAUNCH=modules), from
// the engine bundle compiled without its code cache (=bundle), and as installed (the bundle from its code cache),
// in an order rotated each round (bench-measure.ts rotatedRounds).
// Workloads: `--help` (start-up alone), 2,000 real-header CT slices with default jobs (the main thread and one
// worker on two cores) and the readable corpus (one thread). Full PS3.15 Basic Profile, --burned-in keep, fixed key.
// A measurement script, not a test.
//
//   npm run build && npx tsx scripts/bench-launch.ts [--rounds N] [--tmp DIR]

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BATCH_RAN, launchBenchOptions, median, rotatedRounds, runMeasured, type CommandCost } from './bench-measure.js';
import { copyReadableCorpus, generateSmallSlices } from './bench-workloads.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS_DIR = resolve(process.env.DICOM_CORPUS_DIR ?? join(REPO_ROOT, '..', 'shared', 'corpus'));
const CLI = join(REPO_ROOT, 'dist', 'launch', 'cli.js');
const KEY = 'bench-launch fixed key 0123456789abcdef';

const VARIANTS: Array<{ name: string; env: Record<string, string> }> = [
  { name: 'ES modules', env: { DICOM_ANONYMIZER_LAUNCH: 'modules' } },
  { name: 'bundle, no cache', env: { DICOM_ANONYMIZER_LAUNCH: 'bundle' } },
  { name: 'bundle + code cache (installed)', env: {} },
];

const fmt = (n: number): string => n.toFixed(2);

function main(): void {
  const { rounds, scratchBase } = launchBenchOptions(REPO_ROOT, 6);
  const scratch = mkdtempSync(join(scratchBase, 'dicomanon-bench-launch-'));
  const keyFile = join(scratch, 'key');
  writeFileSync(keyFile, KEY, { mode: 0o600 });
  const out = join(scratch, 'out');
  const workloads: Array<{ name: string; args: string[] }> = [{ name: '--help (start-up)', args: ['--help'] }];
  try {
    if (existsSync(join(CORPUS_DIR, 'manifest.json'))) {
      process.stdout.write('generating the workloads…');
      generateSmallSlices(CORPUS_DIR, join(scratch, 'in-small'), 2000);
      const corpus = copyReadableCorpus(CORPUS_DIR, join(scratch, 'in-corpus'), scratch, '', '', false);
      process.stdout.write(' done\n');
      const batch = (input: string): string[] => ['-i', input, '-o', out, '-r', '--key-file', keyFile, '--quiet', '--burned-in', 'keep'];
      workloads.push({ name: '2,000 real-header CT slices, default jobs', args: batch(join(scratch, 'in-small')) });
      workloads.push({ name: `the corpus (${corpus.files} files), default jobs`, args: batch(join(scratch, 'in-corpus')) });
    } else {
      console.log(`${CORPUS_DIR}/manifest.json not found: start-up only`);
    }
    const head = ['workload', ...VARIANTS.map((v) => `${v.name}: wall / CPU`), 'installed vs modules (wall)'];
    const rows: string[][] = [];
    for (const w of workloads) {
      const costs = rotatedRounds(rounds, VARIANTS.length, (i): CommandCost => {
        const v = VARIANTS[i];
        rmSync(out, { recursive: true, force: true });
        rmSync(`${out}-quarantine`, { recursive: true, force: true });
        const cost = runMeasured(process.execPath, [CLI, ...w.args], scratch, REPO_ROOT, v.env);
        if (!BATCH_RAN.has(cost.status ?? -1)) throw new Error(`${v.name} on ${w.name} exited with ${cost.status}`);
        return cost;
      });
      const walls = costs.map((c) => median(c.map((x) => x.seconds)));
      const cpus = costs.map((c) => median(c.map((x) => x.cpuSeconds)));
      rows.push([w.name, ...walls.map((s, i) => `${fmt(s)} s / ${fmt(cpus[i])} s`), `${fmt(walls[0] / walls[2])}×`]);
      console.log(`  ${w.name}: done`);
    }
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log(`\nMedians of ${rounds} interleaved rounds; CPU is user + system of the whole process (all threads):\n`);
    console.log([line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const node = spawnSync(process.execPath, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`\nNode ${node}. A code cache V8 refuses (another Node) leaves the bundle row's figures.`);
}

main();
