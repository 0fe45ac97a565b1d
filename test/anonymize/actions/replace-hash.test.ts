// replace (Microsoft "substitute") and hash (Microsoft "cryptoHash") per VR, through the engine, written and read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { makeTag } from '../../../src/dicom/tag.js';
import { maxValueLength } from '../../../src/dicom/vr.js';
import { AnonymizeError } from '../../../src/anonymize/context.js';
import { Anonymizer } from '../../../src/anonymize/anonymizer.js';
import { addSequence, makeFile, planOf, runAction, tagSel, valueAfter, KEY, KEY_SECRET, OTHER_KEY, type Spec } from '../helpers/one-rule.js';
import { keyedUid } from '../../helpers/keyed.js';

const T = (g: number, e: number): number => makeTag(g, e);
const hmac = (key: string, v: string | Uint8Array): Buffer => createHmac('sha256', key).update(v).digest();

// ---------------------------------------------------------------- replace

test('replace: text VRs get the text as is; multi-valued VRs split it on backslash', () => {
  const cases: Spec[] = [
    [T(0x0010, 0x0010), 'PN', ''], [T(0x0008, 0x0080), 'LO', ''], [T(0x0008, 0x0054), 'AE', ''], [T(0x0008, 0x0060), 'CS', ''],
    [T(0x0020, 0x4000), 'LT', ''], [T(0x0008, 0x0119), 'UC', ''], [T(0x0008, 0x1030), 'LO', ''], [T(0x0040, 0xa160), 'UT', ''],
  ];
  for (const [tag, vr] of cases) {
    assert.deepEqual(valueAfter({ type: 'replace', value: 'ANONYMOUS' }, [tag, vr, 'original']), { vr, value: 'ANONYMOUS' }, vr);
  }
  assert.equal(valueAfter({ type: 'replace', value: 'A\\B' }, [T(0x0008, 0x0008), 'CS', 'ORIGINAL\\PRIMARY'])?.value, 'A\\B');
  assert.equal(valueAfter({ type: 'replace', value: '20000101' }, [T(0x0008, 0x0020), 'DA', '20240101'])?.value, '20000101');
  assert.equal(valueAfter({ type: 'replace', value: '050Y' }, [T(0x0010, 0x1010), 'AS', '100Y'])?.value, '050Y');
  assert.equal(valueAfter({ type: 'replace', value: 'Ωmega' }, [T(0x0010, 0x0010), 'PN', 'DOE'])?.value, 'Ωmega', 'non-ASCII: charset switched');
});

test('replace: binary numbers (US SS UL SL FL FD, OW OL OF OD) are parsed; several values split on backslash', () => {
  const cases: Array<[string, string, string]> = [
    ['US', '42', '42'], ['SS', '-42', '-42'], ['UL', '4000000000', '4000000000'], ['SL', '-7', '-7'], ['FL', '1.5', '1.5'],
    ['FD', '0.1', '0.1'], ['US', '1\\2\\3', '1\\2\\3'], ['SV', '-9', '-9'], ['UV', '9', '9'],
  ];
  for (const [vr, text, expected] of cases) {
    assert.equal(valueAfter({ type: 'replace', value: text }, [T(0x0009, 0x1010), vr, [0]])?.value, expected, `${vr} ${text}`);
  }
  const ow = valueAfter({ type: 'replace', value: '258' }, [T(0x0009, 0x1011), 'OW', [1, 2]]);
  assert.deepEqual(ow, { vr: 'OW', value: 'hex:0201' });
  assert.deepEqual(valueAfter({ type: 'replace', value: '1.5' }, [T(0x0009, 0x1012), 'OF', [0]]), { vr: 'OF', value: 'hex:0000c03f' });
  assert.throws(() => valueAfter({ type: 'replace', value: 'abc' }, [T(0x0028, 0x0010), 'US', [1]]), AnonymizeError);
});

