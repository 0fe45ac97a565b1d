// The gateway's throughput and memory (in npm run bench): the corpus's readable instances sent by storescu through
// `dicom-anonymizer serve` (built, from dist/) to storescp, beside Orthanc doing the same job on the same instances
// (/instances/{id}/anonymize over REST, two requests at a time for two cores). Instances per second from the first
// C-STORE to the last forward (gateway) or over all anonymize calls (Orthanc, instances uploaded first, not timed);
// peak RSS of each server (VmHWM). Everything runs inside a network namespace of its own (unshare -rn): storescp and
// Orthanc listen on every address. A measurement script, not a test.
//
//   npx tsx scripts/bench-gateway.ts [--limit N]     (needs dcmtk, orthanc, unshare; the corpus at ../shared/corpus)

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDicomFile } from '../src/dicom/part10.js';
import { readGatewayStatus } from '../src/records/index.js';
import { isMain } from './is-main.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(process.env.DICOM_CORPUS_DIR ?? join(REPO, '..', 'shared', 'corpus'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const peakRss = (pid: number): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? 0) / 1024;

/**
 * storescu proposes only the syntaxes its options name (and converts a file to an uncompressed one it can): the option
 * that keeps each file's own transfer syntax (by the manifest's name of it).
 */
const STORESCU_SYNTAX: Readonly<Record<string, string>> = {
  'Explicit VR Little Endian': '-xe', 'Implicit VR Little Endian': '-xi', 'Explicit VR Big Endian': '-xb', 'Deflated Explicit VR Little Endian': '-xd',
  'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])': '-xs', 'JPEG 2000 Image Compression (Lossless Only)': '-xv',
  'JPEG 2000 Image Compression': '-xw', 'JPEG-LS Lossless Image Compression': '-xt', 'JPEG-LS Lossy (Near-Lossless) Image Compression': '-xu',
  'RLE Lossless': '-xr', 'JPEG Baseline (Process 1)': '-xy', 'JPEG Extended (Process 2 and 4)': '-xx',
};

