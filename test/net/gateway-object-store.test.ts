// dicom-anonymizer serve forwarding to an S3 bucket (moto, on 127.0.0.1) and a folder at once: storescu sends real
// instances; every object is byte-identical to the folder destination's file of the same name, carries the run
// fingerprint, and no upload is left open. A restart whose S3 journal is gone (a gateway killed between the upload
// and the journal line) with the same instances sent again uploads nothing again (the bucket keeps versions: one each).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readGatewayStatus } from '../../src/records/index.js';
import { freePort, motoProblem, skipUnless, startMoto } from '../helpers/object-servers.js';
import { IN_CI } from '../helpers/tools.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLES = ['ct/slice-001.dcm', 'ct/slice-002.dcm', 'ct/slice-003.dcm', 'mr/image-001.dcm', 'mr/image-002.dcm'].map((rel) => join(REPO, 'examples', rel));
const BUCKET = 'gateway';
const PREFIX = 'anon/out';

function problem(): string | null {
  const storescu = spawnSync('storescu', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (storescu.status !== 0) return `storescu (dcmtk) is not installed: ${storescu.error?.message ?? storescu.stderr.slice(0, 200)}`;
  return motoProblem();
}
const why = problem();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const exited = (c: ChildProcess): Promise<number> => new Promise((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('close', (code) => r(code ?? -1))));

async function waitFor(what: string, check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (let i = 0; i < 2000 && Date.now() < until; i++) {
    if (check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('serve --forward s3://… and a folder: the same bytes under the same names, complete, with the fingerprint; a restart uploads nothing again', { skip: skipUnless(why), timeout: 90_000 }, async () => {
  if (why !== null && IN_CI) assert.fail(why);
  const work = mkdtempSync(join(tmpdir(), 'gateway-s3-test-'));
  const moto = await startMoto();
  const children: ChildProcess[] = [];
  try {
    const { S3Client, CreateBucketCommand, PutBucketVersioningCommand, ListObjectVersionsCommand, ListMultipartUploadsCommand, GetObjectCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // Versioned: an object written twice keeps two versions, so a re-upload of the same bytes shows.
    await client.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));

    const keyFile = join(work, 'k.key');
    writeFileSync(keyFile, Buffer.from('gateway object store test key 0123456789'), { mode: 0o600 });
    const spool = join(work, 'spool');
    const folder = join(work, 'folder');
    const statusFile = join(work, 'status.json');
    const port = await freePort();
    const logs: string[] = [];
    // The endpoint comes from --s3-endpoint only (not the environment), so the flag is what is tested.
    const serveEnv: NodeJS.ProcessEnv = { ...process.env, ...moto.env };
    delete serveEnv.AWS_ENDPOINT_URL_S3;
    delete serveEnv.AWS_ENDPOINT_URL;
    const serve = (): ChildProcess => {
      const child = spawn(process.execPath, [
        '--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), 'serve', '--listen', `127.0.0.1:${port}`, '--ae-title', 'GW', '--allow', 'SCU@127.0.0.1',
        '--spool', spool, '--key-file', keyFile, '-j', '1', '--status-file', statusFile, '--status-every', '0', '--retry-seconds', '0.2', '--attempts', '3',
        '--s3-endpoint', moto.endpoint, '--forward', `s3://${BUCKET}/${PREFIX}`, '--forward', folder,
      ], { stdio: ['ignore', 'pipe', 'pipe'], env: serveEnv });
      const at = logs.push('') - 1;
      child.stdout!.on('data', (d: Buffer) => (logs[at] += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (logs[at] += d.toString()));
      children.push(child);
      return child;
    };
    const send = async (): Promise<number> => {
      const storescu = spawn('storescu', ['-aet', 'SCU', '-aec', 'GW', '127.0.0.1', String(port), ...EXAMPLES], { stdio: 'ignore' });
      children.push(storescu);
      return exited(storescu);
    };
    const drained = (): boolean => {
      if (!existsSync(statusFile)) return false;
      const s = readGatewayStatus(statusFile);
      return s.received >= EXAMPLES.length && s.queued === 0;
    };
    const versions = async (): Promise<{ key: string; versions: number }[]> => {
      const listed = await client.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));
      const count = new Map<string, number>();
      for (const v of listed.Versions ?? []) count.set(v.Key!, (count.get(v.Key!) ?? 0) + 1);
      return [...count].map(([key, n]) => ({ key, versions: n })).sort((a, b) => a.key.localeCompare(b.key));
    };

    // 1. Five instances in: both destinations get them.
    let gateway = serve();
    await waitFor('the gateway', () => /listening on/.test(logs.at(-1)!), 20_000);
    assert.equal(await send(), 0, 'storescu got Success for every instance');
    await waitFor('the queue to drain', drained, 30_000);
    const status = readGatewayStatus(statusFile);
    assert.equal(status.failed, 0, logs.join('\n').slice(-1500));
    const folderNames = readdirSync(folder).filter((n) => n.endsWith('.dcm')).sort();
    assert.equal(folderNames.length, EXAMPLES.length);
    const first = await versions();
    // Only the final objects under the prefix, one version each: no temporary object at any name, nothing else.
    assert.deepEqual(first, folderNames.map((n) => ({ key: `${PREFIX}/${n}`, versions: 1 })));
    const fingerprints = new Set<string>();
    for (const name of folderNames) {
      const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${name}` }));
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      assert.ok(bytes.equals(readFileSync(join(folder, name))), `${name}: the object is the folder destination's file, byte for byte`);
      assert.match(object.Metadata?.dcmanonfingerprint ?? '', /^[0-9a-f]{16,}$/, `${name}: the run fingerprint as metadata`);
      fingerprints.add(object.Metadata!.dcmanonfingerprint);
    }
    assert.equal(fingerprints.size, 1, 'one run, one fingerprint');
    assert.deepEqual((await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? [], [], 'no upload left open');

    // 2. Stopped; the S3 destination's journal lost (as when killed between its upload and its journal line);
    //    restarted, the sender sends everything again: the objects are found complete, not uploaded again.
    gateway.kill('SIGTERM');
    assert.equal(await exited(gateway), 0);
    const journals = JSON.parse(readFileSync(join(spool, 'journal', 'destinations.json'), 'utf8')) as { key: string; destination: string }[];
    const s3Journal = journals.find((j) => j.destination === `s3://${BUCKET}/${PREFIX}`);
    assert.ok(s3Journal, 'the S3 destination is listed by its URL');
    rmSync(join(spool, 'journal', `${s3Journal.key}.log`));
    rmSync(statusFile);
    gateway = serve();
    await waitFor('the gateway again', () => /listening on/.test(logs.at(-1)!), 20_000);
    assert.equal(await send(), 0);
    await waitFor('the queue to drain again', drained, 30_000);
    assert.equal(readGatewayStatus(statusFile).failed, 0, logs.at(-1));
    assert.equal(readGatewayStatus(statusFile).forwarded, EXAMPLES.length, 'the S3 destination counted each instance once more (found there), the folder none');
    assert.deepEqual(await versions(), first, 'no object written again');
    assert.deepEqual(readdirSync(folder).filter((n) => n.endsWith('.dcm')).sort(), folderNames);
    gateway.kill('SIGTERM');
    assert.equal(await exited(gateway), 0);
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await moto.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
