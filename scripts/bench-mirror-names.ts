// Cost of the mirror layout's header pre-pass (src/batch/mirror-names.ts: every input's header read once more, before
// any file is written, to decide which folder and file names to rename; here on one thread, mirrorNames()), over
//   (a) 10,000 generated small CT/MR slices (scripts/make-examples.ts buildSlice, as scripts/bench-batch.ts makes them),
//       in folders named after their patients (`SMITH_JOHN_MRN123456/19580312_CT/d000/img-00000.dcm`);
//   (b) ../shared/corpus as it is (712 files; skipped when absent).
// Discovery and the pre-pass are timed separately, three times each; the median is printed: wall seconds, and µs of
// CPU (user + system) per file, which a busy machine disturbs less. For scale, a full parse of every input (what a
// worker does first) is timed the same way. A measurement script, not a test.
//
//   npx tsx scripts/bench-mirror-names.ts [--files N] [--tmp DIR] [--no-build]
// The measured code is the built dist/ (as the CLI runs it; built first unless --no-build): under tsx every import
// of a module goes through a getter, which weighs on a loop of small reads.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { writeDicomFile } from '../src/files/dicom-output.js';
import { buildSlice, CT_STUDY, exampleUid, MR_STUDY, PATIENT_1, PATIENT_2 } from './make-examples.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS_DIR = resolve(REPO_ROOT, '..', 'shared', 'corpus');
if (!process.argv.includes('--no-build')) {
  const built = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (built.status !== 0) process.exit(1);
}
const dist = (module: string): string => pathToFileURL(join(REPO_ROOT, 'dist', module)).href;
const { Keys } = await import(dist('anonymize/keys.js')) as typeof import('../src/anonymize/keys.js');
const { mirrorNames } = await import(dist('batch/mirror-names.js')) as typeof import('../src/batch/mirror-names.js');
const { discoverInputs } = await import(dist('files/discover.js')) as typeof import('../src/files/discover.js');
const { readDicomFile } = await import(dist('dicom/part10.js')) as typeof import('../src/dicom/part10.js');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const count = Number(arg('--files') ?? 10_000);
const keys = Keys.fromSecret('bench-mirror-names-key-0123456789');

function generate(dest: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const ct = i % 2 === 0;
    const patient = ct ? PATIENT_1 : PATIENT_2;
    const top = `${patient.name.replace(/\^/g, '_')}_${patient.id}`;
    const dir = join(dest, top, `${patient.birthDate}_${ct ? 'CT' : 'MR'}`, `d${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0 || i % 100 === 1) mkdirSync(dir, { recursive: true });
    const file = buildSlice({
      patient, study: ct ? CT_STUDY : MR_STUDY, modality: ct ? 'CT' : 'MR', index: (i % 50) + 1,
      firstSopInstanceUid: exampleUid(`bench-mirror/${ct ? 'ct' : 'mr'}/first`), sopInstanceUid: exampleUid(`bench-mirror/${i}`),
      rows: 64, columns: 64, seed: i,
    });
    writeDicomFile(file, join(dir, `img-${String(i).padStart(5, '0')}.dcm`));
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall seconds and CPU µs (user + system) of `work`. */
function timed(work: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  work();
  const c = process.cpuUsage(c0);
  return { wall: Number(process.hrtime.bigint() - t0) / 1e9, cpu: c.user + c.system };
}

function measure(label: string, root: string): void {
  const discovery: number[] = [], wall: number[] = [], cpu: number[] = [], parseCpu: number[] = [];
  let files = 0, renamed = 0, unreadable = 0;
  for (let run = 0; run < 3; run++) {
    let found: { path: string; relativePath: string }[] = [];
    discovery.push(timed(() => { found = discoverInputs(root, { recursive: true, sniff: false, sizes: false }).files; }).wall);
    let names: ReturnType<typeof mirrorNames> | undefined;
    const t = timed(() => { names = mirrorNames(keys, found); });
    wall.push(t.wall);
    cpu.push(t.cpu);
    parseCpu.push(timed(() => {
      for (const f of found) {
        try { readDicomFile(f.path).close(); } catch { /* unreadable */ }
      }
    }).cpu);
    files = found.length;
    unreadable = names!.unreadable;
    renamed = found.filter((f) => names!.outputRelativePath(f.relativePath) !== f.relativePath.split(/[\\/]/).join('/')).length;
  }
  const perFile = (us: number): string => (us / Math.max(files, 1)).toFixed(0);
  console.log(`${label}: ${files} files (${renamed} with a renamed component, ${unreadable} unreadable headers)\n` +
    `  discovery ${median(discovery).toFixed(3)} s; header pre-pass ${median(wall).toFixed(3)} s wall, ${perFile(median(cpu))} µs CPU per file; ` +
    `a full parse of each input: ${perFile(median(parseCpu))} µs CPU per file (medians of 3)`);
}

const work = mkdtempSync(join(arg('--tmp') ?? tmpdir(), 'bench-mirror-names-'));
try {
  process.stdout.write(`generating ${count} small files… `);
  generate(join(work, 'small'), count);
  console.log('done');
  measure(`(a) ${count} small files`, join(work, 'small'));
  if (existsSync(CORPUS_DIR)) measure('(b) ../shared/corpus', CORPUS_DIR);
  else console.log('(b) ../shared/corpus: absent, skipped');
} finally {
  rmSync(work, { recursive: true, force: true });
}
