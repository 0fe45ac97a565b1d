// --burned-in redact over the corpus's at-risk images through the built CLI: at-risk files/s with --jobs 1 and with
// --jobs left to the tool (auto), so "auto is never slower than -j 1" is measured, not assumed. Wall, CPU (user +
// system of the whole process tree) and peak RSS from /usr/bin/time. A measurement script, not a test.
//
//   npx tsx scripts/bench-redact-corpus.ts [--files 24] [--rounds 1] [--no-build] [--json out.json] [--cli other/dist/launch/cli.js]

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusAtRiskFiles } from './bench-workloads.js';
import { basicProfilePlan } from '../src/config/build.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS_DIR = resolve(process.env.DICOM_CORPUS_DIR ?? join(REPO_ROOT, '..', 'shared', 'corpus'));
const CLI = resolve(process.argv.includes('--cli') ? process.argv[process.argv.indexOf('--cli') + 1] : join(REPO_ROOT, 'dist', 'launch', 'cli.js'));
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const wanted = Number(option('--files') ?? 24);
const rounds = Number(option('--rounds') ?? 1);
if (!args.includes('--no-build')) execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });

const gate = basicProfilePlan([]).pixels.gate;
const atRisk = corpusAtRiskFiles(CORPUS_DIR, gate).slice(0, wanted);
const work = mkdtempSync(join(tmpdir(), 'bench-redact-corpus-'));
const input = join(work, 'in');
mkdirSync(input);
// Copies in a temporary folder (deleted at the end): the tool does not follow links out of its input folder.
atRisk.forEach((path, i) => copyFileSync(path, join(input, `${String(i).padStart(4, '0')}.dcm`)));

function run(jobs: string | null): { wall: number; cpu: number; rssMB: number } {
  const out = join(work, `out-${jobs ?? 'auto'}`);
  rmSync(out, { recursive: true, force: true });
  const cli = ['-f', '%e %U %S %M', process.execPath, CLI, '-i', input, '-o', out, '-r', '--burned-in', 'redact', '--quiet', ...(jobs ? ['--jobs', jobs] : [])];
  const r = spawnSync('/usr/bin/time', cli, { encoding: 'utf8', env: { ...process.env, DICOM_ANONYMIZER_KEY: 'bench-redact-corpus-key-0123456789abcdef' } });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, user, system, rssKB] = last.split(' ').map(Number);
  if (!Number.isFinite(wall)) throw new Error(`the CLI did not run: ${r.stderr.slice(-500)}`);
  return { wall, cpu: user + system, rssMB: Math.round(rssKB / 1024) };
}
const rows: Record<string, { filesPerSecond: number; wallS: number; cpuS: number; peakRssMB: number }> = {};
for (let round = 0; round < rounds; round++) {
  for (const jobs of round % 2 === 0 ? ['1', null] : [null, '1']) {
    const m = run(jobs);
    const key = jobs ? '--jobs 1' : '--jobs auto';
    const prev = rows[key];
    if (!prev || m.wall < prev.wallS) rows[key] = { filesPerSecond: +(atRisk.length / m.wall).toFixed(2), wallS: m.wall, cpuS: +m.cpu.toFixed(1), peakRssMB: m.rssMB };
  }
}
rmSync(work, { recursive: true, force: true });
console.log(`${atRisk.length} at-risk corpus files, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${loadavg()[0].toFixed(1)} (shared); best of ${rounds} round(s):`);
console.table(rows);
const jsonPath = option('--json');
if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ files: atRisk.length, rows }, null, 2) + '\n');
