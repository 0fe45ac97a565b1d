// The command line: a thin shell over the library. `dicom-anonymizer [anonymize] ...` is the default command;
// other commands (verify, review, keygen) are registered beside it. Started by main.ts (the modules) or by the
// launcher's engine bundle (launch/cli.ts).

import { Command } from 'commander';
import { ConfigError } from '../api/plan.js';
import { UsageError } from '../api/batch.js';
import { ANONYMIZE_EXAMPLES, defineAnonymizeCommand } from './anonymize-command.js';
import { defineVerifyCommand } from './verify-command.js';
import { defineKeygenCommand } from './keygen-command.js';
import { defineReviewCommand } from './review-command.js';
import { defineMergeCommand } from './merge-command.js';
import { defineScanCommand } from './scan-command.js';
import { defineServeCommand } from './serve-command.js';
import { EXIT, printLine } from './common.js';
import { packageVersion } from './version.js';

/** The one line printed under a usage error instead of the whole help (about 140 lines). */
export const helpHint = (command: string): string => `(run "${command} --help" for the options and examples)`;

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command()
    .name('dicom-anonymizer')
    .description('De-identify DICOM files: PS3.15 Basic Confidentiality Profile by default, Microsoft-compatible and simple rule files.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError(helpHint('dicom-anonymizer'));
  const anonymize = defineAnonymizeCommand(
    program.command('anonymize', { isDefault: true }).description('anonymize files (the default command)').exitOverride(),
    setExit,
  );
  defineVerifyCommand(program.command('verify'), setExit).showHelpAfterError(helpHint('dicom-anonymizer verify'));
  defineReviewCommand(program.command('review'), setExit).showHelpAfterError(helpHint('dicom-anonymizer review'));
  defineKeygenCommand(program.command('keygen'), setExit).showHelpAfterError(helpHint('dicom-anonymizer keygen'));
  defineScanCommand(program.command('scan'), setExit).showHelpAfterError(helpHint('dicom-anonymizer scan'));
  defineMergeCommand(program.command('merge'), setExit).showHelpAfterError(helpHint('dicom-anonymizer merge'));
  defineServeCommand(program.command('serve'), setExit).showHelpAfterError(helpHint('dicom-anonymizer serve'));
  program.addHelpText('after', () => `\nWithout a command, "anonymize" runs:\n\n${anonymize.helpInformation()}${ANONYMIZE_EXAMPLES}`);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    const e = error as { code?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
    if (e.code?.startsWith('commander.')) return EXIT.usage;
    if (error instanceof ConfigError || error instanceof UsageError) {
      printLine(`error: ${error.message}`);
      if (error instanceof UsageError && error.showHelpHint) printLine(helpHint('dicom-anonymizer'));
      return EXIT.usage;
    }
    printLine(`error: ${(error as Error).message}`);
    return EXIT.usage;
  }
}

/** Runs the command line on `argv` and sets the process's exit code. */
export async function runCommandLine(argv: string[]): Promise<void> {
  // A closed pipe (e.g. `--help | head`) is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  process.exitCode = await main(argv);
}
