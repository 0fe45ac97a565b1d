// Small leaks around the de-identification itself: a parse error never names a "tag" made of value bytes, file
// names with terminal escapes or newlines are printed escaped, and mapping CSVs can be made safe for spreadsheets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { explicitElement, part10Header } from '../../scripts/fuzz.js';
import { DicomParseError } from '../../src/dicom/errors.js';
import { readDicomBuffer } from '../../src/dicom/part10.js';
import { formatTag, makeTag } from '../../src/dicom/tag.js';
import { formatTable } from '../../src/verify/index.js';
import { readMappingCsv } from '../../src/records/index.js';
import { basicProfilePlan } from '../../src/config/load.js';
import { runBatch } from '../../src/batch/run.js';
import { run } from '../helpers/corpus.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.ts');

const NAME = 'JOHNSON^ELIZABETH^MARY^OJEDA';

/** Every "tag" that four consecutive bytes of `text` would make, read little or big endian. */
function tagsMadeOf(text: string): string[] {
  const b = Buffer.from(text, 'latin1');
  const tags: string[] = [];
  for (let i = 0; i + 4 <= b.length; i++) {
    tags.push(formatTag(makeTag(b.readUInt16LE(i), b.readUInt16LE(i + 2))), formatTag(makeTag(b.readUInt16BE(i), b.readUInt16BE(i + 2))));
  }
  return tags;
}

test('a Patient Name with a patched length: the parse error names the last element read correctly, never value bytes', () => {
  const name = explicitElement(0x0010, 0x0010, 'PN', NAME);
  const after = explicitElement(0x0010, 0x0020, 'LO', 'ID-1');
  let failures = 0;
  for (let length = 0; length < NAME.length; length += 2) {
    const patched = Buffer.from(name);
    patched.writeUInt16LE(length, 6);
    const bytes = Buffer.concat([part10Header('1.2.840.10008.1.2.1'), explicitElement(0x0008, 0x0018, 'UI', '1.2.3'), patched, after]);
    let error: unknown = null;
    try {
      readDicomBuffer(bytes, 'patched.dcm').close();
    } catch (e) {
      error = e;
    }
    if (error === null) continue; // the rest happened to parse as elements
    assert.ok(error instanceof DicomParseError, String(error));
    failures++;
    for (const tag of tagsMadeOf(NAME)) {
      assert.ok(!error.message.includes(tag), `length ${length}: the error names ${tag}, made of the name's bytes: ${error.message}`);
    }
    assert.match(error.message, /at byte \d+/);
    assert.ok(['(0008,0018)', '(0010,0010)', '(0010,0020)'].includes(error.tagPath), `length ${length}: ${error.tagPath}`);
  }
  assert.ok(failures > 5, `most patched lengths fail (${failures})`);
});

test('file names with terminal escapes and newlines are printed escaped, in the CLI and in verify\'s table', async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicom-leaks-names-'));
  try {
    const input = join(work, 'in');
    mkdirSync(input);
    const evil = 'x\u001b]0;PWNED\u0007\nfailed: forged\u009b2J';
    writeFileSync(join(input, `${evil}.dcm`), 'not DICOM, though named so');
    writeFileSync(join(input, `${evil}.txt`), 'not DICOM');
    const r = await run(process.execPath, ['--import', 'tsx', MAIN, '-i', input, '-o', join(work, 'out'), '-r', '--jobs', '1'], 60_000, {
      env: { ...process.env, DICOM_ANONYMIZER_KEY: 'leaks-test-key-0123456789' }, encoding: 'utf8',
    });
    assert.equal(r.code, 2, r.stderr);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(r.stderr), `no control character reaches the terminal: ${JSON.stringify(r.stderr)}`);
    assert.ok(!/^failed: forged/m.test(r.stderr), 'a newline in a name cannot forge a line');
    assert.match(r.stderr, /failed: .*x\\e\]0;PWNED\\x07\\nfailed: forged\\x9b2J\.dcm/);
    assert.match(r.stderr, /skipped: x\\e\]0;PWNED\\x07\\nfailed: forged\\x9b2J\.txt: not a DICOM file/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const table = formatTable({
    files: [{ output: 'a\u001b[2Jb\n.dcm', input: null, findings: [{ severity: 'high', tagPath: '(0010,0010)', kind: 'identifying-value', message: 'm', masked: 'S…(5)' }] }],
    summary: { files: 1, filesWithFindings: 1, findings: 1, high: 1, medium: 0, low: 0 },
  } as never);
  assert.ok(!/[\u001b]/.test(table));
  assert.match(table, /a\\e\[2Jb\\n\.dcm/);
});

test('--mapping-safe-csv prefixes values a spreadsheet would run as formulas with \'; without it they stay as they are', async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicom-leaks-csv-'));
  try {
    const input = join(work, 'in');
    mkdirSync(input);
    const ids = ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', 'PLAIN-1'];
    ids.forEach((id, i) => writeFileSync(join(input, `p${i}.dcm`), Buffer.concat([
      part10Header('1.2.840.10008.1.2.1'),
      explicitElement(0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
      explicitElement(0x0008, 0x0018, 'UI', `1.2.3.4.${i}`),
      explicitElement(0x0010, 0x0010, 'PN', 'CSV^TEST'),
      explicitElement(0x0010, 0x0020, 'LO', id),
    ])));
    const base = { input, recursive: true, plan: basicProfilePlan([]), secret: { kind: 'text', text: 'csv-test-key-0123456789' } as const, jobs: 1, log: () => {} };
    await runBatch({ ...base, output: join(work, 'out-safe'), mappingDir: join(work, 'map-safe'), mappingSafeCsv: true });
    await runBatch({ ...base, output: join(work, 'out-raw'), mappingDir: join(work, 'map-raw') });
    const oldIds = (dir: string): string[] => readMappingCsv(join(work, dir, 'patient_id.csv')).map((r) => r.old);
    assert.deepEqual(oldIds('map-safe').sort(), ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tTAB", 'PLAIN-1'].sort());
    assert.deepEqual(oldIds('map-raw').sort(), [...ids].sort());
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
