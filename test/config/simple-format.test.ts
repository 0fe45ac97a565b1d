import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, parseConfigBase, DEFAULT_DATE_SHIFT } from '../../src/config/load.js';
import { makeTag } from '../../src/dicom/tag.js';
import { throwsAt } from './helpers.js';


test('seed example: simple rules', () => {
  const text =
    '{"rules":[{"tag":"(0010,0010)","method":"replace","value":"TRAINING_CASE"},{"tag":"(0010,0020)","method":"hash"},' +
    '{"tag":"(0008,0080)","method":"remove"},{"tag":"(0010,xxxx)","method":"remove"}]}';
  const { base: plan, format } = parseConfigBase(text);
  assert.equal(format, 'simple-rules');
  assert.deepEqual(plan, {
    rules: [
      { selector: { kind: 'tag', tag: makeTag(0x0010, 0x0010) }, action: { type: 'replace', value: 'TRAINING_CASE' }, origin: 'config.rules[0]' },
      { selector: { kind: 'tag', tag: makeTag(0x0010, 0x0020) }, action: { type: 'hash' }, origin: 'config.rules[1]' },
      { selector: { kind: 'tag', tag: makeTag(0x0008, 0x0080) }, action: { type: 'remove' }, origin: 'config.rules[2]' },
      { selector: { kind: 'mask', value: 0x00100000, mask: 0xffff0000 }, action: { type: 'remove' }, origin: 'config.rules[3]' },
    ],
    profile: null,
    unmatched: 'keep',
    dateShift: { ...DEFAULT_DATE_SHIFT },
  });
});

test('seed example: simple lists (keep first, then hash, then remove, then all private)', () => {
  const text = '{"keepTags":["StudyInstanceUID"],"removeTags":["PatientName","group:0010"],"hashTags":["AccessionNumber"],"removeAllPrivateTags":true}';
  const { base: plan, format } = parseConfigBase(text);
  assert.equal(format, 'simple-lists');
  assert.deepEqual(plan.rules, [
    { selector: { kind: 'tag', tag: makeTag(0x0020, 0x000d) }, action: { type: 'keep' }, origin: 'config.keepTags[0]' },
    { selector: { kind: 'tag', tag: makeTag(0x0008, 0x0050) }, action: { type: 'hash' }, origin: 'config.hashTags[0]' },
    { selector: { kind: 'tag', tag: makeTag(0x0010, 0x0010) }, action: { type: 'remove' }, origin: 'config.removeTags[0]' },
    { selector: { kind: 'group', group: 0x0010 }, action: { type: 'remove' }, origin: 'config.removeTags[1]' },
    { selector: { kind: 'private', group: null, creator: null, elementByte: null }, action: { type: 'remove' }, origin: 'config.removeAllPrivateTags' },
  ]);
  assert.equal(plan.profile, null);
  assert.equal(plan.unmatched, 'keep');
});

test('keepTags wins over group:0010 (it comes first)', () => {
  const plan = parseConfig('{"removeTags":["group:0010"],"keepTags":["PatientAge"]}');
  assert.deepEqual(plan.rules.map((r) => r.action.type), ['keep', 'remove']);
  assert.deepEqual(plan.rules[0].selector, { kind: 'tag', tag: makeTag(0x0010, 0x1010) });
});

test('replaceTags, removeAllPrivateTags false', () => {
  const plan = parseConfig('{"replaceTags":{"PatientName":"ANON","(0008,0080)":"HOSPITAL"},"removeTags":["PatientID"],"removeAllPrivateTags":false}');
  assert.deepEqual(plan.rules.map((r) => [r.action, r.origin]), [
    [{ type: 'replace', value: 'ANON' }, 'config.replaceTags["PatientName"]'],
    [{ type: 'replace', value: 'HOSPITAL' }, 'config.replaceTags["(0008,0080)"]'],
    [{ type: 'remove' }, 'config.removeTags[0]'],
  ]);
  throwsAt('{"replaceTags":{"Bogus":"x"}}', '$.replaceTags.Bogus', /invalid tag/);
  throwsAt('{"replaceTags":{"PatientName":1}}', '$.replaceTags.PatientName');
  throwsAt('{"keepTags":["PatientID", 3]}', '$.keepTags[1]');
  throwsAt('{"removeTags":["PatientID", "(0010, 00ZZ)"]}', '$.removeTags[1]', /invalid tag/);
  throwsAt('{"hashTags":["ReferencedStudySequence"]}', '$.hashTags[0]', /cannot be applied/);
  throwsAt('{"removeAllPrivateTags":"yes"}', '$.removeAllPrivateTags');
});

