// Secrets and values never leak through the CLI's output, a key file others can read is warned about, and symbolic
// links do not lead the run out of its input tree.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { explicitElement, part10Header, smallDataset } from '../../scripts/fuzz.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { getString } from '../../src/dicom/values.js';
import { makeTag } from '../../src/dicom/tag.js';
import { CORPUS_DIR, corpusWanted } from '../helpers/corpus.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const SECRET = 'Sup3r-Secret-Key-Text-7f3a9c1e-never-print';

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out: Buffer.concat(chunks).toString('latin1') });
    });
  });
}

const NAMES = ['ZEBRA^QUOKKA', 'WOMBAT^NARWHAL', 'PLATYPUS^AXOLOTL'];

/** Good and broken files carrying known names: the broken ones fail after the name, inside the dataset. */
function makeInputs(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const head = part10Header('1.2.840.10008.1.2.1');
  writeFileSync(join(dir, 'good.dcm'), Buffer.concat([head, smallDataset(NAMES[0])]));
  const past = Buffer.concat([explicitElement(0x0010, 0x0030, 'DA', '19700101'), explicitElement(0x0010, 0x1000, 'LO', 'OTHER-ID')]);
  past.writeUInt16LE(0xfff0, 6); // (0010,0030) length runs past the end
  writeFileSync(join(dir, 'past-end.dcm'), Buffer.concat([head, smallDataset(NAMES[1]), past]));
  const truncated = Buffer.concat([head, smallDataset(NAMES[2]), explicitElement(0x0010, 0x1001, 'PN', `${NAMES[2]}^OTHER`)]);
  writeFileSync(join(dir, 'truncated.dcm'), truncated.subarray(0, truncated.length - 6));
  if (corpusWanted()) {
    for (const f of readdirSync(join(CORPUS_DIR, 'malformed'))) copyFileSync(join(CORPUS_DIR, 'malformed', f), join(dir, `malformed-${f}`));
  }
}

/** PatientName of the file the malformed/ set was derived from (it is in most of them). */
function malformedSourceName(): string | null {
  if (!corpusWanted()) return null;
  const file = readDicomFile(join(CORPUS_DIR, 'dcm_qa_nih', '20180918GE', 'mr_0004', 'axial_epi_fmri_interleaved_i_to_s-00001.dcm'));
  const el = file.dataset.get(makeTag(0x0010, 0x0010));
  const name = el ? getString(file.dataset, el, file.datasetSource) : '';
  file.close();
  return name.length >= 3 ? name : null;
}

function assertNoLeak(out: string, what: string): void {
  assert.ok(!out.includes(SECRET), `${what}: the key text appears in the output`);
  assert.ok(!out.includes(SECRET.slice(0, 16)), `${what}: part of the key appears in the output`);
  for (const name of NAMES) {
    assert.ok(!out.includes(name), `${what}: a PatientName value appears in the output`);
    for (const part of name.split('^')) assert.ok(!out.includes(part), `${what}: a name component appears in the output`);
  }
}

