// The small input tree of the object-storage and Slurm tests, and their key.

import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');
export const KEY_TEXT = 'stored-batch-test-key-0123456789';

/** 12 files; folder names that hold a patient's name (renamed by the mirror layout) beside plain ones. */
export function makeTree(root: string): void {
  const put = (from: string, to: string): void => {
    mkdirSync(dirname(join(root, to)), { recursive: true });
    copyFileSync(join(EXAMPLES, from), join(root, to));
  };
  for (const n of ['1', '2', '3']) put(`ct/slice-00${n}.dcm`, `SMITH_JOHN/ct/slice-00${n}.dcm`);
  for (const n of ['1', '2']) put(`mr/image-00${n}.dcm`, `GRETA/mr/image-00${n}.dcm`);
  for (let i = 0; i < 7; i++) put(`ct/slice-00${1 + (i % 3)}.dcm`, `plain/series${i % 2}/img${i}.dcm`);
}
