// The PS3.15 Basic Profile on datasets built in memory: the seed example, one test per option, markers, nesting,
// private and repeating groups, catch-alls, UIDs and file meta.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDicomFile } from '../../src/dicom/create.js';
import { DataElement, DataSet } from '../../src/dicom/dataset.js';
import type { DicomFile } from '../../src/dicom/part10.js';
import { readDicomBuffer } from '../../src/dicom/part10.js';
import { encodeDicomFileToBuffer } from '../../src/dicom/writer.js';
import { makeTag, type Tag } from '../../src/dicom/tag.js';
import { EXPLICIT_VR_LITTLE_ENDIAN } from '../../src/dicom/transfer-syntax.js';
import { getString, newItem, newSequenceElement, newStringElement } from '../../src/dicom/values.js';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/load.js';
import type { ProfileOption } from '../../src/plan/plan.js';
import { collectValues, findLeaks, searchableBytes } from './profile-helpers/leaks.js';
import { keyedUid } from '../helpers/keyed.js';

const KEY_SECRET = 'profile-test-key-0123456789abcdef';
const KEY = Keys.fromSecret(KEY_SECRET);
/**
 * PS3.16 CID 7050 De-identification Method codes (DCM), written out here from the standard rather than taken from
 * src/profiles/cid7050.generated.ts, which the marker code itself uses: a wrong mapping there must fail these tests.
 */
const CID7050_FOR_OPTION = {
  basic: '113100', cleanGraphics: '113103', cleanStructuredContent: '113104', cleanDescriptors: '113105',
  retainLongitudinalFullDates: '113106', retainLongitudinalModifiedDates: '113107', retainPatientCharacteristics: '113108',
  retainDeviceIdentity: '113109', retainUIDs: '113110', retainSafePrivate: '113111', retainInstitutionIdentity: '113112',
} as const;
const CT = '1.2.840.10008.5.1.4.1.1.2';
const T = (g: number, e: number): Tag => makeTag(g, e);
const TAG = {
  charset: T(0x0008, 0x0005), sopClass: T(0x0008, 0x0016), sopInstance: T(0x0008, 0x0018), studyDate: T(0x0008, 0x0020),
  referringPhysician: T(0x0008, 0x0090), institution: T(0x0008, 0x0080), station: T(0x0008, 0x1010),
  seriesDescription: T(0x0008, 0x103e), patientName: T(0x0010, 0x0010), patientId: T(0x0010, 0x0020),
  patientSex: T(0x0010, 0x0040), patientAge: T(0x0010, 0x1010), deviceSerial: T(0x0018, 0x1000), studyUid: T(0x0020, 0x000d),
  seriesUid: T(0x0020, 0x000e), identityRemoved: T(0x0012, 0x0062), method: T(0x0012, 0x0063), methodCodes: T(0x0012, 0x0064),
  temporal: T(0x0028, 0x0303), codeValue: T(0x0008, 0x0100), contentSequence: T(0x0040, 0xa730), textValue: T(0x0040, 0xa160),
  graphicAnnotation: T(0x0070, 0x0001), textObject: T(0x0070, 0x0008), unformattedText: T(0x0070, 0x0006),
  referencedSeries: T(0x0008, 0x1115), referencedSopClass: T(0x0008, 0x1150), referencedSopInstance: T(0x0008, 0x1155),
};

type Value = string | Array<Spec[]>;

type Spec = [Tag, string, Value];
/** A sequence spec with these items (each a list of element specs). */
const sq = (tag: Tag, ...items: Spec[][]): Spec => [tag, 'SQ', items];

/** Adds (tag, vr, value) triples to `ds`; a value that is an array of item specs becomes a sequence. */
function fill(ds: DataSet, specs: Spec[]): DataSet {
  for (const [tag, vr, value] of specs) {
    if (typeof value === 'string') {
      ds.put(newStringElement(ds, tag, vr, value));
      continue;
    }
    const sequence = newSequenceElement(tag);
    ds.put(sequence);
    const items = value.map((itemSpecs) => {
      const item = newItem(ds, sequence);
      sequence.setItems([...(sequence.items ?? []), item]);
      return fill(item, itemSpecs);
    });
    sequence.setItems(items);
  }
  return ds;
}

