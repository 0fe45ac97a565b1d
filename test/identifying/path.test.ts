// The finder's reading of path components (src/identifying/path.ts): `_` and `-` as word separators, IDs joined by
// `_`, the date-time stamp inside a UID, and the ordinary names of series and files left alone.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';

import { pathSpans, pathText } from '../../src/identifying/index.js';

const found = (component: string): string[] => pathSpans(component).map((s) => `${s.kind}:${pathText(component).slice(s.start, s.end)}`);

it('reads `_` and `-` beside a letter as spaces, and the name as it is', () => {
  assert.deepEqual(found('case-2020-02-03'), ['date:2020-02-03']);
  assert.deepEqual(found('19500101_CT'), ['date:19500101']);
  assert.deepEqual(found('AB_123456'), ['id:AB 123456']);
  assert.deepEqual(found('Dr-Smith'), ['name:Dr Smith']);
  assert.deepEqual(found('12-Main-Street'), ['address:12 Main Street']);
  assert.equal(found('Mueller_Hans.dcm').length, 1);
});

it('finds a YYYYMMDDhhmmss stamp with its fraction digits inside a UID', () => {
  assert.deepEqual(found('MR.1.3.12.2.1107.5.2.32.35162.2013110815191348287516049.dcm'), ['date:2013110815191348287516049']);
  assert.deepEqual(found('1.3.12.2.1107.5.2.32.35162.2013130815191348287516049'), [], 'month 13: no stamp');
});

it('leaves series and file names alone', () => {
  for (const plain of ['CT', 'series1', 'IMG0001.dcm', 'T1_MPRAGE', 'T2-FLAIR', 'ep2d-diff-3scan', 'IM-0001-0001.dcm', 'sub-01_ses-02_T1w', 'Abdomen_Pelvis']) {
    assert.deepEqual(found(plain), [], plain);
  }
});

it('keeps offsets: every span is inside the component and pathText has its length (less a trailing .dcm)', () => {
  fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9_.-]{0,40}$/), (component) => {
    const text = pathText(component);
    assert.equal(text.length, component.replace(/\.dcm$/i, '').length);
    for (const s of pathSpans(component)) assert.ok(s.start >= 0 && s.start < s.end && s.end <= text.length);
  }), { numRuns: 300 });
});
