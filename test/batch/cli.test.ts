// The anonymize command end to end, spawned like a user would (under tsx): exit codes 0 / 1 / 2, the summary
// line, --quiet, the mapping warning, and --dry-run's per-tag table.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeStaleTempFiles } from '../../src/batch/stale-temps.js';
import { shardOf } from '../../src/batch/shard.js';
import { stagedName } from '../../src/batch/placement.js';
import { tempPathFor } from '../../src/files/atomic-output.js';
import { run } from '../helpers/corpus.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(REPO, 'src', 'cli', 'main.ts');
const EXAMPLES = join(REPO, 'examples');

let work: string;
let good: string;
let mixed: string;
let keyFile: string;

const cli = (...args: string[]): ReturnType<typeof run> => run(process.execPath, ['--import', 'tsx', MAIN, ...args], 60_000);

before(() => {
  work = mkdtempSync(join(tmpdir(), 'dicomanon-cli-'));
  good = join(work, 'good');
  mixed = join(work, 'mixed');
  for (const dir of [good, mixed]) {
    mkdirSync(dir);
    for (const f of readdirSync(join(EXAMPLES, 'ct'))) copyFileSync(join(EXAMPLES, 'ct', f), join(dir, f));
  }
  writeFileSync(join(good, 'README.txt'), 'not DICOM');
  writeFileSync(join(mixed, 'bad.dcm'), 'not DICOM either');
  keyFile = join(work, 'key');
  writeFileSync(keyFile, 'cli-test-key-0123456789', { mode: 0o600 });
  writeFileSync(join(work, 'short-key'), 'short', { mode: 0o600 });
});

after(() => rmSync(work, { recursive: true, force: true }));

test('exit codes: 0 all ok, 2 some failed, 1 usage errors', async () => {
  const [ok, failed, inside, missing, shard, shortKey] = await Promise.all([
    cli('-i', good, '-o', join(work, 'out-ok'), '-r', '--key-file', keyFile, '--mapping', join(work, 'map')),
    cli('-i', mixed, '-o', join(work, 'out-mixed'), '-r', '--key-file', keyFile, '-q', '--jobs', '1'),
    cli('-i', good, '-o', join(good, 'anon'), '--key-file', keyFile),
    cli('-i', good, '--key-file', keyFile),
    cli('-i', good, '-o', join(work, 'out-shard'), '--shard', '3/3', '--key-file', keyFile),
    cli('-i', good, '-o', join(work, 'out-key'), '--key-file', join(work, 'short-key')),
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /3 ok, 0 failed, 1 skipped/);
  assert.match(ok.stderr, /skipped: README\.txt: not a DICOM file/);
  assert.match(ok.stderr, /warning: the --mapping files .* identifying data/);
  assert.ok(existsSync(join(work, 'map', 'patient_id.csv')));

  assert.equal(failed.code, 2, failed.stderr);
  assert.match(failed.stderr, /^failed: .*bad\.dcm: .* at byte \d+/m);
  assert.doesNotMatch(failed.stderr, /ok, .* failed/, '--quiet: no summary');
  assert.equal(readdirSync(join(work, 'out-mixed')).length, 3, 'the good files are still written');

  for (const r of [inside, missing, shard, shortKey]) assert.equal(r.code, 1, r.stderr);
  assert.match(inside.stderr, /must not be the input folder or inside it/);
  assert.ok(!existsSync(join(good, 'anon')));
  assert.match(shortKey.stderr, /at least 16 bytes/);
  assert.ok(!existsSync(join(work, 'out-key')));
});

test('--dry-run prints a per-tag table and writes nothing', async () => {
  const r = await cli('-i', good, '-o', join(work, 'out-dry'), '--key-file', keyFile, '--dry-run');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\(0010,0010\)\s+PatientName\s+pseudonym\s+3 file\(s\)/m);
  assert.ok(!existsSync(join(work, 'out-dry')));
});

test('a shard removes only its own stale temporary files', () => {
  const out = join(work, 'stale');
  mkdirSync(out);
  const names = ['a.dcm', 'b.dcm', 'c.dcm', 'd.dcm', 'e.dcm', 'f.dcm'];
  for (const n of names) writeFileSync(tempPathFor(join(out, n)), 'x');
  writeFileSync(join(out, stagedName('x.dcm', 's1of3', 5)), 'x');
  writeFileSync(join(out, '.keep-me.partial'), 'not ours');
  const mine = names.filter((n) => shardOf(n, 3) === 1).length;
  // shardOf decides both "mine" here and in the code: the check means something only if it splits the names.
  assert.ok(mine > 0 && mine < names.length, `shard 1 of 3 owns ${mine} of ${names.length} names`);
  assert.equal(removeStaleTempFiles(out, 'mirror', { index: 1, count: 3 }), mine + 1);
  assert.equal(readdirSync(out).length, names.length - mine + 1);
  assert.equal(removeStaleTempFiles(out, 'mirror', undefined), names.length - mine);
  assert.deepEqual(readdirSync(out), ['.keep-me.partial']);
});

test('--limit overrides a reader limit for the run, and bad limits are usage errors', async () => {
  const input = join(EXAMPLES, 'ct');
  const tight = await cli('-i', input, '-o', join(work, 'limit-a'), '-q', '--key-file', keyFile, '--limit', 'maxElementsPerDataset=5');
  assert.equal(tight.code, 2, 'every file holds more than 5 elements in its dataset: all fail');
  assert.match(tight.stderr, /maxElementsPerDataset|more than 5 elements/);
  const loose = await cli('-i', input, '-o', join(work, 'limit-b'), '-q', '--key-file', keyFile, '--limit', 'maxDepth=256');
  assert.equal(loose.code, 0, loose.stderr);
  for (const bad of ['maxDepth=0', 'noSuchLimit=3', 'maxDepth']) {
    const r = await cli('-i', input, '-o', join(work, 'limit-c'), '-q', '--key-file', keyFile, '--limit', bad);
    assert.equal(r.code, 1, `--limit ${bad} is a usage error`);
  }
});
