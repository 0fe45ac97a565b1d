// Output names in the mirror layout that never carry an identifying value of the input (issue #16). A PACS export or
// a hand-made tree is often named after its patient: `DOE_JOHN_MRN12345/19500101_CT/DOE_JOHN.dcm`. Each component of
// an input's relative path (its folders and its file name) is renamed to a keyed pseudonym when it holds
//   - an identifying value of ANY readable file below it (plan/identifying-path.ts: Patient Name and its parts,
//     Patient ID, Accession Number, Birth and Study Date as YYYYMMDD, YYYY-MM-DD, DD.MM.YYYY, Institution Name), or
//   - an identifying span the finder reports in it (a name from its lists, an MRN-like ID, a date, a phone number...;
//     src/identifying/path.ts, the rules cleaning and verify use), whatever the headers say: this also covers files
//     whose header cannot be read.
// Everything else (`CT`, `series1`, `IMG0001.dcm`) stays. The rule is the one verify applies to output paths, so a
// renamed tree gives no 'identifying-value-in-path' finding.
//
// The pseudonym is `anon-` + 20 hex digits (80 bits) of HMAC-SHA256(run key, "path-component" NUL component), with
// the file extension kept (`.dcm`, when the extension itself is not identifying): the same component gets the same
// name in every folder, run, worker and shard with the same key, and a different one under another key. Two inputs
// that would get one output path (a collision, p ≈ n² / 2^81) stop the run before anything is written.
//
// Consistency across shards: the pre-pass reads the headers of ALL inputs of the run, not only the shard's, so every
// shard takes the same decision for every folder. Each header read stops after the last tag the rule needs (groups
// 0008 and 0010: PATH_VALUES_END), so it parses a few dozen elements, never the sequences and private groups after
// them nor the pixels (files up to 64 KiB are read whole, larger ones through a 128 KiB window). A dataset out of
// ascending tag order could hold such a value later: process-file.ts checks the output path of such a file against
// its whole header before writing it.

import { extname } from 'node:path';
import { readDicomFile, type ReadOptions } from '../dicom/part10.js';
import type { Keys } from '../anonymize/keys.js';
import {
  foldComponent, holdsAnyValue, PATH_VALUES_END, pathComponents, pathIdentifyingValues, patternsInComponent, valuesInComponent, type PathValue,
} from '../plan/identifying-path.js';
import { RENAMED_PREFIX } from '../files/output-names.js';
import { UsageError } from '../files/usage-error.js';
import type { Slot } from './ledger.js';
import type { MappingCollector } from './mapping.js';

/** Files up to this size are read whole by the header pre-pass; larger ones through a window of twice this size (the reader asks for this much at a time: one window read covers the first groups). */
const PREPASS_IN_MEMORY_BYTES = 64 * 1024;

/** The path-identifying values of the file at `path`, or null when its header cannot be read. */
export function headerPathValues(path: string, readOptions: ReadOptions = {}): PathValue[] | null {
  let file;
  try {
    file = readDicomFile(path, {
      ...readOptions,
      inMemoryMaxBytes: Math.min(readOptions.inMemoryMaxBytes ?? PREPASS_IN_MEMORY_BYTES, PREPASS_IN_MEMORY_BYTES),
      windowBytes: 2 * PREPASS_IN_MEMORY_BYTES,
      stopBeforeTag: PATH_VALUES_END,
    });
  } catch {
    return null;
  }
  try {
    return pathIdentifyingValues(file);
  } catch {
    return null;
  } finally {
    file.close();
  }
}

/** One input of the run: its path relative to the input root and its header's values (null: unreadable). */
export interface NamedInput {
  relativePath: string;
  values: readonly PathValue[] | null;
}

/** The extension a renamed file name keeps: a short alphanumeric one that is not identifying itself. */
function keptExtension(component: string, values: readonly PathValue[]): string {
  const ext = extname(component);
  if (!/^\.[A-Za-z0-9]{1,8}$/.test(ext) || ext.length === component.length) return '';
  const bare = ext.slice(1);
  return valuesInComponent(bare, values).length === 0 && patternsInComponent(bare).length === 0 ? ext : '';
}

const SEPARATOR = '/';

export class MirrorNames {
  /** Prefix of relative path ('/'-joined, the component included) → its new name, for renamed components only. */
  private readonly renamed = new Map<string, string>();
  /** Inputs whose header could not be read (only the patterns decided for their names). */
  readonly unreadable: number;

