// Errors of a batch that are the caller's fault (bad flags, overlapping paths): the CLI exits with code 1.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
