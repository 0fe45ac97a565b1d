// The network side's small parsers: multipart/related bodies (WADO-RS answers), the --allow entries and their
// matching, --forward destinations and --forward-header values, serve's --forward-tls-* flags. Property tests where the
// input varies.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundaryOf, multipartParts } from '../../src/storage/dicomweb/multipart.js';
import { multipartDicom } from '../../src/net/dicomweb/stow.js';
import { isAllowed, parseAllowEntry } from '../../src/net/dimse/allow-list.js';
import { parseDestination, parseHeader } from '../../src/net/gateway/destinations.js';
import { cliInProcess } from '../helpers/cli-in-process.js';

test('multipart: what STOW-RS writes, the WADO-RS parser reads back part for part, whatever the bytes', () => {
  fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), (parts) => {
    const { body, contentType } = multipartDicom(parts);
    const boundary = boundaryOf(contentType);
    assert.ok(boundary);
    const back = multipartParts(body, boundary);
    assert.deepEqual(back.map((b) => Buffer.from(b).toString('hex')), parts.map((p) => Buffer.from(p).toString('hex')));
  }), { numRuns: 200 });
  assert.equal(boundaryOf('multipart/related; type="application/dicom"; boundary="abc def"'), 'abc def');
  assert.equal(boundaryOf('application/dicom'), null);
});

test('--allow: AE and AE@HOST; matching by AE title and, when pinned, the remote address', () => {
  const entries = [parseAllowEntry('CLINICAL@10.0.0.5'), parseAllowEntry('MODALITY')];
  assert.deepEqual(entries[0], { aeTitle: 'CLINICAL', host: '10.0.0.5' });
  assert.ok(isAllowed(entries, 'CLINICAL  ', '::ffff:10.0.0.5'));
  assert.ok(!isAllowed(entries, 'CLINICAL', '10.0.0.6'));
  assert.ok(isAllowed(entries, 'MODALITY', '192.168.1.1'));
  assert.ok(!isAllowed([], 'MODALITY', '127.0.0.1'), 'no allow-list refuses everyone');
  assert.throws(() => parseAllowEntry('A_TITLE_LONGER_THAN_16'), /1 to 16/);
  assert.throws(() => parseAllowEntry('AE@'), /nothing after @/);
});

test('--forward destinations and --forward-header', () => {
  const settings = { aeTitle: 'GW', headers: {} };
  assert.equal(parseDestination('dicom://PACS@127.0.0.1:104', settings).batchSize > 1, true);
  assert.equal(parseDestination('dicomweb+http://127.0.0.1:8042/dicom-web', settings).batchSize, 1);
  assert.throws(() => parseDestination('dicom://PACS@host', settings), /dicom:\/\/AE@HOST:PORT/);
  // Object storage: labelled and keyed by the printable URL (a SAS token neither printed nor changing the journal).
  assert.equal(parseDestination('s3://bucket/prefix/', settings).label, 's3://bucket/prefix');
  const sas = parseDestination('https://acct.blob.core.windows.net/cont/anon?sv=2024&sig=SECRET', settings);
  assert.equal(sas.label, 'az://acct/cont/anon');
  assert.equal(sas.key, parseDestination('az://acct/cont/anon', settings).key);
  assert.notEqual(parseDestination('s3://bucket/a', settings).key, parseDestination('s3://bucket/b', settings).key);
  assert.throws(() => parseDestination('s3:/bucket', settings), /s3:\/\/BUCKET\/PREFIX/);
  assert.throws(() => parseDestination('ftp://host/x', settings), /a destination is dicom:\/\//);
  assert.notEqual(parseDestination('dicom://A@h:1', settings).key, parseDestination('dicom://B@h:1', settings).key);
  // DIMSE over TLS: its own label and journal; the client key and certificate are no part of either.
  const tlsSettings = { ...settings, dimseTls: { key: Buffer.from('KEY-SECRET'), cert: Buffer.from('CERT') } };
  const overTls = parseDestination('dicom+tls://PACS@[::1]:2762', tlsSettings);
  assert.equal(overTls.label, 'dicom+tls://PACS@[::1]:2762');
  assert.equal(overTls.key, parseDestination('dicom+tls://PACS@[::1]:2762', settings).key);
  assert.notEqual(overTls.key, parseDestination('dicom://PACS@[::1]:2762', settings).key);
  assert.throws(() => parseDestination('dicom+tls://PACS@host', settings), /dicom\+tls:\/\/AE@HOST:PORT/);
  assert.deepEqual(parseHeader('Authorization: Bearer x:y'), ['Authorization', 'Bearer x:y']);
  assert.throws(() => parseHeader('no colon'), /Name: value/);
});

test('serve --forward-tls-cert/--forward-tls-key: together, readable, or a usage error naming the flag', async () => {
  const work = mkdtempSync(join(tmpdir(), 'forward-tls-flags-'));
  try {
    const base = ['serve', '--spool', join(work, 'spool'), '--allow', 'SCU', '--forward', 'dicom+tls://PACS@127.0.0.1:2762', '--key-file', join(work, 'absent.key')];
    const alone = await cliInProcess(...base, '--forward-tls-cert', join(work, 'c.pem'));
    assert.equal(alone.code, 1, alone.stderr);
    assert.match(alone.stderr, /--forward-tls-cert and --forward-tls-key go together/);
    const missing = await cliInProcess(...base, '--forward-tls-cert', join(work, 'c.pem'), '--forward-tls-key', join(work, 'k.pem'));
    assert.equal(missing.code, 1, missing.stderr);
    assert.match(missing.stderr, /--forward-tls-cert .*c\.pem: cannot be read \(ENOENT\)/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
