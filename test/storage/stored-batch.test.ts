// The storage port's contract (helpers/store-contract.ts) over moto's S3 server and Azurite, started here once each
// on 127.0.0.1 (a multipart upload, the cleanup of an abandoned one), and batches over them: four shards over a
// bucket give objects byte-identical to one local run of the same files, with the same names (identifying folders
// renamed alike); an object that vanishes after the listing is a failed file in the report, not a crash; kill -9 of
// a shard's process and its rerun with --skip-existing give the same bucket, no partial object, no upload left open.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { basicProfilePlan } from '../../src/config/load.js';
import { runBatch } from '../../src/batch/run.js';
import { runStoredBatch } from '../../src/batch/stored-run.js';
import { mergeShards } from '../../src/batch/merge.js';
import { parseLocation } from '../../src/storage/location.js';
import { openStore } from '../../src/storage/open.js';
import type { ObjectStore } from '../../src/storage/port.js';
import { forEachBounded } from '../../src/storage/bounded.js';
import { filesBelow } from '../helpers/tree.js';
import { bytesOf, contract } from '../helpers/store-contract.js';
import { readRunReport } from '../../src/records/index.js';
import { KEY_TEXT, makeTree } from '../helpers/stored-tree.js';
import { azuriteProblem, motoProblem, skipUnless, startAzurite, startMoto, type RunningServer } from '../helpers/object-servers.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(REPO, 'src', 'cli', 'main.ts');
const SECRET = { kind: 'text', text: KEY_TEXT } as const;

async function uploadTree(store: ObjectStore, root: string): Promise<void> {
  for (const rel of filesBelow(root)) await store.write(rel.split('\\').join('/'), Readable.from([readFileSync(join(root, rel))]));
}

async function storedObjects(store: ObjectStore): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for await (const o of store.list(true)) {
    const chunks: Buffer[] = [];
    for await (const c of await store.read(o.name)) chunks.push(c as Buffer);
    out.set(o.name, Buffer.concat(chunks));
  }
  return out;
}

function localObjects(root: string): Map<string, Buffer> {
  return new Map(filesBelow(root).map((rel) => [rel.split('\\').join('/'), readFileSync(join(root, rel))]));
}

function assertSameObjects(got: Map<string, Buffer>, want: Map<string, Buffer>, what: string): void {
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `${what}: the same names`);
  for (const [name, bytes] of want) assert.ok(got.get(name)!.equals(bytes), `${what}: ${name} byte-identical`);
}

let work: string;
let tree: string;
let reference: Map<string, Buffer>;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'dicomanon-stored-'));
  tree = join(work, 'tree');
  makeTree(tree);
  await runBatch({ input: tree, output: join(work, 'local-out'), mappingDir: join(work, 'local-map'), recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, log: () => {} });
  reference = localObjects(join(work, 'local-out'));
  assert.ok([...reference.keys()].some((n) => n.startsWith('anon-')), 'the identifying folder was renamed in the local run');
  assert.equal(reference.size, 12);
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Four shards of one batch, in this process, from `input` to `output` (URLs). */
async function fourShards(input: string, output: string, extra: { reportOf?: (k: number) => string; mappingOf?: (k: number) => string } = {}): Promise<void> {
  for (let k = 0; k < 4; k++) {
    const s = await runStoredBatch({
      input, output, recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, shard: { index: k, count: 4 }, log: () => {},
      ...(extra.reportOf ? { reportPath: extra.reportOf(k) } : {}),
      ...(extra.mappingOf ? { mappingDir: extra.mappingOf(k) } : {}),
    });
    assert.equal(s.failed, 0, `shard ${k}: no failure`);
  }
}