interface PatientSpec { name?: string; id?: string; uid?: string; extra?: Spec[] }

function makeFile({ name = 'SMITH^JOHN^A', id = 'MRN123456', uid = '1.2.3.4.5.100', extra = [] }: PatientSpec = {}): DicomFile {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  fill(ds, [
    [TAG.charset, 'CS', 'ISO_IR 100'],
    [TAG.sopClass, 'UI', CT],
    [TAG.sopInstance, 'UI', uid],
    [TAG.studyDate, 'DA', '20240315'],
    [TAG.institution, 'LO', 'Seattle General Hospital'],
    [TAG.referringPhysician, 'PN', 'Dr. Jane Wilson'],
    [TAG.patientName, 'PN', name],
    [TAG.patientId, 'LO', id],
    [TAG.studyUid, 'UI', '1.2.3.4.5.1'],
    [TAG.seriesUid, 'UI', '1.2.3.4.5.2'],
    ...extra,
  ]);
  return createDicomFile(ds, EXPLICIT_VR_LITTLE_ENDIAN, CT, uid);
}

function anonymize(file: DicomFile, options: ProfileOption[] = []): DicomFile {
  new Anonymizer(basicProfilePlan(options), KEY).anonymizeFile(file);
  return file;
}

const text = (ds: DataSet, tag: Tag): string | undefined => {
  const el = ds.get(tag);
  return el ? getString(ds, el) : undefined;
};
const item = (ds: DataSet, tag: Tag, index = 0): DataSet => {
  const items = ds.get(tag)?.items;
  assert.ok(items && items[index], `item ${index} of ${tag.toString(16)}`);
  return items[index];
};
const methodCodes = (ds: DataSet): string[] => (ds.get(TAG.methodCodes)?.items ?? []).map((i) => text(i, TAG.codeValue) ?? '');

test('seed example: one ANON pseudonym for name and ID, per patient; institution and physician gone', () => {
  const a1 = anonymize(makeFile({ uid: '1.2.3.4.5.101' })).dataset;
  const a2 = anonymize(makeFile({ uid: '1.2.3.4.5.102' })).dataset;
  const other = anonymize(makeFile({ name: 'DOE^JANE', id: 'MRN999999', uid: '1.2.3.4.5.103' })).dataset;
  const name = text(a1, TAG.patientName);
  assert.match(name ?? '', /^ANON\d+$/);
  assert.equal(text(a1, TAG.patientId), name);
  assert.equal(text(a2, TAG.patientName), name, 'same patient, second file: same pseudonym');
  assert.equal(text(a2, TAG.patientId), name);
  assert.match(text(other, TAG.patientName) ?? '', /^ANON\d+$/);
  assert.notEqual(text(other, TAG.patientName), name, 'another patient gets another pseudonym');
  // InstitutionName X/Z/D → dummy; ReferringPhysicianName Z → empty: the original text is gone either way.
  assert.notEqual(text(a1, TAG.institution) ?? '', 'Seattle General Hospital');
  assert.equal(text(a1, TAG.referringPhysician) ?? '', '');
  const bytes = encodeDicomFileToBuffer(makeAnonymized()).toString('latin1');
  for (const secret of ['SMITH', 'JOHN', 'MRN123456', 'Seattle', 'Wilson']) assert.ok(!bytes.includes(secret), 'no original text in the output bytes');
  assert.equal(text(a1, TAG.identityRemoved), 'YES');
  assert.deepEqual(methodCodes(a1), [CID7050_FOR_OPTION.basic]);
  assert.equal(text(a1, TAG.temporal), 'REMOVED');
  assert.equal(text(a1, TAG.studyDate), '', 'Study Date is Z: present, empty');
});

function makeAnonymized(): DicomFile {
  return anonymize(makeFile());
}

