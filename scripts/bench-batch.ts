// Whole-batch throughput of the built CLI (node dist/cli/main.js, full default PS3.15 profile, fixed key, --quiet)
// side by side with `cp -r`, `gdcmanon --dumb` (GDCM) and `dcmodify` (DCMTK) over the same inputs, in one go:
//   (a) the readable files of ../shared/corpus (manifest dcmdump != FAIL), copied into one input tree;
//   (b) 10,000 generated small CT slices (scripts/make-examples.ts buildSlice), 100 per folder;
//   (c) four generated 500 MB multi-frame files (written piecewise, never held in memory, as scripts/bench.ts does).
// A measurement script, not a test: it prints a table (and with --json FILE writes the numbers).
//
//   npx tsx scripts/bench-batch.ts                full sizes
//   npx tsx scripts/bench-batch.ts --quick        corpus, 1,000 small files, four 64 MiB files
//   npx tsx scripts/bench-batch.ts --tmp /dev/shm put inputs and outputs elsewhere (default: os.tmpdir())
//   npx tsx scripts/bench-batch.ts --no-build     use dist/ as it is (default: build it first)
//
// Every tool runs as its own process under /usr/bin/time (peak RSS of the largest process, %M; CPU time), three
// times; the median run is reported. Timings are wall clock of the whole command, process start-up included. The
// peers do much less than we do: gdcmanon --dumb and dcmodify only empty/erase the listed tags (no UID remapping,
// no date handling, no sequences walked), so they are a floor, not an equal. dcmodify edits in place: it runs on a
// fresh copy each time and only dcmodify itself is timed.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDicomFile } from '../src/files/dicom-output.js';
import { buildSlice, CT_STUDY, exampleUid, MR_STUDY, PATIENT_1, PATIENT_2 } from './make-examples.js';
import { writeBigMultiframe } from './big-multiframe.js';
import { isMain } from './is-main.js';

const SCRIPT = fileURLToPath(import.meta.url);
const REPO_ROOT = resolve(dirname(SCRIPT), '..');
const CORPUS_DIR = resolve(REPO_ROOT, '..', 'shared', 'corpus');
const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const TIME_BIN = '/usr/bin/time';
const MB = 1e6;
const hasTime = existsSync(TIME_BIN);
/** Runs per command; the median is reported. */
const RUNS = 3;

/** The PHI tags the peers are asked to empty (gdcmanon) or erase (dcmodify): a handful, as a typical script would. */
const PHI_TAGS = ['0010,0010', '0010,0020', '0010,0030', '0010,1040', '0008,0080', '0008,0081', '0008,0090', '0008,1050', '0010,2154'];

// ------------------------------------------------------------------------------------------------ measuring ----

interface Measured {
  seconds: number;
  rssKB: number | null;
  /** User + system CPU seconds of the command and its children (all threads). */
  cpuSeconds: number | null;
  status: number | null;
  stderr: string;
}

