// Temporary files a killed run left in the output tree (atomic-output temporaries and study-layout staging files),
// removed by the next run before it writes. With --shard only this shard's own: other shards may be writing now.

import { existsSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tempTarget } from '../files/atomic-output.js';
import { stagedTarget } from './placement.js';
import type { OutputLayout } from '../plan/output-layout.js';
import { shardOf, shardTag, type Shard } from './shard.js';

/** Deletes this run's (this shard's) stale temporary files under `outputRoot`; returns how many. */
export function removeStaleTempFiles(outputRoot: string, layout: OutputLayout, shard: Shard | undefined): number {
  if (!existsSync(outputRoot) || !statSync(outputRoot).isDirectory()) return 0;
  const ownTag = shardTag(shard);
  const everyShard = shard === undefined || shard.count === 1;
  let removed = 0;
  const isMine = (dir: string, name: string): boolean => {
    const target = tempTarget(name) ?? name;
    const staged = stagedTarget(target);
    if (staged === null && target === name) return false; // not a temporary name of ours
    if (everyShard) return true;
    if (staged !== null) return staged.stageTag === ownTag;
    return layout === 'mirror' && shardOf(relative(outputRoot, join(dir, target)), shard.count) === shard.index;
  };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && isMine(dir, entry.name)) {
        try {
          unlinkSync(path);
          removed++;
        } catch { /* gone meanwhile */ }
      }
    }
  };
  walk(outputRoot);
  return removed;
}