test('the corpus leak detector finds what is not anonymized (self-check)', () => {
  const file = makeFile();
  const { protectedValues } = collectValues(file, new Anonymizer(basicProfilePlan([]), KEY));
  assert.ok(protectedValues.some((p) => p.path === '(0010,0010)'));
  const plain = readDicomBuffer(encodeDicomFileToBuffer(file));
  assert.ok(findLeaks(protectedValues, plain, searchableBytes(plain)).includes('(0010,0010) (PN)'));
  const anon = readDicomBuffer(encodeDicomFileToBuffer(anonymize(file)));
  assert.deepEqual(findLeaks(protectedValues, anon, searchableBytes(anon)), []);
});

test('option retainSafePrivate: a listed private element kept by creator and element byte (block 0x11), others removed', () => {
  const ds = makeFile().dataset;
  const creator = (tag: Tag, value: string): void => ds.put(newStringElement(ds, tag, 'LO', value));
  const priv = (tag: Tag, vr: string, value: string, owner: string): void => {
    const el = newStringElement(ds, tag, vr, value);
    el.privateCreator = owner;
    ds.put(el);
  };
  creator(T(0x0019, 0x0010), 'SOME VENDOR');
  creator(T(0x0019, 0x0011), 'GEMS_ACQU_01');
  priv(T(0x0019, 0x1023), 'DS', '42', 'SOME VENDOR'); // same element byte, unlisted creator
  priv(T(0x0019, 0x1123), 'DS', '12.5', 'GEMS_ACQU_01'); // Table Speed: listed in E.3.10-1
  priv(T(0x0019, 0x1199), 'LO', 'secret', 'GEMS_ACQU_01'); // not listed
  const file = makeFile();
  file.dataset = ds;
  const basic = anonymize(cloneFile(file)).dataset;
  assert.equal(basic.elements.filter((el) => (el.tag >>> 16) % 2 === 1).length, 0, 'basic: every private element and creator removed');
  const out = anonymize(file, ['retainSafePrivate']).dataset;
  assert.equal(text(out, T(0x0019, 0x1123)), '12.5');
  assert.equal(text(out, T(0x0019, 0x0011)), 'GEMS_ACQU_01', 'its creator stays');
  assert.equal(out.get(T(0x0019, 0x1199)), undefined);
  assert.equal(out.get(T(0x0019, 0x1023)), undefined);
  assert.equal(out.get(T(0x0019, 0x0010)), undefined);
  assert.ok(methodCodes(out).includes(CID7050_FOR_OPTION.retainSafePrivate));
});

test('option retainSafePrivate: a safe text value loses its identifying spans; binary values and values that do not fit the table\'s VR go (issue #22)', () => {
  const ds = makeFile().dataset;
  ds.put(newStringElement(ds, T(0x0019, 0x0011), 'LO', 'GEMS_ACQU_01'));
  ds.put(newStringElement(ds, T(0x2001, 0x0010), 'LO', 'Philips Imaging DD 001'));
  const priv = (tag: Tag, vr: string, value: string | Uint8Array, owner: string): void => {
    const el = typeof value === 'string' ? newStringElement(ds, tag, vr, value) : new DataElement(tag, vr);
    if (typeof value !== 'string') el.setValue(value, vr);
    el.privateCreator = owner;
    ds.put(el);
  };
  priv(T(0x0019, 0x119e), 'LO', 'FSE ordered by Dr Raj Patel', 'GEMS_ACQU_01'); // Internal Pulse Sequence Name (LO)
  priv(T(0x2001, 0x1050), 'UN', new Uint8Array(Buffer.from('ARROW call 555-123-4567 ')), 'Philips Imaging DD 001'); // Graphic Marker Type (LO), as UN
  priv(T(0x2001, 0x106d), 'UN', Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), 'Philips Imaging DD 001'); // Text Font (LO), but bytes
  priv(T(0x2001, 0x107d), 'OB', Uint8Array.of(0xff, 0xd8, 0xff, 0xe0), 'Philips Imaging DD 001'); // Frame Pixel Data (OW/OB): a preview
  priv(T(0x0019, 0x1123), 'DS', '12.5', 'GEMS_ACQU_01'); // Table Speed (DS)
  const file = makeFile();
  file.dataset = ds;
  const out = anonymize(file, ['retainSafePrivate']).dataset;
  assert.equal(text(out, T(0x0019, 0x119e)), 'FSE ordered by');
  assert.equal(text(out, T(0x2001, 0x1050)), 'ARROW call');
  assert.equal(out.get(T(0x2001, 0x106d)), undefined, 'bytes that are not text where the table says LO');
  assert.equal(out.get(T(0x2001, 0x107d)), undefined, 'an OB value under a safe creator');
  assert.equal(text(out, T(0x0019, 0x1123)), '12.5');
});

