// encrypt (AES-CBC, IV ‖ ciphertext, decryptable) and perturb (keyed noise within the span, VR limits kept).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, createHash } from 'node:crypto';
import fc from 'fast-check';
import { makeTag } from '../../../src/dicom/tag.js';
import type { Action } from '../../../src/plan/plan.js';
import { AnonymizeError } from '../../../src/anonymize/context.js';
import { decryptBytes, encryptBytes } from '../../../src/anonymize/actions/encrypt.js';
import { formatDS } from '../../../src/anonymize/actions/perturb.js';
import { valueAfter, KEY_SECRET, OTHER_KEY } from '../helpers/one-rule.js';
import { keyedMac } from '../../helpers/keyed.js';

const KEY16 = '0123456789abcdef';
const key = Buffer.from(KEY16, 'utf8');
/** AES-CBC with the IV in front and PKCS#7 padding (the Microsoft format), decrypted with node:crypto directly. */
function aesCbcDecrypt(data: Uint8Array, k: Buffer): Buffer {
  const decipher = createDecipheriv(`aes-${k.length * 8}-cbc`, k, data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
}
const dec = (b64: string, k: Buffer = key): string => aesCbcDecrypt(Buffer.from(b64, 'base64'), k).toString('utf8');

// ---------------------------------------------------------------- encrypt

test('encrypt: text values become base64(IV ‖ AES-CBC) that decrypts with the key; a fresh IV each time', () => {
  const out = valueAfter({ type: 'encrypt', key: KEY16 }, [makeTag(0x0010, 0x0020), 'LO', 'PAT-1\\PAT-2']);
  const parts = out?.value.split('\\') ?? [];
  assert.deepEqual(parts.map((p) => dec(p)), ['PAT-1', 'PAT-2']);
  assert.notEqual(parts[0], valueAfter({ type: 'encrypt', key: KEY16 }, [makeTag(0x0010, 0x0020), 'LO', 'PAT-1'])?.value);
  for (const k of ['0123456789abcdef01234567', '0123456789abcdef0123456789abcdef']) {
    const v = valueAfter({ type: 'encrypt', key: k }, [makeTag(0x0020, 0x4000), 'LT', 'text'])?.value ?? '';
    assert.equal(dec(v, Buffer.from(k)), 'text', `AES-${k.length * 8}`);
  }
});

test('encrypt: non-ASCII text round-trips (UTF-8 plaintext; Microsoft\'s ASCII loses it, MS-20)', () => {
  for (const charset of ['ISO_IR 192', 'ISO_IR 100']) {
    const out = valueAfter({ type: 'encrypt', key: KEY16 }, [makeTag(0x0010, 0x0010), 'PN', 'Müller^Jürgen'], { charset });
    assert.equal(dec(out?.value ?? ''), 'Müller^Jürgen', charset);
  }
  const out = valueAfter({ type: 'encrypt', key: KEY16 }, [makeTag(0x0008, 0x0119), 'UC', '测试 ÆŊŋ'], { charset: 'ISO_IR 192' });
  assert.equal(dec(out?.value ?? ''), '测试 ÆŊŋ');
});

test('encrypt: OB/UN raw bytes; without a config key the run key decides (decryptable by its owner)', () => {
  const bytes = Buffer.from('raw bytes');
  const ob = valueAfter({ type: 'encrypt', key: KEY16 }, [makeTag(0x0009, 0x1001), 'OB', bytes]);
  assert.equal(ob?.vr, 'OB');
  const hex = ob?.value.replace(/^hex:/, '') ?? '';
  assert.deepEqual(aesCbcDecrypt(Buffer.from(hex, 'hex'), key), bytes);
  // The run key's AES key by its definition: SHA-256 of HMAC-SHA256(secret, "encrypt-key" NUL "").
  const runKey = createHash('sha256').update(keyedMac(KEY_SECRET, 'encrypt-key', '')).digest();
  const text = valueAfter({ type: 'encrypt' }, [makeTag(0x0010, 0x0020), 'LO', 'PAT-1'])?.value ?? '';
  assert.equal(dec(text, runKey), 'PAT-1');
  const other = createHash('sha256').update(keyedMac('another-key-for-action-tests-9876', 'encrypt-key', '')).digest();
  assert.throws(() => dec(text, other));
});

test('encrypt: empty values dropped, empty element unchanged; values that cannot hold base64 refused', () => {
  assert.equal(valueAfter({ type: 'encrypt', key: KEY16 }, [makeTag(0x0010, 0x0020), 'LO', ''])?.value, '');
  const two = valueAfter({ type: 'encrypt', key: KEY16 }, [makeTag(0x0010, 0x1000), 'LO', 'A\\\\B'])?.value.split('\\') ?? [];
  assert.deepEqual(two.map((v) => dec(v)), ['A', 'B']);
  assert.throws(() => valueAfter({ type: 'encrypt', key: KEY16 }, [makeTag(0x0010, 0x0030), 'DA', '20200101']), AnonymizeError, 'DA: 8 characters');
  assert.throws(() => valueAfter({ type: 'encrypt', key: KEY16 }, [makeTag(0x0008, 0x0054), 'AE', 'AE1']), AnonymizeError);
  assert.throws(() => valueAfter({ type: 'encrypt', key: KEY16 }, [makeTag(0x0008, 0x1155), 'UI', '1.2.3']), AnonymizeError, 'base64 is no UID');
  assert.throws(() => valueAfter({ type: 'encrypt', key: KEY16 }, [makeTag(0x0028, 0x0010), 'US', [1]]), AnonymizeError);
});

test('encryptBytes/decryptBytes round trip for any bytes and key size (property)', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(16, 24, 32), (bytes, size) => {
    const k = Buffer.alloc(size, 7);
    const enc = encryptBytes(bytes, k);
    assert.equal(enc.length % 16, 0);
    assert.ok(enc.length >= 32);
    assert.deepEqual(new Uint8Array(aesCbcDecrypt(enc, k)), bytes, 'standard AES-CBC, IV first');
    assert.deepEqual(new Uint8Array(decryptBytes(enc, k)), bytes);
  }));
});