test('every simple method', () => {
  const plan = parseConfig(
    JSON.stringify({
      rules: [
        { tag: 'PatientComments', method: 'empty' },
        { tag: 'SOPInstanceUID', method: 'remapUid' },
        { tag: 'StudyInstanceUID', method: 'UID' },
        { tag: 'StudyDate', method: 'shiftDate' },
        { tag: 'SeriesDate', method: 'dateShift', days: 30, scope: 'study', key: 'k' },
        { tag: 'PatientID', method: 'pseudonym' },
        { tag: 'OtherPatientIDs', method: 'Pseudonym', prefix: 'P-' },
        { tag: 'AccessionNumber', method: 'hash', key: 'k2' },
        { tag: 'PatientAge', method: 'KEEP' },
      ],
    }),
  );
  assert.deepEqual(plan.rules.map((r) => r.action), [
    { type: 'empty' },
    { type: 'remapUid' },
    { type: 'remapUid' },
    { type: 'shiftDate', scope: DEFAULT_DATE_SHIFT.scope, rangeDays: DEFAULT_DATE_SHIFT.rangeDays, shiftTime: false },
    { type: 'shiftDate', scope: 'study', rangeDays: 30, shiftTime: false, key: 'k' },
    { type: 'pseudonym', prefix: 'ANON' },
    { type: 'pseudonym', prefix: 'P-' },
    { type: 'hash', key: 'k2' },
    { type: 'keep' },
  ]);
});

test('simple rule errors', () => {
  const r = (rule: unknown) => JSON.stringify({ rules: [rule] });
  throwsAt(r({ tag: 'PatientName', method: 'replace' }), '$.rules[0]', /needs a "value"/);
  throwsAt(r({ tag: 'PatientName', method: 'hash', value: 'x' }), '$.rules[0].value', /not used by method "hash"/);
  throwsAt(r({ tag: 'PatientName', method: 'remove', prefix: 'x' }), '$.rules[0].prefix', /not used/);
  throwsAt(r({ tag: 'StudyDate', method: 'shiftDate', days: -1 }), '$.rules[0].days');
  throwsAt(r({ tag: 'StudyDate', method: 'shiftDate', days: 1.5 }), '$.rules[0].days');
  throwsAt(r({ tag: 'StudyDate', method: 'shiftDate', scope: 'visit' }), '$.rules[0].scope');
  throwsAt(r({ tag: 'PatientName', method: 'replace', value: 'x', comment: 'y' }), '$.rules[0].comment', /unknown key/);
  throwsAt(r({ tag: 'PatientName', method: 'shiftDate' }), '$.rules[0].method', /cannot be applied/);
  throwsAt(r({ tag: 'PatientName', method: 'remapUid' }), '$.rules[0].method', /cannot be applied/);
  throwsAt(r({ tag: 'PatientName', method: 'scramble', value: 'x' }), '$.rules[0].method', /unsupported method/);
  throwsAt(r({ tag: '(0010, 0010', method: 'replace', value: 'x' }), '$.rules[0].tag', /unbalanced/);
});

test('"(0010, 0010)" in a simple rule is PatientName', () => {
  const plan = parseConfig('{"rules":[{"tag":"(0010, 0010)","method":"replace","value":"X"}]}');
  assert.deepEqual(plan.rules[0].selector, { kind: 'tag', tag: makeTag(0x0010, 0x0010) });
});
