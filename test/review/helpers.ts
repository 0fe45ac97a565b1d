// Folders the review tests build: an anonymize run over the bundled examples plus an ultrasound image a pixel rule
// redacts and a secondary capture that is quarantined (with --report and --audit); files full of hostile values;
// many small images for paging.

import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicProfilePlan } from '../../src/config/build.js';
import { runBatch } from '../../src/batch/run.js';
import { makeTag } from '../../src/dicom/tag.js';
import { newStringElement } from '../../src/dicom/values.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { Modality, PatientName, SeriesDescription } from '../../src/dicom/tags.generated.js';
import { makeImage, SOP, TEXT_BOX } from '../anonymize/burned-in-helpers.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLES = join(REPO, 'examples');
const SECRET = { kind: 'text', text: 'review-test-key-0123456789abcdef' } as const;

export interface RunFolder {
  work: string;
  input: string;
  output: string;
  report: string;
  audit: string;
}

/** The examples + an ultrasound (redacted by a rule) + a secondary capture (quarantined), anonymized with the Basic Profile. */
export async function anonymizedRun(): Promise<RunFolder> {
  const work = mkdtempSync(join(tmpdir(), 'dicomanon-review-'));
  const input = join(work, 'in');
  cpSync(EXAMPLES, input, { recursive: true });
  mkdirSync(join(input, 'echo'), { recursive: true });
  writeDicomFile(makeImage({ modality: 'US', sopClass: SOP.us, n: 1, burnedIn: 'YES' }), join(input, 'echo', 'us.dcm'));
  writeDicomFile(makeImage({ modality: 'OT', sopClass: SOP.sc, n: 2 }), join(input, 'dose-screen.dcm'));
  const plan = basicProfilePlan([]);
  plan.pixels = { ...plan.pixels, rules: [{ conditions: [{ tag: Modality, op: 'equals', value: 'US' }], regions: [{ kind: 'rectangle', units: 'pixels', ...TEXT_BOX }], origin: 'review test rule' }] };
  const output = join(work, 'out');
  const report = join(work, 'run.json');
  const audit = join(work, 'audit.jsonl');
  await runBatch({ input, output, recursive: true, plan, secret: SECRET, jobs: 1, log: () => {}, reportPath: report, auditPath: audit });
  return { work, input, output, report, audit };
}


/** Markup that would run if it reached the page unescaped: each sets window.__pwned. */
export const HOSTILE = {
  patientName: '<script>window.__pwned=1</script>',
  privateCreator: '"><img src=x onerror="window.__pwned=2">',
  seriesDescription: '</script><script>window.__pwned=3</script>',
  // A file name cannot hold "/", so no "</script>": an unclosed "<script" would swallow the rest of a page.
  fileNames: ['"><img src=x onerror=window.__pwned=4>.dcm', "'><svg onload=window.__pwned=5>.dcm", '<script>window.__pwned=6;.dcm'],
};

/** Images whose Patient Name, private creator, Series Description and file names hold markup. */
export function hostileFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dicomanon-review-hostile-'));
  HOSTILE.fileNames.forEach((name, i) => {
    const file = makeImage({ modality: 'CT', sopClass: SOP.ct, n: 10 + i });
    const ds = file.dataset;
    ds.put(newStringElement(ds, PatientName, 'PN', HOSTILE.patientName));
    ds.put(newStringElement(ds, SeriesDescription, 'LO', HOSTILE.seriesDescription));
    ds.put(newStringElement(ds, makeTag(0x0009, 0x0010), 'LO', HOSTILE.privateCreator));
    ds.put(newStringElement(ds, makeTag(0x0009, 0x1001), 'LO', HOSTILE.patientName));
    writeDicomFile(file, join(dir, name));
  });
  return dir;
}

/** `count` small CT images (one series) for paging. */
export function manyImages(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'dicomanon-review-many-'));
  for (let n = 1; n <= count; n++) writeDicomFile(makeImage({ modality: 'CT', sopClass: SOP.ct, n }), join(dir, `img-${String(n).padStart(4, '0')}.dcm`));
  return dir;
}
