// What every command shares: exit codes, how warnings are printed (stderr, never a value), the --option check.

import { printable } from '../files/terminal-text.js';
import { UsageError } from '../files/usage-error.js';
import { PROFILE_OPTIONS, type ProfileOption } from '../plan/plan.js';

/** 4: files were quarantined (burned-in text not cleaned) and none failed: not a retryable failure. */
export const EXIT = { ok: 0, usage: 1, someFailed: 2, findings: 3, quarantined: 4 } as const;

/** Prints one message line on stderr, escaped: messages name files, and file names may hold terminal escapes. */
export const printLine = (line: string): void => void process.stderr.write(`${printable(line)}\n`);

export const warn = (message: string): void => printLine(`warning: ${message}`);

/** The --option values (repeatable) as profile options; UsageError naming the first unknown one. */
export function profileOptionsFlag(names: readonly string[]): ProfileOption[] {
  for (const o of names) {
    if (!(PROFILE_OPTIONS as readonly string[]).includes(o)) throw new UsageError(`unknown --option ${o}; use one of ${PROFILE_OPTIONS.join(', ')}`);
  }
  return names as ProfileOption[];
}
