// Broken input through the real command line: every malformed corpus file fails with a typed, located error and
// leaves no output; 30 broken files among 30 good ones do not disturb the good ones; inputs are never modified.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDicomBuffer, readDicomFile } from '../../src/dicom/part10.js';
import { DicomParseError } from '../../src/dicom/errors.js';
import { PixelData } from '../../src/dicom/tags.generated.js';
import { CORPUS_DIR, corpusSkip, run } from '../helpers/corpus.js';
import { filesBelow } from '../helpers/tree.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const KEY = 'cli-failures-test-key-0123456789';
const skip = corpusSkip();

function cli(args: string[], timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', MAIN, ...args], timeoutMs, {
    cwd: ROOT, env: { ...process.env, DICOM_ANONYMIZER_KEY: KEY }, encoding: 'utf8',
  });
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const checksums = (dir: string): Map<string, string> => new Map(filesBelow(dir).map((f) => [f, sha(join(dir, f))]));

test('every malformed/ corpus file: typed error with file, offset, tag path and reason, or a clean read', { skip }, () => {
  const dir = join(CORPUS_DIR, 'malformed');
  const expectedToFail = new Set(['truncated_50pct.dcm', 'truncated_in_meta.dcm', 'truncated_header_1k.dcm', 'length_exceeds_file.dcm',
    'pixeldata_length_too_large.dcm', 'garbage_after_DICM.dcm', 'empty.dcm', 'not_dicom.txt.dcm', 'sq_missing_delimiters.dcm']);
  // corrupt_item_tag.dcm (an item delimiter in place of an item tag) is read as pydicom reads it, with a repair note
  // (issue 14; test/dicom/malformed-corpus.test.ts).
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    for (const windowed of [false, true]) {
      try {
        readDicomFile(path, windowed ? { inMemoryMaxBytes: 0 } : {}).close();
        assert.ok(!expectedToFail.has(name), `${name} should not read cleanly`);
      } catch (error) {
        assert.ok(error instanceof DicomParseError, `${name}: ${(error as Error).name}: ${(error as Error).message}`);
        assert.equal(error.file, path);
        assert.ok(error.message.startsWith(`${path}: `), error.message);
        assert.ok(Number.isInteger(error.offset) && error.offset >= 0 && error.offset <= statSync(path).size, `${name}: offset ${error.offset}`);
        assert.equal(typeof error.tagPath, 'string');
        assert.ok(error.reason.length > 5, `${name}: a reason`);
        assert.ok(error.message.includes(`at byte ${error.offset}`));
        if (error.tagPath) assert.match(error.tagPath, /^(\([0-9A-F]{4},[0-9A-F]{4}\)(\[\d+\])?\.?)+$/);
      }
    }
  }
});

