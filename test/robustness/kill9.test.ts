// A `kill -9` while the CLI writes a large output leaves nothing at the final path (the writer goes through a
// temporary file renamed into place). A leftover temporary `.partial` file is acceptable and reported.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { explicitElement, part10Header, smallDataset } from '../../scripts/fuzz.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const SIZE = 300 * 1024 * 1024;

/** A ~300 MB file (native Pixel Data) written in 4 MiB pieces, never held in memory. */
function writeLargeFile(path: string): void {
  const fd = openSync(path, 'w');
  try {
    const head = Buffer.concat([
      part10Header('1.2.840.10008.1.2.1'),
      smallDataset('KILL^NINE'),
      // A complete image description: the pixel layer checks every image's Pixel Data against it.
      explicitElement(0x0028, 0x0002, 'US', Buffer.from([0x01, 0x00])), // samples per pixel 1
      explicitElement(0x0028, 0x0004, 'CS', Buffer.from('MONOCHROME2 ', 'latin1')),
      explicitElement(0x0028, 0x0010, 'US', Buffer.from([0x00, 0x28])), // rows 10240
      explicitElement(0x0028, 0x0011, 'US', Buffer.from([0x00, 0x3c])), // columns 15360 (x2 bytes = SIZE)
      explicitElement(0x0028, 0x0100, 'US', Buffer.from([0x10, 0x00])), // bits allocated 16
      explicitElement(0x0028, 0x0101, 'US', Buffer.from([0x10, 0x00])), // bits stored 16
      explicitElement(0x0028, 0x0102, 'US', Buffer.from([0x0f, 0x00])), // high bit 15
      explicitElement(0x0028, 0x0103, 'US', Buffer.from([0x00, 0x00])), // unsigned
    ]);
    writeSync(fd, head);
    const px = Buffer.alloc(12);
    px.writeUInt16LE(0x7fe0, 0); px.writeUInt16LE(0x0010, 2); px.write('OW', 4, 'latin1'); px.writeUInt32LE(SIZE, 8);
    writeSync(fd, px);
    const piece = Buffer.alloc(4 << 20, 0x5a);
    for (let done = 0; done < SIZE; done += piece.length) writeSync(fd, piece, 0, Math.min(piece.length, SIZE - done));
  } finally {
    closeSync(fd);
  }
}

test('SIGKILL during the write of a 300 MB output leaves no file at the final path', { timeout: 180_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'dicom-kill9-'));
  try {
    const input = join(work, 'in'), output = join(work, 'out');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(input);
    writeLargeFile(join(input, 'large.dcm'));
    // A secondary capture: --burned-in keep sends it to the output (this test is about the atomic write, not the gate).
    const finalPath = join(output, 'large.dcm');
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '-i', input, '-o', output, '-r', '--burned-in', 'keep'], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DICOM_ANONYMIZER_KEY: 'kill9-test-key-0123456789abcdef' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
    // Wait until a temporary file next to the final path is growing, then kill without warning.
    let killedAt = -1;
    const t0 = Date.now();
    while (Date.now() - t0 < 120_000 && child.exitCode === null) {
      const partial = existsSync(output) ? readdirSync(output).find((f) => f.includes('partial')) : undefined;
      if (partial) {
        let size = 0;
        try { size = statSync(join(output, partial)).size; } catch { /* renamed meanwhile */ }
        if (size > 8 << 20 && size < SIZE) {
          child.kill('SIGKILL');
          killedAt = size;
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const { signal } = await exited;
    assert.ok(killedAt > 0, `the write was caught in progress (child ${signal ?? 'exited'}; ${stderr})`);
    assert.equal(signal, 'SIGKILL');
    assert.ok(!existsSync(finalPath), 'nothing at the final path');
    const leftovers = existsSync(output) ? readdirSync(output) : [];
    assert.ok(leftovers.every((f) => f.endsWith('.partial')), `only temporary files may remain: ${leftovers.join(', ')}`);
    t.diagnostic(`killed at ${(killedAt / 1048576).toFixed(0)} MiB of ${SIZE / 1048576} MiB; leftover temporary files: ${leftovers.length ? leftovers.join(', ') : 'none'}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
