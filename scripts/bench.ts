// Throughput of the byte layer with no change (readDicomFile + writeDicomFile, the path every anonymization takes
// for untouched bytes), side by side with `cp` and fs.copyFileSync in the same run. A measurement script, not a
// test: it prints a table and (with --json FILE) writes the numbers.
//
//   npm run bench                 full sizes: corpus, 3,000 small files, one 1 GiB multi-frame file
//   npm run bench -- --quick      sanity run: corpus, 300 small files, 128 MiB file
//   npm run bench -- --json out.json
//   npm run bench -- --tmp /dev/shm   put the generated inputs and the outputs elsewhere (default: os.tmpdir())
//
// Every measurement runs in a child process (scripts/bench-worker.mjs over dist/) under /usr/bin/time, so the peak RSS is
// that run's alone. Each is run twice and the second (warm page cache, warm disk) run is reported.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDicomFile } from '../src/files/dicom-output.js';
import { buildSlice, CT_STUDY, exampleUid, PATIENT_1 } from './make-examples.js';
import { writeBigMultiframe } from './big-multiframe.js';

const SCRIPT = fileURLToPath(import.meta.url);
/** The measured child: plain Node over dist/ (run `npm run build` first; `npm run bench` does). */
const WORKER = join(dirname(SCRIPT), 'bench-worker.mjs');
const REPO_ROOT = resolve(dirname(SCRIPT), '..');
const CORPUS_DIR = resolve(REPO_ROOT, '..', 'shared', 'corpus');
const TIME_BIN = '/usr/bin/time';
const MB = 1e6;

// ------------------------------------------------------------------------------------------------ worker side --

type Mode = 'ours' | 'copyfile' | 'idle';

interface WorkerSpec {
  mode: Mode;
  /** [source, destination] pairs, absolute. */
  pairs: [string, string][];
}

interface WorkerResult {
  seconds: number;
  readSeconds: number;
  writeSeconds: number;
  files: number;
  bytes: number;
  failures: number;
  firstError: string | null;
  maxRssKB: number;
}

// ------------------------------------------------------------------------------------------------ parent side --

interface Row {
  scenario: string;
  tool: string;
  files: number;
  failures: number;
  bytes: number;
  seconds: number;
  /** The first (discarded, colder) run, for a sense of the noise. */
  firstRunSeconds: number;
  filesPerSecond: number;
  mbPerSecond: number;
  ratioToCp: number | null;
  peakRssMB: number | null;
  rssSource: string;
  readShare: number | null;
  note: string;
}

const hasTime = existsSync(TIME_BIN);

