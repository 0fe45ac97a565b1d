// verify --run-report: the anonymize run's report says which rectangles of which frames it blanked; a change of the
// pixels inside them is the tool's own redaction, not a finding. Any changed pixel outside them (a name drawn in
// later, a redaction the run did not make) stays a finding, counted and located by frame.

import { resolve } from 'node:path';
import { readDicomFile, type DicomFile } from '../dicom/part10.js';
import type { Rectangle } from '../geometry/rectangle.js';
import { readFrames, type PixelFrame } from '../pixels/index.js';
import { readRunReport, type RunReport } from '../records/index.js';
import type { FileReport, Finding, VerifyReport } from './types.js';

/** Changed pixels outside `rectangles`, and the first frame holding one; null when the frames cannot be compared. */
export async function changesOutside(original: DicomFile, output: DicomFile, rectangles: readonly Rectangle[]): Promise<{ pixels: number; firstFrame: number | null } | null> {
  const before = readFrames(original)[Symbol.asyncIterator]();
  let pixels = 0;
  let firstFrame: number | null = null;
  for await (const after of readFrames(output)) {
    const next = await before.next();
    if (next.done) return null;
    const changed = changedOutside(next.value, after, rectangles.filter((r) => r.frames === undefined || r.frames.includes(after.index)));
    if (changed === null) return null;
    if (changed > 0 && firstFrame === null) firstFrame = after.index;
    pixels += changed;
  }
  if (!(await before.next()).done) return null;
  return { pixels, firstFrame };
}

function changedOutside(a: PixelFrame, b: PixelFrame, rectangles: readonly Rectangle[]): number | null {
  const { rows, columns, samplesPerPixel, bitsAllocated, planarConfiguration } = b.layout;
  if (a.data.length !== b.data.length || a.layout.rows !== rows || a.layout.columns !== columns || bitsAllocated < 8) return null;
  const bytesPerSample = bitsAllocated / 8;
  const plane = rows * columns * bytesPerSample;
  const inside = (pixel: number): boolean => {
    const x = pixel % columns, y = Math.floor(pixel / columns);
    return rectangles.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);
  };
  const counted = new Set<number>();
  for (let i = 0; i < b.data.length; i++) {
    if (a.data[i] === b.data[i]) continue;
    const pixel = planarConfiguration === 1 && samplesPerPixel > 1 ? Math.floor((i % plane) / bytesPerSample) : Math.floor(i / (bytesPerSample * samplesPerPixel));
    if (!inside(pixel)) counted.add(pixel);
  }
  return counted.size;
}

/**
 * The report with the tool's own redactions told apart: for each paired output the run reports 'redacted', the
 * pixel-data-changed finding is dropped when every changed pixel lies in the rectangles the run blanked, and says
 * how many changed outside them otherwise. `run`: the anonymize run's --report (path or parsed).
 */
export async function excuseOwnRedactions(report: VerifyReport, run: RunReport | string): Promise<FileReport[]> {
  const runReport = typeof run === 'string' ? readRunReport(run) : run;
  const byOutput = new Map(runReport.files.filter((e) => e.output !== null).map((e) => [resolve(e.output!), e]));
  const files: FileReport[] = [];
  for (const entry of report.files) {
    const redaction = byOutput.get(resolve(entry.output))?.burnedIn;
    const changed = entry.findings.filter((f) => f.kind === 'pixel-data-changed');
    if (entry.input === null || changed.length === 0 || redaction?.status !== 'redacted') {
      files.push(entry);
      continue;
    }
    const outside = await compare(entry.input, entry.output, redaction.rectangles ?? []);
    const others = entry.findings.filter((f) => f.kind !== 'pixel-data-changed');
    if (outside !== null && outside.pixels === 0) {
      files.push({ ...entry, findings: others });
      continue;
    }
    const message = outside === null
      ? 'pixel data changed, and its frames cannot be compared with the original\'s to tell the run\'s redactions apart'
      : `pixel data changed outside the rectangles the run reports redacting: ${outside.pixels} pixel(s), first on frame ${outside.firstFrame}`;
    const finding: Finding = { severity: 'medium', tagPath: '(7FE0,0010)', kind: 'pixel-data-changed', message, masked: null };
    files.push({ ...entry, findings: [finding, ...others] });
  }
  return files;
}

async function compare(originalPath: string, outputPath: string, rectangles: readonly Rectangle[]): Promise<{ pixels: number; firstFrame: number | null } | null> {
  let original: DicomFile | null = null;
  let output: DicomFile | null = null;
  try {
    original = readDicomFile(originalPath);
    output = readDicomFile(outputPath);
    return await changesOutside(original, output, rectangles);
  } catch {
    return null;
  } finally {
    original?.close();
    output?.close();
  }
}
