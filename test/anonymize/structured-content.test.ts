// Clean Structured Content Option (PS3.15 E.3.4, Table E.3.4-1): SR content items decided by their concept name, on
// datasets built in memory (option on, option off, with date / UID / descriptor options), and over the corpus SR
// files (dcmdump -E stays clean).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDicomFile } from '../../src/dicom/create.js';
import { DataSet } from '../../src/dicom/dataset.js';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { encodeDicomFileToBuffer } from '../../src/dicom/writer.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { makeTag, type Tag } from '../../src/dicom/tag.js';
import { EXPLICIT_VR_LITTLE_ENDIAN } from '../../src/dicom/transfer-syntax.js';
import { encodeNumbers, getNumbers, getString, newItem, newSequenceElement, newStringElement } from '../../src/dicom/values.js';
import { DataElement } from '../../src/dicom/dataset.js';
import { Anonymizer, type AuditEntry } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { lookupConcept } from '../../src/anonymize/structured-content.js';
import { basicProfilePlan } from '../../src/config/load.js';
import type { ProfileOption } from '../../src/plan/plan.js';
import { CID7050_FOR_OPTION } from '../../src/profiles/cid7050.generated.js';
import { corpusEntries, corpusPath, corpusSkip, dcmdumpClean, mapLimit } from '../helpers/corpus.js';
import { requireTools, skipUnlessTools } from '../helpers/tools.js';

const KEY = Keys.fromSecret('structured-content-test-key-0123456789');
const SC_PLAN = basicProfilePlan(['cleanStructuredContent']).structuredContent!;
const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
const CT = '1.2.840.10008.5.1.4.1.1.2';
const T = (g: number, e: number): Tag => makeTag(g, e);
const TAG = {
  charset: T(0x0008, 0x0005), sopClass: T(0x0008, 0x0016), sopInstance: T(0x0008, 0x0018), codeValue: T(0x0008, 0x0100),
  scheme: T(0x0008, 0x0102), schemeVersion: T(0x0008, 0x0103), codeMeaning: T(0x0008, 0x0104), longCodeValue: T(0x0008, 0x0119),
  patientName: T(0x0010, 0x0010), patientId: T(0x0010, 0x0020), methodCodes: T(0x0012, 0x0064), studyUid: T(0x0020, 0x000d),
  seriesUid: T(0x0020, 0x000e), acquisitionContext: T(0x0040, 0x0555), relationship: T(0x0040, 0xa010), valueType: T(0x0040, 0xa040),
  conceptName: T(0x0040, 0xa043), dateTime: T(0x0040, 0xa120), date: T(0x0040, 0xa121), time: T(0x0040, 0xa122),
  personName: T(0x0040, 0xa123), uid: T(0x0040, 0xa124), textValue: T(0x0040, 0xa160), contentSequence: T(0x0040, 0xa730),
  referencedContentItem: T(0x0040, 0xdb73),
};

interface ItemSpec {
  /** [code value, scheme, meaning]; `long` puts the code in Long Code Value (0008,0119). */
  concept?: [string, string, string];
  long?: boolean;
  schemeVersion?: string;
  valueType: string;
  value?: [Tag, string, string];
  children?: ItemSpec[];
  /** By-reference relationship: Referenced Content Item Identifier. */
  ref?: number[];
}

function addItem(parent: DataSet, sequence: DataElement, spec: ItemSpec): DataSet {
  const item = newItem(parent, sequence);
  item.put(newStringElement(item, TAG.relationship, 'CS', spec.ref ? 'INFERRED FROM' : 'CONTAINS'));
  if (spec.ref) {
    const ref = new DataElement(TAG.referencedContentItem, 'UL');
    ref.setValue(encodeNumbers(item, 'UL', spec.ref));
    item.put(ref);
  } else {
    item.put(newStringElement(item, TAG.valueType, 'CS', spec.valueType));
  }
  if (spec.concept) {
    const cn = newSequenceElement(TAG.conceptName);
    item.put(cn);
    const code = newItem(item, cn);
    const [value, scheme, meaning] = spec.concept;
    code.put(newStringElement(code, spec.long ? TAG.longCodeValue : TAG.codeValue, spec.long ? 'UC' : 'SH', value));
    code.put(newStringElement(code, TAG.scheme, 'SH', scheme));
    if (spec.schemeVersion) code.put(newStringElement(code, TAG.schemeVersion, 'SH', spec.schemeVersion));
    code.put(newStringElement(code, TAG.codeMeaning, 'LO', meaning));
    cn.setItems([code]);
  }
  if (spec.value) item.put(newStringElement(item, spec.value[0], spec.value[1], spec.value[2]));
  if (spec.children) addChildren(item, TAG.contentSequence, spec.children);
  return item;
}