// ---------------------------------------------------------------- perturb

const perturb = (span: number, rangeType: 'fixed' | 'proportional' = 'fixed', roundTo = 2): Action => ({ type: 'perturb', span, roundTo, rangeType });
const numbers = (v: string | undefined): number[] => (v ?? '').split('\\').map(Number);

test('perturb: within ±span/2 (fixed) or ±|v×span|/2 (proportional), rounded to roundTo decimals', () => {
  for (let i = 0; i < 20; i++) {
    const v = 100 + i * 7.25;
    const fixed = numbers(valueAfter(perturb(10), [makeTag(0x0010, 0x1030), 'DS', String(v)], { patientId: `P${i}` })?.value)[0];
    assert.ok(Math.abs(fixed - v) <= 5 + 0.005, `${fixed} vs ${v}`);
    assert.ok(Number.isInteger(Math.round(fixed * 100)) && Math.abs(fixed * 100 - Math.round(fixed * 100)) < 1e-6, 'two decimals');
    const prop = numbers(valueAfter(perturb(0.1, 'proportional'), [makeTag(0x0010, 0x1030), 'DS', String(v)], { patientId: `P${i}` })?.value)[0];
    assert.ok(Math.abs(prop - v) <= v * 0.05 + 0.005);
  }
  const fd = numbers(valueAfter(perturb(1, 'fixed', 3), [makeTag(0x0012, 0x0052), 'FD', [10, 20]])?.value);
  assert.equal(fd.length, 2);
  assert.ok(Math.abs(fd[0] - 10) <= 0.5 && Math.abs(fd[1] - 20) <= 0.5);
});

test('perturb: deterministic under the key, different under another key', () => {
  const spec: [number, string, string] = [makeTag(0x0010, 0x1030), 'DS', '72.5'];
  const a = valueAfter(perturb(10), spec)?.value;
  assert.equal(valueAfter(perturb(10), spec)?.value, a);
  const others = new Set(Array.from({ length: 5 }, (_, i) => valueAfter(perturb(10), spec, { patientId: `X${i}` }, OTHER_KEY)?.value));
  assert.ok(others.size > 1 || !others.has(a));
});

test('perturb: integer VRs stay integers within their range; unsigned never negative (MS-16 fixed)', () => {
  const cases: Array<[string, number, number, number]> = [
    ['US', 65535, 0, 65535], ['US', 0, 0, 65535], ['SS', -32768, -32768, 32767], ['SS', 32767, -32768, 32767],
    ['UL', 4294967295, 0, 4294967295], ['SL', 2147483647, -2147483648, 2147483647], ['SV', 5, -1e15, 1e15], ['UV', 5, 0, 1e15],
  ];
  for (const [vr, v, lo, hi] of cases) {
    for (let i = 0; i < 5; i++) {
      const out = numbers(valueAfter(perturb(1000), [makeTag(0x0009, 0x1010), vr, [v]], { patientId: `P${i}` })?.value)[0];
      assert.ok(Number.isInteger(out) && out >= lo && out <= hi && Math.abs(out - v) <= 500, `${vr} ${v} → ${out}`);
    }
  }
  const is = valueAfter(perturb(100), [makeTag(0x0020, 0x0013), 'IS', '2147483600'])?.value ?? '';
  assert.match(is, /^-?\d+$/);
  assert.ok(Number(is) <= 2147483647 && is.length <= 12);
  const ow = valueAfter(perturb(10), [makeTag(0x0009, 0x1011), 'OW', [100, 200]]);
  assert.equal(ow?.vr, 'OW');
  const words = Buffer.from(ow?.value.replace(/^hex:/, '') ?? '', 'hex');
  assert.equal(words.length, 4);
  assert.ok(Math.abs(words.readUInt16LE(0) - 100) <= 5 && Math.abs(words.readUInt16LE(2) - 200) <= 5);
});

test('perturb: DS stays within 16 characters; AS keeps its unit, goes to years over 999', () => {
  for (const v of ['123456789012.345', '-0.000000012345678', '9.87654321e+20', '1']) {
    const out = valueAfter(perturb(1, 'proportional', 10), [makeTag(0x0010, 0x1030), 'DS', v])?.value ?? '';
    assert.ok(out.length <= 16 && Number.isFinite(Number(out)), `${v} → ${out}`);
  }
  fc.assert(fc.property(fc.double({ noNaN: true, min: -1e300, max: 1e300 }), (n) => {
    const text = formatDS(n);
    assert.ok(text.length <= 16, text);
    if (n !== 0) assert.ok(Math.abs(Number(text) - n) <= Math.abs(n) * 1e-6, `${n} → ${text}`);
  }));
  const age = valueAfter(perturb(10), [makeTag(0x0010, 0x1010), 'AS', '045Y'])?.value ?? '';
  assert.match(age, /^0[45]\dY$/);
  const days = valueAfter(perturb(2, 'proportional'), [makeTag(0x0010, 0x1010), 'AS', '900D'])?.value ?? '';
  assert.match(days, /^\d{3}[DY]$/);
});

test('perturb refuses text it cannot read as numbers', () => {
  assert.throws(() => valueAfter(perturb(1), [makeTag(0x0010, 0x0010), 'PN', 'DOE']), AnonymizeError);
});