test('replace: AT takes a tag in any of the selector forms', () => {
  for (const text of ['(0010,0010)', '0010,0010', '00100010']) {
    assert.deepEqual(valueAfter({ type: 'replace', value: text }, [T(0x0020, 0x5000), 'AT', Uint8Array.of(8, 0, 0x20, 0)]), { vr: 'AT', value: 'hex:10001000' });
  }
  assert.throws(() => valueAfter({ type: 'replace', value: 'PatientName?' }, [T(0x0020, 0x5000), 'AT', Uint8Array.of(8, 0, 0x20, 0)]), AnonymizeError);
});

test('replace: OB and UN cannot take text (as in the Microsoft tool)', () => {
  assert.throws(() => valueAfter({ type: 'replace', value: 'x' }, [T(0x0009, 0x1001), 'OB', Uint8Array.of(1, 2)]), AnonymizeError);
  assert.throws(() => valueAfter({ type: 'replace', value: 'x' }, [T(0x0009, 0x1001), 'UN', Uint8Array.of(1, 2)]), AnonymizeError);
});

// ---------------------------------------------------------------- hash

const TEXT_VRS: Array<[number, string]> = [
  [T(0x0008, 0x0054), 'AE'], [T(0x0008, 0x0060), 'CS'], [T(0x0010, 0x0020), 'LO'], [T(0x0010, 0x0010), 'PN'], [T(0x0008, 0x1010), 'SH'],
  [T(0x0008, 0x2111), 'ST'], [T(0x0038, 0x4000), 'LT'], [T(0x0008, 0x0119), 'UC'], [T(0x0010, 0x0218), 'UT'], [T(0x0028, 0x7fe0), 'UR'],
];

test('hash with a config key: HMAC-SHA256 hex of the UTF-8 value, cut to the VR maximum length (CS upper case)', () => {
  for (const [tag, vr] of TEXT_VRS) {
    const out = valueAfter({ type: 'hash', key: '123' }, [tag, vr, 'TEST']);
    const max = Math.min(maxValueLength(vr) ?? 64, 64);
    const hex = hmac('123', 'TEST').toString('hex').slice(0, max);
    assert.deepEqual(out, { vr, value: vr === 'CS' ? hex.toUpperCase() : hex }, vr);
    assert.ok(out.value.length <= (maxValueLength(vr) ?? Infinity), `${vr} fits`);
  }
});

test('hash without a config key: keyed by the run key; same input → same output, other key → other output', () => {
  for (const [tag, vr] of TEXT_VRS) {
    const a = valueAfter({ type: 'hash' }, [tag, vr, 'TEST']);
    assert.deepEqual(valueAfter({ type: 'hash' }, [tag, vr, 'TEST']), a, vr);
    assert.notDeepEqual(valueAfter({ type: 'hash' }, [tag, vr, 'TEST'], {}, OTHER_KEY), a, vr);
    assert.match(a?.value ?? '', /^[0-9a-fA-F]{16,64}$/);
  }
});

test('hash: each value of a multi-valued element alone; empty values hashed as "" (as Microsoft)', () => {
  const out = valueAfter({ type: 'hash', key: '123' }, [T(0x0010, 0x1000), 'LO', 'A\\\\B']);
  assert.deepEqual(out?.value.split('\\'), ['A', '', 'B'].map((v) => hmac('123', v).toString('hex')));
  assert.equal(valueAfter({ type: 'hash', key: '123' }, [T(0x0010, 0x1000), 'LO', ''])?.value, '', 'zero-length stays empty');
});

test('hash: non-ASCII text is hashed as UTF-8 of the decoded text, whatever the character set', () => {
  const name = 'Müller^Jürgen';
  const expected = hmac('k', name).toString('hex');
  for (const charset of ['ISO_IR 192', 'ISO_IR 100']) {
    assert.equal(valueAfter({ type: 'hash', key: 'k' }, [T(0x0010, 0x0010), 'PN', name], { charset })?.value, expected, charset);
  }
  assert.equal(valueAfter({ type: 'hash', key: 'k' }, [T(0x0008, 0x0119), 'UC', '测试'], { charset: 'ISO_IR 192' })?.value, hmac('k', '测试').toString('hex'));
});