test('CLI over malformed/: a failure line per broken file, no output and no temp file for them, inputs unchanged', { skip }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicom-malformed-'));
  try {
    const input = join(work, 'in'), output = join(work, 'out');
    mkdirSync(input);
    for (const name of readdirSync(join(CORPUS_DIR, 'malformed'))) copyFileSync(join(CORPUS_DIR, 'malformed', name), join(input, name));
    const before = checksums(input);
    const r = await cli(['-i', input, '-o', output, '-r']);
    assert.equal(r.code, 2, r.stderr);
    const failed = [...r.stderr.matchAll(/^failed: (.*?): (.*)$/gm)].map((m) => relative(input, m[1].split(': ')[0]));
    const outputs = filesBelow(output);
    assert.ok(failed.length >= 9, r.stderr); // the 9 truncated or non-DICOM files (test above)
    for (const f of failed) assert.ok(!outputs.includes(f), `no output for failed ${f}`);
    assert.deepEqual(outputs.filter((f) => /partial/.test(f)), [], 'no temp files left');
    assert.equal(outputs.length + failed.length, before.size, `every input is either written or reported:\n${r.stderr}`);
    for (const line of r.stderr.split('\n').filter((l) => l.startsWith('failed: '))) {
      assert.match(line, /at byte \d+/, `a byte offset: ${line}`);
    }
    assert.deepEqual(checksums(input), before, 'inputs unchanged');
    for (const f of outputs) readDicomFile(join(output, f)).close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

/** Ways to make a good file reliably unreadable; each is checked against the reader before use. */
const BREAKERS: { name: string; apply: (bytes: Buffer) => Buffer }[] = [
  {
    name: 'truncated-mid-element',
    apply: (bytes) => {
      const file = readDicomBuffer(bytes);
      const els = file.dataset.elements.filter((e) => e.span && e.span.length > 16);
      const el = els[Math.floor(els.length / 2)];
      return bytes.subarray(0, el.span!.offset + Math.floor(el.span!.length / 2));
    },
  },
  {
    name: 'length-past-end',
    apply: (bytes) => {
      const file = readDicomBuffer(bytes);
      const px = file.dataset.get(PixelData)!;
      const out = Buffer.from(bytes);
      out.writeUInt32LE(0xfffffff0, px.span!.offset + 8);
      return out;
    },
  },
  {
    name: 'garbage-after-DICM',
    apply: (bytes) => {
      const out = Buffer.from(bytes);
      out.fill(0xab, 132, 132 + 256);
      return out;
    },
  },
  { name: 'truncated-in-meta', apply: (bytes) => bytes.subarray(0, 150) },
  {
    name: 'pixel-data-undefined-length-without-items',
    apply: (bytes) => {
      const file = readDicomBuffer(bytes);
      const px = file.dataset.get(PixelData)!;
      const out = Buffer.from(bytes);
      out.writeUInt32LE(0xffffffff, px.span!.offset + 8);
      return out;
    },
  },
];

test('isolation: 30 broken files mixed with 30 good ones → 30 outputs, 30 failures, nothing stray, exit 2', { skip }, async () => {
  const source = join(CORPUS_DIR, 'dcm_qa_nih', '20180918GE');
  const candidates = filesBelow(source).filter((f) => f.endsWith('.dcm'));
  const work = mkdtempSync(join(tmpdir(), 'dicom-isolation-'));
  try {
    const input = join(work, 'in'), output = join(work, 'out');
    const good: string[] = [], broken: string[] = [];
    for (const rel of candidates) {
      if (good.length === 30 && broken.length === 30) break;
      const bytes = readFileSync(join(source, rel));
      let file;
      try {
        file = readDicomBuffer(bytes);
        if (!file.dataset.get(PixelData)?.span || file.dataset.get(PixelData)!.fragments) continue;
      } catch {
        continue;
      } finally {
        file?.close();
      }
      if (good.length < 30) {
        const name = join(`sub${good.length % 3}`, `good_${good.length}.dcm`);
        mkdirSync(dirname(join(input, name)), { recursive: true });
        writeFileSync(join(input, name), bytes);
        good.push(name);
        continue;
      }
      const breaker = BREAKERS[broken.length % BREAKERS.length];
      const bad = breaker.apply(bytes);
      assert.throws(() => readDicomBuffer(bad), DicomParseError, `${breaker.name} must make ${rel} unreadable`);
      const name = join(`sub${broken.length % 3}`, `broken_${broken.length}_${breaker.name}.dcm`);
      mkdirSync(dirname(join(input, name)), { recursive: true });
      writeFileSync(join(input, name), bad);
      broken.push(name);
    }
    assert.equal(good.length, 30);
    assert.equal(broken.length, 30);
    const before = checksums(input);
    const r = await cli(['-i', input, '-o', output, '-r']);
    assert.equal(r.code, 2, r.stderr);
    const failures = r.stderr.split('\n').filter((l) => l.startsWith('failed: '));
    assert.equal(failures.length, 30, r.stderr);
    for (const name of broken) assert.ok(failures.some((l) => l.includes(name)), `${name} is reported`);
    assert.deepEqual(filesBelow(output), [...good].sort(), 'exactly the good outputs, no .partial, nothing for broken inputs');
    for (const name of good) readDicomFile(join(output, name)).close();
    assert.deepEqual(checksums(input), before, 'inputs unchanged');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('inputs are never modified: checksums of a corpus subset before and after a CLI run', { skip }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicom-unchanged-'));
  try {
    // Run straight over the shared corpus folders (read-only use), varied encodings and features.
    const dirs = ['generated', 'dicomParser', 'dicognito', 'malformed'].map((d) => join(CORPUS_DIR, d));
    // Nothing is written beside them either: the default quarantine (<input>-quarantine) would land inside the shared
    // corpus, which is read-only in CI (and written by a root CI runner), so the run gets its own.
    const corpusEntries = readdirSync(CORPUS_DIR).sort();
    for (const dir of dirs) {
      const before = checksums(dir);
      const r = await cli(['-i', dir, '-o', join(work, relative(CORPUS_DIR, dir)), '-r', '--quarantine', join(work, `${relative(CORPUS_DIR, dir)}-quarantine`)]);
      // 0 all ok, 2 some failed (malformed/), 4 some quarantined (secondary captures, a PDF): never a crash.
      assert.ok(r.code === 0 || r.code === 2 || r.code === 4, r.stderr);
      assert.deepEqual(checksums(dir), before, `${dir} unchanged`);
    }
    assert.deepEqual(readdirSync(CORPUS_DIR).sort(), corpusEntries, 'nothing added beside the inputs');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
