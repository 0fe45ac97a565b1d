// Study layout: a worker writes each finished file under a staging name beside its final name, because two inputs
// may claim one name (a duplicated SOP Instance UID); the main thread, which sees every outcome, gives the name to
// the first input in input order and renames its staged file into place. The rest fail, and nothing is merged.

import { renameSync, unlinkSync } from 'node:fs';
import { describeError } from './errors.js';
import type { FileOutcome } from './protocol.js';

/**
 * Staging name of a finished study-layout file before the main thread moves it into place (ends in .partial).
 * Named after the input's position in the run, so a file done again (its worker died) overwrites its own staging.
 */
export function stagedName(targetBase: string, stageTag: string, inputIndex: number): string {
  return `.${targetBase}.${stageTag}.i${inputIndex}.staged.partial`;
}

const STAGED = /^\.(.+)\.(s\d+of\d+)\.i\d+\.staged\.partial$/;

/** The final base name and shard tag a staging name stood for, or null when `name` is not a staging name. */
export function stagedTarget(name: string): { target: string; stageTag: string } | null {
  const m = STAGED.exec(name);
  return m ? { target: m[1], stageTag: m[2] } : null;
}

/** What placement needs to know of the other inputs of the run. */
export interface PlacementInputs {
  /** The input path (for messages) and its path relative to the input root. */
  inputOf(index: number): { input: string; relativePath: string };
  /** The outcome of an input that has been received but not yet recorded, if any. */
  pendingOutcome(index: number): FileOutcome | undefined;
}

/** Turns a finished outcome into a failure that wrote nothing. */
function failOutcome(o: FileOutcome, error: string): void {
  o.status = 'failed';
  o.error = error;
  o.output = null;
  o.bytesOut = 0;
  o.ids = undefined;
}

export class StudyPlacement {
  /** Output name → index of the input that holds it. */
  private readonly claims = new Map<string, number>();

  constructor(private readonly inputs: PlacementInputs) {}

  /** Moves a staged output into place, or fails it (changing `o`) when an earlier input holds its name. */
  place(o: FileOutcome): void {
    if (o.staged === undefined || o.output === null) return;
    const holder = this.claims.get(o.output);
    const self = this.inputs.inputOf(o.index);
    if (holder !== undefined && holder < o.index) {
      try { unlinkSync(o.staged); } catch { /* gone */ }
      failOutcome(o, `${self.input}: same output as ${this.inputs.inputOf(holder).relativePath} (duplicate SOP Instance UID); not written`);
      return;
    }
    try {
      renameSync(o.staged, o.output);
    } catch (error) {
      try { unlinkSync(o.staged); } catch { /* gone */ }
      failOutcome(o, `${self.input}: ${describeError(error)}`);
      return;
    }
    if (holder !== undefined) {
      // A later input had taken the name first; this one replaces it (not yet recorded: it comes later in order).
      const later = this.inputs.pendingOutcome(holder);
      if (later) failOutcome(later, `${this.inputs.inputOf(holder).input}: same output as ${self.relativePath} (duplicate SOP Instance UID); replaced`);
    }
    this.claims.set(o.output, o.index);
    o.staged = undefined;
  }
}