/** Corpus files with a file meta group that our reader reads, in a syntax storescu can send as it is; by storescu option. */
function readableInstances(limit: number): Map<string, string[]> {
  const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { path: string; meta: boolean; dcmdump: string; ts: string }[];
  const groups = new Map<string, string[]>();
  let count = 0;
  for (const e of manifest) {
    const option = STORESCU_SYNTAX[e.ts];
    if (!e.meta || e.dcmdump === 'FAIL' || option === undefined || count >= limit) continue;
    try {
      readDicomFile(join(CORPUS, e.path)).close();
    } catch {
      continue; // not readable by the tool: not part of the comparison
    }
    groups.set(option, [...(groups.get(option) ?? []), join(CORPUS, e.path)]);
    count++;
  }
  return groups;
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

async function inNamespace(limit: number): Promise<void> {
  const groups = readableInstances(limit);
  const files = [...groups.values()].flat();
  const work = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
  const children: ChildProcess[] = [];
  const start = (cmd: string, args: string[]): ChildProcess => {
    const c = spawn(cmd, args, { stdio: 'ignore', env: { ...process.env, TCP_NODELAY: '1' } });
    children.push(c);
    return c;
  };
  try {
    const [gwPort, scpPort, httpPort, orthancPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    mkdirSync(join(work, 'scp'));
    start('storescp', ['+xa', '-aet', 'SCP', '-od', join(work, 'scp'), String(scpPort)]);
    writeFileSync(join(work, 'k.key'), Buffer.from('bench gateway key 0123456789abcdef'), { mode: 0o600 });
    const status = join(work, 'status.json');
    const gateway = start(process.execPath, [join(REPO, 'dist', 'launch', 'cli.js'), 'serve', '--listen', `127.0.0.1:${gwPort}`, '--ae-title', 'GW', '--allow', 'SCU',
      '--spool', join(work, 'spool'), '--key-file', join(work, 'k.key'), '--status-file', status, '--status-every', '0', '--attempts', '2', '--retry-seconds', '0.5', '--forward', `dicom://SCP@127.0.0.1:${scpPort}`]);
    await sleep(1500);
    const t0 = process.hrtime.bigint();
    for (const [option, group] of groups) {
      const sender = start('storescu', ['-R', '-nh', option, '-aet', 'SCU', '-aec', 'GW', '127.0.0.1', String(gwPort), ...group]);
      await new Promise((r) => sender.once('close', r));
    }
    const done = (): boolean => {
      if (!existsSync(status)) return false;
      const s = readGatewayStatus(status);
      return s.received > 0 && s.queued === 0;
    };
    while (!done()) await sleep(20);
    const gatewaySeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const counts = readGatewayStatus(status);
    const gatewayRss = peakRss(gateway.pid!);

    // Orthanc on the same instances: uploaded (not timed), then anonymized by its REST API.
    const dir = join(work, 'orthanc');
    mkdirSync(dir);
    writeFileSync(join(dir, 'o.json'), JSON.stringify({ StorageDirectory: join(dir, 'db'), IndexDirectory: join(dir, 'db'), HttpPort: httpPort, DicomPort: orthancPort,
      RemoteAccessAllowed: false, AuthenticationEnabled: false, StorageCompression: false }));
    const orthanc = start('Orthanc', [join(dir, 'o.json')]);
    const http = `http://127.0.0.1:${httpPort}`;
    while (!(await fetch(`${http}/system`).then((r) => r.ok, () => false))) await sleep(50);
    const ids: string[] = [];
    for (const f of files) {
      const r = await fetch(`${http}/instances`, { method: 'POST', body: readFileSync(f) });
      if (r.ok) ids.push(((await r.json()) as { ID: string }).ID);
    }
    const t1 = process.hrtime.bigint();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const id = ids[next++];
        await (await fetch(`${http}/instances/${id}/anonymize`, { method: 'POST', body: '{}' })).arrayBuffer();
      }
    };
    await Promise.all([worker(), worker()]);
    const orthancSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
    const orthancRss = peakRss(orthanc.pid!);
    const gatewayRate = counts.forwarded / gatewaySeconds;
    const orthancRate = ids.length / orthancSeconds;
    console.log(`gateway (storescu -> serve -> storescp): ${files.length} instances sent, ${counts.forwarded} forwarded, ${counts.quarantined} quarantined, ${counts.failed} failed in ${gatewaySeconds.toFixed(2)} s: ${gatewayRate.toFixed(1)} instances/s, peak RSS ${gatewayRss.toFixed(0)} MB`);
    console.log(`Orthanc /instances/{id}/anonymize: ${ids.length} instances in ${orthancSeconds.toFixed(2)} s: ${orthancRate.toFixed(1)} instances/s, peak RSS ${orthancRss.toFixed(0)} MB`);
    console.log(`ratio (gateway / Orthanc, instances/s): ${(gatewayRate / orthancRate).toFixed(2)}x`);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
}

if (!isMain(import.meta.url)) throw new Error('bench-gateway.ts is a script, not a module');
const limitAt = process.argv.indexOf('--limit');
const limit = limitAt > 0 ? Number(process.argv[limitAt + 1]) : Infinity;
if (process.env.BENCH_GATEWAY_IN_NAMESPACE === '1') {
  await inNamespace(limit);
} else if (!existsSync(join(CORPUS, 'manifest.json'))) {
  console.log(`bench-gateway: skipped (no corpus at ${CORPUS})`);
} else if (spawnSync('storescu', ['--version']).error || spawnSync('Orthanc', ['--version']).error) {
  console.log('bench-gateway: skipped (needs dcmtk and orthanc: apt-get install dcmtk orthanc)');
} else {
  const r = spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, BENCH_GATEWAY_IN_NAMESPACE: '1' } });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}
