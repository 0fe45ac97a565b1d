// The whole CLI (node dist/launch/cli.js, the installed command: the engine bundle from its code cache; the full
// PS3.15 Basic Profile, fixed key) against the peer that does the same work, GDCM's `gdcmanon -e` (Basic Profile
// with UID remapping), and against `gdcmanon --dumb` (empties nine tags) and `cp -r`, over three workloads
// generated in a scratch folder (default /dev/shm, a tmpfs):
//   (a) 10,000 copies of a real CT slice of ../shared/corpus (new UIDs and numbers, the header kept; see
//       bench-workloads.ts);
//   (b) the readable corpus: files dcmdump and gdcmanon -e both read, malformed/ left out;
//   (c) one generated multi-frame file of 503 MB (120 frames of 4 MiB).
// A measurement script, not a test. It prints the table of README "Performance" and the targets of issue #15.
//
//   npx tsx scripts/bench-batch.ts                full sizes (npm run bench builds dist/ first)
//   npx tsx scripts/bench-batch.ts --quick        1,000 small files, the corpus, a 128 MiB file; one run each
//   npx tsx scripts/bench-batch.ts --tmp DIR      scratch folder (default /dev/shm, else os.tmpdir())
//   npx tsx scripts/bench-batch.ts --only a,b     some workloads only
//   npx tsx scripts/bench-batch.ts --json FILE    also write the numbers
//   npx tsx scripts/bench-batch.ts --no-build     use dist/ as it is (default: build it first)
//   npx tsx scripts/bench-batch.ts --ours-only    our two rows only (before/after comparisons of CPU per file)
//
// Every command runs as its own process under /usr/bin/time (wall time; user + system CPU of the process and all its
// threads; peak RSS), five times, in rounds that run every command once each, in an order rotated each round (so the
// machine's drift and a round's first place fall on all alike); the median run by wall time is reported. CPU time is
// what to compare across changes on a busy machine: wall time depends on what else runs, CPU per file much less.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rotatedRounds, runMeasured, TIME_BIN, type CommandCost } from './bench-measure.js';
import { copyReadableCorpus, generateBigFile, generateSmallSlices, SMALL_SLICE } from './bench-workloads.js';

const SCRIPT = fileURLToPath(import.meta.url);
const REPO_ROOT = resolve(dirname(SCRIPT), '..');
const CORPUS_DIR = resolve(process.env.DICOM_CORPUS_DIR ?? join(REPO_ROOT, '..', 'shared', 'corpus'));
const CLI = join(REPO_ROOT, 'dist', 'launch', 'cli.js');
const MB = 1e6;
/** Run-to-run spread of one command's median wall time on this (shared, 2-core) machine: about 5%. */
const NOISE = 0.05;

/** The tags `gdcmanon --dumb` is asked to empty or remove, as a typical script would. */
const DUMB_TAGS = ['0010,0010', '0010,0020', '0010,0030', '0010,1040', '0008,0080', '0008,0081', '0008,0090', '0008,1050', '0010,2154'];

// ------------------------------------------------------------------------------------------------ measuring ----

interface Measured extends CommandCost {
  outFiles: number;
}

function countFiles(dir: string): number {
  let n = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.isFile() && !e.name.startsWith('.')) n++;
    }
  };
  if (existsSync(dir)) walk(dir);
  return n;
}

interface Tool {
  name: string;
  command: (input: string, out: string) => [string, string[]];
  /** gdcmanon wants its output folder to exist. */
  makeOutput?: boolean;
}

interface Row {
  workload: string;
  tool: string;
  files: number;
  elements: number;
  bytes: number;
  runs: Measured[];
  median: Measured;
}

/** One run of `tool` on `input`, its output counted, then removed. */
function measureOnce(tool: Tool, input: string, scratch: string): Measured {
  const out = join(scratch, 'out');
  rmSync(out, { recursive: true, force: true });
  rmSync(`${out}-quarantine`, { recursive: true, force: true });
  if (tool.makeOutput) mkdirSync(out);
  const [cmd, args] = tool.command(input, out);
  const m = runMeasured(cmd, args, scratch, REPO_ROOT);
  const measured = { ...m, outFiles: countFiles(out) };
  rmSync(out, { recursive: true, force: true });
  rmSync(`${out}-quarantine`, { recursive: true, force: true });
  return measured;
}

/** `runs` rounds of every tool (rotatedRounds); one row per tool, with its median run by wall time. */
function measureInterleaved(workload: string, tools: Tool[], input: string, scratch: string, size: { files: number; elements: number; bytes: number }, runs: number): Row[] {
  const all = rotatedRounds(runs, tools.length, (i) => measureOnce(tools[i], input, scratch), (round) => process.stdout.write(` round ${round + 1}…`));
  return tools.map((tool, i) => {
    const median = [...all[i]].sort((a, b) => a.seconds - b.seconds)[Math.floor(all[i].length / 2)];
    return { workload, tool: tool.name, ...size, runs: all[i], median };
  });
}

