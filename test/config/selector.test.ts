import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSelector, formatMask, selectorVRs } from '../../src/config/selector.js';
import { ConfigError } from '../../src/config/errors.js';
import { makeTag } from '../../src/dicom/tag.js';
import { tagForKeyword } from '../../src/dicom/dictionary.js';
import { DICTIONARY_ROWS } from '../../src/dicom/dictionary.generated.js';
import { VRS } from '../../src/dicom/vr.js';

const P = '$.rules[0].tag';
const tag = (g: number, e: number) => ({ kind: 'tag', tag: makeTag(g, e) });
const hex4 = (n: number, upper = true) => {
  const s = n.toString(16).padStart(4, '0');
  return upper ? s.toUpperCase() : s;
};

test('exact tag forms', () => {
  for (const text of ['(0010,0010)', '0010,0010', '00100010', '(0010,0010)'.toLowerCase(), ' (0010,0010) ']) {
    assert.deepEqual(parseSelector(text, P), tag(0x0010, 0x0010), text);
  }
  assert.deepEqual(parseSelector('(7fe0,0010)', P), tag(0x7fe0, 0x0010));
  assert.deepEqual(parseSelector('(300a,00C3)', P), tag(0x300a, 0x00c3));
});

test('MS-9 fixed: "(0010, 0010)" with a space is PatientName, not (0010,0001)', () => {
  assert.deepEqual(parseSelector('(0010, 0010)', P), tag(0x0010, 0x0010));
  assert.deepEqual(parseSelector('(0010 , 0010)', P), tag(0x0010, 0x0010));
  assert.deepEqual(parseSelector('0010, 0010', P), tag(0x0010, 0x0010));
  assert.equal(tagForKeyword('PatientName'), makeTag(0x0010, 0x0010));
});

test('masks', () => {
  assert.deepEqual(parseSelector('(50xx,xxxx)', P), { kind: 'mask', value: 0x50000000, mask: 0xff000000 });
  assert.deepEqual(parseSelector('xxx1,xxxx', P), { kind: 'mask', value: 0x00010000, mask: 0x000f0000 });
  assert.deepEqual(parseSelector('0010xxxx', P), { kind: 'mask', value: 0x00100000, mask: 0xffff0000 });
  assert.deepEqual(parseSelector('(60XX,3000)', P), { kind: 'mask', value: 0x60003000, mask: 0xff00ffff });
  assert.deepEqual(parseSelector('(0010,10xx)', P), { kind: 'mask', value: 0x00101000, mask: 0xffffff00 });
  assert.equal(formatMask(0x60003000, 0xff00ffff), '(60xx,3000)');
});

test('private creator forms', () => {
  const want = { kind: 'private', group: 0x0029, creator: 'SIEMENS CSA HEADER', elementByte: 0x10 };
  assert.deepEqual(parseSelector('(0029,xx10:SIEMENS CSA HEADER)', P), want);
  assert.deepEqual(parseSelector('(0029,1010:SIEMENS CSA HEADER)', P), want);
  assert.deepEqual(parseSelector('(0029,2010:SIEMENS CSA HEADER)', P), want, 'block number ignored');
  assert.deepEqual(parseSelector('(0029,0010:SIEMENS CSA HEADER)', P), want, 'fo-dicom style');
  assert.deepEqual(parseSelector('(0029,xxxx:SIEMENS CSA HEADER)', P), { ...want, elementByte: null });
  assert.throws(() => parseSelector('(0010,xx10:FOO)', P), ConfigError, 'even group');
  assert.throws(() => parseSelector('(0029,xx10:)', P), ConfigError, 'empty creator');
  assert.throws(() => parseSelector('(0029,xx1x:FOO)', P), ConfigError, 'half-wild low byte');
});

test('VR codes, keywords and our extras', () => {
  assert.deepEqual(parseSelector('PN', P), { kind: 'vr', vr: 'PN' });
  assert.deepEqual(parseSelector('DA', P), { kind: 'vr', vr: 'DA' });
  assert.deepEqual(parseSelector('PatientName', P), tag(0x0010, 0x0010));
  assert.deepEqual(parseSelector('RetrieveAETitle', P), tag(0x0008, 0x0054));
  assert.deepEqual(parseSelector('OverlayData', P), tag(0x6000, 0x3000), 'repeating-group keyword → base tag');
  assert.deepEqual(parseSelector('group:0010', P), { kind: 'group', group: 0x0010 });
  assert.deepEqual(parseSelector('private', P), { kind: 'private', group: null, creator: null, elementByte: null });
  assert.deepEqual(parseSelector('private:GEMS_PETD_01', P), { kind: 'private', group: null, creator: 'GEMS_PETD_01', elementByte: null });
});

