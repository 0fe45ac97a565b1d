// verify --run-report: the anonymize run's report says which rectangles of which frames it blanked, which frames it
// decoded and encoded again (and whether lossily), and in which frames it cleared the bits outside Bits Stored. A
// change the run made for those reasons is its own, not a finding: pixels inside the rectangles; in a frame it
// re-encoded lossily, pixels near the rectangles (the codec's blocks and ringing) and differences within the codec's
// error anywhere; bits outside Bits Stored where it cleared them. Any other changed pixel (a name drawn in later, a
// redaction the run did not make) stays a finding, counted and located by frame. A lossy re-encode is never silent:
// the file keeps a low finding with the largest difference, since a change smaller than the tolerance cannot be told
// from compression error.

import { resolve } from 'node:path';
import { readDicomFile, type DicomFile } from '../dicom/part10.js';
import type { Rectangle } from '../geometry/rectangle.js';
import { uidName } from '../dicom/uid-registry.js';
import { readFrames, type PixelFrame } from '../pixels/index.js';
import { readRunReport, type BurnedInRecord, type RunReport } from '../records/index.js';
import type { FileReport, Finding, VerifyReport } from './types.js';

/**
 * How far around a blanked rectangle a lossy re-encode may change pixels by more than its usual error: the sharp
 * edge of the fill rings within the codec's blocks (JPEG's 8×8 DCT blocks, 16×16 MCUs with 4:2:0 chroma), and a
 * J2K wavelet's ringing fades within a few code-block pixels.
 */
export const LOSSY_GROWTH = 16;

/**
 * The largest difference from the original a lossy re-encode may leave outside the grown rectangles, as a share of
 * the original frame's contrast (largest minus smallest stored value; at most the Bits Stored range). Measured on the corpus files the tcia preset redacts and re-encodes (original vs output,
 * outside the rectangles grown by 16 px; scripts/measure-reencode-error.ts): JPEG baseline 8-bit RGB at most 17 (99.9th
 * percentile 5–7), J2K/HTJ2K 8-bit at most 4, JPEG-LS near-lossless at most 3, J2K 12–15-bit at most 2 (right up
 * to the rectangles: at most 17 too); on nine generated 8-bit JPEG baseline images with drawn text (320×240 to
 * 512×512, flat, gradient and noisy backgrounds) at most 3 (9 up to the rectangles). A name drawn in differs by a
 * large part of the range (white on tissue: about 180 in test/verify/run-own-changes.test.ts); 1/8 of the contrast
 * (at most 32 at 8 bits; 26–31 on those files) is about twice the worst measured error. Deeper images get more
 * (305 on a 12-bit MR, 3213 on a 15-bit CR whose measured error is 1): the low finding states the tolerance used.
 */
export const LOSSY_TOLERANCE_SHARE = 1 / 8;

/** The smallest tolerance: a near-flat frame still moves by a few levels (JPEG-LS near-lossless: by NEAR, often 3). */
export const MIN_LOSSY_TOLERANCE = 4;

/** What the run changed in one file besides the rectangles, as its report record says (absent: nothing). */
export interface RunPixelChanges {
  /** Frames re-encoded lossily: compared within LOSSY_TOLERANCE_SHARE outside the rectangles grown by LOSSY_GROWTH. */
  lossyFrames?: readonly number[];
  /** Frames whose bits outside Bits Stored the run cleared: only the Bits Stored bits are compared. */
  bitsCleared?: readonly number[];
}

/** The comparison: pixels changed beyond what the run explains, and the largest difference in lossy frames. */
export interface OutsideChanges {
  pixels: number;
  firstFrame: number | null;
  /** Largest sample difference the lossy tolerance excused (0 when none), and the tolerance used. */
  lossyMaxError: number;
  lossyTolerance: number;
}

/** Changed pixels outside `rectangles`, and the first frame holding one; null when the frames cannot be compared. */
export async function changesOutside(
  original: DicomFile, output: DicomFile, rectangles: readonly Rectangle[], run: RunPixelChanges = {},
): Promise<OutsideChanges | null> {
  const before = readFrames(original)[Symbol.asyncIterator]();
  const result: OutsideChanges = { pixels: 0, firstFrame: null, lossyMaxError: 0, lossyTolerance: 0 };
  for await (const after of readFrames(output)) {
    const next = await before.next();
    if (next.done) return null;
    const own = rectangles.filter((r) => r.frames === undefined || r.frames.includes(after.index));
    const changed = changedOutside(next.value, after, own, {
      lossy: run.lossyFrames?.includes(after.index) ?? false, storedBitsOnly: run.bitsCleared?.includes(after.index) ?? false,
    });
    if (changed === null) return null;
    if (changed.pixels > 0 && result.firstFrame === null) result.firstFrame = after.index;
    result.pixels += changed.pixels;
    result.lossyMaxError = Math.max(result.lossyMaxError, changed.maxError);
    result.lossyTolerance = Math.max(result.lossyTolerance, changed.tolerance);
  }
  if (!(await before.next()).done) return null;
  return result;
}

