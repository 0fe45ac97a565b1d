// remapUid: keyed, per value, standard UIDs untouched, reproducible across engines with the same key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTag } from '../../../src/dicom/tag.js';
import { AnonymizeError } from '../../../src/anonymize/context.js';
import { Keys } from '../../../src/anonymize/keys.js';
import { addSequence, makeFile, runAction, valueAfter, KEY_SECRET, OTHER_KEY } from '../helpers/one-rule.js';
import { keyedUid } from '../../helpers/keyed.js';

/** The expected new UID, from the definition (not from the engine's Keys). */
const newUid = (uid: string): string => keyedUid(KEY_SECRET, uid);

const REF = makeTag(0x0008, 0x1155);
const A = '1.2.826.0.1.3680043.10.99.1000';
const B = '1.2.826.0.1.3680043.10.99.1001';
const CT = '1.2.840.10008.5.1.4.1.1.2';

test('remapUid maps each value of a multi-valued UI on its own; standard UIDs untouched', () => {
  const out = valueAfter({ type: 'remapUid' }, [REF, 'UI', `${A}\\${CT}\\${B}`]);
  assert.deepEqual(out?.value.split('\\'), [newUid(A), CT, newUid(B)]);
  for (const uid of out?.value.split('\\') ?? []) {
    assert.ok(uid.length <= 64);
    assert.match(uid, /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/, 'valid UID syntax');
  }
  assert.equal(valueAfter({ type: 'remapUid' }, [makeTag(0x0008, 0x0016), 'UI', CT])?.value, CT);
});

test('remapUid: same input → same output across two Anonymizer instances with the same key; other key → other UID', () => {
  const first = valueAfter({ type: 'remapUid' }, [REF, 'UI', A]);
  const second = valueAfter({ type: 'remapUid' }, [REF, 'UI', A], {}, Keys.fromSecret('action-tests-key-0123456789abcdef'));
  assert.deepEqual(first, second);
  assert.notEqual(valueAfter({ type: 'remapUid' }, [REF, 'UI', A], {}, OTHER_KEY)?.value, first?.value);
  assert.notEqual(valueAfter({ type: 'remapUid' }, [REF, 'UI', B])?.value, first?.value);
});

test('remapUid reaches references nested in sequences, mapped like the top-level UID', () => {
  const study = '1.2.826.0.1.3680043.10.99.1';
  const file = makeFile([], { studyUid: study });
  addSequence(file, makeTag(0x0008, 0x1200), [[makeTag(0x0020, 0x000d), 'UI', study]]);
  const flat = runAction({ type: 'remapUid' }, [makeTag(0x0020, 0x000d)], file);
  assert.equal(flat.get('(0020,000D)')?.value, newUid(study));
  assert.equal(flat.get('(0008,1200)[0].(0020,000D)')?.value, newUid(study));
});

test('remapUid refuses a non-UI element', () => {
  assert.throws(() => valueAfter({ type: 'remapUid' }, [makeTag(0x0010, 0x0020), 'LO', 'x']), AnonymizeError);
});