test('the key is never printed (key file, environment variable, also when files fail)', async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicom-sec-key-'));
  try {
    const input = join(work, 'in');
    makeInputs(input);
    const keyFile = join(work, 'key');
    writeFileSync(join(work, 'key'), SECRET);
    chmodSync(keyFile, 0o600);
    const runs = [
      { what: 'key file', args: ['--key-file', keyFile], env: { DICOM_ANONYMIZER_KEY: undefined } },
      { what: 'env var', args: [], env: { DICOM_ANONYMIZER_KEY: SECRET } },
      { what: 'env var + missing config', args: ['-c', join(work, 'nope.json')], env: { DICOM_ANONYMIZER_KEY: SECRET } },
      { what: 'key file + bad option', args: ['--key-file', keyFile, '--option', 'bogus'], env: { DICOM_ANONYMIZER_KEY: undefined } },
    ];
    for (const [i, run] of runs.entries()) {
      const r = await cli(['-i', input, '-o', join(work, `out${i}`), '-r', ...run.args], run.env);
      assert.ok(r.code === 1 || r.code === 2, `${run.what}: exit ${r.code}\n${r.out}`);
      assertNoLeak(r.out, run.what);
    }
    // A key that is too short is refused without being echoed.
    const shortKey = 'short-k3y-zz';
    writeFileSync(keyFile, shortKey);
    const r = await cli(['-i', input, '-o', join(work, 'out-short'), '--key-file', keyFile], { DICOM_ANONYMIZER_KEY: undefined });
    assert.notEqual(r.code, 0);
    assert.ok(!r.out.includes(shortKey), 'a rejected key is not echoed');
    const r2 = await cli(['-i', input, '-o', join(work, 'out-short-env')], { DICOM_ANONYMIZER_KEY: shortKey });
    assert.notEqual(r2.code, 0);
    assert.ok(!r2.out.includes(shortKey), 'a rejected key from the environment is not echoed');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('a key file readable by others is refused unless --allow-readable-key; a private one is taken', async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicom-sec-mode-'));
  try {
    const input = join(work, 'in');
    mkdirSync(input);
    writeFileSync(join(input, 'good.dcm'), Buffer.concat([part10Header('1.2.840.10008.1.2.1'), smallDataset(NAMES[0])]));
    const keyFile = join(work, 'key');
    writeFileSync(keyFile, SECRET);
    chmodSync(keyFile, 0o644);
    const open = await cli(['-i', input, '-o', join(work, 'out1'), '--key-file', keyFile], { DICOM_ANONYMIZER_KEY: undefined });
    assert.equal(open.code, 1, open.out);
    assert.match(open.out, /readable by other users .*chmod 600 /);
    assert.ok(!existsSync(join(work, 'out1')), 'nothing is written with a refused key');
    assertNoLeak(open.out, 'mode 644');
    const allowed = await cli(['-i', input, '-o', join(work, 'out1'), '--key-file', keyFile, '--allow-readable-key'], { DICOM_ANONYMIZER_KEY: undefined });
    assert.equal(allowed.code, 0, allowed.out);
    chmodSync(keyFile, 0o600);
    const closed = await cli(['-i', input, '-o', join(work, 'out2'), '--key-file', keyFile], { DICOM_ANONYMIZER_KEY: undefined });
    assert.equal(closed.code, 0, closed.out);
    assert.doesNotMatch(closed.out, /readable by other users/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('errors and logs carry no values: PatientName of good, broken and malformed files never reaches the output', async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicom-sec-values-'));
  try {
    const input = join(work, 'in');
    makeInputs(input);
    const r = await cli(['-i', input, '-o', join(work, 'out'), '-r'], { DICOM_ANONYMIZER_KEY: SECRET });
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /failed: .*past-end\.dcm/);
    assert.match(r.out, /failed: .*truncated\.dcm/);
    assertNoLeak(r.out, 'batch');
    const sourceName = malformedSourceName();
    if (sourceName) {
      for (const part of sourceName.split(/[\^=]/).filter((p) => p.length >= 3)) assert.ok(!r.out.includes(part), 'the malformed files\' PatientName does not leak');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('symbolic links inside the input tree are not followed out of it', async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicom-sec-links-'));
  try {
    const input = join(work, 'in'), outside = join(work, 'outside'), output = join(work, 'out');
    mkdirSync(join(input, 'sub'), { recursive: true });
    mkdirSync(join(outside, 'deep'), { recursive: true });
    const dicom = Buffer.concat([part10Header('1.2.840.10008.1.2.1'), smallDataset(NAMES[0])]);
    writeFileSync(join(input, 'sub', 'inside.dcm'), dicom);
    writeFileSync(join(outside, 'secret.dcm'), dicom);
    writeFileSync(join(outside, 'deep', 'secret2.dcm'), dicom);
    symlinkSync(join(outside, 'secret.dcm'), join(input, 'link-to-file.dcm'));
    symlinkSync(outside, join(input, 'link-to-dir'));
    symlinkSync(join(work, 'missing.dcm'), join(input, 'dangling.dcm'));
    symlinkSync(join(input, 'sub', 'inside.dcm'), join(input, 'link-inside.dcm'));
    const r = await cli(['-i', input, '-o', output, '-r'], { DICOM_ANONYMIZER_KEY: SECRET });
    assert.ok(r.code === 0 || r.code === 2, r.out);
    const outputs: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p); else outputs.push(relative(output, p));
      }
    };
    walk(output);
    assert.ok(outputs.includes(join('sub', 'inside.dcm')));
    assert.ok(!outputs.includes('link-to-file.dcm'), 'a link to a file outside is not followed');
    assert.ok(!outputs.some((f) => f.startsWith('link-to-dir')), 'a link to a folder outside is not followed');
    assert.ok(!existsSync(join(output, 'link-to-dir')));
    assertNoLeak(r.out, 'links');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
