// The Basic Profile and verify, both checked against PS3.15 Table E.1-1 AS PUBLISHED (the raw table copied in
// test/fixtures/reference/dicom-standard/, parsed here), not against src/profiles: the engine and verify both read
// the generated table through basicProfileRules, so a misreading they share passes every other test.
//
// One synthetic file holds every attribute of the table (a distinctive value each; one instance for each
// repeating-group row, and one private element for the private rule). After anonymization with the default profile:
//   X → the element is gone; Z → present, the original value gone; D → present, non-empty, not the original;
//   U → present, a different UID; X/Z, X/D, X/Z/D, Z/D, X/Z/U* → absent or not the original value. The engine's
//   documented deviations from the table (DEVIATIONS) are listed, so a new one fails here.
// Then every original value is put back into the anonymized file: verify must report each one whose VR it searches.
// The only input shared with the code under test is the PS3.6 dictionary (for the VR of each attribute).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/load.js';
import { DataElement, DataSet } from '../../src/dicom/dataset.js';
import { createDicomFile } from '../../src/dicom/create.js';
import { lookupTag } from '../../src/dicom/dictionary.js';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { formatTag, makeTag, type Tag } from '../../src/dicom/tag.js';
import { encodeNumbers, getStrings, newItem, newSequenceElement, newStringElement } from '../../src/dicom/values.js';
import { isStringVR } from '../../src/dicom/vr.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { verifyPair } from '../../src/verify/index.js';
import { E11_RAW } from '../helpers/fixtures.js';

// ------------------------------------------------------------------------------------------ the raw table, parsed here

const COLUMNS = [
  'Attribute Name', 'Tag', 'Retd. (from PS3.6)', 'In Std. Comp. IOD (from PS3.3)', 'Basic Prof.', 'Rtn. Safe Priv. Opt.',
  'Rtn. UIDs Opt.', 'Rtn. Dev. Id. Opt.', 'Rtn. Inst. Id. Opt.', 'Rtn. Pat. Chars. Opt.', 'Rtn. Long. Full Dates Opt.',
  'Rtn. Long. Modif. Dates Opt.', 'Clean Desc. Opt.', 'Clean Struct. Cont. Opt.', 'Clean Graph. Opt.',
];
/** PS3.15 Table E.1-1a codes that occur in the Basic Profile column. */
const BASIC_CODES = new Set(['X', 'Z', 'D', 'U', 'X/Z', 'X/D', 'X/Z/D', 'Z/D', 'X/Z/U*']);

interface Row { name: string; tagText: string; basic: string; tag: Tag; vr: string }

function parseTable(): Row[] {
  const raw = JSON.parse(readFileSync(E11_RAW, 'utf8')) as Array<Record<string, string>>;
  assert.equal(raw.length, 656, 'PS3.15 2026c Table E.1-1 has 656 rows');
  const rows: Row[] = [];
  for (const cells of raw) {
    assert.deepEqual(Object.keys(cells), COLUMNS, 'column headers as published');
    const name = cells['Attribute Name'], tagText = cells.Tag, basic = cells['Basic Prof.'];
    assert.ok(BASIC_CODES.has(basic), `${tagText}: Basic Profile code "${basic}"`);
    let tag: Tag;
    let m: RegExpExecArray | null;
    if ((m = /^\(([0-9A-F]{4}),([0-9A-F]{4})\)$/.exec(tagText))) tag = makeTag(parseInt(m[1], 16), parseInt(m[2], 16));
    else if (tagText === '(50xx,xxxx)') tag = makeTag(0x5002, 0x2500); // Curve Label, in the third curve group
    else if ((m = /^\(60xx,([0-9A-F]{4})\)$/.exec(tagText))) tag = makeTag(0x6004, parseInt(m[1], 16)); // third overlay group
    else if (tagText === '(gggg,eeee) where gggg is odd') tag = makeTag(0x0009, 0x1010);
    else assert.fail(`unexpected Tag cell ${tagText}`);
    // Command elements (group 0000) are not stored in files.
    if (tag >>> 16 === 0) continue;
    const vr = tagText.startsWith('(gggg') ? 'LO' : vrOf(tag, tagText);
    rows.push({ name, tagText, basic, tag, vr });
  }
  return rows;
}

function vrOf(tag: Tag, tagText: string): string {
  const vr = lookupTag(tag)?.vr ?? '';
  assert.ok(vr !== '', `${tagText}: no VR in the data dictionary`);
  return vr.split(' or ')[0];
}

// ------------------------------------------------------------------------------------------ the synthetic original

