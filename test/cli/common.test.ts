// What the commands share: the --option check that anonymize, verify and review each run on their flags.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profileOptionsFlag } from '../../src/cli/common.js';
import { UsageError } from '../../src/files/usage-error.js';
import { PROFILE_OPTIONS } from '../../src/plan/plan.js';

test('--option: every profile option is accepted as given; an unknown one is a usage error naming it and the choices', () => {
  assert.deepEqual(profileOptionsFlag([...PROFILE_OPTIONS]), [...PROFILE_OPTIONS]);
  assert.deepEqual(profileOptionsFlag([]), []);
  assert.throws(() => profileOptionsFlag(['retainUIDs', 'retainUids']), (e: Error) =>
    e instanceof UsageError && e.message.startsWith('unknown --option retainUids; use one of ') && PROFILE_OPTIONS.every((o) => e.message.includes(o)));
});
