// A DICOMweb input's throughput and memory (in npm run bench): the corpus's readable instances stored in Orthanc (by
// its REST API, not timed), then `dicom-anonymizer -i dicomweb+http://… --qido ""` (every study, QIDO-RS listing and
// one WADO-RS request per instance, streamed through the storage port) into a folder, beside the same command on the
// same files from a local folder: instances per second and peak RSS (GNU time's %M) of each run, and their ratio.
// Everything runs inside a network namespace of its own (unshare -rn): Orthanc listens on every address. The command
// is the built one (dist/). A measurement script, not a test.
//
//   npx tsx scripts/bench-dicomweb.ts [--limit N]     (needs orthanc, orthanc-dicomweb, unshare; the corpus at ../shared/corpus)

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDicomFile } from '../src/dicom/part10.js';
import { isMain } from './is-main.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(process.env.DICOM_CORPUS_DIR ?? join(REPO, '..', 'shared', 'corpus'));
const ORTHANC_DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Corpus files with a file meta group that our reader reads (as bench-gateway.ts picks them). */
function readableInstances(limit: number): string[] {
  const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { path: string; meta: boolean; dcmdump: string }[];
  const out: string[] = [];
  for (const e of manifest) {
    if (!e.meta || e.dcmdump === 'FAIL' || out.length >= limit) continue;
    try {
      readDicomFile(join(CORPUS, e.path)).close();
    } catch {
      continue;
    }
    out.push(join(CORPUS, e.path));
  }
  return out;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => done(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Runs the built command under GNU time: its exit code, wall seconds and peak RSS in MB. */
function timedCli(args: string[]): { code: number; seconds: number; rssMb: number; output: string } {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, join(REPO, 'dist', 'launch', 'cli.js'), ...args], { encoding: 'utf8' });
  const m = /TIME ([\d.]+) (\d+)/.exec(r.stderr);
  return { code: r.status ?? -1, seconds: Number(m?.[1] ?? NaN), rssMb: Number(m?.[2] ?? NaN) / 1024, output: r.stderr.slice(-2000) };
}

const countFiles = (dir: string): number =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).length : 0;

async function inNamespace(limit: number): Promise<void> {
  const files = readableInstances(limit);
  const work = mkdtempSync(join(tmpdir(), 'bench-dicomweb-'));
  const children: ChildProcess[] = [];
  try {
    const [httpPort, dicomPort] = [await freePort(), await freePort()];
    const dir = join(work, 'orthanc');
    mkdirSync(dir);
    writeFileSync(join(dir, 'o.json'), JSON.stringify({ StorageDirectory: join(dir, 'db'), IndexDirectory: join(dir, 'db'), HttpPort: httpPort, DicomPort: dicomPort,
      RemoteAccessAllowed: false, AuthenticationEnabled: false, StorageCompression: false, Plugins: [ORTHANC_DICOMWEB_PLUGIN], DicomWeb: { Enable: true, Root: '/dicom-web/' } }));
    const orthanc = spawn('Orthanc', [join(dir, 'o.json')], { stdio: 'ignore' });
    children.push(orthanc);
    const http = `http://127.0.0.1:${httpPort}`;
    const until = Date.now() + 30_000;
    while (!(await fetch(`${http}/system`).then((r) => r.ok, () => false))) {
      if (Date.now() > until) throw new Error('Orthanc did not start');
      await sleep(50);
    }
    // The same instances on both sides: those Orthanc stored (one per SOP Instance UID), in a local folder too.
    const local = join(work, 'local');
    mkdirSync(local);
    let stored = 0;
    for (const [i, f] of files.entries()) {
      const r = await fetch(`${http}/instances`, { method: 'POST', body: readFileSync(f) });
      const answer = r.ok ? ((await r.json()) as { Status?: string }) : (await r.arrayBuffer(), null);
      if (answer?.Status !== 'Success') continue; // refused, or a copy of a SOP Instance UID already stored
      copyFileSync(f, join(local, `${String(i).padStart(5, '0')}.dcm`));
      stored++;
    }
    writeFileSync(join(work, 'k.key'), Buffer.from('bench dicomweb key 0123456789abcdef'), { mode: 0o600 });
    const common = ['--key-file', join(work, 'k.key'), '-q'];
    const web = timedCli(['-i', `dicomweb+${http}/dicom-web`, '--qido', '', '-o', join(work, 'web-out'), '--quarantine', join(work, 'web-q'), ...common]);
    const folder = timedCli(['-i', local, '-r', '-o', join(work, 'local-out'), '--quarantine', join(work, 'local-q'), ...common]);
    const webDone = countFiles(join(work, 'web-out')) + countFiles(join(work, 'web-q'));
    const folderDone = countFiles(join(work, 'local-out')) + countFiles(join(work, 'local-q'));
    if (webDone !== folderDone) console.log(`bench-dicomweb: the DICOMweb run wrote ${webDone} files, the folder run ${folderDone} (exit ${web.code}: ${web.output})`);
    const webRate = webDone / web.seconds;
    const folderRate = folderDone / folder.seconds;
    console.log(`DICOMweb input (QIDO-RS + WADO-RS per instance, Orthanc): ${stored} instances, ${webDone} written in ${web.seconds.toFixed(2)} s: ${webRate.toFixed(1)} instances/s, peak RSS ${web.rssMb.toFixed(0)} MB`);
    console.log(`local folder input, same files: ${folderDone} written in ${folder.seconds.toFixed(2)} s: ${folderRate.toFixed(1)} instances/s, peak RSS ${folder.rssMb.toFixed(0)} MB`);
    console.log(`ratio (DICOMweb / folder): ${(webRate / folderRate).toFixed(2)}x instances/s, ${(web.rssMb / folder.rssMb).toFixed(2)}x peak RSS`);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
}

if (!isMain(import.meta.url)) throw new Error('bench-dicomweb.ts is a script, not a module');
const limitAt = process.argv.indexOf('--limit');
const limit = limitAt > 0 ? Number(process.argv[limitAt + 1]) : Infinity;
if (process.env.BENCH_DICOMWEB_IN_NAMESPACE === '1') {
  await inNamespace(limit);
} else if (!existsSync(join(CORPUS, 'manifest.json'))) {
  console.log(`bench-dicomweb: skipped (no corpus at ${CORPUS})`);
} else if (spawnSync('Orthanc', ['--version']).error || !existsSync(ORTHANC_DICOMWEB_PLUGIN) || !existsSync('/usr/bin/time')) {
  console.log('bench-dicomweb: skipped (needs orthanc, orthanc-dicomweb and GNU time: apt-get install orthanc orthanc-dicomweb time)');
} else if (!existsSync(join(REPO, 'dist', 'launch', 'cli.js'))) {
  console.log('bench-dicomweb: skipped (run npm run build first)');
} else {
  const r = spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, BENCH_DICOMWEB_IN_NAMESPACE: '1' } });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}
