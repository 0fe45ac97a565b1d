// The Storage SCP and its spool against dcmtk's echoscu and storescu (clients only: the SCP listens on 127.0.0.1, on a
// port the system picks): C-ECHO; a C-STORE lands in the spool as the sender's dataset bytes behind a file meta group;
// a spool that cannot take an instance answers A700 and keeps nothing; a wrong called AE is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStorageScp } from '../../src/net/dimse/storage-scp.js';
import { Spool } from '../../src/net/gateway/spool.js';
import { skipUnlessNetPeers } from '../helpers/netns.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CT = join(REPO, 'examples', 'ct', 'slice-001.dcm');
const datasetPart = (bytes: Buffer): Buffer => bytes.subarray(144 + bytes.readUInt32LE(140));

async function withScp(reserveBytes: number, body: (port: number, spool: Spool, logs: string[]) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'scp-test-'));
  const spool = new Spool(root, reserveBytes);
  const logs: string[] = [];
  const scp = await startStorageScp({
    host: '127.0.0.1', port: 0, aeTitle: 'GW', allow: [{ aeTitle: 'SCU', host: '127.0.0.1' }], privateSopClasses: false,
    store: spool.store(() => {}, (m) => logs.push(m)), log: (m) => logs.push(m),
  });
  try {
    await body(scp.port, spool, logs);
  } finally {
    await scp.close();
    rmSync(root, { recursive: true, force: true });
  }
}


// The tools must run while the SCP answers: spawnSync would block the SCP's own event loop, so the tools run async.
async function tool(name: string, args: string[]): Promise<{ status: number | null; output: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(name, args, { env: { ...process.env, TCP_NODELAY: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('latin1')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

test('Storage SCP: C-ECHO, a C-STORE kept as its bytes came, A700 from a spool that cannot take it, a wrong called AE refused', { skip: skipUnlessNetPeers(), timeout: 60_000 }, async () => {
  await withScp(0, async (port, spool, logs) => {
    const echo = await tool('echoscu', ['-v', '-aet', 'SCU', '-aec', 'GW', '127.0.0.1', String(port)]);
    assert.equal(echo.status, 0, echo.output);
    assert.match(echo.output, /Received Echo Response \(Success\)/);
    const store = await tool('storescu', ['-v', '-R', '-aet', 'SCU', '-aec', 'GW', '127.0.0.1', String(port), CT]);
    assert.equal(store.status, 0, store.output);
    assert.match(store.output, /Received Store Response \(Success\)/);
    const [name] = spool.list('received');
    assert.ok(name, 'the instance is in spool/received');
    const received = readFileSync(join(spool.folder('received'), name));
    assert.ok(datasetPart(received).equals(datasetPart(readFileSync(CT))), 'the dataset bytes as the sender sent them');
    const wrongCalled = await tool('echoscu', ['-aet', 'SCU', '-aec', 'OTHER', '127.0.0.1', String(port)]);
    assert.notEqual(wrongCalled.status, 0);
    assert.match(wrongCalled.output, /Called AE Title Not Recognized/);
    assert.ok(logs.some((l) => /called AE "OTHER", not ours/.test(l)));
  });
  // A spool whose disk has less free space than its reserve: A700, nothing kept.
  await withScp(Number.MAX_SAFE_INTEGER, async (port, spool, logs) => {
    const store = await tool('storescu', ['-v', '-R', '-aet', 'SCU', '-aec', 'GW', '127.0.0.1', String(port), CT]);
    assert.match(store.output, /Received Store Response \(Refused: OutOfResources\)|0xa700/i, store.output);
    assert.deepEqual(spool.list('received'), []);
    assert.deepEqual(readdirSync(spool.folder('incoming')), []);
    assert.ok(logs.some((l) => /the spool is full/.test(l)));
  });
});