  /**
   * Decides every component of `inputs` (all the inputs of the run, every shard's). Throws UsageError when two
   * inputs would get one output path.
   */
  /**
   * `sharedIdentifying`: digests (folderDigest) of folders that another shard's inputs make identifying (scan's
   * merged result, name-digests.ts); with it, `inputs` need only be this shard's own.
   */
  constructor(private readonly keys: Keys, inputs: Iterable<NamedInput>, sharedIdentifying?: ReadonlySet<string>) {
    /** Prefix → its component upper-cased and whether it is identifying (so far). */
    const nodes = new Map<string, { upper: string; identifying: boolean }>();
    const extensionValues = new Map<string, readonly PathValue[]>();
    const all: string[] = [];
    let unreadable = 0;
    for (const input of inputs) {
      const parts = pathComponents(input.relativePath);
      all.push(input.relativePath);
      if (input.values === null) unreadable++;
      const values = input.values ?? [];
      let prefix = '';
      for (let i = 0; i < parts.length; i++) {
        const component = parts[i];
        prefix = i === 0 ? component : prefix + SEPARATOR + component;
        let node = nodes.get(prefix);
        if (node === undefined) {
          node = { upper: foldComponent(component), identifying: patternsInComponent(component).length > 0 || (sharedIdentifying?.has(folderDigest(keys, prefix)) ?? false) };
          nodes.set(prefix, node);
        }
        if (!node.identifying && values.length > 0) node.identifying = holdsAnyValue(node.upper, values);
        if (i === parts.length - 1) extensionValues.set(prefix, values);
      }
    }
    this.unreadable = unreadable;
    for (const [prefix, node] of nodes) {
      if (!node.identifying) continue;
      const component = prefix.slice(prefix.lastIndexOf(SEPARATOR) + 1);
      const file = extensionValues.get(prefix);
      const ext = file !== undefined ? keptExtension(component, file) : '';
      this.renamed.set(prefix, this.pseudonym(component) + ext);
    }
    const taken = new Map<string, string>();
    for (const rel of all) {
      const out = this.outputRelativePath(rel);
      const prior = taken.get(out);
      if (prior !== undefined && prior !== rel) {
        throw new UsageError('two inputs would get the same output path after renaming identifying path components (a pseudonym collision); nothing was written');
      }
      taken.set(out, rel);
    }
  }

  /** The keyed name of one component (without extension). */
  private pseudonym(component: string): string {
    return RENAMED_PREFIX + this.keys.mac('path-component', component).subarray(0, 10).toString('hex');
  }

  /** The output path (relative, '/'-joined) of an input's relative path: its identifying components renamed. */
  outputRelativePath(relativePath: string): string {
    const parts = pathComponents(relativePath);
    let prefix = '';
    return parts.map((component, i) => {
      prefix = i === 0 ? component : prefix + SEPARATOR + component;
      return this.renamed.get(prefix) ?? component;
    }).join(SEPARATOR);
  }
}

/** The keyed digest of a folder path (relative, '/'-joined) in scan's name digests: 128 bits, hex. */
export const folderDigest = (keys: Keys, prefix: string): string => keys.mac('name-digest', prefix).subarray(0, 16).toString('hex');

/**
 * The folders (not file names: those are decided by the shard that holds the file) that hold an identifying value
 * of one of `inputs` below them, as folderDigest: what one shard of `scan` contributes to the shared result.
 */
export function identifyingFolderDigests(keys: Keys, inputs: Iterable<NamedInput>): Set<string> {
  const found = new Set<string>();
  for (const input of inputs) {
    if (input.values === null || input.values.length === 0) continue;
    const parts = pathComponents(input.relativePath);
    let prefix = '';
    for (let i = 0; i < parts.length - 1; i++) {
      prefix = i === 0 ? parts[i] : prefix + SEPARATOR + parts[i];
      if (holdsAnyValue(foldComponent(parts[i]), input.values)) found.add(folderDigest(keys, prefix));
    }
  }
  return found;
}

/** Reads the headers of `inputs` (absolute path and relative path each) and decides their output names. */
export function mirrorNames(keys: Keys, inputs: Iterable<{ path: string; relativePath: string }>, readOptions: ReadOptions = {}): MirrorNames {
  function* named(): Generator<NamedInput> {
    for (const input of inputs) yield { relativePath: input.relativePath, values: headerPathValues(input.path, readOptions) };
  }
  return new MirrorNames(keys, named());
}

/**
 * The renamed names of this run's (or shard's) mirror-layout files, old → new, into the mapping (path_component.csv):
 * each component of an input's relative path against the same component of its target path.
 */
export function recordRenamedNames(slots: readonly Slot[], mapping: MappingCollector | null): void {
  if (mapping === null) return;
  for (const s of slots) {
    if (s.kind !== 'file' || s.task.target === null) continue;
    const old = pathComponents(s.task.relativePath);
    const now = pathComponents(s.task.target).slice(-old.length);
    old.forEach((component, i) => {
      if (now[i] !== component && now[i]?.startsWith(RENAMED_PREFIX)) mapping.pathComponents.set(component, now[i]);
    });
  }
}