test('option retainSafePrivate: a listed private sequence is walked, but one whose items cannot be read goes', () => {
  const build = (opaque: boolean): DicomFile => {
    const ds = makeFile().dataset;
    ds.put(newStringElement(ds, T(0x2001, 0x0090), 'LO', 'Philips Imaging DD 129'));
    // (2001,xx00) Presentation State Sequence: SQ in E.3.10-1.
    const seq = new DataElement(T(0x2001, 0x9000), 'UN');
    seq.privateCreator = 'Philips Imaging DD 129';
    // Opaque: bytes that are no item (what a vendor's embedded dataset with a stray delimiter leaves us).
    seq.setValue(opaque ? Uint8Array.from(Buffer.from('1.2.3.4.5.100 SMITH^JOHN', 'latin1')) : new Uint8Array(0));
    ds.put(seq);
    const file = makeFile();
    file.dataset = ds;
    return cloneFile(file);
  };
  const opaque = anonymize(build(true), ['retainSafePrivate']).dataset;
  assert.equal(opaque.get(T(0x2001, 0x9000)), undefined, 'unreadable items: removed');
  const empty = anonymize(build(false), ['retainSafePrivate']).dataset;
  assert.ok(empty.get(T(0x2001, 0x9000)), 'an empty sequence holds nothing: kept');
});

test('Referenced Study Sequence (X/Z): empty in Referenced Request Sequence items (Type 2), removed elsewhere (Type 3)', () => {
  const refStudy = T(0x0008, 0x1110), requestAttributes = T(0x0040, 0x0275), referencedRequest = T(0x0040, 0xa370);
  const study = (): Spec => sq(refStudy, [[TAG.referencedSopClass, 'UI', '1.2.840.10008.3.1.2.3.1'], [TAG.referencedSopInstance, 'UI', '1.2.3.4.5.777']]);
  const extra: Spec[] = [study(), sq(requestAttributes, [study()]), sq(referencedRequest, [study(), [T(0x0020, 0x000d), 'UI', '1.2.3.4.5.888']])];
  // cleanDescriptors keeps (and walks) the Request Attributes Sequence, which the Basic Profile removes.
  const out = anonymize(makeFile({ extra }), ['cleanDescriptors']).dataset;
  assert.equal(out.get(refStudy), undefined, 'top level: removed');
  assert.equal(item(out, requestAttributes).get(refStudy), undefined, 'Request Attributes Macro: removed');
  const inRequest = item(out, referencedRequest).get(refStudy);
  assert.ok(inRequest && inRequest.items?.length === 0, 'SR Referenced Request Sequence: present and empty');
});

/** A fresh copy of a file built in memory (through bytes). */
function cloneFile(file: DicomFile): DicomFile {
  return readDicomBuffer(encodeDicomFileToBuffer(file));
}

test('option retainUIDs: instance, series and study UIDs kept', () => {
  const basic = anonymize(makeFile()).dataset;
  assert.notEqual(text(basic, TAG.sopInstance), '1.2.3.4.5.100');
  assert.match(text(basic, TAG.studyUid) ?? '', /^2\.25\.\d+$/);
  const out = anonymize(makeFile(), ['retainUIDs']).dataset;
  assert.equal(text(out, TAG.sopInstance), '1.2.3.4.5.100');
  assert.equal(text(out, TAG.studyUid), '1.2.3.4.5.1');
  assert.ok(methodCodes(out).includes(CID7050_FOR_OPTION.retainUIDs));
});

test('option retainDeviceIdentity: device serial number and station name kept', () => {
  const extra: Spec[] = [[TAG.deviceSerial, 'LO', 'SN-778899'], [TAG.station, 'SH', 'CTSTATION7']];
  const basic = anonymize(makeFile({ extra })).dataset;
  assert.notEqual(text(basic, TAG.deviceSerial) ?? '', 'SN-778899');
  const out = anonymize(makeFile({ extra }), ['retainDeviceIdentity']).dataset;
  assert.equal(text(out, TAG.deviceSerial), 'SN-778899');
  assert.equal(text(out, TAG.station), 'CTSTATION7');
  assert.ok(methodCodes(out).includes(CID7050_FOR_OPTION.retainDeviceIdentity));
});