describe('S3 (moto)', { skip: skipUnless(motoProblem()) }, () => {
  let moto: RunningServer;
  before(async () => {
    moto = await startMoto();
    Object.assign(process.env, moto.env);
    const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ forcePathStyle: true });
    for (const b of ['inputs', 'outputs', 'contract']) await client.send(new CreateBucketCommand({ Bucket: b }));
    client.destroy();
    await uploadTree(await openStore(parseLocation('s3://inputs/tree')), tree);
  });
  after(async () => moto?.stop());

  test('the contract, metadata kept', async () => {
    const store = await openStore(parseLocation('s3://contract/some/prefix'));
    await contract(store);
    assert.deepEqual((await store.head('a/b/c.dcm'))?.metadata, { dcmanonfp: 'f1' });
  });

  test('a 20 MiB object goes up in parts and comes back identical; an abandoned multipart upload is aborted', async () => {
    const store = await openStore(parseLocation('s3://contract/some/prefix'));
    const big = Buffer.alloc(20 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    await store.write('big.bin', Readable.from((function* () { for (let i = 0; i < big.length; i += 1 << 20) yield big.subarray(i, i + (1 << 20)); })()));
    assert.ok((await bytesOf(await store.read('big.bin'))).equals(big));
    const { S3Client, CreateMultipartUploadCommand, ListMultipartUploadsCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await client.send(new CreateMultipartUploadCommand({ Bucket: 'contract', Key: 'some/prefix/killed.dcm' }));
    await client.send(new CreateMultipartUploadCommand({ Bucket: 'contract', Key: 'some/prefix/other-shard.dcm' }));
    assert.equal(await store.cleanAbandonedWrites(new Set(['killed.dcm'])), 1);
    const left = await client.send(new ListMultipartUploadsCommand({ Bucket: 'contract' }));
    assert.deepEqual((left.Uploads ?? []).map((u) => u.Key), ['some/prefix/other-shard.dcm'], 'only the named key\'s upload is aborted');
    assert.equal(await store.head('killed.dcm'), null);
    client.destroy();
  });

  test('four shards S3 → S3 give the local run\'s objects, byte for byte; the report names s3:// locations; merge gives the local run\'s mapping', async () => {
    await fourShards('s3://inputs/tree', 's3://outputs/anon', { reportOf: (k) => `s3://outputs/reports/shard-${k}.json`, mappingOf: (k) => `s3://outputs/map-${k}` });
    assertSameObjects(await storedObjects(await openStore(parseLocation('s3://outputs/anon'))), reference, 'S3');
    const reports = await storedObjects(await openStore(parseLocation('s3://outputs/reports')));
    const entries = [...reports.values()].flatMap((r) => (JSON.parse(r.toString()) as { files: { input: string; output: string }[] }).files);
    assert.equal(entries.length, 12, 'every input in exactly one shard report');
    assert.ok(entries.every((e) => e.input.startsWith('s3://inputs/tree/') && e.output.startsWith('s3://outputs/anon/')), JSON.stringify(entries[0]));
    const shards = [0, 1, 2, 3];
    const merged = await mergeShards({
      reports: shards.map((k) => `s3://outputs/reports/shard-${k}.json`), mappings: shards.map((k) => `s3://outputs/map-${k}`),
      reportOut: 's3://outputs/merged/report.json', mappingOut: 's3://outputs/merged/mapping',
    });
    assert.deepEqual({ shards: merged.shards, files: merged.files, ok: merged.summary.ok }, { shards: 4, files: 12, ok: 12 });
    const mapping = await storedObjects(await openStore(parseLocation('s3://outputs/merged/mapping')));
    assertSameObjects(mapping, localObjects(join(work, 'local-map')), 'merged mapping');
    await assert.rejects(mergeShards({ reports: shards.slice(1).map((k) => `s3://outputs/reports/shard-${k}.json`) }), /shard 0\/4 missing/);
    await assert.rejects(mergeShards({ reports: [0, 0, 1, 2, 3].map((k) => `s3://outputs/reports/shard-${k}.json`) }), /given twice/);
  });

  test('a report inside the output prefix, or an output inside the input, is refused before anything is written', async () => {
    const run = (extra: { output?: string; reportPath?: string; quarantine?: string }) => runStoredBatch({
      input: 's3://inputs/tree', output: 's3://outputs/refused', recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, log: () => {}, ...extra,
    });
    await assert.rejects(run({ reportPath: 's3://outputs/refused/run.json' }), /--report must not be inside the output/);
    await assert.rejects(run({ quarantine: 's3://outputs/refused/q' }), /--quarantine must not be inside the output/);
    await assert.rejects(run({ output: 's3://inputs/tree/anon' }), /output must not be the input, inside it/);
    assert.equal((await storedObjects(await openStore(parseLocation('s3://outputs/refused')))).size, 0);
  });

  test('outputs that cannot be written (no such bucket) are failed files in the report; the run ends normally', async () => {
    const report = join(work, 'unwritable-report.json');
    const summary = await runStoredBatch({
      input: 's3://inputs/tree', output: 's3://no-such-bucket/anon', reportPath: report, recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, log: () => {},
    });
    assert.deepEqual({ ok: summary.ok, failed: summary.failed }, { ok: 0, failed: 12 });
    const written = readRunReport(report);
    assert.equal(written.summary.failed, 12);
    assert.ok(written.files.every((f) => f.status === 'failed' && f.output === null && /s3:\/\/no-such-bucket\/anon\/.+: could not be written/.test(f.error ?? '')), written.files[0].error);
  });

  test('merge refuses shards made under another key', async () => {
    await runStoredBatch({
      input: 's3://inputs/tree', output: 's3://outputs/other-key', reportPath: 's3://outputs/other-key-report.json', recursive: true,
      plan: basicProfilePlan([]), secret: { kind: 'text', text: 'another-key-0123456789abcdef' }, jobs: 1, shard: { index: 0, count: 4 }, log: () => {},
    });
    await assert.rejects(mergeShards({ reports: ['s3://outputs/other-key-report.json', ...[1, 2, 3].map((k) => `s3://outputs/reports/shard-${k}.json`)] }), /not all made with the same key and Plan/);
  });

  test('an object that vanishes after the listing is a failed file naming its s3:// location; the rest go on', async () => {
    const input = await openStore(parseLocation('s3://inputs/tree'));
    const summary = await runStoredBatch({
      input: 's3://inputs/tree', output: 's3://outputs/vanish', recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, log: () => {},
      reportPath: 's3://outputs/vanish-report.json', auditPath: 's3://outputs/vanish-audit.jsonl',
      afterListing: async (names) => {
        assert.ok(names.includes('GRETA/mr/image-002.dcm'));
        await input.delete('GRETA/mr/image-002.dcm');
      },
    });
    assert.equal(summary.failed, 1);
    assert.equal(summary.ok, 11);
    const report = JSON.parse((await storedObjects(await openStore(parseLocation('s3://outputs')))).get('vanish-report.json')!.toString()) as { files: { input: string; status: string; error?: string }[] };
    const failed = report.files.filter((f) => f.status === 'failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].input, 's3://inputs/tree/GRETA/mr/image-002.dcm');
    assert.match(failed[0].error!, /s3:\/\/inputs\/tree\/GRETA\/mr\/image-002\.dcm: could not be read from storage/);
    const audit = (await storedObjects(await openStore(parseLocation('s3://outputs')))).get('vanish-audit.jsonl')!.toString();
    assert.ok(audit.split('\n').length > 100, 'an audit line per element');
    assert.ok(audit.includes('"s3://inputs/tree/SMITH_JOHN/ct/slice-001.dcm"'), 'the audit names s3:// inputs');
    assert.ok(!audit.includes('dicomanon-stage-') && !report.files.some((f) => f.input.includes('dicomanon-stage-')), 'never the staging folder');
    await input.write('GRETA/mr/image-002.dcm', Readable.from([readFileSync(join(tree, 'GRETA', 'mr', 'image-002.dcm'))]));
  });

  test('kill -9 of a shard\'s process, then its rerun with --skip-existing: the same bucket, no partial object, no open upload', { timeout: 120_000 }, async () => {
    // 150 inputs: their outputs take long enough to write that the kill lands while the run writes them.
    const many = await openStore(parseLocation('s3://inputs/many'));
    const slice = readFileSync(join(tree, 'plain', 'series0', 'img0.dcm'));
    await forEachBounded(Array.from({ length: 150 }, (_, i) => i), 16, (i) => many.write(`s${i % 5}/img${i}.dcm`, Readable.from([slice])));
    const single = join(work, 'many-local');
    const env = { ...process.env, DICOM_ANONYMIZER_KEY: KEY_TEXT };
    const args = ['--import', 'tsx', MAIN, '-i', 's3://inputs/many', '-o', 's3://outputs/killed', '-r', '-q', '--jobs', '1'];
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const out = await openStore(parseLocation('s3://outputs/killed'));
    // Killed as soon as the first output object exists (the run is mid-upload), or after 60 s at most.
    for (let i = 0; i < 600 && child.exitCode === null; i++) {
      let any = false;
      for await (const o of out.list(true)) { any = (o.size ?? 0) >= 0; break; }
      if (any) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const running = child.exitCode === null;
    child.kill('SIGKILL');
    if (running) await new Promise((r) => child.once('exit', r));
    assert.equal(child.signalCode, 'SIGKILL', `the first run was killed before it finished (exit ${child.exitCode}: ${stderr.slice(-1000)})`);
    // The reference: the same inputs run locally in one go.
    mkdirSync(join(single, 'in'), { recursive: true });
    for (let i = 0; i < 150; i++) {
      mkdirSync(join(single, 'in', `s${i % 5}`), { recursive: true });
      writeFileSync(join(single, 'in', `s${i % 5}`, `img${i}.dcm`), slice);
    }
    await runBatch({ input: join(single, 'in'), output: join(single, 'out'), recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, log: () => {} });
    const manyReference = localObjects(join(single, 'out'));
    const partial = await storedObjects(out);
    assert.ok(partial.size < manyReference.size, `killed mid-run: ${partial.size} of ${manyReference.size} objects written`);
    for (const [name, bytes] of partial) assert.ok(manyReference.get(name)?.equals(bytes), `${name}: only complete outputs after kill -9`);
    const rerun = spawn(process.execPath, [...args, '--skip-existing'], { env, stdio: 'ignore' });
    const code = await new Promise((r) => rerun.once('exit', r));
    assert.equal(code, 0);
    assertSameObjects(await storedObjects(out), manyReference, 'after the rerun');
    const { S3Client, ListMultipartUploadsCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ forcePathStyle: true });
    assert.deepEqual((await client.send(new ListMultipartUploadsCommand({ Bucket: 'outputs' }))).Uploads ?? [], []);
    client.destroy();
  });
});

describe('Azure Blob (Azurite)', { skip: skipUnless(azuriteProblem()) }, () => {
  let azurite: RunningServer;
  before(async () => {
    azurite = await startAzurite();
    Object.assign(process.env, azurite.env);
    const { BlobServiceClient } = await import('@azure/storage-blob');
    const service = BlobServiceClient.fromConnectionString(azurite.env.AZURE_STORAGE_CONNECTION_STRING);
    for (const c of ['input', 'output', 'contract']) await service.getContainerClient(c).create();
    await uploadTree(await openStore(parseLocation('az://devstoreaccount1/input/tree')), tree);
  });
  after(async () => {
    delete process.env.AZURE_STORAGE_CONNECTION_STRING;
    await azurite?.stop();
  });

  test('the contract, metadata kept; a 10 MiB blob as committed blocks', async () => {
    const store = await openStore(parseLocation('az://devstoreaccount1/contract/p'), { env: { ...azurite.env } });
    await contract(store);
    assert.deepEqual((await store.head('a/b/c.dcm'))?.metadata, { dcmanonfp: 'f1' });
    const big = Buffer.alloc(10 * 1024 * 1024, 7);
    await store.write('big.bin', Readable.from([big]));
    assert.ok((await bytesOf(await store.read('big.bin'))).equals(big));
  });

  test('a connection string for another account is refused', async () => {
    await assert.rejects(openStore(parseLocation('az://otheraccount/c/p'), { env: { ...azurite.env } }), /not "otheraccount"/);
  });

  test('four shards Azure → Azure give the local run\'s blobs, byte for byte', async () => {
    await fourShards('az://devstoreaccount1/input/tree', 'az://devstoreaccount1/output/anon');
    assertSameObjects(await storedObjects(await openStore(parseLocation('az://devstoreaccount1/output/anon'))), reference, 'Azure');
  });
});
