// Per destination, what is done: one line per new SOP Instance UID, appended and fsynced before the gateway counts
// it, read back at start. A destination gets an instance again only when the gateway was killed between the peer's
// Success and this line's fsync: the same bytes under the same (new) SOP Instance UID, which a PACS keeps once.

import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

/** stored: the destination took it; quarantined: it cannot take it (reason in the quarantine); failed: gave up. */
export type JournalOutcome = 'stored' | 'quarantined' | 'failed';

export class DestinationJournal {
  private readonly done = new Map<string, JournalOutcome>();
  private readonly fd: number;

  constructor(readonly path: string) {
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'latin1').split('\n')) {
        const m = /^(stored|quarantined|failed) ([0-9.]+)$/.exec(line);
        if (m) this.done.set(m[2], m[1] as JournalOutcome);
      }
    }
    this.fd = openSync(path, 'a', 0o600);
  }

  has(sopInstanceUid: string): boolean {
    return this.done.has(sopInstanceUid);
  }

  outcome(sopInstanceUid: string): JournalOutcome | undefined {
    return this.done.get(sopInstanceUid);
  }

  /** Records an outcome durably (the line is on disk when this returns). */
  record(sopInstanceUid: string, outcome: JournalOutcome): void {
    if (!/^[0-9.]+$/.test(sopInstanceUid)) throw new Error('a journal line holds a UID only');
    const line = Buffer.from(`${outcome} ${sopInstanceUid}\n`, 'latin1');
    let at = 0;
    while (at < line.length) at += writeSync(this.fd, line, at);
    fsyncSync(this.fd);
    this.done.set(sopInstanceUid, outcome);
  }

  close(): void {
    closeSync(this.fd);
  }
}
