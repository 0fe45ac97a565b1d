// The output-name decision in two array stages: N scan tasks each read only their own inputs' headers and write
// name digests; N anonymize tasks with --names decide the same names as one run that read every header, although a
// folder may be identifying only through another shard's files. Missing, foreign-key or wrong-shard digests are refused.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicProfilePlan } from '../../src/config/load.js';
import { runBatch } from '../../src/batch/run.js';
import { runStoredBatch } from '../../src/batch/stored-run.js';
import { HEADER_WINDOW_BYTES, scanNames } from '../../src/batch/name-digests.js';
import { shardOf } from '../../src/batch/shard.js';
import { filesBelow } from '../helpers/tree.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');
const SECRET = { kind: 'text', text: 'name-digests-test-key-012345' } as const;

let work: string;
let tree: string;
let inputs: string[];
/** A shard count for which some shard holds MR files (Patient GRETA) in SMITH_JOHN/mixed but none of the CT files (SMITH): it can learn the folder is identifying only from another shard. */
let n = 0;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'dicomanon-names-'));
  tree = join(work, 'tree');
  const put = (from: string, to: string): void => {
    mkdirSync(dirname(join(tree, to)), { recursive: true });
    copyFileSync(join(EXAMPLES, from), join(tree, to));
  };
  put('ct/slice-001.dcm', 'SMITH_JOHN/mixed/ct1.dcm');
  put('ct/slice-002.dcm', 'SMITH_JOHN/mixed/ct2.dcm');
  for (let i = 0; i < 8; i++) put(`mr/image-00${1 + (i % 2)}.dcm`, `SMITH_JOHN/mixed/mr${i}.dcm`);
  for (let i = 0; i < 6; i++) put('ct/slice-003.dcm', `plain/img${i}.dcm`);
  inputs = filesBelow(tree);
  for (let count = 3; count <= 10 && n === 0; count++) {
    const ctShards = new Set(['SMITH_JOHN/mixed/ct1.dcm', 'SMITH_JOHN/mixed/ct2.dcm'].map((p) => shardOf(p, count)));
    if (inputs.some((p) => p.includes('/mr') && !ctShards.has(shardOf(p, count)))) n = count;
  }
  assert.ok(n > 0, 'a shard count where a shard sees the SMITH folder only through MR files');
});
after(() => rmSync(work, { recursive: true, force: true }));

test('N scan tasks + N anonymize tasks with --names give the single run\'s tree; each scan read only its own headers', async () => {
  await runBatch({ input: tree, output: join(work, 'single'), recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, log: () => {} });
  const single = filesBelow(join(work, 'single'));
  assert.ok(single.every((p) => !p.startsWith('SMITH')), 'the single run renamed the SMITH folder');
  const names = join(work, 'names');
  for (let k = 0; k < n; k++) {
    const r = await scanNames({ input: tree, recursive: true, shard: { index: k, count: n }, secret: SECRET, names });
    const own = inputs.filter((p) => shardOf(p, n) === k);
    assert.equal(r.inputs, own.length);
    assert.equal(r.headerBytes, own.reduce((t, p) => t + Math.min(statSync(join(tree, p)).size, HEADER_WINDOW_BYTES), 0), `shard ${k}: only its own inputs' header windows`);
  }
  for (let k = 0; k < n; k++) {
    const s = await runStoredBatch({ input: tree, output: join(work, 'sharded'), recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, shard: { index: k, count: n }, names, log: () => {} });
    assert.equal(s.failed, 0);
  }
  assert.deepEqual(filesBelow(join(work, 'sharded')), single);
  for (const rel of single) assert.ok(readFileSync(join(work, 'sharded', rel)).equals(readFileSync(join(work, 'single', rel))), rel);
});

test('--names refuses a missing shard\'s digests and digests made under another key', async () => {
  const names = join(work, 'partial');
  await scanNames({ input: tree, recursive: true, shard: { index: 0, count: 2 }, secret: SECRET, names });
  const run = (secret: typeof SECRET | { kind: 'text'; text: string }) => runStoredBatch({ input: tree, output: join(work, 'refused'), recursive: true, plan: basicProfilePlan([]), secret, jobs: 1, shard: { index: 0, count: 2 }, names, log: () => {} });
  await assert.rejects(run(SECRET), /names-1-of-2\.json is missing/);
  await scanNames({ input: tree, recursive: true, shard: { index: 1, count: 2 }, secret: { kind: 'text', text: 'another-key-0123456789abcdef' }, names });
  await assert.rejects(run(SECRET), /made with another key/);
  assert.deepEqual(filesBelow(join(work, 'refused')), [], 'nothing written');
});
