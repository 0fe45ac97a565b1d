// How far a lossy re-encode of the run moves the pixels: for each output an anonymize run's --report says it
// re-encoded lossily, the distribution of |original − output| per sample outside the blanked rectangles grown by
// verify's LOSSY_GROWTH (max, 50th/99th/99.9th percentiles) and the share of the Bits Stored range the max is. The
// figures behind verify's LOSSY_TOLERANCE_SHARE (src/verify/own-redactions.ts).
//
//   npx tsx scripts/measure-reencode-error.ts RUN-REPORT.json

import { readDicomFile } from '../src/dicom/part10.js';
import { readFrames, type PixelFrame } from '../src/pixels/index.js';
import { readRunReport } from '../src/records/index.js';
import { LOSSY_GROWTH } from '../src/verify/own-redactions.js';

const path = process.argv[2];
if (!path) {
  console.error('usage: tsx scripts/measure-reencode-error.ts RUN-REPORT.json');
  process.exit(2);
}
const report = readRunReport(path);
for (const entry of report.files) {
  const record = entry.burnedIn;
  if (!entry.output || !record?.reencoded?.lossy) continue;
  const original = readDicomFile(entry.input), output = readDicomFile(entry.output);
  try {
    const before: PixelFrame[] = [];
    for await (const frame of readFrames(original)) before.push({ ...frame, data: Uint8Array.from(frame.data) });
    for await (const after of readFrames(output)) {
      if (!record.reencoded.frames.includes(after.index)) continue;
      const a = before[after.index]!;
      const { rows, columns, samplesPerPixel, bitsAllocated, bitsStored } = after.layout;
      const rectangles = (record.rectangles ?? []).filter((r) => !r.frames || r.frames.includes(after.index));
      const near = (x: number, y: number): boolean => rectangles.some((r) =>
        x >= r.x - LOSSY_GROWTH && x < r.x + r.width + LOSSY_GROWTH && y >= r.y - LOSSY_GROWTH && y < r.y + r.height + LOSSY_GROWTH);
      const bytes = bitsAllocated / 8;
      const histogram = new Map<number, number>();
      let samples = 0;
      for (let pixel = 0; pixel < rows * columns; pixel++) {
        if (near(pixel % columns, Math.floor(pixel / columns))) continue;
        for (let s = 0; s < samplesPerPixel; s++) {
          const at = (after.layout.planarConfiguration === 1 ? s * rows * columns + pixel : pixel * samplesPerPixel + s) * bytes;
          const read = (d: Uint8Array): number => (bytes === 2 ? d[at]! | (d[at + 1]! << 8) : d[at]!);
          const difference = Math.abs(read(a.data) - read(after.data));
          histogram.set(difference, (histogram.get(difference) ?? 0) + 1);
          samples++;
        }
      }
      const sorted = [...histogram.entries()].sort((x, y) => x[0] - y[0]);
      const percentile = (q: number): number => {
        let seen = 0;
        for (const [difference, count] of sorted) if ((seen += count) >= q * samples) return difference;
        return 0;
      };
      const max = sorted.at(-1)?.[0] ?? 0;
      console.log(`${entry.input} frame ${after.index} (${record.reencoded.syntax}, ${bitsStored} bits, ${samplesPerPixel} sample(s)): `
        + `max ${max} (${(100 * max / 2 ** bitsStored).toFixed(2)}% of range), p50 ${percentile(0.5)}, p99 ${percentile(0.99)}, p99.9 ${percentile(0.999)}`);
    }
  } finally {
    original.close();
    output.close();
  }
}
