// Memory under a hostile deflate: a generated 300 MiB deflate bomb (about 2.9 MB, ratio about 107, under
// maxInflateRatio) is rejected by the default maxInflatedBytes (256 MiB) with a DicomLimitError that names the
// --limit to raise, and the reading process's peak RSS stays under a bound measured for it (docs/limits.md:
// about 0.37 GB measured, 0.1 GB of it node + tsx). Before, the default 1 GiB let a 1000 MiB bomb through at 2.2 GB.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDeflateBomb } from '../helpers/deflate-bomb.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../../src/dicom/limits.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MiB = 1024 * 1024;
/** Measured 0.37 GB on the 2-core VM; the bound leaves room, and stays under the 0.62 GB a doubled 256 MiB would take. */
const RSS_BOUND = 560 * MiB;

function readInChild(path: string, maxInflatedBytes?: number): { error: string; limit: string; message: string; peakRss: number } {
  const args = ['--import', 'tsx', join(ROOT, 'test/helpers/inflate-rss.ts'), path, ...(maxInflatedBytes ? [String(maxInflatedBytes)] : [])];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' }));
}

test('a deflate bomb is rejected by the default maxInflatedBytes with bounded memory', async () => {
  assert.equal(DEFAULT_MAX_INFLATED_BYTES, 256 * MiB);
  const dir = mkdtempSync(join(tmpdir(), 'deflate-bomb-'));
  try {
    const bomb = join(dir, 'bomb.dcm');
    await writeDeflateBomb(bomb, 300);
    const r = readInChild(bomb);
    assert.equal(r.error, 'DicomParseError');
    assert.equal(r.limit, 'maxInflatedBytes', 'a DicomLimitError for maxInflatedBytes');
    assert.match(r.message, /--limit maxInflatedBytes=N/, 'the message names the --limit to raise');
    assert.ok(!r.message.includes('BOMB'), 'no value in the message');
    assert.ok(r.peakRss < RSS_BOUND, `peak RSS ${(r.peakRss / MiB).toFixed(0)} MiB, bound ${RSS_BOUND / MiB} MiB`);
    // Raised, the same file is read: one buffer, about the inflated size (not twice it).
    const raised = readInChild(bomb, 320 * MiB);
    assert.equal(raised.error, 'none', raised.message);
    assert.ok(raised.peakRss < 300 * MiB + RSS_BOUND - 256 * MiB, `peak RSS ${(raised.peakRss / MiB).toFixed(0)} MiB when accepted`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