function runMeasured(command: string, args: string[], cwd = REPO_ROOT): Measured {
  const rssFile = join(tmpdir(), `bench-batch-rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const [cmd, argv] = hasTime ? [TIME_BIN, ['-f', '%M %U %S', '-o', rssFile, command, ...args]] : [command, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let rssKB: number | null = null;
  let cpuSeconds: number | null = null;
  if (hasTime) {
    try {
      const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
      const [rss, user, sys] = lines[lines.length - 1].split(' ').map(Number);
      rssKB = rss;
      cpuSeconds = user + sys;
    } catch { /* none */ }
    rmSync(rssFile, { force: true });
  } else if (r.status !== null) {
    rssKB = null; // spawnSync gives no rusage of the child; the column stays empty
  }
  return { seconds, rssKB, cpuSeconds, status: r.status, stderr: r.stderr ?? '' };
}

function countFiles(dir: string): { files: number; bytes: number } {
  let files = 0, bytes = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !e.name.startsWith('.')) {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return { files, bytes };
}

interface Tool {
  name: string;
  /** Untimed preparation of `out` (dcmodify: a fresh copy of the input). */
  prepare?: (input: string, out: string) => void;
  command: (input: string, out: string) => [string, string[]];
}

const cpTool: Tool = { name: 'cp -r', command: (i, o) => ['cp', ['-r', i, o]] };

const gdcmTool: Tool = {
  name: 'gdcmanon --dumb',
  prepare: (_i, o) => mkdirSync(o, { recursive: true }),
  command: (i, o) => ['gdcmanon', ['--dumb', '--continue', '-r', '-i', i, '-o', o, ...PHI_TAGS.slice(0, 3).flatMap((t) => ['--empty', t]),
    ...PHI_TAGS.slice(3).flatMap((t) => ['--remove', t])]],
};

const dcmodifyTool: Tool = {
  name: 'dcmodify -ea (in place)',
  prepare: (i, o) => {
    const r = spawnSync('cp', ['-r', i, o]);
    if (r.status !== 0) throw new Error('cp for dcmodify failed');
  },
  command: (_i, o) => ['sh', ['-c',
    `find "$1" -type f -print0 | xargs -0 -n 2000 dcmodify -nb -ie -imt -q ${PHI_TAGS.map((t) => `-ea "(${t})"`).join(' ')}`, 'sh', o]],
};

// --burned-in keep: the risk gate still assesses every file, but at-risk ones (the corpus's secondary captures, the
// generated multi-frame files) are written to the output like the peers write them, so the outputs compare.
const oursTool = (jobs: number, key: string): Tool => ({
  name: `ours (-j ${jobs})`,
  command: (i, o) => [process.execPath, [CLI, '-i', i, '-o', o, '-r', '--key-file', key, '--quiet', '--jobs', String(jobs), '--burned-in', 'keep']],
});

interface Row {
  scenario: string;
  tool: string;
  files: number;
  outFiles: number;
  bytes: number;
  seconds: number;
  firstRunSeconds: number;
  filesPerSecond: number;
  mbPerSecond: number;
  speedVsCp: number | null;
  /** CPU seconds / wall seconds: how many cores the command kept busy on average. */
  coresBusy: number | null;
  peakRssMB: number | null;
  exit: number | null;
}

function measure(scenario: string, tool: Tool, input: string, work: string, inFiles: number, inBytes: number): Row {
  const out = join(work, 'out');
  const runs: (Measured & { outFiles: number })[] = [];
  for (let i = 0; i < RUNS; i++) {
    rmSync(out, { recursive: true, force: true });
    tool.prepare?.(input, out);
    const [cmd, args] = tool.command(input, out);
    const m = runMeasured(cmd, args);
    runs.push({ ...m, outFiles: countFiles(out).files });
  }
  rmSync(out, { recursive: true, force: true });
  // The median run by wall time: tmpfs under memory pressure makes single runs of the big files vary twofold.
  const r = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(RUNS / 2)];
  return {
    scenario, tool: tool.name, files: inFiles, outFiles: r.outFiles, bytes: inBytes, seconds: r.seconds, firstRunSeconds: runs[0].seconds,
    filesPerSecond: inFiles / r.seconds, mbPerSecond: inBytes / MB / r.seconds, speedVsCp: null,
    coresBusy: r.cpuSeconds === null ? null : r.cpuSeconds / r.seconds,
    peakRssMB: r.rssKB === null ? null : r.rssKB / 1024, exit: r.status,
  };
}

function scenario(name: string, input: string, work: string, tools: Tool[]): Row[] {
  const { files, bytes } = countFiles(input);
  const rows: Row[] = [];
  process.stdout.write(`  ${name} (${files} files, ${(bytes / MB).toFixed(0)} MB):`);
  for (const tool of tools) {
    process.stdout.write(` ${tool.name}…`);
    rows.push(measure(name, tool, input, work, files, bytes));
  }
  process.stdout.write(' done\n');
  const cp = rows.find((r) => r.tool === cpTool.name);
  for (const r of rows) r.speedVsCp = cp ? cp.seconds / r.seconds : null;
  return rows;
}

// ---------------------------------------------------------------------------------------------- data sets -----

function copyCorpus(dest: string): number {
  const manifest = JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8')) as { path: string; dcmdump: string }[];
  let n = 0;
  for (const e of manifest) {
    if (e.dcmdump === 'FAIL' || !existsSync(join(CORPUS_DIR, e.path))) continue;
    mkdirSync(dirname(join(dest, e.path)), { recursive: true });
    copyFileSync(join(CORPUS_DIR, e.path), join(dest, e.path));
    n++;
  }
  return n;
}

/** `count` slices like the examples (64x64 CT / MR, two patients), 100 per folder (scripts/bench-review.ts uses it too). */
export function generateSmallFiles(dest: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const ct = i % 2 === 0;
    const dir = join(dest, `p${i % 2 + 1}`, `d${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0 || i % 100 === 1) mkdirSync(dir, { recursive: true });
    const file = buildSlice({
      patient: ct ? PATIENT_1 : PATIENT_2, study: ct ? CT_STUDY : MR_STUDY, modality: ct ? 'CT' : 'MR', index: (i % 50) + 1,
      firstSopInstanceUid: exampleUid(`bench-batch/small/${ct ? 'ct' : 'mr'}/first`), sopInstanceUid: exampleUid(`bench-batch/small/${i}`),
      rows: 64, columns: 64, seed: i,
    });
    writeDicomFile(file, join(dir, `img-${String(i).padStart(5, '0')}.dcm`));
  }
}