/**
 * The tolerance of a lossy frame: LOSSY_TOLERANCE_SHARE of the original frame's own contrast (its largest minus its
 * smallest stored value), so that a 12- or 16-bit image whose values use a small part of the range is not given
 * thousands; at least MIN_LOSSY_TOLERANCE.
 */
function lossyTolerance(data: Uint8Array, bytes: number, stored: (w: number) => number): number {
  let low = Infinity, high = -Infinity;
  for (let at = 0; at < data.length; at += bytes) {
    const v = stored(word(data, at, bytes));
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return Math.max(MIN_LOSSY_TOLERANCE, Math.floor((high - low) * LOSSY_TOLERANCE_SHARE));
}

/** Reads one sample word (little-endian, as the pixel layer hands decoded frames out). */
function word(data: Uint8Array, at: number, bytes: number): number {
  if (bytes === 1) return data[at]!;
  if (bytes === 2) return data[at]! | (data[at + 1]! << 8);
  return (data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24)) >>> 0;
}

function changedOutside(
  a: PixelFrame, b: PixelFrame, rectangles: readonly Rectangle[], how: { lossy: boolean; storedBitsOnly: boolean },
): { pixels: number; maxError: number; tolerance: number } | null {
  const { rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, pixelRepresentation, planarConfiguration } = b.layout;
  if (a.data.length !== b.data.length || a.layout.rows !== rows || a.layout.columns !== columns || bitsAllocated < 8 || b.layout.float) return null;
  if (a.layout.samplesPerPixel !== samplesPerPixel || a.layout.bitsAllocated !== bitsAllocated || a.layout.planarConfiguration !== planarConfiguration) return null;
  const bytes = bitsAllocated / 8;
  if (bytes !== 1 && bytes !== 2 && bytes !== 4) return null;
  const grow = how.lossy ? LOSSY_GROWTH : 0;
  const inside = (pixel: number): boolean => {
    const x = pixel % columns, y = Math.floor(pixel / columns);
    return rectangles.some((r) => x >= r.x - grow && x < r.x + r.width + grow && y >= r.y - grow && y < r.y + r.height + grow);
  };
  // The Bits Stored bits of a word as a number (sign-extended for two's complement), for the lossy and cleared frames.
  const shift = highBit - bitsStored + 1;
  const range = 2 ** bitsStored;
  const stored = (w: number): number => {
    const v = Math.floor(w / 2 ** shift) % range;
    return pixelRepresentation === 1 && v >= range / 2 ? v - range : v;
  };
  // The word with its Bits Stored bits zeroed: what it holds besides the image (overlay bits, garbage).
  const rest = (w: number): number => w - (Math.floor(w / 2 ** shift) % range) * 2 ** shift;
  // Where the run cleared those bits the output holds zero there, or the sign extended above High Bit.
  const allOnesAbove = (2 ** (bitsAllocated - highBit - 1) - 1) * 2 ** (highBit + 1);
  const canonical = (w: number): boolean => rest(w) === 0 || (pixelRepresentation === 1 && stored(w) < 0 && rest(w) === allOnesAbove);
  const tolerance = how.lossy ? lossyTolerance(a.data, bytes, stored) : 0;
  const plane = rows * columns;
  const counted = new Set<number>();
  let maxError = 0;
  for (let sample = 0; sample < plane * samplesPerPixel; sample++) {
    const at = sample * bytes;
    const wa = word(a.data, at, bytes), wb = word(b.data, at, bytes);
    if (wa === wb) continue;
    const pixel = planarConfiguration === 1 && samplesPerPixel > 1 ? sample % plane : Math.floor(sample / samplesPerPixel);
    if (inside(pixel)) continue;
    if (!how.lossy && !how.storedBitsOnly) {
      counted.add(pixel);
      continue;
    }
    const va = stored(wa), vb = stored(wb);
    if (how.storedBitsOnly ? rest(wb) !== rest(wa) && !canonical(wb) : rest(wb) !== rest(wa)) {
      // Bits outside Bits Stored that changed and are not the run's clearing: data a comparison of values would miss.
      counted.add(pixel);
      continue;
    }
    const difference = Math.abs(va - vb);
    if (difference === 0) continue;
    if (difference <= tolerance) maxError = Math.max(maxError, difference);
    else counted.add(pixel);
  }
  return { pixels: counted.size, maxError, tolerance };
}

