// Object storage against local folders, through the installed command (node dist/launch/cli.js) and moto's S3
// server started here on 127.0.0.1. A measurement script, not a test; it prints three results:
//   (1) 10,000 small objects S3 → S3 against the same files local → local: objects/s and the ratio;
//   (2) one ~1 GB object S3 → S3, streamed (GET to disk, multipart upload): the command's peak RSS (< 300 MB); the
//       generated multi-frame file is at risk of burned-in text, so --burned-in keep delivers it (no OCR loaded);
//   (3) header bytes read per shard at 10 shards over 100,000 inputs: `scan` (each shard reads its own inputs'
//       header windows) against a shard that reads every input's header window (the run without --names), counted
//       by the code that reads them (scanNames' headerBytes). The 100,000 inputs are local files read through the
//       storage port (LocalFolderStore: same ranged reads), as uploading 100,000 objects into moto takes longer than
//       the bench; (1)'s 10,000 objects are also scanned in moto at 10 shards, to show the same figure over S3.
//
//   npx tsx scripts/bench-storage.ts [--quick] [--tmp DIR] [--no-build] [--only-headers [--inputs DIR]]
//   --quick: 1,000 small objects, a 128 MiB object, 10,000 inputs for (3)
//   --only-headers: (3) over local inputs only; --inputs DIR: over DIR's files instead of generating them
//
// Needs moto_server (moto 5.2.1) and /usr/bin/time. Every command runs under /usr/bin/time once (the S3 runs are
// dominated by moto, a single-threaded Python server: the ratio says what a local emulator costs, not what S3 does).

import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMeasured } from './bench-measure.js';
import { generateBigFile, generateSmallFiles } from './bench-workloads.js';
import { scanNames, HEADER_WINDOW_BYTES } from '../src/batch/name-digests.js';
import { forEachBounded } from '../src/storage/bounded.js';
import { parseLocation } from '../src/storage/location.js';
import { openStore } from '../src/storage/open.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist', 'launch', 'cli.js');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const tmpAt = args.indexOf('--tmp');
const scratch = mkdtempSync(join(tmpAt >= 0 ? args[tmpAt + 1] : tmpdir(), 'dicomanon-bench-storage-'));
const SMALL = quick ? 1_000 : 10_000;
const BIG_FRAMES = quick ? 32 : 240; // 4 MiB frames: 128 MiB or ~1 GB
const MANY = quick ? 10_000 : 100_000;
const SHARDS = 10;
const KEY = 'bench-storage key, not a secret';

