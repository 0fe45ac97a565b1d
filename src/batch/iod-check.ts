// Rules that break files: the attributes the IOD of an input requires (Type 1: present with a value, Type 2: present)
// that its anonymization removed or, for Type 1, emptied. Per tag and file count for the run; the warning printed per
// attribute, and the --strict-rules refusal. Keywords, tags and module names only: never a value.

import type { DataSet, DataElement } from '../dicom/dataset.js';
import { keywordOf } from '../dicom/dictionary.js';
import { formatTag } from '../dicom/tag.js';
import { requiredAttributes, type RequiredAttribute } from '../profiles/iod-requirements.js';

/** Top-level tags of a dataset → whether each holds a value. Taken before anonymization, compared after. */
export function presentAttributes(dataset: DataSet): Map<number, boolean> {
  const present = new Map<number, boolean>();
  for (const el of dataset.elements) present.set(el.tag, holdsValue(el));
  return present;
}

const holdsValue = (el: DataElement): boolean => (el.items !== null ? el.items.length > 0 : el.fragments !== null ? el.fragments.length > 0 : el.valueLength > 0);

/** The required attributes of `sopClassUid` the input had and the output lost (Type 2 removed, Type 1 removed or emptied). */
export function brokenRequirements(sopClassUid: string, before: ReadonlyMap<number, boolean>, after: DataSet): number[] {
  const required = requiredAttributes(sopClassUid);
  if (!required) return [];
  const now = presentAttributes(after);
  const broken: number[] = [];
  for (const { tag, type } of required) {
    const had = before.get(tag);
    if (had === undefined || (type === '1' && !had)) continue; // the input did not satisfy it either: not the rules' doing
    const has = now.get(tag);
    if (has === undefined || (type === '1' && !has)) broken.push(tag);
  }
  return broken;
}

/** One attribute the rules broke, for the summary. */
export interface IodBreak {
  tag: string;
  keyword: string;
  type: '1' | '2';
  /** Where it is required: "<module> module of the <IOD> IOD", one per IOD of the files that lost it. */
  requiredBy: string[];
  files: number;
}

/** The summary entries from the ledger's counts (tag → files and the SOP classes that required it), in tag order. */
export function iodBreaks(counts: ReadonlyMap<number, { files: number; sopClassUids: ReadonlySet<string> }>): IodBreak[] {
  return [...counts].sort(([a], [b]) => a - b).map(([tag, { files, sopClassUids }]) => {
    const required = [...sopClassUids].sort().map((uid) => requiredAttributes(uid)?.find((r) => r.tag === tag)).filter((r): r is RequiredAttribute => r !== undefined);
    const requiredBy = [...new Set(required.map((r) => `${r.module} module of the ${r.iod} IOD`))];
    return { tag: formatTag(tag), keyword: keywordOf(tag) || 'unknown', type: required.some((r) => r.type === '1') ? '1' : '2', requiredBy, files };
  });
}

/** The warning line for one broken attribute. */
export function iodBreakWarning(b: IodBreak): string {
  return `the rules ${b.type === '1' ? 'remove or empty' : 'remove'} ${b.keyword} ${b.tag}, Type ${b.type} in the ${b.requiredBy.join(', in the ')}, ` +
    `in ${b.files} file(s): those outputs break their IOD (dciodvfy reports an error); keep it, or replace it with a dummy value` +
    `${b.type === '2' ? ' or an empty one' : ''}`;
}

/** The --strict-rules error (before any output is written). */
export function iodBreakError(breaks: readonly IodBreak[]): string {
  const shown = breaks.slice(0, 10).map((b) => `${b.keyword} ${b.tag} (Type ${b.type}) in ${b.files} file(s)`).join(', ');
  return `--strict-rules: the rules would break the IOD of the inputs: ${shown}${breaks.length > 10 ? `, and ${breaks.length - 10} more` : ''}; nothing was written. ` +
    'Keep these attributes, or replace them with a dummy value (Type 2: an empty one)';
}