/** What the run's record says it changed besides the rectangles (a record from before these fields: nothing). */
function runChanges(record: BurnedInRecord): RunPixelChanges {
  return {
    ...(record.reencoded?.lossy ? { lossyFrames: record.reencoded.frames } : {}),
    ...(record.bitsCleared ? { bitsCleared: record.bitsCleared } : {}),
  };
}

/**
 * The report with the tool's own changes told apart: for each paired output the run reports 'redacted', the
 * pixel-data-changed finding is dropped when every changed pixel is explained by the run's record (rectangles,
 * lossy re-encode within tolerance, bits cleared), and says how many changed otherwise; a lossy re-encode leaves a
 * low pixel-data-reencoded finding. `run`: the anonymize run's --report (path or parsed).
 */
export async function excuseOwnRedactions(report: VerifyReport, run: RunReport | string): Promise<FileReport[]> {
  const runReport = typeof run === 'string' ? readRunReport(run) : run;
  const byOutput = new Map(runReport.files.filter((e) => e.output !== null).map((e) => [resolve(e.output!), e]));
  const files: FileReport[] = [];
  for (const entry of report.files) {
    const record = byOutput.get(resolve(entry.output))?.burnedIn;
    const changed = entry.findings.filter((f) => f.kind === 'pixel-data-changed');
    const explained = record !== undefined && (record.status === 'redacted' || record.reencoded !== undefined || record.bitsCleared !== undefined);
    if (entry.input === null || changed.length === 0 || !explained) {
      files.push(entry);
      continue;
    }
    const outside = await compare(entry.input, entry.output, record.status === 'redacted' ? record.rectangles ?? [] : [], runChanges(record));
    const others = entry.findings.filter((f) => f.kind !== 'pixel-data-changed');
    const notes: Finding[] = [];
    if (outside !== null && record.reencoded?.lossy) notes.push(reencodedNote(record.reencoded, outside));
    if (outside !== null && outside.pixels === 0) {
      files.push({ ...entry, findings: [...notes, ...others] });
      continue;
    }
    const message = outside === null
      ? 'pixel data changed, and its frames cannot be compared with the original\'s to tell the run\'s redactions apart'
      : `pixel data changed outside the rectangles the run reports redacting${explainedToo(record)}: ${outside.pixels} pixel(s), first on frame ${outside.firstFrame}`;
    const finding: Finding = { severity: 'medium', tagPath: '(7FE0,0010)', kind: 'pixel-data-changed', message, masked: null };
    files.push({ ...entry, findings: [finding, ...notes, ...others] });
  }
  return files;
}

/** The run's other changes the count already allows for, in words. */
function explainedToo(record: BurnedInRecord): string {
  const also = [
    ...(record.reencoded?.lossy ? [`beyond its lossy re-encode's error (${LOSSY_GROWTH} px around them, 1/${1 / LOSSY_TOLERANCE_SHARE} of the frame's contrast elsewhere)`] : []),
    ...(record.bitsCleared ? ['in the Bits Stored bits (it cleared the others)'] : []),
  ];
  return also.length > 0 ? ` and ${also.join(' and ')}` : '';
}

/** The low finding a lossy re-encode always leaves: what verify could not tell apart (no value). */
function reencodedNote(reencoded: NonNullable<BurnedInRecord['reencoded']>, outside: OutsideChanges): Finding {
  const syntax = uidName(reencoded.syntax) ?? reencoded.syntax;
  const frames = reencoded.frames.length === 1 ? `frame ${reencoded.frames[0]}` : `${reencoded.frames.length} frames`;
  return {
    severity: 'low', tagPath: '(7FE0,0010)', kind: 'pixel-data-reencoded', masked: null,
    message: `the run re-encoded ${frames} lossily (${syntax}): outside its rectangles (grown by ${LOSSY_GROWTH} px) the pixels differ from the original's by at most ${outside.lossyMaxError} (tolerance ${outside.lossyTolerance}); a change within the tolerance cannot be told from compression error`,
  };
}

async function compare(originalPath: string, outputPath: string, rectangles: readonly Rectangle[], run: RunPixelChanges): Promise<OutsideChanges | null> {
  let original: DicomFile | null = null;
  let output: DicomFile | null = null;
  try {
    original = readDicomFile(originalPath);
    output = readDicomFile(outputPath);
    return await changesOutside(original, output, rectangles, run);
  } catch {
    return null;
  } finally {
    original?.close();
    output?.close();
  }
}