function addChildren(holder: DataSet, tag: Tag, specs: ItemSpec[]): void {
  const seq = newSequenceElement(tag);
  holder.put(seq);
  const items: DataSet[] = [];
  for (const spec of specs) {
    const item = addItem(holder, seq, spec);
    items.push(item);
    seq.setItems([...items]);
  }
}

// Content of the test report, root children in order (1-based position in the comment = 1.n path).
const CONTENT: ItemSpec[] = [
  /* 1.1 */ { concept: ['121008', 'DCM', 'Person Observer Name'], valueType: 'PNAME', value: [TAG.personName, 'PN', 'WATSON^EMMA'] },
  /* 1.2 */ { concept: ['122146', 'DCM', 'Procedure DateTime'], valueType: 'DATETIME', value: [TAG.dateTime, 'DT', '20240315101500'] },
  /* 1.3 */ { concept: ['130884', 'DCM', 'Acquisition DateTime'], valueType: 'DATETIME', value: [TAG.dateTime, 'DT', '20240315102000'] },
  /* 1.4 */ { concept: ['121071', 'DCM', 'Finding'], valueType: 'TEXT', value: [TAG.textValue, 'UT', 'Small nodule in the left lobe'] },
  /* 1.5 */ { concept: ['110180', 'DCM', 'Study Instance UID'], valueType: 'UIDREF', value: [TAG.uid, 'UI', '1.2.3.4.5.1'] },
  /* 1.6 */ { concept: ['121028', 'DCM', 'Subject UID'], valueType: 'UIDREF', value: [TAG.uid, 'UI', '1.2.3.4.5.777'] },
  /* 1.7 */ { concept: ['121088', 'DCM', 'Fellow'], valueType: 'PNAME', value: [TAG.personName, 'PN', 'HOLMES^SHERLOCK'] },
  /* 1.8 */ { concept: ['L-COMMENT', '99LOCAL', 'Comment'], valueType: 'TEXT', value: [TAG.textValue, 'UT', 'Discussed with Dr Watson'] },
  /* 1.9 */ { concept: ['L-COMMENT', '99LOCAL', 'Comment'], valueType: 'TEXT', value: [TAG.textValue, 'UT', 'No acute findings'] },
  /* 1.10 */ { concept: ['L-DATE', '99LOCAL', 'Local date'], valueType: 'DATE', value: [TAG.date, 'DA', '20240316'] },
  /* 1.11 */ { concept: ['L-PN', '99LOCAL', 'Local person'], valueType: 'PNAME', value: [TAG.personName, 'PN', 'HUDSON^MARTHA'] },
  /* 1.12 */ { concept: ['121008', 'DCM', 'Person Observer Name'], long: true, valueType: 'PNAME', value: [TAG.personName, 'PN', 'LESTRADE^G'] },
  /* 1.13 */ { concept: ['76', 'NCDR', 'Catheterization Operator'], schemeVersion: '2.0b', valueType: 'PNAME', value: [TAG.personName, 'PN', 'MORSTAN^MARY'] },
  /* 1.14 */ {
    concept: ['L-GROUP', '99LOCAL', 'Subject group'], valueType: 'CONTAINER', children: [
      /* 1.14.1 */ { concept: ['121031', 'DCM', 'Subject Birth Date'], valueType: 'DATE', value: [TAG.date, 'DA', '19610203'] },
      /* 1.14.2 */ { concept: ['121030', 'DCM', 'Subject ID'], valueType: 'TEXT', value: [TAG.textValue, 'UT', 'SUBJ-4711'] },
    ],
  },
  /* 1.15 */ { valueType: '', ref: [1, 9] }, // -> "No acute findings" (becomes 1.6 once 1.3, 1.6, 1.7 go)
  /* 1.16 */ { valueType: '', ref: [1, 7] }, // -> Fellow, removed: this item goes too
  /* 1.17 */ { concept: ['L-NOTE', '99LOCAL', 'Note'], valueType: 'TEXT', value: [TAG.textValue, 'UT', 'Sample SUBJ-4711 sent to lab'] },
];

