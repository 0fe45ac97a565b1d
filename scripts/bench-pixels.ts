// Throughput of the pixel layer: frames per second of decode + redact + encode per transfer syntax (a 512×512 frame
// and a 100-frame cine), and a 2 GB native multi-frame redaction run with its peak RSS. A measurement script.
//
//   npx tsx scripts/bench-pixels.ts                 all syntaxes, 2 GB native run
//   npx tsx scripts/bench-pixels.ts --quick         fewer repetitions, a 20-frame cine, 256 MB native run
//   npx tsx scripts/bench-pixels.ts --only big      only the big native run (or --only syntaxes)
//   npx tsx scripts/bench-pixels.ts --tmp DIR       where generated files go (default /dev/shm if it has room)
//   npx tsx scripts/bench-pixels.ts --json FILE     also write the numbers
//
// Each syntax and the big run are measured in a child process, so every peak RSS is that run's alone.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDicomFile } from '../src/dicom/part10.js';
import { writeDicomFile } from '../src/files/dicom-output.js';
import { redactPixelData } from '../src/pixels/index.js';
import { encapsulatedTestFile, nativeTestFile, type TestImage } from '../test/pixels/helpers.js';
import { writeBigMultiframe } from './big-multiframe.js';
import { isMain } from './is-main.js';

const SCRIPT = fileURLToPath(import.meta.url);

const SYNTAXES: [string, string, 'mono16' | 'mono8'][] = [
  ['native (Explicit VR LE)', '1.2.840.10008.1.2.1', 'mono16'],
  ['JPEG baseline', '1.2.840.10008.1.2.4.50', 'mono8'],
  ['JPEG lossless SV1', '1.2.840.10008.1.2.4.70', 'mono16'],
  ['JPEG-LS lossless', '1.2.840.10008.1.2.4.80', 'mono16'],
  ['JPEG-LS near-lossless', '1.2.840.10008.1.2.4.81', 'mono16'],
  ['JPEG 2000 lossless', '1.2.840.10008.1.2.4.90', 'mono16'],
  ['JPEG 2000', '1.2.840.10008.1.2.4.91', 'mono16'],
  ['HTJ2K lossless', '1.2.840.10008.1.2.4.201', 'mono16'],
  ['HTJ2K', '1.2.840.10008.1.2.4.203', 'mono16'],
  ['RLE', '1.2.840.10008.1.2.5', 'mono16'],
  ['Deflated Image Frame', '1.2.840.10008.1.2.8.1', 'mono16'],
];

interface Measurement {
  syntax: string;
  shape: string;
  frames: number;
  seconds: number;
  framesPerSecond: number;
  peakRssMB: number;
}

