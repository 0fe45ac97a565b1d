// The files below a folder, as relative paths in name order (what a DICOMweb output uploads).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function listFilesBelow(root: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, prefix), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix ? join(prefix, e.name) : e.name;
    if (e.isDirectory()) out.push(...listFilesBelow(root, rel));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}
