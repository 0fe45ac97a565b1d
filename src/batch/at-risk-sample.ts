// How many of a batch's files will go through text (and face) detection under --burned-in redact, estimated from a
// quick look at a few headers spread over the list: the pool is sized from it (pool-size.ts), since one at-risk image
// costs about a second of CPU where a metadata-only file costs a millisecond.

import { readDicomFile } from '../dicom/part10.js';
import { assessRisk } from '../anonymize/burned-in/gate.js';
import { photographicReason } from '../anonymize/burned-in/faces.js';
import type { RiskGate } from '../plan/plan.js';

/** Headers looked at, at most: about 1 ms each. */
export const SAMPLED_HEADERS = 64;
/** Read up to and including the Pixel Data element's header (its value is not read). */
const AFTER_PIXEL_DATA = 0x7fe00011;

/**
 * The estimated number of at-risk (or photographic) files among `paths`: counted on up to SAMPLED_HEADERS of them,
 * spread evenly over the list (inputs come sorted by folder, and an archive keeps its ultrasound or screen captures
 * together: the first 64 of a tree can all be CT slices), and scaled to the whole list. Stops early once `enough`
 * are found. Unreadable files count as not at risk (the batch reports them).
 */
export function estimatedAtRisk(paths: readonly string[], gate: RiskGate, enough: number): number {
  let looked = 0, atRisk = 0;
  for (const path of spreadSample(paths, SAMPLED_HEADERS)) {
    looked++;
    try {
      const file = readDicomFile(path, { inMemoryMaxBytes: 0, windowBytes: 64 * 1024, stopBeforeTag: AFTER_PIXEL_DATA });
      try {
        if (assessRisk(file.dataset, file.datasetSource, gate).atRisk || photographicReason(file.dataset, file.datasetSource)) atRisk++;
      } finally {
        file.close();
      }
    } catch {
      // not readable here: the worker will say why
    }
    if (atRisk >= enough) break;
  }
  return looked === 0 ? 0 : Math.round((atRisk * paths.length) / looked);
}

/** At most `count` items of `list`, evenly spaced from its first (all of them when the list is that short). */
export function spreadSample<T>(list: readonly T[], count: number): T[] {
  if (list.length <= count) return [...list];
  return Array.from({ length: count }, (_, i) => list[Math.floor((i * list.length) / count)]);
}
