// Regressions of the fuzz harness (scripts/fuzz.ts) and the reader's limits: every file under test/fixtures/fuzz/
// and every synthetic bomb goes through read → anonymize → write and ends quickly, either fine or with a typed error
// (never a TypeError, RangeError or stack overflow). Files at the limits (128-deep nesting) still work end to end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import {
  deflateBomb, elementCountBomb, explicitElement, FIXTURE_DIR, fragmentBomb, itemCountBomb, makeEngine, nestingBomb,
  paddingBomb, part10Header, smallDataset, wideItemsBomb,
} from '../../scripts/fuzz.js';
import { readDicomBuffer, type ReadOptions } from '../../src/dicom/part10.js';
import { encodeDicomFileToBuffer } from '../../src/dicom/writer.js';
import { DicomParseError } from '../../src/dicom/errors.js';
import { DEFAULT_PARSE_LIMITS, DicomLimitError, type LimitName } from '../../src/dicom/limits.js';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/load.js';
import { makeTag } from '../../src/dicom/tag.js';
import type { DataSet } from '../../src/dicom/dataset.js';
import { withinHangBound } from '../helpers/hang-guard.js';

const anonymizer = new Anonymizer(basicProfilePlan([]), Keys.fromSecret('regression-fixed-key-0123456789'));

/** read → anonymize → write → read back; returns the error raised, if any. Fails the test on anything untyped. */
function roundTrip(bytes: Uint8Array, options: ReadOptions = {}): DicomParseError | null {
  let file;
  try {
    file = readDicomBuffer(bytes, 'input', options);
  } catch (error) {
    if (error instanceof DicomParseError) return error;
    throw error;
  }
  anonymizer.anonymizeFile(file);
  const out = encodeDicomFileToBuffer(file);
  file.close();
  readDicomBuffer(out, 'output', options).close();
  return null;
}

function expectLimit(bytes: Uint8Array, limit: LimitName, options: ReadOptions = {}): DicomLimitError {
  const error = withinHangBound(`the ${limit} input`, () => roundTrip(bytes, options));
  assert.ok(error instanceof DicomLimitError, `expected a DicomLimitError (${limit}), got ${error ? error.message : 'no error'}`);
  assert.equal(error.limit, limit, error.message);
  assert.ok(error.offset >= 0 && error.offset <= bytes.length, 'the error names a byte offset inside the file');
  assert.ok(error.message.includes('input'), 'the error names the file');
  return error;
}

function depthOf(ds: DataSet): number {
  let max = 0;
  for (const el of ds.elements) for (const item of el.items ?? []) max = Math.max(max, 1 + depthOf(item));
  return max;
}

test('fuzz fixtures: each one reads fine or raises a typed error, quickly', async () => {
  // A missing or emptied folder must fail here, not pass over zero files.
  assert.ok(existsSync(FIXTURE_DIR), `the fuzz fixture folder ${FIXTURE_DIR} is missing`);
  const files = readdirSync(FIXTURE_DIR).filter((f) => !f.endsWith('.md'));
  for (const known of ['hang-private-creator-padding.dcm', 'hang-transfer-syntax-padding.dcm']) {
    assert.ok(files.includes(known), `the regression fixture ${known} is missing from ${FIXTURE_DIR}`);
  }
  const engine = await makeEngine();
  for (const name of files) {
    const bytes = readFileSync(join(FIXTURE_DIR, name));
    for (const viaFile of [false, true]) {
      const result = engine.execute(bytes, viaFile);
      assert.notEqual(result.outcome, 'crash', `${name}: ${result.error?.name}: ${result.error?.message}\n${result.error?.stack}`);
      assert.ok(result.ms < 5000, `${name}: ${result.ms.toFixed(0)} ms`);
    }
  }
  engine.dispose();
});

for (const kind of ['undefined', 'defined', 'implicit', 'un'] as const) {
  test(`a 100,000-deep nesting bomb (${kind} lengths) raises DicomParseError (maxDepth), not a stack overflow`, () => {
    const error = expectLimit(nestingBomb(100_000, kind), 'maxDepth');
    assert.match(error.message, /nested deeper than 128/);
    assert.match(error.tagPath, /^\((0040,A730|0009,1010)\)\[0\]/, 'the tag path says where');
  });

  test(`a file nested exactly 128 deep (${kind}) anonymizes, writes and reads back; 129 is rejected`, () => {
    const bytes = nestingBomb(128, kind);
    const file = readDicomBuffer(bytes, 'deep');
    assert.equal(depthOf(file.dataset), 128);
    anonymizer.anonymizeFile(file);
    const out = encodeDicomFileToBuffer(file);
    const back = readDicomBuffer(out, 'deep-out');
    // The profile may drop private (un) or retired content, but what it writes must read back.
    assert.ok(depthOf(back.dataset) <= 128);
    if (kind !== 'un') assert.equal(depthOf(back.dataset), 128, 'ContentSequence is kept (cleaned) at every level');
    back.close();
    expectLimit(nestingBomb(129, kind), 'maxDepth');
  });
}

test('a raised maxDepth that overflows the stack still ends in a typed error', () => {
  const error = roundTrip(nestingBomb(100_000, 'undefined'), { limits: { maxDepth: 1_000_000 } });
  assert.ok(error instanceof DicomLimitError);
  assert.ok(error.limit === 'stack', error.message);
});

