// The one atomic-output module: random temporary names it recognises later, private mode for side files, the final
// name untouched until commit, and no temporary file left after a failure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AtomicFile, tempPathFor, tempTarget, writeAtomically, writeFileAtomically } from '../../src/files/atomic-output.js';

test('temporary names are random, in the target folder, and say which final name they stood for', () => {
  const a = tempPathFor('/out/x/report.json');
  const b = tempPathFor('/out/x/report.json');
  assert.notEqual(a, b);
  assert.ok(a.startsWith('/out/x/.report.json.'));
  assert.equal(tempTarget(basename(a)), 'report.json');
  for (const other of ['report.json', '.report.json.partial', '.x.dcm.123.deadbeef.0.partial']) assert.equal(tempTarget(other), null);
});

test('a commit replaces the file whole; until then the old one stays; side files are private', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  try {
    const path = join(dir, 'r.json');
    writeFileSync(path, 'old');
    const file = new AtomicFile(path);
    file.writeText('new ');
    file.writeBytes(Buffer.from('bytes'));
    assert.equal(readFileSync(path, 'utf8'), 'old');
    file.commit();
    assert.equal(readFileSync(path, 'utf8'), 'new bytes');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['r.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failure while writing leaves the old file and no temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  try {
    const path = join(dir, 'a.csv');
    writeFileAtomically(path, 'first\n');
    assert.throws(() => writeAtomically(path, (f) => { f.writeText('half'); throw new Error('disk on fire'); }), /disk on fire/);
    assert.equal(readFileSync(path, 'utf8'), 'first\n');
    assert.deepEqual(readdirSync(dir), ['a.csv']);
    assert.throws(() => writeFileAtomically(join(dir, 'missing', 'b.csv'), 'x'), /ENOENT/);
    writeFileAtomically(join(dir, 'made', 'b.csv'), 'x', { makeFolder: true });
    assert.ok(existsSync(join(dir, 'made', 'b.csv')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with `within`, a file that opens outside the tree (a folder swapped after its check) is refused and removed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  try {
    const root = join(dir, 'out'), outside = join(dir, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    symlinkSync(outside, join(root, 'swapped'));
    assert.throws(() => new AtomicFile(join(root, 'swapped', 'x.dcm'), { within: realpathSync(root) }), /output folder leads out of the output tree/);
    assert.deepEqual(readdirSync(outside), [], 'nothing is left outside');
    const inside = new AtomicFile(join(root, 'y.dcm'), { within: realpathSync(root) });
    inside.commit();
    assert.ok(existsSync(join(root, 'y.dcm')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
