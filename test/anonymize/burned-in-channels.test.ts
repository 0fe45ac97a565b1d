// Channels that can carry PHI besides the text a detector reads (issue 23): pixel rules that only flag a file, bits
// above High Bit, Pixel Data longer than its frames, waveforms, presentation-state graphics, the gate's triggers.
// Every file is generated here; each test fails when its channel is not checked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/build.js';
import { parsePixelRules } from '../../src/config/pixel-rules/index.js';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import type { BurnedInPolicy, Plan, PixelRule } from '../../src/plan/plan.js';
import { makeImage, SOP } from './burned-in-helpers.js';

const KEYS = Keys.fromSecret('burned-in-channels-key-0123456789abcdef');

export function channelPlan(policy: BurnedInPolicy = 'quarantine', rules: PixelRule[] = []): Plan {
  const p = basicProfilePlan([]);
  return { ...p, pixels: { ...p.pixels, policy, rules } };
}

/** Write, read back (so checks see the bytes a reader sees). */
export function reread(file: DicomFile): DicomFile {
  const dir = mkdtempSync(join(tmpdir(), 'channels-'));
  try {
    writeDicomFile(file, join(dir, 'x.dcm'));
    return readDicomFile(join(dir, 'x.dcm'));
  } finally {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runChannel(file: DicomFile, plan: Plan) {
  const anonymizer = new Anonymizer(plan, KEYS);
  const result = anonymizer.anonymizeFile(file);
  const outcome = await anonymizer.finishPixels(file, result);
  return { result, outcome, out: reread(file) };
}

test('a deid graylist label without coordinates flags the files it matches: at risk, quarantined by default', async () => {
  // A CT that nothing else puts at risk (Image Type ORIGINAL\PRIMARY).
  const ct = () => makeImage({ modality: 'CT', sopClass: SOP.ct, n: 1, imageType: 'ORIGINAL\\PRIMARY\\AXIAL' });
  const flagged = await runChannel(ct(), channelPlan('quarantine', parsePixelRules('%filter graylist\nLABEL flag CT\n  contains Modality CT', 'flags.deid')));
  assert.equal(flagged.outcome.status, 'quarantine');
  assert.ok(flagged.outcome.assessment.reasons.includes('flagged by pixel rule flags.deid line 2'), flagged.outcome.assessment.reasons.join());
  const plain = await runChannel(ct(), channelPlan('quarantine'));
  assert.equal(plain.outcome.status, 'not-at-risk');
});
