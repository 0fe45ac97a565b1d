// Keys as a security reviewer would try them: an empty environment variable, no key with --shard or
// --skip-existing, whitespace-only or repeated-character keys, a key file others can read, and the same text from a
// file and from the environment. keygen writes a private key file and never overwrites one.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keys } from '../../src/anonymize/keys.js';
import { KEY_ENV, keysFromSecret, loadKeySecret, type KeyOptions } from '../../src/batch/secret.js';
import { UsageError } from '../../src/files/usage-error.js';
import { run } from '../helpers/corpus.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.ts');
const TEXT = 'keys-test-secret-0123456789';
let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'dicomanon-keys-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** loadKeySecret with DICOM_ANONYMIZER_KEY set to `env` (undefined: unset) for the call. */
function load(options: KeyOptions, env: string | undefined, warnings: string[] = []) {
  const saved = process.env[KEY_ENV];
  if (env === undefined) delete process.env[KEY_ENV]; else process.env[KEY_ENV] = env;
  try {
    return loadKeySecret(options, (m) => warnings.push(m));
  } finally {
    if (saved === undefined) delete process.env[KEY_ENV]; else process.env[KEY_ENV] = saved;
  }
}

function keyFile(name: string, content: string | Buffer, mode = 0o600): string {
  const path = join(work, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

test('an empty DICOM_ANONYMIZER_KEY is refused, not replaced by a random key', () => {
  assert.throws(() => load({}, ''), (e: Error) => e instanceof UsageError && /set but empty/.test(e.message));
  assert.throws(() => load({}, '   '), UsageError);
});

test('--shard and --skip-existing without a fixed key are refused; without them a random key is only a warning', () => {
  assert.throws(() => load({ needsFixedKey: ['--shard'] }, undefined), /--shard needs a fixed key .*keygen/);
  assert.throws(() => load({ needsFixedKey: ['--shard', '--skip-existing'] }, undefined), /--shard and --skip-existing need a fixed key/);
  const warnings: string[] = [];
  load({}, undefined, warnings);
  assert.match(warnings.join('\n'), /random key .*dicom-anonymizer keygen FILE/);
  load({ needsFixedKey: ['--shard'] }, TEXT); // a fixed key from the environment is enough
});

test('keys of whitespace, one repeated character or a short repeated pattern are refused, from either source', () => {
  for (const bad of [' '.repeat(16), 'a'.repeat(40), 'abcd'.repeat(4), '\n'.repeat(20) + 'x']) {
    assert.throws(() => load({}, bad), UsageError, JSON.stringify(bad.slice(0, 8)));
    assert.throws(() => load({ keyFile: keyFile('bad.key', bad) }, undefined), UsageError);
  }
  assert.throws(() => Keys.fromSecret('z'.repeat(64)), /too little entropy/);
});

test('the same text from a key file (with a trailing newline) and from the environment gives the same key', () => {
  const fromEnv = keysFromSecret(load({}, TEXT));
  const fromFile = keysFromSecret(load({ keyFile: keyFile('same.key', `${TEXT}\n`) }, undefined));
  const fromPaddedEnv = keysFromSecret(load({}, `  ${TEXT}\r\n`));
  assert.equal(fromFile.uid('1.2.3'), fromEnv.uid('1.2.3'));
  assert.equal(fromPaddedEnv.uid('1.2.3'), fromEnv.uid('1.2.3'));
});

test('a key file readable by group or others is refused unless allowed, and the message says how to fix it', () => {
  for (const mode of [0o640, 0o604]) {
    const path = keyFile(`open-${mode.toString(8)}.key`, TEXT, mode);
    assert.throws(() => load({ keyFile: path }, undefined), (e: Error) => e instanceof UsageError && e.message.includes(`chmod 600 ${path}`));
    load({ keyFile: path, allowReadableKey: true }, undefined);
  }
});

test('keygen writes 32 random bytes with mode 600 and refuses to overwrite', async () => {
  const path = join(work, 'new.key');
  const first = await run(process.execPath, ['--import', 'tsx', MAIN, 'keygen', path], 60_000);
  assert.equal(first.code, 0, first.stderr);
  const key = readFileSync(path);
  assert.equal(key.length, 32);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  keysFromSecret({ kind: 'bytes', bytes: key }); // a valid key as it is
  const again = await run(process.execPath, ['--import', 'tsx', MAIN, 'keygen', path], 60_000);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /exists: keygen never overwrites/);
  assert.deepEqual(readFileSync(path), key, 'the existing key is untouched');
  assert.ok(existsSync(path));
});