/** Runs a command, under /usr/bin/time when present; returns stdout, wall seconds, and peak RSS in KB. */
function runMeasured(command: string, args: string[], cwd: string): { stdout: string; seconds: number; rssKB: number | null } {
  const rssFile = join(tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const [cmd, argv] = hasTime ? [TIME_BIN, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${args.slice(0, 4).join(' ')}… exited ${r.status}: ${r.stderr}`);
  let rssKB: number | null = null;
  if (hasTime) {
    try {
      const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
      rssKB = Number(lines[lines.length - 1]);
    } catch { /* no number */ }
    rmSync(rssFile, { force: true });
  }
  return { stdout: r.stdout, seconds, rssKB };
}

function resetDirs(dest: string, pairs: [string, string][]): void {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const d of new Set(pairs.map(([, dst]) => dirname(dst)))) mkdirSync(d, { recursive: true });
}

/** Our read+write (or copyFileSync) of `pairs` in a child process, twice; the second run is returned. */
function measureWorker(
  mode: Mode, pairs: [string, string][], dest: string, work: string,
): WorkerResult & { rssKB: number | null; firstSeconds: number } {
  const specPath = join(work, `spec-${mode}.json`);
  writeFileSync(specPath, JSON.stringify({ mode, pairs } satisfies WorkerSpec));
  const runs: (WorkerResult & { rssKB: number | null })[] = [];
  for (let run = 0; run < 2; run++) {
    resetDirs(dest, pairs);
    const r = runMeasured(process.execPath, [WORKER, specPath], REPO_ROOT);
    const result = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as WorkerResult;
    runs.push({ ...result, rssKB: r.rssKB });
  }
  rmSync(specPath, { force: true });
  return { ...runs[1], firstSeconds: runs[0].seconds };
}

/** `cp --parents` of the relative paths (one process for the whole list, like cp -r), twice; second returned. */
function measureCp(
  root: string, relPaths: string[], dest: string, pairs: [string, string][],
): { seconds: number; rssKB: number | null; firstSeconds: number } {
  const runs: { seconds: number; rssKB: number | null }[] = [];
  for (let run = 0; run < 2; run++) {
    resetDirs(dest, pairs);
    runs.push(runMeasured('cp', ['--parents', '-t', dest, '--', ...relPaths], root));
  }
  return { ...runs[1], firstSeconds: runs[0].seconds };
}

function sumSizes(paths: string[]): number {
  return paths.reduce((total, p) => total + statSync(p).size, 0);
}

/** Measures cp, copyFileSync and ours over one file list and returns the table rows. */
function scenario(name: string, root: string, relPaths: string[], work: string, note = ''): Row[] {
  const dest = join(work, 'out');
  const pairs: [string, string][] = relPaths.map((rel) => [join(root, rel), join(dest, rel)]);
  const inputBytes = sumSizes(pairs.map(([src]) => src));
  const rows: Row[] = [];

  process.stdout.write(`  ${name}: cp…`);
  const cp = measureCp(root, relPaths, dest, pairs);
  const cpMBs = inputBytes / MB / cp.seconds;
  rows.push(row(name, 'cp (one process)', relPaths.length, 0, inputBytes, cp.seconds, cp.firstSeconds, cp.rssKB, 'time %M', null, note));

  process.stdout.write(' copyFileSync…');
  const cf = measureWorker('copyfile', pairs, dest, work);
  rows.push(row(name, 'node copyFileSync', cf.files, cf.failures, cf.bytes, cf.seconds, cf.firstSeconds, cf.rssKB ?? cf.maxRssKB,
    cf.rssKB !== null ? 'time %M' : 'maxRSS', null, ''));

  process.stdout.write(' ours…');
  const ours = measureWorker('ours', pairs, dest, work);
  const share = ours.readSeconds + ours.writeSeconds > 0 ? ours.readSeconds / (ours.readSeconds + ours.writeSeconds) : null;
  rows.push(row(name, 'ours read+write', ours.files, ours.failures, ours.bytes, ours.seconds, ours.firstSeconds, ours.rssKB ?? ours.maxRssKB,
    ours.rssKB !== null ? 'time %M' : 'maxRSS', share, ours.firstError ? `first failure: ${ours.firstError}` : ''));
  process.stdout.write(' done\n');

  for (const r of rows) r.ratioToCp = r.mbPerSecond / cpMBs;
  rmSync(dest, { recursive: true, force: true });
  return rows;
}

function row(
  scenarioName: string, tool: string, files: number, failures: number, bytes: number, seconds: number, firstRunSeconds: number,
  rssKB: number | null, rssSource: string, readShare: number | null, note: string,
): Row {
  return {
    scenario: scenarioName, tool, files, failures, bytes, seconds, firstRunSeconds,
    filesPerSecond: files / seconds, mbPerSecond: bytes / MB / seconds, ratioToCp: null,
    peakRssMB: rssKB === null ? null : rssKB / 1024, rssSource, readShare, note,
  };
}

// ---------------------------------------------------------------------------------------------- data sets -----

interface ManifestEntry {
  path: string;
  dcmdump: string;
  size: number;
}

function corpusFiles(): string[] {
  const manifest = JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8')) as ManifestEntry[];
  return manifest.filter((e) => e.dcmdump !== 'FAIL').map((e) => e.path).filter((p) => existsSync(join(CORPUS_DIR, p)));
}

/** `count` CT slices like the examples (64x64, ~10 KB each), written once with our writer. */
function generateSmallFiles(dir: string, count: number): string[] {
  const rel: string[] = [];
  mkdirSync(join(dir, 'small'), { recursive: true });
  const first = exampleUid('bench/small/1');
  for (let i = 1; i <= count; i++) {
    const file = buildSlice({
      patient: PATIENT_1, study: CT_STUDY, modality: 'CT', index: (i % 50) + 1, firstSopInstanceUid: first,
      sopInstanceUid: exampleUid(`bench/small/${i}`), rows: 64, columns: 64, seed: i,
    });
    const path = join('small', `ct-${String(i).padStart(5, '0')}.dcm`);
    writeDicomFile(file, join(dir, path));
    rel.push(path);
  }
  return rel;
}


// --------------------------------------------------------------------------------------------------- output ----

function fmt(n: number | null, digits = 1): string {
  if (n === null || !Number.isFinite(n)) return '-';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function printTable(rows: Row[]): void {
  const header = ['scenario', 'tool', 'files', 'MB', 's', '(1st run s)', 'files/s', 'MB/s', '× cp', 'peak RSS MB', 'read %'];
  const body = rows.map((r) => [
    r.scenario, r.tool, r.failures ? `${r.files} (+${r.failures} failed)` : String(r.files), fmt(r.bytes / MB), fmt(r.seconds, 3), `(${fmt(r.firstRunSeconds, 3)})`,
    fmt(r.filesPerSecond, 0), fmt(r.mbPerSecond), fmt(r.ratioToCp, 2), fmt(r.peakRssMB), r.readShare === null ? '' : `${fmt(r.readShare * 100, 0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  let prev = '';
  for (let i = 0; i < rows.length; i++) {
    if (prev && rows[i].scenario !== prev) console.log('');
    prev = rows[i].scenario;
    console.log(line(body[i]));
  }
  for (const r of rows) if (r.note) console.log(`note (${r.scenario}, ${r.tool}): ${r.note}`);
}

// ----------------------------------------------------------------------------------------------------- main ----

const FS_TYPES: Record<number, string> = {
  0xef53: 'ext2/3/4', 0x01021994: 'tmpfs', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x794c7630: 'overlayfs', 0x2fc12fc1: 'zfs',
};

function fsTypeName(path: string): string {
  try {
    const type = statfsSync(path).type;
    return FS_TYPES[type] ?? `filesystem type 0x${type.toString(16)}`;
  } catch {
    return 'filesystem type unknown';
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const jsonAt = args.indexOf('--json');
  const jsonPath = jsonAt >= 0 ? resolve(args[jsonAt + 1] ?? 'bench.json') : null;
  const tmpAt = args.indexOf('--tmp');
  const tmpBase = tmpAt >= 0 ? resolve(args[tmpAt + 1] ?? tmpdir()) : tmpdir();
  const smallCount = quick ? 300 : 3000;
  const bigFrames = quick ? 32 : 256; // 4 MiB frames: 128 MiB / 1 GiB

  const cpu = cpus();
  console.log(`dicom-anonymizer bench${quick ? ' (--quick)' : ''}`);
  console.log(`machine: ${cpu.length} cores (${cpu[0]?.model ?? 'unknown CPU'}), ${fmt(totalmem() / 2 ** 30)} GiB RAM ` +
    `(${fmt(freemem() / 2 ** 30)} free), Linux ${release()}, node ${process.version}`);
  console.log(`peak RSS: ${hasTime ? '/usr/bin/time -f %M of each child process' : 'process.resourceUsage().maxRSS of each child'}`);
  console.log('each measurement runs twice; the SECOND (warm page cache) run is reported. Outputs are not fsynced (nor by cp).');
  console.log('ours/copyFileSync time is measured inside the child (no node/tsx startup); cp time is its whole process.\n');

  const work = mkdtempSync(join(tmpBase, 'dicomanon-bench-'));
  console.log(`temp folder: ${work} (${fsTypeName(work)}; choose another with --tmp DIR)\n`);
  const rows: Row[] = [];
  let baselineRssMB: number | null = null;
  try {
    // Baseline: node + tsx + our modules loaded, no work.
    const idleSpec = join(work, 'idle.json');
    writeFileSync(idleSpec, JSON.stringify({ mode: 'idle', pairs: [] }));
    const idle = runMeasured(process.execPath, [WORKER, idleSpec], REPO_ROOT);
    baselineRssMB = idle.rssKB === null ? null : idle.rssKB / 1024;
    console.log(`baseline child (node + built library loaded, no work): peak RSS ${fmt(baselineRssMB)} MB, ${fmt(idle.seconds, 2)} s startup\n`);

    // 1. Corpus.
    if (existsSync(join(CORPUS_DIR, 'manifest.json'))) {
      const files = corpusFiles();
      rows.push(...scenario(`corpus (${files.length} files)`, CORPUS_DIR, files, work, 'manifest dcmdump != FAIL'));
    } else {
      console.log(`  corpus: ${CORPUS_DIR}/manifest.json not found, skipped`);
    }

    // 2. Small files.
    process.stdout.write(`  generating ${smallCount} small files…`);
    const inputs = join(work, 'in');
    const small = generateSmallFiles(inputs, smallCount);
    process.stdout.write(' done\n');
    const smallRows = scenario(`${smallCount} small CT files`, inputs, small, work);
    rows.push(...smallRows);
    rmSync(join(inputs, 'small'), { recursive: true, force: true });

    // 3. One big multi-frame file.
    process.stdout.write(`  generating a ${bigFrames * 4} MiB multi-frame file…`);
    const bigRel = 'big.dcm';
    writeBigMultiframe(join(inputs, bigRel), bigFrames, `bench/${bigFrames}`);
    process.stdout.write(' done\n');
    const bigRows = scenario(`1 file, ${bigFrames * 4} MiB`, inputs, [bigRel], work);
    rows.push(...bigRows);

    console.log('');
    printTable(rows);

    const oursSmall = smallRows.find((r) => r.tool.startsWith('ours'))!;
    const oursBig = bigRows.find((r) => r.tool.startsWith('ours'))!;
    console.log('');
    console.log(`target small files ≥ 3,000 files/s: ${fmt(oursSmall.filesPerSecond, 0)} files/s -> ${oursSmall.filesPerSecond >= 3000 ? 'PASS' : 'FAIL'}`);
    const bigOk = (oursBig.ratioToCp ?? 0) >= 0.6 && oursBig.peakRssMB !== null && oursBig.peakRssMB < 150;
    console.log(`target big file ≥ 0.6× cp MB/s with RSS < 150 MB: ${fmt(oursBig.ratioToCp, 2)}× cp, ${fmt(oursBig.peakRssMB)} MB -> ${bigOk ? 'PASS' : 'FAIL'}` +
      (baselineRssMB !== null ? ` (baseline child RSS ${fmt(baselineRssMB)} MB)` : ''));

    if (jsonPath) {
      writeFileSync(jsonPath, JSON.stringify({
        quick, machine: { cores: cpu.length, cpu: cpu[0]?.model, node: process.version, totalMemBytes: totalmem(), release: release() },
        method: 'second of two runs (warm cache); child process per measurement; peak RSS via /usr/bin/time %M when available',
        baselineRssMB, rows,
      }, null, 2) + '\n');
      console.log(`\nwrote ${jsonPath}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