function makeReport(extra: (ds: DataSet) => void = () => {}): DicomFile {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const put = (tag: Tag, vr: string, value: string): void => ds.put(newStringElement(ds, tag, vr, value));
  put(TAG.charset, 'CS', 'ISO_IR 100');
  put(TAG.sopClass, 'UI', COMPREHENSIVE_SR);
  put(TAG.sopInstance, 'UI', '1.2.3.4.5.3');
  put(TAG.patientName, 'PN', 'SMITH^JOHN');
  put(TAG.patientId, 'LO', 'MRN123456');
  put(TAG.studyUid, 'UI', '1.2.3.4.5.1');
  put(TAG.seriesUid, 'UI', '1.2.3.4.5.2');
  put(TAG.valueType, 'CS', 'CONTAINER');
  const title = newSequenceElement(TAG.conceptName);
  ds.put(title);
  const code = newItem(ds, title);
  code.put(newStringElement(code, TAG.codeValue, 'SH', '126000'));
  code.put(newStringElement(code, TAG.scheme, 'SH', 'DCM'));
  code.put(newStringElement(code, TAG.codeMeaning, 'LO', 'Imaging Measurement Report'));
  title.setItems([code]);
  addChildren(ds, TAG.contentSequence, CONTENT);
  extra(ds);
  return createDicomFile(ds, EXPLICIT_VR_LITTLE_ENDIAN, COMPREHENSIVE_SR, '1.2.3.4.5.3');
}

function anonymize(file: DicomFile, options: ProfileOption[], audit?: (e: AuditEntry) => void): DataSet {
  new Anonymizer(basicProfilePlan(options), KEY).anonymizeFile(file, audit);
  return file.dataset;
}

const str = (ds: DataSet, tag: Tag): string | undefined => {
  const el = ds.get(tag);
  return el ? getString(ds, el) : undefined;
};
const children = (ds: DataSet): DataSet[] => ds.get(TAG.contentSequence)?.items ?? [];
const meaning = (item: DataSet): string => {
  const code = item.get(TAG.conceptName)?.items?.[0];
  return code ? str(code, TAG.codeMeaning) ?? '' : '';
};
/** The root's children by concept meaning (first occurrence); by-reference items under "ref". */
const byMeaning = (ds: DataSet): Map<string, DataSet> => {
  const out = new Map<string, DataSet>();
  children(ds).forEach((item, i) => {
    const key = item.get(TAG.referencedContentItem) ? `ref@${i + 1}` : meaning(item);
    if (!out.has(key)) out.set(key, item);
  });
  return out;
};
const get = (m: Map<string, DataSet>, key: string): DataSet => {
  const item = m.get(key);
  assert.ok(item, `content item "${key}" present`);
  return item;
};
const methodCodes = (ds: DataSet): string[] => (ds.get(TAG.methodCodes)?.items ?? []).map((i) => str(i, TAG.codeValue) ?? '');

test('the table lookup: code + scheme + value type, Long Code Value, scheme version in brackets split off', () => {
  const ds = makeReport().dataset;
  const items = children(ds);
  assert.equal(lookupConcept(items[0], SC_PLAN)?.codeMeaning, 'Person Observer Name');
  assert.equal(lookupConcept(items[0], SC_PLAN)?.basic, 'D');
  assert.equal(lookupConcept(items[2], SC_PLAN)?.basic, 'X');
  assert.equal(lookupConcept(items[7], SC_PLAN), null, 'a local concept is not listed');
  assert.equal(lookupConcept(items[11], SC_PLAN)?.codeMeaning, 'Person Observer Name', 'Long Code Value');
  assert.equal(lookupConcept(items[12], SC_PLAN)?.codeMeaning, 'Catheterization Operator', 'NCDR [2.0b] matches designator NCDR');
});