test('option retainInstitutionIdentity: institution name kept', () => {
  const out = anonymize(makeFile(), ['retainInstitutionIdentity']).dataset;
  assert.equal(text(out, TAG.institution), 'Seattle General Hospital');
  assert.equal(text(out, TAG.referringPhysician) ?? '', '', 'a physician is not institution identity');
  assert.ok(methodCodes(out).includes(CID7050_FOR_OPTION.retainInstitutionIdentity));
});

test('option retainPatientCharacteristics: sex kept, an age over 89 capped at 090Y', () => {
  const extra: Spec[] = [[TAG.patientSex, 'CS', 'F'], [TAG.patientAge, 'AS', '095Y']];
  const basic = anonymize(makeFile({ extra })).dataset;
  assert.equal(basic.get(TAG.patientAge), undefined);
  assert.equal(text(basic, TAG.patientSex) ?? '', '');
  const out = anonymize(makeFile({ extra }), ['retainPatientCharacteristics']).dataset;
  assert.equal(text(out, TAG.patientSex), 'F');
  assert.equal(text(out, TAG.patientAge), '090Y');
  const young = anonymize(makeFile({ extra: [[TAG.patientAge, 'AS', '045Y']] }), ['retainPatientCharacteristics']).dataset;
  assert.equal(text(young, TAG.patientAge), '045Y');
  assert.ok(methodCodes(out).includes(CID7050_FOR_OPTION.retainPatientCharacteristics));
});

test('option retainLongitudinalFullDates: dates kept, (0028,0303) UNMODIFIED', () => {
  const out = anonymize(makeFile(), ['retainLongitudinalFullDates']).dataset;
  assert.equal(text(out, TAG.studyDate), '20240315');
  assert.equal(text(out, TAG.temporal), 'UNMODIFIED');
  assert.ok(methodCodes(out).includes(CID7050_FOR_OPTION.retainLongitudinalFullDates));
});

test('option retainLongitudinalModifiedDates: one offset per patient, (0028,0303) MODIFIED', () => {
  const first = anonymize(makeFile({ uid: '1.2.3.4.5.201' }), ['retainLongitudinalModifiedDates']).dataset;
  const later = anonymize(makeFile({ uid: '1.2.3.4.5.202', extra: [[TAG.studyDate, 'DA', '20240325']] }), ['retainLongitudinalModifiedDates']).dataset;
  const d1 = text(first, TAG.studyDate) ?? '', d2 = text(later, TAG.studyDate) ?? '';
  assert.match(d1, /^\d{8}$/);
  assert.notEqual(d1, '20240315');
  const days = (d: string): number => Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8)) / 86_400_000;
  assert.equal(days(d2) - days(d1), 10, 'the interval between two studies of the patient is kept');
  assert.equal(text(first, TAG.temporal), 'MODIFIED');
  assert.ok(methodCodes(first).includes(CID7050_FOR_OPTION.retainLongitudinalModifiedDates));
});

