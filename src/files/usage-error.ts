// The caller's fault (bad flags, overlapping paths, a refused key): the CLI prints the message and exits with code 1.
// Defined below batch and verify so that both, and the CLI, share it without importing each other.

export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** A missing or wrong flag: the CLI adds one line pointing to --help (not for errors that already say what to do). */
  readonly showHelpHint: boolean;

  constructor(message: string, options: { showHelpHint?: boolean } = {}) {
    super(message);
    this.showHelpHint = options.showHelpHint ?? false;
  }
}