test('option on: each listed concept gets its Table E.3.4-1 action, unlisted ones the defaults; CID 7050 113104', () => {
  const audit: AuditEntry[] = [];
  const out = anonymize(makeReport(), ['cleanStructuredContent'], (e) => audit.push(e));
  const m = byMeaning(out);
  // Person Observer Name D: dummy.
  assert.equal(str(get(m, 'Person Observer Name'), TAG.personName), 'ANONYMIZED');
  // Procedure DateTime X/D: dummy (no date option).
  assert.equal(str(get(m, 'Procedure DateTime'), TAG.dateTime), '19000101000000');
  // Acquisition DateTime X, Subject UID X, Fellow X: the content items are gone.
  for (const gone of ['Acquisition DateTime', 'Subject UID', 'Fellow']) assert.equal(m.has(gone), false, `${gone} removed`);
  // Finding X/D: dummy text.
  assert.equal(str(get(m, 'Finding'), TAG.textValue), 'ANONYMIZED');
  // Study Instance UID D: a consistent dummy, i.e. remapped like the Study Instance UID itself.
  const uid = str(get(m, 'Study Instance UID'), TAG.uid);
  assert.match(uid ?? '', /^2\.25\.\d+$/);
  assert.equal(uid, str(out, TAG.studyUid), 'same mapping as (0020,000D)');
  // Unlisted TEXT: replaced by a dummy when it names someone of the instance (the observer WATSON, a content item value), kept otherwise.
  const comments = children(out).filter((i) => meaning(i) === 'Comment');
  assert.equal(comments.length, 2);
  assert.equal(str(comments[0], TAG.textValue), 'ANONYMIZED', 'text naming the observer replaced by a dummy');
  assert.equal(str(comments[1], TAG.textValue), 'No acute findings');
  // Unlisted DATE: like other dates (E.1-1 (0040,A121) D: dummy); unlisted PNAME: dummy.
  assert.equal(str(get(m, 'Local date'), TAG.date), '19000101');
  assert.equal(str(get(m, 'Local person'), TAG.personName), 'ANONYMIZED');
  // Long Code Value and NCDR [2.0b] concepts (both PNAME D).
  const observers = children(out).filter((i) => meaning(i) === 'Person Observer Name');
  assert.equal(str(observers[1], TAG.personName), 'ANONYMIZED');
  assert.equal(str(get(m, 'Catheterization Operator'), TAG.personName), 'ANONYMIZED');
  // Nested: Subject Birth Date X removed, Subject ID X/D dummy.
  const group = get(m, 'Subject group');
  assert.deepEqual(children(group).map(meaning), ['Subject ID']);
  assert.equal(str(children(group)[0], TAG.textValue), 'ANONYMIZED');
  // Free text repeating a listed identifier (Subject ID) loses that identifier, keeps the rest (src/identifying/).
  assert.equal(str(get(m, 'Note'), TAG.textValue), 'Sample sent to lab');
  // By-reference items: the one pointing at "No acute findings" renumbered, the one pointing at Fellow removed.
  const refs = children(out).filter((i) => i.get(TAG.referencedContentItem));
  assert.equal(refs.length, 1);
  const target = getNumbers(refs[0], refs[0].get(TAG.referencedContentItem)!);
  assert.deepEqual(target, [1, 6]);
  assert.equal(str(children(out)[target[1] - 1], TAG.textValue), 'No acute findings');
  assert.equal(children(out).length, CONTENT.length - 4);
  children(out).forEach((item, i) => assert.equal(item.parent?.index, i));
  // Markers and the audit.
  assert.ok(methodCodes(out).includes('113104'));
  assert.equal(CID7050_FOR_OPTION.cleanStructuredContent, '113104');
  assert.ok(audit.some((e) => e.origin.includes('E.3.4-1')));
  // Nothing identifying in the bytes.
  const bytes = encodeDicomFileToBuffer(makeAnonymizedReport(['cleanStructuredContent'])).toString('latin1');
  for (const secret of ['WATSON', 'HOLMES', 'HUDSON', 'LESTRADE', 'MORSTAN', '19610203', 'SUBJ-4711', '20240315', '1.2.3.4.5.777', 'nodule']) {
    assert.ok(!bytes.includes(secret), `${secret} not in the output`);
  }
});

