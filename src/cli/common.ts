// What every command shares: exit codes and how warnings are printed (stderr, never a value).

import { printable } from '../files/terminal-text.js';

/** 4: files were quarantined (burned-in text not cleaned) and none failed: not a retryable failure. */
export const EXIT = { ok: 0, usage: 1, someFailed: 2, findings: 3, quarantined: 4 } as const;

/** Prints one message line on stderr, escaped: messages name files, and file names may hold terminal escapes. */
export const printLine = (line: string): void => void process.stderr.write(`${printable(line)}\n`);

export const warn = (message: string): void => printLine(`warning: ${message}`);
