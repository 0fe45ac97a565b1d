// What an instance's IOD requires, by SOP Class UID: the top-level Type 1 and Type 2 attributes of its mandatory
// modules (PS3.3, from the generated table). Used to tell a rules file that its removals break the files' IOD.

import { IOD_MODULES, SOP_CLASS_IODS } from './iod-requirements.generated.js';

export interface RequiredAttribute {
  tag: number;
  /** '1': present with a value; '2': present, possibly empty. */
  type: '1' | '2';
  module: string;
  iod: string;
}

const cache = new Map<string, readonly RequiredAttribute[]>();

/** The attributes the IOD of `sopClassUid` requires at the top level, or null for a SOP class the table lacks. */
export function requiredAttributes(sopClassUid: string): readonly RequiredAttribute[] | null {
  const cached = cache.get(sopClassUid);
  if (cached) return cached;
  const iod = SOP_CLASS_IODS[sopClassUid];
  if (!iod) return null;
  const [iodName, modules] = iod;
  const out: RequiredAttribute[] = [];
  for (const ref of modules) {
    const [module, attributes] = IOD_MODULES[ref]!;
    for (const [tag, type] of attributes) if (!out.some((a) => a.tag === tag)) out.push({ tag, type, module, iod: iodName });
  }
  cache.set(sopClassUid, out);
  return out;
}
