// The batch's step before the run under --burned-in redact: group the inputs by Series Instance UID (a header read
// that stops before the pixels), sample each series the gate trusts (first, middle and last instance, every frame),
// and hand the series whose sample shows text to the run as PixelPlan.atRiskSeries. Every shard samples every
// input's series, so all shards agree. Files that cannot be read are left to the run, which reports them.

import type { InputFile } from '../files/discover.js';
import { readDicomFile, type ReadOptions } from '../dicom/part10.js';
import { InstanceNumber, SeriesInstanceUID } from '../dicom/tags.generated.js';
import type { Plan } from '../plan/plan.js';
import { assessPixels } from '../anonymize/burned-in/pending.js';
import { attributeNumber, attributeText } from '../anonymize/burned-in/attributes.js';
import { pickSeriesSample, sampleShowsText, type SeriesMember } from '../anonymize/burned-in/series-sample.js';

/** Reads up to, not into, the pixels: the gate sees that Pixel Data is there, its value stays on disk. */
const HEADER_END = 0x7fe00011;

export interface SeriesSampling {
  /** The plan to run with: atRiskSeries set under policy redact (unchanged otherwise). */
  plan: Plan;
  /** Series the gate trusted, instances searched, and series found with text (for the log and benches). */
  seriesTrusted: number;
  instancesSearched: number;
  seriesWithText: number;
}

/** Samples the trusted series of `files` (policy redact only; any other policy returns the plan as it is). */
export async function sampleTrustedSeries(files: readonly InputFile[], plan: Plan, readOptions: ReadOptions = {}): Promise<SeriesSampling> {
  const none = { plan, seriesTrusted: 0, instancesSearched: 0, seriesWithText: 0 };
  if (plan.pixels.policy !== 'redact') return none;
  const bySeries = new Map<string, SeriesMember<string>[]>();
  for (const input of files) {
    try {
      const file = readDicomFile(input.path, { ...readOptions, stopBeforeTag: HEADER_END, inMemoryMaxBytes: 0 });
      try {
        const uid = (attributeText(file.dataset, file.datasetSource, SeriesInstanceUID) ?? '').trim();
        const pending = assessPixels(file.dataset, file.datasetSource, plan.pixels);
        if (uid === '' || !pending.hasPixels) continue;
        // At-risk instances are searched by the run anyway; the trusted ones of the series are sampled.
        if (pending.assessment.atRisk) continue;
        const members = bySeries.get(uid) ?? [];
        members.push({ key: input.path, instanceNumber: attributeNumber(file.dataset, file.datasetSource, InstanceNumber) });
        bySeries.set(uid, members);
      } finally {
        file.close();
      }
    } catch {
      // Unreadable here: the run reads it again and reports it.
    }
  }
  const atRisk: string[] = [];
  let searched = 0;
  for (const [uid, members] of bySeries) {
    for (const path of pickSeriesSample(members)) {
      searched++;
      if (await showsText(path, plan, readOptions)) {
        atRisk.push(uid);
        break;
      }
    }
  }
  if (atRisk.length === 0) return { ...none, seriesTrusted: bySeries.size, instancesSearched: searched };
  return {
    plan: { ...plan, pixels: { ...plan.pixels, atRiskSeries: [...(plan.pixels.atRiskSeries ?? []), ...atRisk].sort() } },
    seriesTrusted: bySeries.size, instancesSearched: searched, seriesWithText: atRisk.length,
  };
}

/** Text on any frame of the file; true too when its frames cannot be read (the run then searches the series whole). */
async function showsText(path: string, plan: Plan, readOptions: ReadOptions): Promise<boolean> {
  let file;
  try {
    file = readDicomFile(path, readOptions);
  } catch {
    return false; // unreadable: the run reports it
  }
  try {
    return await sampleShowsText(file, plan.pixels);
  } catch {
    return true;
  } finally {
    file.close();
  }
}