test('invalid tags name the path', () => {
  for (const bad of ['(0040)', 'patientname', 'ZZ', '', '(0010,0010', '0010,0010)', '(00100,010)', 'group:10', 'hello world', '(0010;0010)']) {
    assert.throws(
      () => parseSelector(bad, P),
      (e: unknown) => e instanceof ConfigError && e.jsonPath === P && e.message.includes(P) && e.message.includes('invalid tag'),
      bad,
    );
  }
});

test('selectorVRs', () => {
  assert.deepEqual(selectorVRs(parseSelector('PatientName', P)), ['PN']);
  assert.deepEqual(selectorVRs(parseSelector('(7FE0,0010)', P)), ['OB', 'OW']);
  assert.deepEqual(selectorVRs(parseSelector('SQ', P)), ['SQ']);
  assert.equal(selectorVRs(parseSelector('(0029,1010)', P)), null);
  assert.equal(selectorVRs(parseSelector('(50xx,xxxx)', P)), null);
});

// ---------------------------------------------------------------- properties

const arbTag = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }));

test('property: every exact-tag spelling parses back to the same tag', () => {
  fc.assert(
    fc.property(arbTag, fc.boolean(), fc.constantFrom('', ' ', '  '), ([g, e], upper, sp) => {
      const G = hex4(g, upper);
      const E = hex4(e, upper);
      const want = tag(g, e);
      for (const text of [`(${G},${E})`, `${G},${E}`, `${G}${E}`, `(${G},${sp}${E})`, `${G}${sp},${sp}${E}`]) {
        assert.deepEqual(parseSelector(text, P), want, text);
      }
    }),
    { numRuns: 500 },
  );
});

test('property: masks parse to (tag & mask) === value over the non-x nibbles', () => {
  fc.assert(
    fc.property(arbTag, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.constantFrom('x', 'X'), ([g, e], wild, x) => {
      const digits = (hex4(g) + hex4(e)).split('').map((d, i) => (wild[i] ? x : d)).join('');
      const wantMask = wild.reduce((m, w, i) => m + (w ? 0 : 0xf * 16 ** (7 - i)), 0);
      const full = makeTag(g, e);
      const maskValue = (full & wantMask) >>> 0;
      const want = wantMask === 0xffffffff ? { kind: 'tag', tag: full } : { kind: 'mask', value: maskValue, mask: wantMask };
      for (const text of [`(${digits.slice(0, 4)},${digits.slice(4)})`, `${digits.slice(0, 4)},${digits.slice(4)}`, digits]) {
        assert.deepEqual(parseSelector(text, P), want, text);
      }
      if (wantMask !== 0xffffffff) assert.equal(formatMask(maskValue, wantMask).toLowerCase(), `(${digits.slice(0, 4)},${digits.slice(4)})`.toLowerCase());
    }),
    { numRuns: 500 },
  );
});

test('property: private creator forms ignore the block number', () => {
  const creator = fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s.trim() !== '' && !s.includes(')')).map((s) => s.trim());
  fc.assert(
    fc.property(fc.integer({ min: 0x0004, max: 0x7ffe }), fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0xff }), creator, (h, block, low, c) => {
      const g = h * 2 + 1; // odd groups 0x0009..0xFFFD
      const want = { kind: 'private', group: g, creator: c, elementByte: low };
      const L = low.toString(16).padStart(2, '0');
      const B = block.toString(16).padStart(2, '0');
      assert.deepEqual(parseSelector(`(${hex4(g)},xx${L}:${c})`, P), want);
      assert.deepEqual(parseSelector(`(${hex4(g, false)},${B}${L}:${c})`, P), want);
    }),
    { numRuns: 300 },
  );
});

test('property: keywords of exact dictionary entries parse to their tag', () => {
  const exact = DICTIONARY_ROWS.filter(([t, kw]) => kw !== '' && !/x/i.test(t));
  assert.ok(exact.length > 1000);
  fc.assert(
    fc.property(fc.constantFrom(...exact), ([t, kw]) => {
      const want = parseSelector(t, P);
      assert.equal(want.kind, 'tag');
      assert.deepEqual(parseSelector(kw, P), want, kw);
    }),
    { numRuns: 1000 },
  );
});

test('property: every VR code parses as a VR selector', () => {
  for (const vr of VRS) assert.deepEqual(parseSelector(vr, P), { kind: 'vr', vr });
});
