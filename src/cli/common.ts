// What every command shares: exit codes, how warnings are printed (stderr, never a value), the --option flag.

import { Option } from 'commander';
import { printable } from '../api/batch.js';
import { PROFILE_OPTIONS } from '../api/plan.js';

/** 4: files were quarantined (burned-in text not cleaned) and none failed: not a retryable failure. */
/** 5 (verify): no findings, but some outputs could not be compared with an original (unpaired): not verified. */
export const EXIT = { ok: 0, usage: 1, someFailed: 2, findings: 3, quarantined: 4, notVerified: 5 } as const;

/** Prints one message line on stderr, escaped: messages name files, and file names may hold terminal escapes. */
export const printLine = (line: string): void => void process.stderr.write(`${printable(line)}\n`);

export const warn = (message: string): void => printLine(`warning: ${message}`);

/** `--option <name...>` (repeatable): commander checks each name against PROFILE_OPTIONS, the one check in the CLI. */
export const profileOptionFlag = (description: string): Option =>
  new Option('--option <name...>', `${description}, repeatable`).choices(PROFILE_OPTIONS).default([]);
