// The storage port's contract, the same assertions over each adapter against a real store: a local folder, moto's
// S3 server and Azurite, started here on 127.0.0.1. Listing (relative names, recursive or not), ranged reads, atomic
// writes with metadata, HEAD, create-only writes, delete; on S3 a multipart upload and the cleanup of one abandoned.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseLocation } from '../../src/storage/location.js';
import { openStore } from '../../src/storage/open.js';
import { ObjectExistsError, type ObjectStore } from '../../src/storage/port.js';
import { azuriteProblem, motoProblem, skipUnless, startAzurite, startMoto, type RunningServer } from '../helpers/object-servers.js';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function names(store: ObjectStore, recursive: boolean): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(recursive)) out.push(`${o.name}:${o.size}`);
  return out;
}

/** The contract, run on a fresh empty root of `store`. */
async function contract(store: ObjectStore): Promise<void> {
  const body = Buffer.from('0123456789abcdef');
  await store.write('a/b/c.dcm', Readable.from([body]), { metadata: { dcmanonfp: 'f1' }, size: body.length });
  await store.write('top.dcm', Readable.from([Buffer.from('xyz')]));
  await store.write('a/é ü.dcm', Readable.from([Buffer.from('12')]));
  assert.deepEqual(await names(store, true), ['a/b/c.dcm:16', 'a/é ü.dcm:2', 'top.dcm:3']);
  assert.deepEqual(await names(store, false), ['top.dcm:3']);
  assert.equal((await bytesOf(await store.read('a/b/c.dcm'))).toString(), '0123456789abcdef');
  assert.equal((await bytesOf(await store.read('a/b/c.dcm', { start: 4, end: 10 }))).toString(), '456789');
  const head = await store.head('a/b/c.dcm');
  assert.equal(head?.size, 16);
  assert.equal(await store.head('nothing/here'), null);
  await assert.rejects(store.write('top.dcm', Readable.from([Buffer.from('new')]), { ifNoneMatch: true }), ObjectExistsError);
  assert.equal((await bytesOf(await store.read('top.dcm'))).toString(), 'xyz', 'a refused create-only write changed nothing');
  await store.delete('top.dcm');
  await store.delete('top.dcm');
  assert.equal(await store.head('top.dcm'), null);
  await assert.rejects(store.read('top.dcm'));
}

test('local folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dicomanon-store-'));
  try {
    await contract(await openStore(parseLocation(root)));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

describe('S3 (moto)', { skip: skipUnless(motoProblem()) }, () => {
  let moto: RunningServer;
  let store: ObjectStore;
  before(async () => {
    moto = await startMoto();
    const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await client.send(new CreateBucketCommand({ Bucket: 'contract' }));
    client.destroy();
    Object.assign(process.env, moto.env); // the SDK's own chain reads credentials and region from the environment
    store = await openStore(parseLocation('s3://contract/some/prefix'));
  });
  after(async () => moto?.stop());

  test('the contract, metadata kept', async () => {
    await contract(store);
    assert.deepEqual((await store.head('a/b/c.dcm'))?.metadata, { dcmanonfp: 'f1' });
  });

  test('a 20 MiB object goes up in parts and comes back identical; an abandoned multipart upload is aborted', async () => {
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
});

describe('Azure Blob (Azurite)', { skip: skipUnless(azuriteProblem()) }, () => {
  let azurite: RunningServer;
  before(async () => {
    azurite = await startAzurite();
    const { BlobServiceClient } = await import('@azure/storage-blob');
    await BlobServiceClient.fromConnectionString(azurite.env.AZURE_STORAGE_CONNECTION_STRING).getContainerClient('contract').create();
  });
  after(async () => azurite?.stop());

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
});

test('locations: s3://, az://, https://ACCOUNT.blob.core.windows.net (SAS kept out of the printed url), local paths', () => {
  assert.deepEqual(parseLocation('s3://b/x/y/'), { kind: 's3', bucket: 'b', prefix: 'x/y', url: 's3://b/x/y' });
  assert.deepEqual(parseLocation('az://acct/cont'), { kind: 'azure', account: 'acct', container: 'cont', prefix: '', sas: null, url: 'az://acct/cont' });
  const https = parseLocation('https://acct.blob.core.windows.net/cont/a/b?sv=1&sig=SECRET');
  assert.equal(https.kind, 'azure');
  assert.ok(https.kind === 'azure' && https.sas === 'sv=1&sig=SECRET' && !https.url.includes('SECRET') && https.prefix === 'a/b');
  assert.deepEqual(parseLocation('./out'), { kind: 'local', path: './out' });
  assert.throws(() => parseLocation('s3://'), /s3:\/\/BUCKET/);
});
