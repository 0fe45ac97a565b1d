// What the commands share: the --option flag that anonymize, verify and review each declare, checked by commander
// against the one list of profile options.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { profileOptionFlag } from '../../src/cli/common.js';
import { PROFILE_OPTIONS } from '../../src/plan/plan.js';

const parse = (args: string[]): string[] => {
  const command = new Command().exitOverride().configureOutput({ writeErr: () => {} }).addOption(profileOptionFlag('profile option'));
  return command.parse(args, { from: 'user' }).opts<{ option: string[] }>().option;
};

test('--option: every profile option is accepted as given, repeated or not; an unknown one is refused naming the choices', () => {
  assert.deepEqual(parse(PROFILE_OPTIONS.flatMap((o) => ['--option', o])), [...PROFILE_OPTIONS]);
  assert.deepEqual(parse(['--option', 'retainUIDs', 'cleanGraphics']), ['retainUIDs', 'cleanGraphics']);
  assert.deepEqual(parse([]), []);
  assert.throws(() => parse(['--option', 'retainUIDs', '--option', 'retainUids']), (e: Error & { code?: string }) =>
    e.code === 'commander.invalidArgument' && /retainUids/.test(e.message) && PROFILE_OPTIONS.every((o) => e.message.includes(o)));
});