test('deflate bombs are stopped by maxInflateRatio and maxInflatedBytes', () => {
  expectLimit(deflateBomb(256), 'maxInflateRatio');
  // A less compressible payload (random-ish text repeated) under a small byte cap.
  const body = Buffer.concat([smallDataset(), explicitElement(0x0011, 0x0010, 'LO', 'X'), explicitElement(0x0011, 0x1010, 'OB', Buffer.alloc(4 << 20, 7))]);
  const file = Buffer.concat([part10Header('1.2.840.10008.1.2.1.99'), deflateRawSync(body)]);
  expectLimit(file, 'maxInflatedBytes', { maxInflatedBytes: 1 << 20 });
  assert.equal(roundTrip(file), null, 'fine with the defaults');
});

test('item, fragment, element and header-byte limits', () => {
  // The default maxItems only bites when maxElements (which counts items too) is raised above it.
  expectLimit(itemCountBomb(DEFAULT_PARSE_LIMITS.maxItems + 1), 'maxElements');
  expectLimit(itemCountBomb(DEFAULT_PARSE_LIMITS.maxItems + 1), 'maxItems', { limits: { maxElements: 5_000_000 } });
  expectLimit(itemCountBomb(1001), 'maxItems', { limits: { maxItems: 1000 } });
  assert.equal(roundTrip(itemCountBomb(1000), { limits: { maxItems: 1000 } }), null);
  expectLimit(fragmentBomb(DEFAULT_PARSE_LIMITS.maxItems + 1), 'maxItems', { limits: { maxElements: 5_000_000 } });
  expectLimit(elementCountBomb(1_000_000, 'private'), 'maxElementsPerDataset');
  // 16 MB of zero bytes after the last element are padding (issue 14): skipped, in linear time, and named as a repair.
  const zeros = readDicomBuffer(elementCountBomb(2_000_000, 'zeros'), 'zeros');
  assert.deepEqual(zeros.repairs, ['16000000 byte(s) of padding after the last element ignored']);
  zeros.close();
  assert.equal(roundTrip(elementCountBomb(5000, 'private')), null);
  expectLimit(itemCountBomb(5000), 'maxElements', { limits: { maxElements: 4000 } });
  // 600 values of 60 KiB each: 36 MB held in memory; with a 16 MiB cap that is too much.
  const big = Buffer.concat([part10Header('1.2.840.10008.1.2.1'), smallDataset(), explicitElement(0x0011, 0x0010, 'LO', 'FUZZ'),
    ...Array.from({ length: 600 }, (_, i) => explicitElement(0x0011, 0x1000 + (i % 256), 'UN', Buffer.alloc(60_000)))]);
  expectLimit(big, 'maxHeaderBytes', { limits: { maxHeaderBytes: 16 << 20 } });
  assert.equal(roundTrip(big), null, 'fine with the defaults');
});

test('limit errors keep the path of where they happened', () => {
  const error = expectLimit(itemCountBomb(11), 'maxItems', { limits: { maxItems: 10 } });
  assert.equal(error.tagPath, '(0008,1115)');
  assert.match(error.message, /more than 10 items in one sequence at byte \d+ in \(0008,1115\)/);
});

test('bad limit overrides are refused', () => {
  assert.throws(() => readDicomBuffer(nestingBomb(2, 'undefined'), 'x', { limits: { maxDepth: Number.NaN } }), TypeError);
  assert.throws(() => readDicomBuffer(nestingBomb(2, 'undefined'), 'x', { limits: { nope: 1 } as never }), TypeError);
});

test('a hidden sequence (UN) that is a nesting bomb is rejected, not silently kept opaque', () => {
  const error = expectLimit(nestingBomb(1000, 'un'), 'maxDepth');
  assert.match(error.tagPath, /^\(0009,1010\)/);
  void makeTag;
});

test('long padding runs in a private creator or the Transfer Syntax UID are handled in linear time', () => {
  // Found by the fuzzer (dcmjs/test/sample-dicom.dcm with a private creator's length stretched over 394 KB): the
  // creator's trailing padding was stripped with /[\0 ]+$/, quadratic in V8 (20 s for that file).
  const file = withinHangBound('the creator padding bomb', () => readDicomBuffer(paddingBomb('creator'), 'creator'));
  const creatorOf = file.dataset.get(makeTag(0x0009, 0x1001))?.privateCreator ?? '';
  assert.equal(creatorOf, 'X', 'padding around the creator is removed');
  file.close();
  const error = withinHangBound('the transfer syntax padding bomb', () => roundTrip(paddingBomb('transferSyntax')));
  assert.ok(error instanceof DicomParseError);
  assert.match(error.message, /Transfer Syntax UID is 64020 characters long/);
  assert.equal(error.tagPath, '(0002,0010)');
});

// Inputs that were quadratic outside the reader (padding trims, group lengths, removals; see docs/limits.md): each
// must now finish without hanging (test/helpers/hang-guard.ts).
const FORMERLY_QUADRATIC: [string, () => Buffer][] = [
  ['PatientID of 64,000 spaces + 1 letter (padding trim)', () => paddingBomb('patientId')],
  ['Specific Character Set of 64,000 NULs + 1 letter (charset and padding trims)', () => paddingBomb('charset')],
  ['99 items x 9,990 group-length elements (writer group lengths)', () => wideItemsBomb(99, 9_990, 'zeros')],
  ['99 items x 9,990 private elements (removals in the engine)', () => wideItemsBomb(99, 9_990, 'private')],
];
for (const [name, make] of FORMERLY_QUADRATIC) {
  test(`${name} finishes without hanging`, { timeout: 120_000 }, () => {
    withinHangBound(name, () => roundTrip(make()));
  });
}