test('option retainLongitudinalModifiedDates: its C rows that are not dates (UTC offset, binary timestamps) never fail', () => {
  const timestamp = (file: DicomFile): DicomFile => {
    const ob = new DataElement(T(0x0400, 0x0310), 'OB');
    ob.setValue(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    file.dataset.put(ob);
    return file;
  };
  const options: ProfileOption[] = ['retainLongitudinalModifiedDates'];
  const kept = anonymize(timestamp(makeFile({ extra: [[T(0x0008, 0x0201), 'SH', '+0100']] })), options).dataset;
  assert.equal(text(kept, T(0x0008, 0x0201)), '+0100', 'a well-formed UTC offset stays: a whole-day shift leaves it right');
  assert.equal(kept.get(T(0x0400, 0x0310)), undefined, 'a binary timestamp cannot be shifted: removed');
  const odd = anonymize(makeFile({ extra: [[T(0x0008, 0x0201), 'SH', 'Springfield']] }), options).dataset;
  assert.equal(odd.get(T(0x0008, 0x0201)), undefined, 'anything but an offset is removed');
});

test('option cleanDescriptors: a description naming the patient loses the name and keeps the rest, an innocuous one kept', () => {
  const named = anonymize(makeFile({ extra: [[TAG.seriesDescription, 'LO', 'Follow-up SMITH knee']] }), ['cleanDescriptors']).dataset;
  assert.equal(text(named, TAG.seriesDescription), 'Follow-up knee');
  const plain = anonymize(makeFile({ extra: [[TAG.seriesDescription, 'LO', 'AX T1 POST']] }), ['cleanDescriptors']).dataset;
  assert.equal(text(plain, TAG.seriesDescription), 'AX T1 POST');
  const basic = anonymize(makeFile({ extra: [[TAG.seriesDescription, 'LO', 'AX T1 POST']] })).dataset;
  assert.equal(basic.get(TAG.seriesDescription), undefined, 'basic: X');
  assert.ok(methodCodes(plain).includes(CID7050_FOR_OPTION.cleanDescriptors));
});

test('option cleanStructuredContent: SR text naming the patient loses the name, other text kept; basic replaces both', () => {
  const extra: Spec[] = [sq(TAG.contentSequence, [[TAG.textValue, 'UT', 'Patient SMITH reports pain']], [[TAG.textValue, 'UT', 'No acute findings']])];
  const out = anonymize(makeFile({ extra }), ['cleanStructuredContent']).dataset;
  assert.equal(text(item(out, TAG.contentSequence, 0), TAG.textValue), 'Patient reports pain');
  assert.equal(text(item(out, TAG.contentSequence, 1), TAG.textValue), 'No acute findings');
  assert.ok(methodCodes(out).includes(CID7050_FOR_OPTION.cleanStructuredContent));
  const basic = anonymize(makeFile({ extra })).dataset;
  for (const i of [0, 1]) assert.equal(text(item(basic, TAG.contentSequence, i), TAG.textValue), 'ANONYMIZED');
});

test('option cleanGraphics: annotation text naming the patient loses the name, other text kept; without it the annotations go', () => {
  const extra: Spec[] = [sq(TAG.graphicAnnotation, [sq(TAG.textObject, [[TAG.unformattedText, 'ST', 'JOHN SMITH L knee']], [[TAG.unformattedText, 'ST', 'Measurement 1']])])];
  const out = anonymize(makeFile({ extra }), ['cleanGraphics', 'cleanDescriptors']).dataset;
  const objects = item(out, TAG.graphicAnnotation);
  assert.equal(text(item(objects, TAG.textObject, 0), TAG.unformattedText), 'L knee');
  assert.equal(text(item(objects, TAG.textObject, 1), TAG.unformattedText), 'Measurement 1');
  assert.ok(methodCodes(out).includes(CID7050_FOR_OPTION.cleanGraphics));
  // Without the option the Basic Profile removes the graphic annotations (text and shapes drawn over the image).
  const basic = anonymize(makeFile({ extra })).dataset;
  assert.equal(basic.get(TAG.graphicAnnotation), undefined);
});

test('markers are appended to an existing method and code sequence, never duplicated', () => {
  const file = makeFile({ extra: [
    [TAG.method, 'LO', 'Earlier tool'],
    sq(TAG.methodCodes, [[TAG.codeValue, 'SH', '113100'], [T(0x0008, 0x0102), 'SH', 'DCM'], [T(0x0008, 0x0104), 'LO', 'Basic Application Confidentiality Profile']]),
  ] });
  const out = anonymize(file, ['retainUIDs']).dataset;
  const method = text(out, TAG.method) ?? '';
  assert.ok(method.startsWith('Earlier tool\\'), 'the earlier method is kept first');
  assert.deepEqual(methodCodes(out), ['113100', CID7050_FOR_OPTION.retainUIDs]);
});

test('every occurrence at every depth: a PatientName 3 sequences deep is handled', () => {
  const deep: Spec[] = [sq(T(0x0040, 0x0275), [sq(T(0x0040, 0x0008), [sq(T(0x0040, 0x0440), [
    [TAG.patientName, 'PN', 'SMITH^JOHN^A'], [TAG.institution, 'LO', 'Seattle General Hospital'],
  ])])])];
  const file = anonymize(makeFile({ extra: deep }));
  const bytes = encodeDicomFileToBuffer(file).toString('latin1');
  assert.ok(!bytes.includes('SMITH') && !bytes.includes('Seattle'));
});

test('private groups 50xx/60xx: overlay groups removed whole, group 0004 and unlisted dates removed', () => {
  const extra: Spec[] = [
    [T(0x0004, 0x1130), 'CS', 'FILESET'],
    [T(0x0018, 0x9074), 'DT', '20240315101010'], // Frame Acquisition DateTime: in E.1-1? Either way: not kept
    [T(0x0032, 0x1050), 'DA', '20240301'], // Study Completion Date (retired): a DA
    [T(0x0029, 0x9999), 'TM', '101010'], // an unlisted TM
    [T(0x5000, 0x0005), 'US', ''],
  ];
  const file = makeFile({ extra: extra.filter(([, vr]) => vr !== 'US') });
  const ds = file.dataset;
  const rows = new DataElement(T(0x6002, 0x0010), 'US');
  rows.setValue(Uint8Array.of(2, 0));
  ds.put(rows);
  const overlay = new DataElement(T(0x6002, 0x3000), 'OW');
  overlay.setValue(new Uint8Array(8));
  ds.put(overlay);
  const curve = new DataElement(T(0x5000, 0x3000), 'OW');
  curve.setValue(new Uint8Array(4));
  ds.put(curve);
  const out = anonymize(file).dataset;
  for (const tag of [T(0x6002, 0x3000), T(0x6002, 0x0010), T(0x5000, 0x3000), T(0x0004, 0x1130), T(0x0032, 0x1050), T(0x0029, 0x9999)]) {
    assert.equal(out.get(tag), undefined, `(${tag.toString(16)}) removed`);
  }
  assert.ok(!(text(out, T(0x0018, 0x9074)) ?? '').startsWith('2024'));
});

test('option cleanGraphics: overlay bitmaps (which may hold burned-in text) still go, whole group', () => {
  const file = makeFile({});
  const rows = new DataElement(T(0x6000, 0x0010), 'US');
  rows.setValue(Uint8Array.of(2, 0));
  file.dataset.put(rows);
  const overlay = new DataElement(T(0x6000, 0x3000), 'OW');
  overlay.setValue(new Uint8Array(8).fill(0xff));
  file.dataset.put(overlay);
  const out = anonymize(file, ['cleanGraphics']).dataset;
  assert.equal(out.get(T(0x6000, 0x3000)), undefined);
  assert.equal(out.get(T(0x6000, 0x0010)), undefined);
});

test('standard UIDs never remapped; file meta follows the new SOP Instance UID; (0002,0016) dropped', () => {
  const file = makeFile({ extra: [sq(TAG.referencedSeries, [[TAG.referencedSopClass, 'UI', CT], [TAG.referencedSopInstance, 'UI', '1.2.3.4.5.999']])] });
  file.meta!.put(newStringElement(file.meta!, T(0x0002, 0x0016), 'AE', 'SOURCEAE'));
  const out = readDicomBuffer(encodeDicomFileToBuffer(anonymize(file)));
  assert.equal(text(out.dataset, TAG.sopClass), CT);
  const ref = item(out.dataset, TAG.referencedSeries);
  assert.equal(text(ref, TAG.referencedSopClass), CT);
  assert.equal(text(ref, TAG.referencedSopInstance), keyedUid(KEY_SECRET, '1.2.3.4.5.999'));
  const sop = text(out.dataset, TAG.sopInstance);
  assert.equal(sop, keyedUid(KEY_SECRET, '1.2.3.4.5.100'));
  assert.equal(text(out.meta!, T(0x0002, 0x0003)), sop);
  assert.equal(text(out.meta!, T(0x0002, 0x0002)), CT);
  assert.equal(out.meta!.get(T(0x0002, 0x0016)), undefined);
});
