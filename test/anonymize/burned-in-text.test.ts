// Burned-in text end to end, on images with text drawn in real fonts: a rectangle rule covering every text box
// cleans the file in every image transfer syntax the pixel layer writes (native, RLE, JPEG lossless, JPEG-LS,
// JPEG 2000, HTJ2K; JPEG baseline and lossy JPEG 2000 re-encoded lossily), on every frame of a cine, in MONOCHROME2,
// MONOCHROME1 and RGB. Inside the boxes the pixels are the fill; outside them a lossless output is identical to the
// input; dcmtk or GDCM decode the output to the pixels our layer reads.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/build.js';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { getString } from '../../src/dicom/values.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import type { PixelRule, Plan } from '../../src/plan/plan.js';
import { BurnedInAnnotation, Modality } from '../../src/dicom/tags.generated.js';
import { drawTextImage, FONT_NAMES, type DrawnText } from '../helpers/text-image.js';
import { decodeAll, needTool, oracleFor, runDecoder } from '../pixels/helpers.js';
import { textDicom } from './text-dicom.js';

const KEY = Keys.fromSecret('burned-in-text-test-key-0123456789');
const WIDTH = 160, HEIGHT = 96, FRAMES = 3, MARGIN = 2;

interface Case { syntax: string; name: string; lossy: boolean; photometric: 'MONOCHROME2' | 'MONOCHROME1' | 'RGB' }
const CASES: Case[] = [
  { syntax: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', lossy: false, photometric: 'MONOCHROME2' },
  { syntax: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', lossy: false, photometric: 'MONOCHROME1' },
  { syntax: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', lossy: false, photometric: 'RGB' },
  { syntax: '1.2.840.10008.1.2.5', name: 'RLE Lossless', lossy: false, photometric: 'MONOCHROME2' },
  { syntax: '1.2.840.10008.1.2.5', name: 'RLE Lossless', lossy: false, photometric: 'RGB' },
  { syntax: '1.2.840.10008.1.2.4.70', name: 'JPEG Lossless SV1', lossy: false, photometric: 'MONOCHROME2' },
  { syntax: '1.2.840.10008.1.2.4.57', name: 'JPEG Lossless process 14', lossy: false, photometric: 'MONOCHROME1' },
  { syntax: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', lossy: false, photometric: 'MONOCHROME2' },
  { syntax: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', lossy: false, photometric: 'RGB' },
  { syntax: '1.2.840.10008.1.2.4.90', name: 'JPEG 2000 Lossless', lossy: false, photometric: 'MONOCHROME2' },
  { syntax: '1.2.840.10008.1.2.4.201', name: 'HTJ2K Lossless', lossy: false, photometric: 'MONOCHROME2' },
  { syntax: '1.2.840.10008.1.2.4.50', name: 'JPEG Baseline', lossy: true, photometric: 'MONOCHROME2' },
  { syntax: '1.2.840.10008.1.2.4.91', name: 'JPEG 2000', lossy: true, photometric: 'MONOCHROME2' },
  { syntax: '1.2.840.10008.1.2.4.51', name: 'JPEG Extended (8-bit)', lossy: true, photometric: 'MONOCHROME2' },
  { syntax: '1.2.840.10008.1.2.4.81', name: 'JPEG-LS Near-Lossless', lossy: true, photometric: 'MONOCHROME2' },
  { syntax: '1.2.840.10008.1.2.4.203', name: 'HTJ2K', lossy: true, photometric: 'MONOCHROME2' },
];

/** Frame f: names, an ID and a date in a different font, size, place and polarity per frame. */
function drawFrame(f: number, rgb: boolean): { data: Uint8Array; truth: DrawnText[] } {
  const font = (i: number) => FONT_NAMES[(f + i) % FONT_NAMES.length];
  const light = f % 2 === 0;
  const { image, truth } = drawTextImage({
    width: WIDTH, height: HEIGHT, background: { kind: 'gradient', from: light ? 20 : 200, to: light ? 90 : 250 }, rgb,
    items: [
      { text: 'SMITH^JOHN', font: font(0), size: 12 + f * 2, x: 4 + f * 6, y: 4, value: light ? 240 : 10 },
      { text: 'MRN 0012345', font: font(1), size: 11, x: 40, y: 44 + f * 4, value: light ? 230 : 20, band: light ? undefined : 230 },
      { text: '1950-01-01', font: font(2), size: 10 + f, x: WIDTH - 80, y: HEIGHT - 20, value: light ? 250 : 5 },
    ],
  });
  return { data: image.data, truth };
}

/** The cine of a case as a DICOM file (test/anonymize/text-dicom.ts), with the frames as stored and the truth. */
async function makeFile(c: Case): Promise<{ file: DicomFile; frames: Uint8Array[]; truth: DrawnText[][] }> {
  const drawn = Array.from({ length: FRAMES }, (_, f) => drawFrame(f, c.photometric === 'RGB'));
  const file = await textDicom({ n: 1000 + CASES.indexOf(c), width: WIDTH, height: HEIGHT, frames: drawn.map((d) => d.data), photometric: c.photometric, syntax: c.syntax });
  // MONOCHROME1: stored values are inverted, so the picture as displayed is the same one.
  const frames = drawn.map((d) => (c.photometric === 'MONOCHROME1' ? d.data.map((v) => 255 - v) : d.data));
  return { file, frames, truth: drawn.map((d) => d.truth) };
}

/** A rule per frame blanking every text box of that frame (with a margin), as a device rule would. */
function planFor(truth: DrawnText[][]): Plan {
  const plan = basicProfilePlan([]);
  const rules: PixelRule[] = truth.map((boxes, f) => ({
    conditions: [{ tag: Modality, op: 'equals', value: 'US' }],
    regions: boxes.map(({ box }) => ({
      kind: 'rectangle' as const, units: 'pixels' as const,
      x: Math.max(0, box.x - MARGIN), y: Math.max(0, box.y - MARGIN), width: box.width + 2 * MARGIN, height: box.height + 2 * MARGIN,
    })),
    frames: [f],
    origin: `test frame ${f}`,
  }));
  return { ...plan, pixels: { ...plan.pixels, rules } };
}

const inBoxes = (x: number, y: number, boxes: DrawnText[]): boolean => boxes.some(({ box }) =>
  x >= box.x - MARGIN && x < box.x + box.width + MARGIN && y >= box.y - MARGIN && y < box.y + box.height + MARGIN);

for (const c of CASES) {
  test(`text on every frame of a cine, ${c.name}, ${c.photometric}: a rule covering the boxes cleans it`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'burned-in-text-'));
    try {
      const { file, frames, truth } = await makeFile(c);
      const anonymizer = new Anonymizer(planFor(truth), KEY);
      const outcome = await anonymizer.finishPixels(file, anonymizer.anonymizeFile(file));
      assert.equal(outcome.status, 'redacted', JSON.stringify(outcome));
      const path = join(dir, 'out.dcm');
      writeDicomFile(file, path);
      file.close();
      const out = readDicomFile(path);
      try {
        assert.equal(out.transferSyntax.uid, c.syntax, 'the transfer syntax is kept');
        assert.equal(getString(out.dataset, out.dataset.get(BurnedInAnnotation)!, out.datasetSource), 'NO');
        const decoded = await decodeAll(out);
        const samples = c.photometric === 'RGB' ? 3 : 1;
        const fill = c.photometric === 'MONOCHROME1' ? 255 : 0;
        for (let f = 0; f < FRAMES; f++) {
          let inside = 0, insideOff = 0, outsideChanged = 0, outsideMaxDiff = 0;
          for (let y = 0; y < HEIGHT; y++) {
            for (let x = 0; x < WIDTH; x++) {
              for (let s = 0; s < samples; s++) {
                const i = (y * WIDTH + x) * samples + s;
                const got = decoded.frames[f][i];
                if (inBoxes(x, y, truth[f])) {
                  inside++;
                  if (Math.abs(got - fill) > (c.lossy ? 24 : 0)) insideOff++;
                } else if (got !== frames[f][i]) {
                  outsideChanged++;
                  outsideMaxDiff = Math.max(outsideMaxDiff, Math.abs(got - frames[f][i]));
                }
              }
            }
          }
          assert.ok(inside > 0);
          assert.equal(insideOff, 0, `frame ${f}: ${insideOff} of ${inside} samples inside the text boxes are not the fill`);
          if (!c.lossy) assert.equal(outsideChanged, 0, `frame ${f}: pixels outside the boxes changed`);
          else assert.ok(outsideMaxDiff < 64, `frame ${f}: a lossy re-encode stays close outside the boxes (max ${outsideMaxDiff})`);
        }
        // An independent decoder reads the same pixels (the installed GDCM and dcmtk decode no HTJ2K: checked above only).
        const oracle = oracleFor(c.syntax);
        const htj2k = c.syntax.startsWith('1.2.840.10008.1.2.4.20');
        if (c.syntax !== '1.2.840.10008.1.2.1' && !htj2k && needTool(t, oracle.tool)) {
          const raw = join(dir, 'raw.dcm');
          const r = await runDecoder(oracle.tool, oracle.args(path, raw), raw);
          assert.ok(r.ok, r.message);
          const native = readDicomFile(raw);
          try {
            const theirs = await decodeAll(native);
            for (let f = 0; f < FRAMES; f++) {
              let maxDiff = 0;
              for (let i = 0; i < decoded.frames[f].length; i++) maxDiff = Math.max(maxDiff, Math.abs(theirs.frames[f][i] - decoded.frames[f][i]));
              assert.ok(maxDiff <= (c.lossy ? 1 : 0), `frame ${f}: ${oracle.tool} decodes differently (max ${maxDiff})`);
            }
          } finally {
            native.close();
          }
        }
      } finally {
        out.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