/** Every file below `root`, sorted (find: 100,000 files without a deep recursion here). */
function filesBelow(root: string): string[] {
  return spawnSync('find', [root, '-type', 'f'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout.split('\n').filter((l) => l !== '').sort();
}

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/** (3) over local files: header bytes per shard with scan, against every input's header window without it. */
async function headerBytesPerShard(many: string): Promise<void> {
  const secret = { kind: 'text', text: KEY } as const;
  const inputs = filesBelow(many);
  const all = inputs.reduce((t, f) => t + Math.min(statSync(f).size, HEADER_WINDOW_BYTES), 0);
  const per: number[] = [];
  const names = join(scratch, 'names');
  for (let k = 0; k < SHARDS; k++) per.push((await scanNames({ input: many, recursive: true, shard: { index: k, count: SHARDS }, secret, names, requests: 32 })).headerBytes);
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  const mean = per.reduce((a, b) => a + b, 0) / per.length;
  console.log(`(3) header bytes read per shard, ${SHARDS} shards over ${inputs.length} inputs (storage port over local files)`);
  console.log(`  with scan: min ${mb(Math.min(...per))}, max ${mb(Math.max(...per))}, mean ${mb(mean)} per shard, plus ${SHARDS} digest files of ${statSync(join(names, `names-0-of-${SHARDS}.json`)).size} bytes`);
  console.log(`  without --names every shard reads every input's header window: ${mb(all)} (x${(all / mean).toFixed(1)})`);
}

async function main(): Promise<void> {
  if (args.includes('--only-headers')) {
    const at = args.indexOf('--inputs');
    const many = at >= 0 ? args[at + 1] : join(scratch, 'many');
    if (at < 0) generateSmallFiles(many, MANY);
    try {
      await headerBytesPerShard(many);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    return;
  }
  if (!args.includes('--no-build')) spawnSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'inherit' });
  const port = await freePort();
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1', DICOM_ANONYMIZER_KEY: KEY };
  Object.assign(process.env, env);
  try {
    for (let i = 0; i < 300; i++) {
      try { await fetch(`${endpoint}/moto-api/`); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ forcePathStyle: true });
    await client.send(new CreateBucketCommand({ Bucket: 'bench' }));
    client.destroy();

    // (1) small objects
    const small = join(scratch, 'small');
    generateSmallFiles(small, SMALL);
    const files = filesBelow(small);
    const store = await openStore(parseLocation('s3://bench/small'));
    const t0 = process.hrtime.bigint();
    await forEachBounded(files, 32, (f) => store.write(relative(small, f), createReadStream(f), { size: statSync(f).size }));
    const uploadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const local = runMeasured(process.execPath, [CLI, '-i', small, '-o', join(scratch, 'small-out'), '-r', '-q'], scratch, REPO, env);
    const s3 = runMeasured(process.execPath, [CLI, '-i', 's3://bench/small', '-o', 's3://bench/small-out', '-r', '-q'], scratch, REPO, env);
    const row = (name: string, c: { seconds: number; cpuSeconds: number; rssKB: number; status: number | null }): string =>
      `  ${name.padEnd(26)} ${(SMALL / c.seconds).toFixed(0).padStart(7)} objects/s  ${c.seconds.toFixed(1).padStart(6)} s  CPU ${c.cpuSeconds.toFixed(1).padStart(6)} s  RSS ${(c.rssKB / 1024).toFixed(0).padStart(5)} MB  exit ${c.status}`;
    console.log(`(1) ${SMALL} small objects (${(files.reduce((t, f) => t + statSync(f).size, 0) / SMALL / 1024).toFixed(1)} KiB each; uploading them into moto first: ${(SMALL / uploadSeconds).toFixed(0)} PUT/s)`);
    console.log(row('local -> local', local));
    console.log(row('S3 -> S3 (moto)', s3));
    console.log(`  ratio S3/local: ${(local.seconds / s3.seconds).toFixed(2)} of local objects/s`);

    // (2) one big object, streamed
    const big = join(scratch, 'big');
    const { bytes } = generateBigFile(big, BIG_FRAMES);
    const bigStore = await openStore(parseLocation('s3://bench/big'));
    await bigStore.write('big.dcm', createReadStream(join(big, 'big.dcm')), { size: bytes });
    rmSync(big, { recursive: true, force: true });
    const bigRun = runMeasured(process.execPath, [CLI, '-i', 's3://bench/big', '-o', 's3://bench/big-out', '-r', '-q', '--burned-in', 'keep'], scratch, REPO, env);
    const out = await (await openStore(parseLocation('s3://bench/big-out'))).head('big.dcm');
    console.log(`(2) one ${(bytes / 1e6).toFixed(0)} MB object S3 -> S3: ${bigRun.seconds.toFixed(1)} s, peak RSS ${(bigRun.rssKB / 1024).toFixed(0)} MB (target < 300 MB), output ${((out?.size ?? 0) / 1e6).toFixed(0)} MB, exit ${bigRun.status}`);

    // (3) header bytes per shard
    const secret = { kind: 'text', text: KEY } as const;
    const scanOf = async (input: string, names: string): Promise<number[]> => {
      const per: number[] = [];
      for (let k = 0; k < SHARDS; k++) per.push((await scanNames({ input, recursive: true, shard: { index: k, count: SHARDS }, secret, names, requests: 32 })).headerBytes);
      return per;
    };
    const s3Scan = await scanOf('s3://bench/small', 's3://bench/names');
    rmSync(small, { recursive: true, force: true });
    rmSync(join(scratch, 'small-out'), { recursive: true, force: true });
    const many = join(scratch, 'many');
    generateSmallFiles(many, MANY);
    await headerBytesPerShard(many);
    const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
    const stats = (xs: number[]): string => `min ${mb(Math.min(...xs))}, max ${mb(Math.max(...xs))}, mean ${mb(xs.reduce((a, b) => a + b, 0) / xs.length)}`;
    console.log(`  ${SMALL} objects in moto: scan ${stats(s3Scan)} per shard`);
  } finally {
    moto.kill('SIGTERM');
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
