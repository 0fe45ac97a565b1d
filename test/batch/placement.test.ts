// Study-layout placement without worker threads: staged files are renamed into place, and when two inputs claim
// one output name the first in input order keeps it, whichever finished first; nothing is merged or left staged.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StudyPlacement, stagedName, stagedTarget } from '../../src/batch/placement.js';
import type { FileOutcome } from '../../src/batch/protocol.js';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'dicomanon-placement-'));
  const pending = new Map<number, FileOutcome>();
  const placement = new StudyPlacement({
    inputOf: (index) => ({ input: `/in/file${index}.dcm`, relativePath: `file${index}.dcm` }),
    pendingOutcome: (index) => pending.get(index),
  });
  const staged = (index: number, name: string): FileOutcome => {
    const path = join(dir, stagedName(name, 's0of1', index));
    writeFileSync(path, `from input ${index}`);
    return { index, status: 'ok', output: join(dir, name), staged: path, bytesIn: 10, bytesOut: 10 };
  };
  return { dir, pending, placement, staged };
}

test('a staged file is renamed into place', () => {
  const { dir, placement, staged } = setup();
  try {
    const o = staged(0, 'uid.dcm');
    placement.place(o);
    assert.equal(o.status, 'ok');
    assert.equal(o.staged, undefined);
    assert.deepEqual(readdirSync(dir), ['uid.dcm']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a duplicated name goes to the first input in input order, whichever finished first', () => {
  const { dir, pending, placement, staged } = setup();
  try {
    const later = staged(5, 'same.dcm');
    placement.place(later);
    pending.set(5, later);
    const earlier = staged(2, 'same.dcm');
    placement.place(earlier);
    assert.equal(earlier.status, 'ok');
    assert.equal(later.status, 'failed');
    assert.match(later.error ?? '', /file5\.dcm: same output as file2\.dcm \(duplicate SOP Instance UID\); replaced/);
    assert.equal(readFileSync(join(dir, 'same.dcm'), 'utf8'), 'from input 2');

    const third = staged(7, 'same.dcm');
    placement.place(third);
    assert.equal(third.status, 'failed');
    assert.match(third.error ?? '', /same output as file2\.dcm .*not written/);
    assert.equal(third.output, null);
    assert.deepEqual(readdirSync(dir), ['same.dcm'], 'no staged file is left');
    assert.ok(!existsSync(third.staged!));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('staging names say which final name and shard they stood for', () => {
  assert.deepEqual(stagedTarget(stagedName('1.2.3.dcm', 's1of4', 9)), { target: '1.2.3.dcm', stageTag: 's1of4' });
  assert.equal(stagedTarget('1.2.3.dcm'), null);
});
