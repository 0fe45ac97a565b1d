// What every command shares: exit codes and how warnings are printed (stderr, never a value).

export const EXIT = { ok: 0, usage: 1, someFailed: 2, findings: 3 } as const;

export const warn = (message: string): void => void process.stderr.write(`warning: ${message}\n`);