function makeAnonymizedReport(options: ProfileOption[]): DicomFile {
  const file = makeReport();
  anonymize(file, options);
  return file;
}

test('option on with other options: K and C columns of Table E.3.4-1', () => {
  const full = byMeaning(anonymize(makeReport(), ['cleanStructuredContent', 'retainLongitudinalFullDates', 'retainUIDs']));
  assert.equal(str(get(full, 'Procedure DateTime'), TAG.dateTime), '20240315101500', 'K (full dates)');
  assert.equal(str(get(full, 'Study Instance UID'), TAG.uid), '1.2.3.4.5.1', 'K (retain UIDs)');
  assert.equal(str(get(full, 'Local date'), TAG.date), '20240316', 'unlisted date: E.1-1 (0040,A121) K');

  const modified = byMeaning(anonymize(makeReport(), ['cleanStructuredContent', 'retainLongitudinalModifiedDates']));
  const shifted = str(get(modified, 'Procedure DateTime'), TAG.dateTime) ?? '';
  assert.match(shifted, /^\d{8}101500$/);
  assert.notEqual(shifted, '20240315101500', 'C: shifted');
  assert.notEqual(str(get(modified, 'Local date'), TAG.date), '20240316');
  assert.match(str(get(modified, 'Local date'), TAG.date) ?? '', /^\d{8}$/);

  const descriptors = byMeaning(anonymize(makeReport(), ['cleanStructuredContent', 'cleanDescriptors']));
  assert.equal(str(get(descriptors, 'Finding'), TAG.textValue), 'Small nodule in the left lobe', 'C (clean descriptors): kept');
});

test('Acquisition DateTime is X with K under Retain Longitudinal Full Dates: the item is kept then', () => {
  const full = byMeaning(anonymize(makeReport(), ['cleanStructuredContent', 'retainLongitudinalFullDates']));
  assert.equal(str(get(full, 'Acquisition DateTime'), TAG.dateTime), '20240315102000');
});

test('option off: today\'s behaviour, E.3.4-1 not applied (every item kept, values dummied or remapped)', () => {
  const out = anonymize(makeReport(), []);
  assert.equal(children(out).length, CONTENT.length, 'no content item removed');
  const m = byMeaning(out);
  for (const name of ['Person Observer Name', 'Fellow', 'Local person', 'Catheterization Operator']) {
    assert.equal(str(get(m, name), TAG.personName), 'ANONYMIZED');
  }
  for (const name of ['Procedure DateTime', 'Acquisition DateTime']) assert.equal(str(get(m, name), TAG.dateTime), '19000101000000');
  for (const name of ['Finding', 'Comment', 'Note']) assert.equal(str(get(m, name), TAG.textValue), 'ANONYMIZED');
  assert.match(str(get(m, 'Subject UID'), TAG.uid) ?? '', /^2\.25\./);
  assert.deepEqual(children(get(m, 'Subject group')).map(meaning), ['Subject Birth Date', 'Subject ID']);
  const refs = children(out).filter((i) => i.get(TAG.referencedContentItem));
  assert.deepEqual(refs.map((r) => getNumbers(r, r.get(TAG.referencedContentItem)!)), [[1, 9], [1, 7]], 'references untouched');
  assert.ok(!methodCodes(out).includes('113104'));
});