// ------------------------------------------------------------------------------------------------- output ----

function fmt(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function printTable(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}

// --------------------------------------------------------------------------------------------------- main ----

function main(): void {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const quick = args.includes('--quick');
  const runs = quick ? 1 : 5;
  const only = new Set((value('--only') ?? 'a,b,c').split(','));
  const scratchBase = resolve(value('--tmp') ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()));
  const jsonPath = value('--json');
  const smallCount = quick ? 1000 : 10_000;
  const bigFrames = quick ? 32 : 120;
  const cores = availableParallelism();

  for (const tool of [TIME_BIN]) if (!existsSync(tool)) throw new Error(`${tool} is needed (apt-get install time)`);
  const hasGdcm = spawnSync('gdcmanon', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!args.includes('--no-build')) {
    process.stdout.write('building dist/ (npm run build)…');
    const b = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'ignore' });
    process.stdout.write(b.status === 0 ? ' done\n' : ` tsc reported errors (exit ${b.status}); using what it emitted\n`);
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: run npm run build`);
  const corpus = existsSync(join(CORPUS_DIR, 'manifest.json'));

  const scratch = mkdtempSync(join(scratchBase, 'dicomanon-bench-batch-'));
  const fs = statfsSync(scratch);
  const freeScratch = fs.bavail * fs.bsize;
  const cpu = cpus();
  console.log(`dicom-anonymizer batch bench${quick ? ' (--quick: one run each, smaller inputs)' : ''}`);
  console.log(`machine: ${cpu.length} cores (${cpu[0]?.model ?? 'unknown CPU'}), ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM ` +
    `(${fmt(freemem() / 2 ** 30, 1)} free), Linux ${release()}, node ${process.version}, ` +
    `load average at start ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  console.log(`scratch: ${scratch} (${fmt(freeScratch / 2 ** 30, 1)} GiB free)`);
  console.log(`each command: ${runs} run(s), interleaved round by round in a rotating order, median by wall time; CPU = user + system of the whole process (all threads); ` +
    'ours = full PS3.15 Basic Profile, --burned-in keep (at-risk files are written to the output like the peers write them)\n');

  const keyFile = join(scratch, 'bench.key');
  writeFileSync(keyFile, 'bench-batch fixed key 0123456789', { mode: 0o600 });
  const keyPem = join(scratch, 'k.pem'), certPem = join(scratch, 'cert.pem');
  if (hasGdcm) {
    // A throw-away certificate: gdcmanon -e encrypts the original attributes into the output with it.
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPem, '-out', certPem, '-subj', '/CN=bench'], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error('openssl could not make the throw-away certificate');
  }
  const ours = (name: string, jobs: string[]): Tool => ({
    name,
    command: (i, o) => [process.execPath, [CLI, '-i', i, '-o', o, '-r', '--key-file', keyFile, '--quiet', '--burned-in', 'keep', ...jobs]],
  });
  const tools: Tool[] = [
    ours('ours, default jobs', []),
    ours('ours -j1', ['--jobs', '1']),
    ...(hasGdcm ? [
      { name: 'gdcmanon -e', makeOutput: true, command: (i: string, o: string): [string, string[]] => ['gdcmanon', ['-e', '--continue', '-r', '-k', keyPem, '-c', certPem, '-i', i, '-o', o]] },
      {
        name: 'gdcmanon --dumb', makeOutput: true, command: (i: string, o: string): [string, string[]] => ['gdcmanon', ['--dumb', '--continue', '-r', '-i', i, '-o', o,
          ...DUMB_TAGS.slice(0, 3).flatMap((t) => ['--empty', t]), ...DUMB_TAGS.slice(3).flatMap((t) => ['--remove', t])]],
      },
    ] : []),
    { name: 'cp -r', command: (i, o) => ['cp', ['-r', i, o]] },
  ];
  if (args.includes('--ours-only')) tools.splice(2);
  const rows: Row[] = [];
  const run = (workload: string, input: string, size: { files: number; elements: number; bytes: number }): void => {
    process.stdout.write(`  ${workload}: ${size.files} files, ${fmt(size.bytes / MB, 0)} MB, ${size.elements} elements:`);
    rows.push(...measureInterleaved(workload, tools, input, scratch, size, runs));
    process.stdout.write(' done\n');
  };
  const names = {
    a: `${smallCount.toLocaleString('en-US')} real-header CT slices`,
    b: 'the readable corpus',
    c: `one ${fmt(bigFrames * 4 * 2 ** 20 / MB, 0)} MB multi-frame file`,
  };
  try {
    if (only.has('a') && corpus) {
      process.stdout.write(`  generating ${smallCount} slices from ${SMALL_SLICE}…`);
      const dir = join(scratch, 'in-small');
      const perFile = generateSmallSlices(CORPUS_DIR, dir, smallCount);
      process.stdout.write(' done\n');
      run(names.a, dir, { files: smallCount, elements: perFile * smallCount, bytes: smallCount * statSync(join(dir, 'study00', 's0', 'ct-000.dcm')).size });
      rmSync(dir, { recursive: true, force: true });
    }
    if (only.has('b') && corpus) {
      process.stdout.write('  copying the readable corpus (probing each file with gdcmanon -e)…');
      const dir = join(scratch, 'in-corpus');
      const size = copyReadableCorpus(CORPUS_DIR, dir, scratch, keyPem, certPem, hasGdcm);
      process.stdout.write(' done\n');
      run(`${names.b}, ${size.files} files`, dir, size);
      rmSync(dir, { recursive: true, force: true });
    }
    if (!corpus) console.log(`  (a), (b): ${CORPUS_DIR}/manifest.json not found, skipped`);
    if (only.has('c')) {
      const need = bigFrames * 4 * 2 ** 20 * 2.2;
      if (freeScratch < need || freemem() < need) {
        console.log(`  (c) skipped: needs ${fmt(need / 2 ** 30, 1)} GiB free in the scratch folder and in RAM`);
      } else {
        process.stdout.write(`  generating ${names.c}…`);
        const dir = join(scratch, 'in-big');
        const size = generateBigFile(dir, bigFrames);
        process.stdout.write(' done\n');
        run(names.c, dir, { files: 1, ...size });
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  report(rows, cores);
  if (jsonPath) {
    writeFileSync(resolve(jsonPath), JSON.stringify({ quick, cores, node: process.version, rows }, null, 2) + '\n');
    console.log(`\nwrote ${jsonPath}`);
  }
}

function report(rows: Row[], cores: number): void {
  const workloads = [...new Set(rows.map((r) => r.workload))];
  const pick = (w: string, tool: string): Row | undefined => rows.find((r) => r.workload === w && r.tool === tool);
  const toolNames = [...new Set(rows.map((r) => r.tool))];
  console.log('\nWall time, median (README table):\n');
  printTable(['workload', ...toolNames], workloads.map((w) => [w, ...toolNames.map((t) => {
    const r = pick(w, t);
    if (!r) return '-';
    const partial = r.median.outFiles < r.files ? ` (${r.median.outFiles} out)` : '';
    return `${fmt(r.median.seconds)} s${partial}`;
  })]));
  console.log('\nCPU (user + system), median run: µs per file / ns per element; peak RSS:\n');
  printTable(['workload', 'tool', 'wall s', 'CPU s', 'cores busy', 'µs CPU/file', 'ns CPU/element', 'peak RSS MB', 'files out', 'exit'],
    rows.map((r) => [r.workload, r.tool, fmt(r.median.seconds), fmt(r.median.cpuSeconds), fmt(r.median.cpuSeconds / r.median.seconds),
      fmt(r.median.cpuSeconds * 1e6 / r.files, 0), fmt(r.median.cpuSeconds * 1e9 / r.elements, 0), fmt(r.median.rssKB / 1024, 0),
      String(r.median.outFiles), String(r.median.status)]));
  console.log(`\nTargets (issue #15), ours with default jobs (${cores} cores here):`);
  const verdict = (label: string, ratio: number | null, goal: number, noise = 0): void => {
    const band = noise > 0 ? `, within ${fmt(noise * 100, 0)}% run-to-run noise` : '';
    console.log(`  ${label}: ${ratio === null ? '-' : `${fmt(ratio)}×`} (goal ≥ ${goal}×${band}) -> ${ratio === null ? 'n/a' : ratio >= goal * (1 - noise) ? 'PASS' : 'FAIL'}`);
  };
  const ratio = (w: string | undefined, than: string, tool = 'ours, default jobs'): number | null => {
    if (w === undefined) return null;
    const o = pick(w, tool), p = pick(w, than);
    return o && p ? p.median.seconds / o.median.seconds : null;
  };
  const [a, b, c] = [workloads.find((w) => w.includes('CT slices')), workloads.find((w) => w.includes('corpus')), workloads.find((w) => w.includes('multi-frame'))];
  verdict('(a) small files: faster than gdcmanon -e by', ratio(a, 'gdcmanon -e'), 3);
  verdict('(b) corpus: faster than gdcmanon -e by', ratio(b, 'gdcmanon -e'), 1.2);
  verdict('(c) big file: as fast as cp -r', ratio(c, 'cp -r'), 1);
  // "Never slower than -j1": where the pool decides on one thread (the corpus, one big file) both rows run the same
  // code on the main thread and differ by noise only, so a difference under NOISE is not counted as slower.
  for (const w of workloads) verdict(`default jobs vs -j1, ${w}`, ratio(w, 'ours -j1'), 1, NOISE);
  if (c) {
    const rss = Math.max(...rows.filter((r) => r.workload === c && r.tool.startsWith('ours')).map((r) => r.median.rssKB / 1024));
    console.log(`  (c) peak RSS of ours: ${fmt(rss, 0)} MB (goal < 300) -> ${rss < 300 ? 'PASS' : 'FAIL'}`);
  }
  console.log('\nWall-time ratios compare runs made one after another on the same machine; with other work running, trust the CPU columns more.');
}

main();