const peakRssMB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** Child: redacts one rectangle on every frame of a generated file `repeat` times; prints a Measurement. */
async function measureSyntax(uid: string, kind: 'mono16' | 'mono8', rows: number, frames: number, repeat: number, dir: string): Promise<Measurement> {
  const image: TestImage = kind === 'mono16'
    ? { rows, columns: rows, frames, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16, signed: false, photometric: 'MONOCHROME2' }
    : { rows, columns: rows, frames, samplesPerPixel: 1, bitsAllocated: 8, bitsStored: 8, signed: false, photometric: 'MONOCHROME2' };
  const input = join(dir, `in-${uid}-${rows}-${frames}.dcm`), output = join(dir, `out-${uid}-${rows}-${frames}.dcm`);
  writeDicomFile(uid === '1.2.840.10008.1.2.1' ? nativeTestFile(image) : await encapsulatedTestFile(image, uid, { offsets: 'basic' }), input);
  const rect = [{ x: rows / 8, y: rows / 8, width: rows / 4, height: rows / 16 }];
  // A warm-up run on one frame loads the codec; then the timed runs.
  const warmInput = join(dir, `warm-${uid}.dcm`);
  const warmImage = { ...image, frames: 1 };
  writeDicomFile(uid === '1.2.840.10008.1.2.1' ? nativeTestFile(warmImage) : await encapsulatedTestFile(warmImage, uid, { offsets: 'basic' }), warmInput);
  const warm = readDicomFile(warmInput);
  await redactPixelData(warm, rect);
  warm.close();
  const start = process.hrtime.bigint();
  for (let i = 0; i < repeat; i++) {
    const file = readDicomFile(input);
    await redactPixelData(file, rect);
    writeDicomFile(file, output);
    file.close();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { syntax: uid, shape: `${rows}×${rows}${kind === 'mono8' ? ' 8-bit' : ' 16-bit'}`, frames, seconds, framesPerSecond: (frames * repeat) / seconds, peakRssMB: peakRssMB() };
}

/** Child: redacts a rectangle on every frame of a big native file (4 MiB frames). */
async function measureBig(frames: number, dir: string): Promise<Measurement & { fileMB: number }> {
  const input = join(dir, 'big.dcm'), output = join(dir, 'big-out.dcm');
  writeBigMultiframe(input, frames, 'pixels-bench');
  const start = process.hrtime.bigint();
  const file = readDicomFile(input);
  const result = await redactPixelData(file, [{ x: 10, y: 10, width: 400, height: 60 }], { scratchDirectory: dir });
  writeDicomFile(file, output);
  file.close();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.framesRedacted.length !== frames) throw new Error('not every frame was redacted');
  const fileMB = Math.round(statSync(input).size / 1e6);
  rmSync(input);
  rmSync(output);
  return { syntax: '1.2.840.10008.1.2.1', shape: '2048×1024 16-bit', frames, seconds, framesPerSecond: frames / seconds, peakRssMB: peakRssMB(), fileMB };
}

function child(args: string[]): Measurement & { fileMB?: number } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`bench child ${args.join(' ')} failed (${run.signal ?? `exit ${run.status}`}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

function scratchRoot(requested: string | undefined, bytesNeeded: number): string {
  if (requested) return requested;
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize > bytesNeeded * 1.2) return '/dev/shm';
  } catch { /* no /dev/shm */ }
  return tmpdir();
}

async function main(argv: string[]): Promise<void> {
  const option = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv[0] === '--child') {
    const [, what, ...rest] = argv;
    const result = what === 'big'
      ? await measureBig(Number(rest[0]), rest[1])
      : await measureSyntax(rest[0], rest[1] as 'mono16' | 'mono8', Number(rest[2]), Number(rest[3]), Number(rest[4]), rest[5]);
    console.log(JSON.stringify(result));
    return;
  }
  const quick = argv.includes('--quick');
  const only = option('--only'); // 'syntaxes' or 'big'
  const bigFrames = quick ? 64 : 512; // 4 MiB frames: 256 MB or 2 GB
  const root = scratchRoot(option('--tmp'), bigFrames * 4 * 2 ** 20 * 2);
  const dir = mkdtempSync(join(root, 'bench-pixels-'));
  const results: (Measurement & { name: string; fileMB?: number })[] = [];
  try {
    console.log(`scratch: ${dir}`);
    console.log('syntax                     shape              frames  frames/s  peak RSS MB');
    for (const [name, uid, kind] of only === 'big' ? [] : SYNTAXES) {
      for (const [rows, frames, repeat] of [[512, 1, quick ? 3 : 10], [256, quick ? 20 : 100, 1]] as const) {
        const m = child(['syntax', uid, kind, String(rows), String(frames), String(repeat), dir]);
        results.push({ name, ...m });
        console.log(`${name.padEnd(26)} ${m.shape.padEnd(18)} ${String(frames).padStart(6)}  ${m.framesPerSecond.toFixed(1).padStart(8)}  ${String(m.peakRssMB).padStart(11)}`);
      }
    }
    if (only !== 'syntaxes') {
      const big = child(['big', String(bigFrames), dir]);
      results.push({ name: 'native multi-frame', ...big });
      console.log(`native multi-frame ${big.fileMB} MB: ${big.frames} frames redacted in ${big.seconds.toFixed(1)} s (${big.framesPerSecond.toFixed(1)} frames/s), peak RSS ${big.peakRssMB} MB`);
    }
    const json = option('--json');
    if (json) writeFileSync(json, JSON.stringify(results, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
