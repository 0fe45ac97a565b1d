// The files below a folder, for tests that compare output trees.

import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file below `root` (at any depth), as sorted paths relative to it; [] when `root` does not exist. */
export function filesBelow(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}