test('Acquisition Context Sequence of an image: X concepts removed, the sequence stays (possibly empty)', () => {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  ds.put(newStringElement(ds, TAG.sopClass, 'UI', CT));
  ds.put(newStringElement(ds, TAG.sopInstance, 'UI', '1.2.3.4.5.9'));
  ds.put(newStringElement(ds, TAG.patientName, 'PN', 'SMITH^JOHN'));
  addChildren(ds, TAG.acquisitionContext, [
    { concept: ['121031', 'DCM', 'Subject Birth Date'], valueType: 'DATE', value: [TAG.date, 'DA', '19610203'] },
    { concept: ['L-TXT', '99LOCAL', 'Local text'], valueType: 'TEXT', value: [TAG.textValue, 'UT', 'Contrast given'] },
  ]);
  const file = createDicomFile(ds, EXPLICIT_VR_LITTLE_ENDIAN, CT, '1.2.3.4.5.9');
  const on = anonymize(file, ['cleanStructuredContent']);
  const items = on.get(TAG.acquisitionContext)?.items ?? [];
  assert.deepEqual(items.map(meaning), ['Local text']);
  assert.equal(str(items[0], TAG.textValue), 'Contrast given');
});

test('a document whose root children are all X loses its Content Sequence (Type 1C), and the writer agrees', () => {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  ds.put(newStringElement(ds, TAG.sopClass, 'UI', COMPREHENSIVE_SR));
  ds.put(newStringElement(ds, TAG.sopInstance, 'UI', '1.2.3.4.5.8'));
  ds.put(newStringElement(ds, TAG.valueType, 'CS', 'CONTAINER'));
  addChildren(ds, TAG.contentSequence, [{ concept: ['121088', 'DCM', 'Fellow'], valueType: 'PNAME', value: [TAG.personName, 'PN', 'HOLMES^SHERLOCK'] }]);
  const file = createDicomFile(ds, EXPLICIT_VR_LITTLE_ENDIAN, COMPREHENSIVE_SR, '1.2.3.4.5.8');
  const out = anonymize(file, ['cleanStructuredContent']);
  assert.equal(out.get(TAG.contentSequence), undefined);
  assert.ok(!encodeDicomFileToBuffer(file).toString('latin1').includes('HOLMES'));
});

test('corpus SR files with the option: written, dcmdump -E clean where the input was', {
  skip: corpusSkip() || skipUnlessTools('dcmdump'),
  timeout: 5 * 60_000,
}, async () => {
  requireTools('dcmdump');
  const entries = corpusEntries().filter((e) => e.modality === 'SR');
  assert.ok(entries.length > 0);
  const dir = mkdtempSync(join(tmpdir(), 'dicom-sc-corpus-'));
  const failures: string[] = [];
  const written: Array<{ path: string; clean: boolean }> = [];
  let decided = 0;
  try {
    const optionSets: ProfileOption[][] = [['cleanStructuredContent'], ['cleanStructuredContent', 'retainLongitudinalModifiedDates', 'retainUIDs', 'cleanDescriptors']];
    for (const [n, options] of optionSets.entries()) {
      const anonymizer = new Anonymizer(basicProfilePlan(options), KEY);
      for (const entry of entries) {
        let file: DicomFile;
        try {
          file = readDicomFile(corpusPath(entry));
        } catch {
          continue;
        }
        try {
          anonymizer.anonymizeFile(file, (e) => { if (e.origin.includes('E.3.4-1')) decided++; });
          const output = join(dir, `${n}-${entry.path.replace(/[\\/]/g, '__')}`);
          writeDicomFile(file, output);
          readDicomFile(output).close();
          written.push({ path: output, clean: entry.dcmdump === 'OK' });
        } catch (error) {
          failures.push(`${entry.path}: ${(error as Error).name}: ${(error as Error).message}`);
        } finally {
          file.close();
        }
      }
    }
    await mapLimit(written.filter((w) => w.clean), 4, async ({ path }) => {
      if (!(await dcmdumpClean(path))) failures.push(`${path}: dcmdump -E reports problems`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(failures, []);
  assert.ok(written.length >= entries.length, `written ${written.length}`);
  assert.ok(decided > 0, 'some content values were decided by Table E.3.4-1');
});
