// Speed and memory of --burned-in redact through the engine (Anonymizer.anonymizeFile + finishPixels): DICOM images
// with text in, detected text blanked, one re-encode. Images/s at 512² and 1024² (8-bit MONOCHROME2, native),
// frames/s on a 100-frame 256² ultrasound cine (JPEG lossless), the detector's load cost (import + session) and
// the recogniser's, peak RSS. A measurement script, not a test; `npm run bench` runs it.
//
//   npx tsx scripts/bench-redact.ts               3 rounds of the images, 1 of the cine
//   npx tsx scripts/bench-redact.ts --json out.json

import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Anonymizer } from '../src/anonymize/anonymizer.js';
import { Keys } from '../src/anonymize/keys.js';
import { basicProfilePlan } from '../src/config/build.js';
import type { DicomFile } from '../src/dicom/part10.js';
import { cineCase, greyCases, PHI_STRINGS } from '../test/helpers/text-cases.js';
import { drawTextImage, FONT_NAMES } from '../test/helpers/text-image.js';
import { textDicom } from '../test/anonymize/text-dicom.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const rounds = Number(option('--rounds') ?? 3);

const base = basicProfilePlan([]);
const anonymizer = new Anonymizer({ ...base, pixels: { ...base.pixels, policy: 'redact' } }, Keys.fromSecret('bench-redact-key-0123456789abcdef'));

/** Wall and CPU ms of anonymize + finishPixels for one file (made fresh each time, not timed). */
async function redactOnce(make: () => Promise<DicomFile>): Promise<{ wall: number; cpu: number; status: string }> {
  const file = await make();
  const started = performance.now(), cpuStarted = process.cpuUsage();
  const outcome = await anonymizer.finishPixels(file, anonymizer.anonymizeFile(file));
  const cpu = process.cpuUsage(cpuStarted);
  file.close();
  return { wall: performance.now() - started, cpu: (cpu.user + cpu.system) / 1000, status: outcome.status };
}

async function average(makers: (() => Promise<DicomFile>)[], times: number): Promise<{ wall: number; cpu: number }> {
  let wall = 0, cpu = 0, n = 0;
  for (let round = 0; round < times; round++) {
    for (const make of makers) {
      const r = await redactOnce(make);
      if (r.status !== 'redacted') throw new Error(`expected a redaction, got ${r.status}`);
      wall += r.wall;
      cpu += r.cpu;
      n++;
    }
  }
  return { wall: wall / n, cpu: cpu / n };
}

const rssBefore = process.memoryUsage().rss;
// Load cost: the detector (onnxruntime import + detection session), then the recogniser (first reading).
let started = performance.now();
const { loadTextDetector } = await import('../src/ocr/index.js');
const detector = await loadTextDetector();
const detectorLoadMs = performance.now() - started;
const warm = greyCases()[0].image;
const warmBoxes = await detector.detect(warm);
started = performance.now();
await detector.recognize(warm, warmBoxes.slice(0, 1));
const recognizerLoadMs = performance.now() - started;

const small = greyCases().slice(0, 5).map((c) => () => textDicom({ n: 1, width: 512, height: 512, frames: [c.image.data] }));
const ms512 = await average(small, rounds);

const items = PHI_STRINGS.map((text, i) => ({ text, font: FONT_NAMES[i % 4], size: 10 + 4 * i, x: 20 + (i % 3) * 300, y: 20 + i * 110, value: i % 2 ? 30 : 230, band: i % 2 ? 220 : undefined }));
const big = drawTextImage({ width: 1024, height: 1024, background: { kind: 'speckle', mean: 70, seed: 5 }, items }).image;
const ms1024 = await average([() => textDicom({ n: 2, width: 1024, height: 1024, frames: [big.data] })], rounds);

const cine = cineCase(100, 256).frames.map((f) => f.image.data);
const cineRun = await average([() => textDicom({ n: 3, width: 256, height: 256, frames: cine, syntax: '1.2.840.10008.1.2.4.70' })], 1);

const result = {
  machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${loadavg()[0].toFixed(1)} (shared)`,
  detectorLoadMs: Math.round(detectorLoadMs),
  recognizerLoadMs: Math.round(recognizerLoadMs),
  imagesPerSecond512: +(1000 / ms512.wall).toFixed(2),
  cpuMsPerImage512: Math.round(ms512.cpu),
  imagesPerSecond1024: +(1000 / ms1024.wall).toFixed(2),
  cpuMsPerImage1024: Math.round(ms1024.cpu),
  cine100x256FramesPerSecond: +((100 * 1000) / cineRun.wall).toFixed(1),
  cine100x256FramesPerCpuSecond: +((100 * 1000) / cineRun.cpu).toFixed(1),
  rssBeforeLoadMB: Math.round(rssBefore / 1e6),
  peakRssMB: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6),
};
console.log('--burned-in redact (text detection + recognition + redaction; onnxruntime threads: the library default, every core on the main thread):');
console.table(result);
const jsonPath = option('--json');
if (jsonPath) writeFileSync(jsonPath, JSON.stringify(result, null, 2) + '\n');
