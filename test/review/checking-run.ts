// An anonymize run for the review page's checking features: an 8-frame ultrasound cine whose burned-in text is on
// frames 2, 5 and 7 (a pixel rule blanks it there), an MR image with kept non-identifying values (Body Part
// Examined, sequence name, Image Type) beside a kept free-text one (Manufacturer), and an ultrasound in a folder named
// after its patient whose frame cannot be decoded: quarantined, its reason quoting its original path.

import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicProfilePlan } from '../../src/config/build.js';
import { runBatch } from '../../src/batch/run.js';
import { createDicomFile } from '../../src/dicom/create.js';
import { DataElement } from '../../src/dicom/dataset.js';
import type { DicomFile } from '../../src/dicom/part10.js';
import type { Rule } from '../../src/plan/plan.js';
import { encodeNumbers, newStringElement } from '../../src/dicom/values.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import {
  BodyPartExamined, Columns, Manufacturer, Modality, NumberOfFrames, PixelData, Rows, ScanningSequence, SequenceName,
} from '../../src/dicom/tags.generated.js';
import { makeImage, SOP } from '../anonymize/burned-in-helpers.js';
import type { RunFolder } from './helpers.js';

export const CINE = { columns: 160, rows: 120, frames: 8, textFrames: [1, 4, 6] } as const;
/** Where the cine's text is (pixels); the rule blanks it on CINE.textFrames. */
export const CINE_TEXT = { x: 10, y: 6, width: 70, height: 14 } as const;
export const PATIENT_FOLDER = 'DOE^JANE';
const US_MULTIFRAME = '1.2.840.10008.5.1.4.1.1.3.1';
const MR_IMAGE = '1.2.840.10008.5.1.4.1.1.4';
const SECRET = { kind: 'text', text: 'review-test-key-0123456789abcdef' } as const;

/** A frame: a diagonal gradient that moves with the frame, a disc, and bright text bars where the frame has text. */
function cineFrame(frame: number): Uint8Array {
  const { columns, rows } = CINE;
  const data = new Uint8Array(columns * rows);
  const hasText = (CINE.textFrames as readonly number[]).includes(frame);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const inText = x >= CINE_TEXT.x && x < CINE_TEXT.x + CINE_TEXT.width && y >= CINE_TEXT.y && y < CINE_TEXT.y + CINE_TEXT.height;
      const disc = (x - 80 - frame * 6) ** 2 + (y - 70) ** 2 < 30 ** 2;
      data[y * columns + x] = hasText && inText && (x % 4 < 2 || y % 5 === 0) ? 250 : disc ? 170 : 30 + ((x + y + frame * 10) % 64);
    }
  }
  return data;
}

function putNumber(file: DicomFile, tag: number, value: number): void {
  const el = new DataElement(tag, 'US');
  el.setValue(encodeNumbers(file.dataset, 'US', [value]), 'US');
  file.dataset.put(el);
}

/** The 8-frame cine (8-bit grey, 160 × 120). */
export function makeCine(n: number): DicomFile {
  const file = makeImage({ modality: 'US', sopClass: US_MULTIFRAME, n, burnedIn: 'YES' });
  putNumber(file, Rows, CINE.rows);
  putNumber(file, Columns, CINE.columns);
  file.dataset.put(newStringElement(file.dataset, NumberOfFrames, 'IS', String(CINE.frames)));
  const pixels = new Uint8Array(CINE.columns * CINE.rows * CINE.frames);
  for (let f = 0; f < CINE.frames; f++) pixels.set(cineFrame(f), f * CINE.columns * CINE.rows);
  const px = new DataElement(PixelData, 'OB');
  px.setValue(pixels, 'OB');
  file.dataset.put(px);
  return file;
}

/** An ultrasound under JPEG Baseline whose one fragment is not a JPEG: the rule's redaction cannot decode it. */
function undecodable(n: number): DicomFile {
  const file = makeImage({ modality: 'US', sopClass: SOP.us, n, burnedIn: 'YES' });
  const px = new DataElement(PixelData, 'OB');
  px.setFragments([{ span: null, value: new Uint8Array(0) }, { span: null, value: Uint8Array.from([0xff, 0xd8, 1, 2, 3, 4]) }]);
  file.dataset.put(px);
  return createDicomFile(file.dataset, '1.2.840.10008.1.2.4.50', SOP.us, `1.2.826.0.1.3680043.10.77.${n}`);
}

/** The MR image: kept values of a coded vocabulary, and a kept free-text one. */
function mr(n: number): DicomFile {
  const file = makeImage({ modality: 'MR', sopClass: MR_IMAGE, n, imageType: 'ORIGINAL\\PRIMARY\\M\\ND' });
  const ds = file.dataset;
  ds.put(newStringElement(ds, BodyPartExamined, 'CS', 'HEAD'));
  ds.put(newStringElement(ds, ScanningSequence, 'CS', 'GR\\IR'));
  ds.put(newStringElement(ds, SequenceName, 'SH', '*tfl3d1_16ns'));
  ds.put(newStringElement(ds, Manufacturer, 'LO', 'ACME MEDICAL'));
  return file;
}

/** The run (Basic Profile, a rule blanking the cine's text on its text frames), with --report and --audit; `rules` first. */
export async function checkingRun(rules: Rule[] = []): Promise<RunFolder> {
  const work = mkdtempSync(join(tmpdir(), 'dicomanon-review-checking-'));
  const input = join(work, 'in');
  mkdirSync(join(input, 'echo'), { recursive: true });
  mkdirSync(join(input, PATIENT_FOLDER), { recursive: true });
  mkdirSync(join(input, 'mr'), { recursive: true });
  writeDicomFile(makeCine(41), join(input, 'echo', 'cine.dcm'));
  writeDicomFile(undecodable(42), join(input, PATIENT_FOLDER, 'broken.dcm'));
  writeDicomFile(mr(43), join(input, 'mr', 'head.dcm'));
  const plan = basicProfilePlan([]);
  plan.rules = [...rules, ...plan.rules];
  plan.pixels = {
    ...plan.pixels,
    rules: [{ conditions: [{ tag: Modality, op: 'equals', value: 'US' }], regions: [{ kind: 'rectangle', units: 'pixels', ...CINE_TEXT }], frames: [...CINE.textFrames], origin: 'cine text rule' }],
  };
  const output = join(work, 'out');
  const report = join(work, 'run.json');
  const audit = join(work, 'audit.jsonl');
  await runBatch({ input, output, recursive: true, plan, secret: SECRET, jobs: 1, log: () => {}, reportPath: report, auditPath: audit });
  return { work, input, output, report, audit };
}
