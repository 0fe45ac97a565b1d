// Padding removal is linear: values made of a long run of spaces before a non-space (quadratic for /[\0 ]+$/)
// must decode at once, whatever their length.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { trimPaddingEnd, trimPaddingStart } from '../../src/dicom/padding.js';
import { getString } from '../../src/dicom/values.js';
import { DataElement, DataSet } from '../../src/dicom/dataset.js';
import { transferSyntaxOf } from '../../src/dicom/transfer-syntax.js';
import { withinHangBound } from '../helpers/hang-guard.js';

test('trimPaddingEnd / trimPaddingStart agree with the regex definitions', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(' ', '\0', 'a', '\\', '\t') , maxLength: 40 }), (s) => {
      assert.equal(trimPaddingEnd(s), s.replace(/[\0 ]+$/, ''));
      assert.equal(trimPaddingStart(s), s.replace(/^ +/, ''));
      assert.equal(trimPaddingEnd(s, true), s.replace(/[\0\s]+$/, ''));
    }),
    { seed: 11, numRuns: 2000 },
  );
});

test('a 4 MB run of spaces before a character decodes without hanging (linear trims)', () => {
  const text = ' '.repeat(4 * 1024 * 1024) + 'x ';
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const el = new DataElement(0x00204000, 'LT');
  el.setValue(Buffer.from(text, 'latin1'));
  withinHangBound('trimming 4 MB of padding', () => {
    assert.equal(getString(ds, el).length, text.length - 1);
    const lo = new DataElement(0x00081030, 'LO');
    lo.setValue(Buffer.from(text, 'latin1'));
    assert.equal(getString(ds, lo), 'x');
    assert.equal(transferSyntaxOf('1.2.840.10008.1.2' + ' '.repeat(1 << 20) + '\0').uid, '1.2.840.10008.1.2');
  });
});