test('hash: UI gets a valid 2.25 UID; without a config key exactly the remapUid UID; standard UIDs kept', () => {
  const uid = '1.2.826.0.1.3680043.10.99.77';
  const keyed = valueAfter({ type: 'hash', key: '123' }, [T(0x0008, 0x1155), 'UI', `${uid}\\1.2.840.10008.5.1.4.1.1.2`]);
  const first = hmac('123', uid).subarray(0, 16).toString('hex');
  assert.deepEqual(keyed?.value.split('\\'), [`2.25.${BigInt('0x' + first)}`, '1.2.840.10008.5.1.4.1.1.2']);
  const plain = valueAfter({ type: 'hash' }, [T(0x0008, 0x1155), 'UI', uid]);
  assert.equal(plain?.value, keyedUid(KEY_SECRET, uid), 'the remapUid UID, by its definition');
  assert.ok((plain?.value.length ?? 99) <= 64);
  assert.match(plain?.value ?? '', /^2\.25\.(0|[1-9]\d*)$/);
});

test('hash: OB and UN get the raw 32-byte digest; encapsulated fragments each their digest', () => {
  const bytes = Buffer.from('test');
  for (const vr of ['OB', 'UN']) {
    assert.deepEqual(valueAfter({ type: 'hash', key: '123' }, [T(0x0009, 0x1001), vr, bytes]), { vr, value: `hex:${hmac('123', bytes).toString('hex')}` });
  }
  const file = makeFile([]);
  const pixel = makeTag(0x7fe0, 0x0010);
  const frag = { span: null, value: Buffer.from('frame one!') };
  const el = makeFile([[pixel, 'OB', Uint8Array.of()]]).dataset.get(pixel)!;
  el.fragments = [{ span: null, value: Buffer.alloc(4) }, frag];
  el.undefinedLength = true;
  file.dataset.put(el);
  new Anonymizer(planOf({ type: 'hash', key: '123' }, [tagSel(pixel)]), KEY).anonymizeFile(file);
  const out = file.dataset.get(pixel)!;
  assert.equal(out.fragments?.length, 2);
  assert.equal((out.fragments?.[0].value as Uint8Array).length, 0, 'offset table emptied');
  assert.deepEqual(Buffer.from(out.fragments?.[1].value as Uint8Array), hmac('123', frag.value));
});

test('hash: VRs with a fixed syntax (AS DA DT TM DS IS) and binary numbers are emptied, never given hex', () => {
  const cases: Spec[] = [
    [T(0x0010, 0x1010), 'AS', '100Y'], [T(0x0008, 0x0020), 'DA', '20200101'], [T(0x0008, 0x002a), 'DT', '20200101101010'],
    [T(0x0008, 0x0030), 'TM', '101010'], [T(0x0010, 0x1030), 'DS', '72.5'], [T(0x0020, 0x0013), 'IS', '7'], [T(0x0028, 0x0010), 'US', [7]],
  ];
  for (const spec of cases) {
    const out = valueAfter({ type: 'hash', key: '123' }, spec);
    assert.equal(out?.vr, spec[1]);
    assert.ok(out?.value === '', `${spec[1]}: ${out?.value}`);
  }
});

test('hash reaches the same value in nested items and at top level', () => {
  const file = makeFile([], { patientId: 'PAT-1' });
  addSequence(file, T(0x0008, 0x1250), [[T(0x0010, 0x0020), 'LO', 'PAT-1']]);
  const flat = runAction({ type: 'hash', key: '123' }, [T(0x0010, 0x0020)], file);
  assert.equal(flat.get('(0010,0020)')?.value, hmac('123', 'PAT-1').toString('hex'));
  assert.equal(flat.get('(0008,1250)[0].(0010,0020)')?.value, hmac('123', 'PAT-1').toString('hex'));
});