// --------------------------------------------------------------------------------------------------- output ----

function fmt(n: number | null, digits = 1): string {
  if (n === null || !Number.isFinite(n)) return '-';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function printTable(rows: Row[]): void {
  const header = ['scenario', 'tool', 'files', 'out', 'MB', 's', '(1st s)', 'files/s', 'MB/s', 'speed ×cp', 'cores', 'RSS MB', 'exit'];
  const body = rows.map((r) => [
    r.scenario, r.tool, String(r.files), String(r.outFiles), fmt(r.bytes / MB, 0), fmt(r.seconds, 2), `(${fmt(r.firstRunSeconds, 2)})`,
    fmt(r.filesPerSecond, 0), fmt(r.mbPerSecond), fmt(r.speedVsCp, 2), fmt(r.coresBusy, 2), fmt(r.peakRssMB, 0), String(r.exit),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  let prev = '';
  rows.forEach((r, i) => {
    if (prev && r.scenario !== prev) console.log('');
    prev = r.scenario;
    console.log(line(body[i]));
  });
}

function verdict(label: string, value: number | null, ok: boolean): void {
  console.log(`${label}: ${value === null ? '-' : fmt(value, 2)} -> ${ok ? 'PASS' : 'FAIL'}`);
}

// ----------------------------------------------------------------------------------------------------- main ----

function main(): void {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const tmpAt = args.indexOf('--tmp');
  const tmpBase = tmpAt >= 0 ? resolve(args[tmpAt + 1] ?? tmpdir()) : tmpdir();
  const jsonAt = args.indexOf('--json');
  const jsonPath = jsonAt >= 0 ? resolve(args[jsonAt + 1] ?? 'bench-batch.json') : null;
  const smallCount = quick ? 1000 : 10_000;
  const bigFrames = quick ? 16 : 120; // 4 MiB frames: 64 MiB / 503 MB per file
  const cores = availableParallelism();

  if (!args.includes('--no-build')) {
    process.stdout.write('building dist/ (npm run build)…');
    const b = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8' });
    process.stdout.write(b.status === 0 ? ' done\n' : ` tsc reported errors (exit ${b.status}); using what it emitted\n`);
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: run npm run build`);

  const cpu = cpus();
  console.log(`dicom-anonymizer batch bench${quick ? ' (--quick)' : ''}`);
  console.log(`machine: ${cpu.length} cores (${cpu[0]?.model ?? 'unknown CPU'}), ${fmt(totalmem() / 2 ** 30)} GiB RAM (${fmt(freemem() / 2 ** 30)} free), ` +
    `Linux ${release()}, node ${process.version}; load average now ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  console.log(`each command runs ${RUNS} times and the median run is reported ((1st s): the first run); wall time of the whole command; RSS = /usr/bin/time %M;`);
  console.log('cores = (user + system CPU time) / wall time: how many cores the command kept busy on average.');
  console.log(`peers: gdcmanon --dumb empties/removes ${PHI_TAGS.length} tags, dcmodify -ea erases them (in place, on a fresh copy); ` +
    'ours runs the full PS3.15 Basic Profile (UIDs, dates, sequences, markers), fixed key.\n');

  const work = mkdtempSync(join(tmpBase, 'dicomanon-bench-batch-'));
  console.log(`temp folder: ${work}\n`);
  const key = join(work, 'bench.key');
  writeFileSync(key, 'bench-batch fixed key 0123456789', { mode: 0o600 });
  const jobsList = [...new Set([1, 2, cores])];
  const tools = [cpTool, gdcmTool, dcmodifyTool, ...jobsList.map((j) => oursTool(j, key))];
  const rows: Row[] = [];
  try {
    if (existsSync(join(CORPUS_DIR, 'manifest.json'))) {
      const dir = join(work, 'in-corpus');
      const n = copyCorpus(dir);
      rows.push(...scenario(`(a) corpus, ${n} readable`, dir, work, tools));
      rmSync(dir, { recursive: true, force: true });
    } else {
      console.log(`  (a) corpus: ${CORPUS_DIR}/manifest.json not found, skipped`);
    }

    process.stdout.write(`  generating ${smallCount} small files…`);
    const small = join(work, 'in-small');
    generateSmallFiles(small, smallCount);
    process.stdout.write(' done\n');
    rows.push(...scenario(`(b) ${smallCount} small`, small, work, tools));
    rmSync(small, { recursive: true, force: true });

    process.stdout.write(`  generating 4 files of ${fmt(bigFrames * 4 * 2 ** 20 / MB, 0)} MB…`);
    const big = join(work, 'in-big');
    mkdirSync(big);
    for (let i = 1; i <= 4; i++) writeBigMultiframe(join(big, `big-${i}.dcm`), bigFrames, `bench-batch/${bigFrames}/${i}`);
    process.stdout.write(' done\n');
    rows.push(...scenario(`(c) 4 × ${fmt(bigFrames * 4 * 2 ** 20 / MB, 0)} MB`, big, work, tools));

    console.log('');
    printTable(rows);
    console.log('');
    const pick = (prefix: string, tool: string): Row | undefined => rows.find((r) => r.scenario.startsWith(prefix) && r.tool === tool);
    const best = `ours (-j ${cores})`;
    for (const s of ['(a)', '(b)', '(c)']) {
      const o = pick(s, best), o1 = pick(s, 'ours (-j 1)'), o2 = pick(s, 'ours (-j 2)'), g = pick(s, gdcmTool.name), d = pick(s, dcmodifyTool.name);
      if (!o) continue;
      console.log(`${s} ${best}: ${fmt(g ? g.seconds / o.seconds : null, 2)}× gdcmanon --dumb, ${fmt(d ? d.seconds / o.seconds : null, 2)}× dcmodify, ` +
        `${fmt(o.speedVsCp, 2)}× cp; -j 2 vs -j 1: ${fmt(o1 && o2 ? o1.seconds / o2.seconds : null, 2)}×` +
        (o1?.coresBusy && o1.coresBusy > 1.1 ? ` (-j 1 already keeps ${fmt(o1.coresBusy, 2)} cores busy: V8 collects garbage and compiles on helper threads)` : ''));
      for (const peer of [g, d]) {
        if (peer && peer.outFiles < peer.files) {
          console.log(`    note: ${peer.tool} wrote ${peer.outFiles} of ${peer.files} files (exit ${peer.exit}); its time covers only those`);
        }
      }
    }
    console.log('');
    for (const s of ['(a)', '(b)']) {
      const o = pick(s, best), g = pick(s, gdcmTool.name);
      if (o && g) verdict(`target ${s}: ours ≥ 2× faster than gdcmanon --dumb`, g.seconds / o.seconds, g.seconds / o.seconds >= 2);
    }
    const c = pick('(c)', best);
    if (c) verdict('target (c): ours ≥ 0.6× cp', c.speedVsCp, (c.speedVsCp ?? 0) >= 0.6);
    const oursRows = rows.filter((r) => r.tool.startsWith('ours'));
    const maxRss = Math.max(...oursRows.map((r) => r.peakRssMB ?? 0));
    verdict('target: ours peak RSS < 300 MB (largest, MB)', maxRss, maxRss < 300);
    for (const s of ['(a)', '(b)', '(c)']) {
      const o1 = pick(s, 'ours (-j 1)'), o2 = pick(s, 'ours (-j 2)');
      if (o1 && o2) verdict(`target ${s}: 2 workers ≥ 1.6× one`, o1.seconds / o2.seconds, o1.seconds / o2.seconds >= 1.6);
    }
    if (jsonPath) {
      writeFileSync(jsonPath, JSON.stringify({ quick, cores, node: process.version, rows }, null, 2) + '\n');
      console.log(`\nwrote ${jsonPath}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) main();
