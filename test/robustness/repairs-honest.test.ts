// Repairs never hide data: the lenient reader skips only NUL or space runs after the last element, and only when
// nothing says they are data (a repaired element before them, native Pixel Data shorter than its attributes).
// Anything else fails the file with offset and tag. And every fuzzed output reported ok parses in dcmdump.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explicitElement, loadSeeds, makeEngine, makeInput, part10Header, smallDataset } from '../../scripts/fuzz.js';
import { readDicomBuffer } from '../../src/dicom/part10.js';
import { DicomParseError } from '../../src/dicom/errors.js';
import { corpusSkip } from '../helpers/corpus.js';
import { requireTools, skipUnlessTools } from '../helpers/tools.js';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const u16 = (v: number): Buffer => Buffer.from([v & 0xff, v >> 8]);

/** A 64×64 16-bit image whose lower part is black: its Pixel Data ends in a run of zeros. */
function blackBottomImage(pixelLengthField?: number): Buffer {
  const pixels = Buffer.alloc(64 * 64 * 2);
  for (let i = 0; i < 1000; i++) pixels.writeUInt16LE(100 + (i % 50), i * 2);
  const px = explicitElement(0x7fe0, 0x10, 'OW', pixels);
  if (pixelLengthField !== undefined) px.writeUInt32LE(pixelLengthField, 8);
  return Buffer.concat([
    part10Header(EXPLICIT_LE), smallDataset(),
    explicitElement(0x28, 0x02, 'US', u16(1)), explicitElement(0x28, 0x04, 'CS', 'MONOCHROME2'),
    explicitElement(0x28, 0x10, 'US', u16(64)), explicitElement(0x28, 0x11, 'US', u16(64)),
    explicitElement(0x28, 0x100, 'US', u16(16)), explicitElement(0x28, 0x101, 'US', u16(16)),
    explicitElement(0x28, 0x102, 'US', u16(15)), explicitElement(0x28, 0x103, 'US', u16(0)),
    px,
  ]);
}

const parseError = (bytes: Buffer): DicomParseError => {
  try {
    readDicomBuffer(bytes, 'case.dcm').close();
  } catch (error) {
    assert.ok(error instanceof DicomParseError, String(error));
    return error;
  }
  assert.fail('read as ok');
};

test('a corrupted Pixel Data length before black rows fails with offset and tag, not "padding ignored"', () => {
  const whole = blackBottomImage();
  const ok = readDicomBuffer(whole, 'whole.dcm');
  assert.deepEqual(ok.repairs, []);
  ok.close();
  const cut = blackBottomImage(64 * 64 * 2 - 4556);
  const error = parseError(cut);
  assert.match(error.message, /Pixel Data holds 3636 byte\(s\) where .* say 8192: the 4556 byte\(s\) after it are image data cut off by a corrupted length, not padding at byte \d+ in \(7FE0,0010\)/);
});

test('trailing zeros after a repaired element fail; after a clean file they are padding; 0xFF is never padding', () => {
  // The last element's length says 9 (odd): a repair, then a run of zeros.
  const oddId = Buffer.concat([u16(0x10), u16(0x20), Buffer.from('LO'), u16(9), Buffer.from('FUZZ-ID-1')]);
  const noId = Buffer.concat([part10Header(EXPLICIT_LE), smallDataset()]);
  const withOddId = Buffer.concat([noId.subarray(0, noId.indexOf(Buffer.from([0x10, 0, 0x20, 0, 0x4c, 0x4f]))), oddId]);
  assert.deepEqual(readDicomBuffer(withOddId, 'odd.dcm').repairs, ['odd value length padded to even: (0010,0020)'], 'the case reads without the zeros');
  assert.match(parseError(Buffer.concat([withOddId, Buffer.alloc(2001)])).message,
    /2001 byte\(s\) of fill after the last element, in a file whose elements needed a repair \(odd value length padded to even: \(0010,0020\)\): a corrupted length is more likely than padding; not read at byte \d+ in \(0010,0020\)/);

  const clean = Buffer.concat([part10Header(EXPLICIT_LE), smallDataset()]);
  for (const fill of [0x00, 0x20]) {
    const f = readDicomBuffer(Buffer.concat([clean, Buffer.alloc(512, fill)]), 'padded.dcm');
    assert.deepEqual(f.repairs, ['512 byte(s) of padding after the last element ignored']);
    f.close();
  }
  assert.match(parseError(Buffer.concat([clean, Buffer.alloc(510, 0xff)])).message, /at byte \d+/);
});

test('Pixel Data with a defined length under an encapsulated transfer syntax fails (dcmdump refuses the output)', () => {
  const jpeg = blackBottomImage();
  const uid = Buffer.from(EXPLICIT_LE);
  jpeg.write('1.2.840.10008.1.2.5', jpeg.indexOf(uid), 'latin1'); // RLE Lossless, as long as the original UID
  assert.match(parseError(jpeg).message, /Pixel Data has a defined length although the transfer syntax 1\.2\.840\.10008\.1\.2\.5 is encapsulated .* at byte \d+ in \(7FE0,0010\)/);
});

test('every fuzzed output reported ok parses in dcmdump without errors', { skip: corpusSkip() || skipUnlessTools('dcmdump') }, async () => {
  requireTools('dcmdump');
  const seeds = await loadSeeds(256 * 1024, 60);
  const engine = await makeEngine();
  const work = mkdtempSync(join(tmpdir(), 'repairs-dcmdump-'));
  try {
    const outputs: { path: string; label: string }[] = [];
    let typed = 0;
    for (let index = 0; index < 320 && outputs.length < 150; index++) {
      const input = makeInput(24_2024, index, seeds);
      const result = engine.execute(input.bytes, false, true);
      assert.notEqual(result.outcome, 'crash', `${input.label}: ${result.error?.message}`);
      if (result.outcome === 'typed') typed++;
      if (result.outcome !== 'ok' || !result.output) continue;
      const path = join(work, `${index}.dcm`);
      writeFileSync(path, result.output);
      outputs.push({ path, label: input.label });
    }
    assert.ok(outputs.length >= 80 && typed >= 10, `the harness produced both kinds (${outputs.length} ok, ${typed} refused)`);
    // One dcmdump over all of them (a process each costs ~70 ms); file by file only to name what it refused.
    const dump = (paths: string[]): { ok: boolean; error: string } => {
      const r = spawnSync('dcmdump', ['-q', '+E', '-M', ...paths], { encoding: 'latin1', maxBuffer: 1 << 28 });
      assert.equal(r.error, undefined, 'dcmdump ran');
      assert.ok(r.stdout.includes('(0008,0018)') || r.status !== 0, 'dcmdump printed the data sets');
      const error = r.stderr.split('\n').find((l) => l.startsWith('E:')) ?? '';
      return { ok: r.status === 0 && error === '', error };
    };
    if (dump(outputs.map((o) => o.path)).ok) return;
    const broken = outputs.flatMap(({ path, label }) => {
      const r = dump([path]);
      return r.ok ? [] : [`${label}: ${r.error}`];
    });
    assert.deepEqual(broken, [], `outputs reported ok that dcmdump cannot read (${broken.length} of ${outputs.length})`);
  } finally {
    engine.dispose();
    rmSync(work, { recursive: true, force: true });
  }
});
