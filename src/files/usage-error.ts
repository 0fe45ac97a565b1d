// The caller's fault (bad flags, overlapping paths, a refused key): the CLI prints the message and exits with code 1.
// Defined below batch and verify so that both, and the CLI, share it without importing each other.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