const hex = (tag: Tag): string => (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
const pad = (n: number): string => String(n).padStart(2, '0');

/** A value no other element holds, valid for the VR, and long enough to be searched by verify. */
function valueFor(row: Row, i: number): string | number[] | Uint8Array {
  const h = hex(row.tag);
  switch (row.vr) {
    case 'PN': return `Zqxw${h}^Vykj${h}`;
    case 'CS': return `ZQ_${h}`;
    case 'AE': return `ZQ${h}`;
    case 'SH': return `ZQXW ${h}`;
    case 'LO': case 'ST': case 'LT': case 'UT': case 'UC': return `ZQXW value of ${h}`;
    case 'UR': return `https://zqxw.invalid/${h}`;
    case 'UI': return `1.2.826.0.1.3680043.10.4242.${parseInt(h, 16)}`;
    case 'DA': return `19${pad(i % 100)}${pad(1 + (i % 12))}${pad(1 + (i % 28))}`;
    case 'DT': return `19${pad(i % 100)}${pad(1 + (i % 12))}${pad(1 + (i % 28))}${pad(i % 24)}${pad(i % 60)}17`;
    case 'TM': return `${pad(i % 24)}${pad(i % 60)}17.${100 + i}`;
    case 'AS': return '047Y';
    case 'DS': return `${1000 + i}.5`;
    case 'IS': return `${100000 + i}`;
    case 'US': case 'SS': case 'UL': case 'SL': return [4242 + i];
    case 'FL': case 'FD': return [42.5 + i];
    default: return Buffer.from(`ZQXW bytes of ${h}`.padEnd(24, ' '), 'latin1'); // OB, OW, UN...
  }
}

function put(ds: DataSet, row: Row, value: string | number[] | Uint8Array): void {
  if (row.vr === 'SQ') {
    const seq = newSequenceElement(row.tag);
    ds.put(seq);
    const item = newItem(ds, seq);
    item.put(newStringElement(item, makeTag(0x0008, 0x0100), 'SH', `ZQ ${hex(row.tag)}`));
    seq.setItems([item]);
    return;
  }
  if (typeof value === 'string' && isStringVR(row.vr)) {
    ds.put(newStringElement(ds, row.tag, row.vr, value));
    return;
  }
  const el = new DataElement(row.tag, row.vr);
  if (value instanceof Uint8Array) el.setValue(value, row.vr);
  else el.setValue(encodeNumbers(ds, row.vr, value as number[]), row.vr);
  ds.put(el);
}

const SOP_CLASS = '1.2.840.10008.5.1.4.1.1.7'; // Secondary Capture
const SOP_INSTANCE = '1.2.826.0.1.3680043.10.4242.1';

function buildOriginal(rows: Row[], values: Map<Row, string | number[] | Uint8Array>): DicomFile {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  ds.put(newStringElement(ds, makeTag(0x0008, 0x0016), 'UI', SOP_CLASS));
  ds.put(newStringElement(ds, makeTag(0x0009, 0x0010), 'LO', 'ZQXW PRIVATE CREATOR'));
  for (const row of rows) if (row.tag !== makeTag(0x0008, 0x0018)) put(ds, row, values.get(row)!);
  ds.put(newStringElement(ds, makeTag(0x0008, 0x0018), 'UI', SOP_INSTANCE));
  return createDicomFile(ds, '1.2.840.10008.1.2.1', SOP_CLASS, SOP_INSTANCE);
}

function valueText(file: DicomFile, el: DataElement): string {
  if (el.items) return `SQ[${el.items.length}]`;
  if (isStringVR(el.vr)) return getStrings(file.dataset, el, file.datasetSource).join('\\');
  return Buffer.from(el.bytes(file.datasetSource)).toString('hex');
}

function originalText(row: Row, original: DicomFile): string {
  const el = original.dataset.get(row.tag);
  assert.ok(el, `${row.tagText} is in the original`);
  return valueText(original, el);
}

/**
 * Where the engine deliberately does something else than the table's code (documented in src/profiles/basic.ts);
 * each must still leak nothing. Any other difference from the raw table fails the test. None in a human patient's
 * file: Responsible Person / Organization are emptied instead of removed only when a patient species is given
 * (test/anonymize/conditional-codes.test.ts), and this file gives none.
 */
const DEVIATIONS: ReadonlyMap<string, { code: 'Z' | 'X'; why: string }> = new Map([
  // Issue #23: the polylines and text a presentation state draws over the image can spell a name, and no dummy item
  // can be judged safe; the module is conditional, so removing the sequence keeps the IOD (Clean Graphics keeps
  // the cleaned text objects instead).
  ['(0070,0001)', { code: 'X', why: 'Graphic Annotation Sequence removed whole by the Basic Profile (src/profiles/basic.ts)' }],
]);

/** VRs whose values verify collects from the original and searches for (src/verify/identifying.ts). */
const SEARCHED_VRS = new Set(['PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC', 'AE', 'CS', 'DA', 'DT', 'TM', 'UI']);

test('default profile and verify against the raw PS3.15 E.1-1: every Basic Profile action, every row', () => {
  const rows = parseTable();
  assert.ok(rows.length >= 650, `${rows.length} rows`);
  assert.equal(rows.filter((r) => r.basic === 'X').length, 415, 'X rows (416 minus the command element (0000,1000))');
  const values = new Map(rows.map((row, i) => [row, valueFor(row, i)] as const));
  const dir = mkdtempSync(join(tmpdir(), 'e11-raw-'));
  try {
    const originalPath = join(dir, 'original.dcm'), outputPath = join(dir, 'anonymized.dcm'), injectedPath = join(dir, 'injected.dcm');
    writeDicomFile(buildOriginal(rows, values), originalPath);
    const original = readDicomFile(originalPath);
    const before = new Map(rows.map((row) => [row, originalText(row, original)] as const));

    const file = readDicomFile(originalPath);
    new Anonymizer(basicProfilePlan([]), Keys.fromSecret('e11-raw-test-key-0123456789')).anonymizeFile(file);
    writeDicomFile(file, outputPath);
    file.close();

    const out = readDicomFile(outputPath);
    const wrong: string[] = [];
    for (const row of rows) {
      const el = out.dataset.get(row.tag);
      const now = el && valueText(out, el);
      const was = before.get(row)!;
      const where = `${row.tagText} ${row.name} (${row.basic}, ${row.vr})`;
      const deviation = DEVIATIONS.get(row.tagText);
      if (deviation) {
        if (deviation.code === 'X' ? el !== undefined : !el || now !== '') {
          wrong.push(`${where}: expected the documented deviation (${deviation.why}): ${deviation.code === 'X' ? 'removed' : 'present and empty'}`);
        }
        continue;
      }
      switch (row.basic) {
        case 'X':
          if (el) wrong.push(`${where}: still present`);
          break;
        case 'Z':
          if (!el) wrong.push(`${where}: removed, must be present (zero length or a dummy)`);
          else if (now === was) wrong.push(`${where}: original value kept`);
          break;
        case 'D':
          if (!el) wrong.push(`${where}: removed, must hold a dummy value`);
          else if (row.vr === 'SQ') break; // a D sequence stays; its items get their own attributes' actions
          else if (now === '' || now === was) wrong.push(`${where}: ${now === '' ? 'empty' : 'original value kept'}, must be a dummy`);
          break;
        case 'U':
          if (!el) wrong.push(`${where}: removed, must hold a new UID`);
          else if (now === was || !/^[0-9.]+$/.test(now ?? '')) wrong.push(`${where}: not replaced by a new UID`);
          break;
        default: // X/Z, X/D, X/Z/D, Z/D, X/Z/U*: the choice depends on the IOD's type; the original must not survive.
          if (el && now === was && row.vr !== 'SQ') wrong.push(`${where}: original value kept`);
      }
    }
    out.close();

    // Put every original value back: verify must see each one it searches for.
    const injected = readDicomFile(outputPath);
    for (const row of rows) {
      if (row.vr === 'SQ' || row.tag === makeTag(0x0008, 0x0018)) continue;
      injected.dataset.remove(row.tag);
      put(injected.dataset, row, values.get(row)!);
    }
    writeDicomFile(injected, injectedPath);
    injected.close();
    const findings = verifyPair(originalPath, injectedPath);
    const flagged = new Set(findings.map((f) => f.tagPath.toUpperCase()));
    const searched = rows.filter((r) => SEARCHED_VRS.has(r.vr) && r.tag !== makeTag(0x0008, 0x0018));
    assert.ok(searched.length > 450, `${searched.length} rows with a searched VR`);
    const missed = searched.filter((r) => !flagged.has(formatTag(r.tag).toUpperCase())).map((r) => `${r.tagText} ${r.name} (${r.basic}, ${r.vr})`);
    // Both at once, so a misreading shared by the engine and verify shows on both sides.
    assert.deepEqual({ anonymizedNotAsTheTableSays: wrong, putBackNotReportedByVerify: missed }, { anonymizedNotAsTheTableSays: [], putBackNotReportedByVerify: [] });
    original.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
