// The storage port's contract (helpers/store-contract.ts) over a local folder, and the location syntax. The same
// contract over moto's S3 server and Azurite runs in stored-batch.test.ts, which starts each server once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLocation } from '../../src/storage/location.js';
import { openStore } from '../../src/storage/open.js';
import { contract } from '../helpers/store-contract.js';

test('local folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dicomanon-store-'));
  try {
    await contract(await openStore(parseLocation(root)));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
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
