// The three inputs of the batch bench (scripts/bench-batch.ts), generated into a scratch folder (tmpfs, never the
// repository): 10,000 copies of one real CT slice of the corpus with new UIDs and numbers, the corpus files that
// both we and gdcmanon -e read, and one large multi-frame file.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readDicomBuffer, readDicomFile, type DicomFile } from '../src/dicom/part10.js';
import type { DataSet } from '../src/dicom/dataset.js';
import { setString } from '../src/dicom/values.js';
import { encodeDicomFileToBuffer } from '../src/dicom/writer.js';
import {
  FrameOfReferenceUID, ImagePositionPatient, InstanceNumber, MediaStorageSOPInstanceUID, PatientID, PatientName,
  SeriesInstanceUID, SliceLocation, SOPInstanceUID, StudyInstanceUID,
} from '../src/dicom/tags.generated.js';
import { writeDicomFile } from '../src/files/dicom-output.js';
import { writeBigMultiframe } from './big-multiframe.js';
import { estimatedAtRisk } from '../src/batch/at-risk-sample.js';
import type { RiskGate } from '../src/plan/plan.js';
import { buildSlice, CT_STUDY, exampleUid, MR_STUDY, PATIENT_1, PATIENT_2 } from './make-examples.js';

/** The real CT slice the small-file workload copies: GE private groups, 261 top-level elements, 14 KB (JPEG 2000). */
export const SMALL_SLICE = 'fo-dicom/CT1_J2KI';

interface ManifestEntry {
  path: string;
  dcmdump: string;
}

/** Counts every data element at any depth (file meta included): the denominator of "µs per element". */
export function countElements(file: DicomFile): number {
  const walk = (ds: DataSet): number => {
    let n = 0;
    for (const el of ds.elements) {
      n++;
      if (el.items) for (const item of el.items) n += walk(item);
    }
    return n;
  };
  return walk(file.dataset) + (file.meta ? walk(file.meta) : 0);
}

/**
 * `count` variants of SMALL_SLICE, 100 per folder, 20 studies of 500 slices: new Study/Series/SOP/Frame of
 * Reference UIDs, Patient ID and Name per study, Instance Number, Slice Location and Image Position per slice. Every
 * other element (private groups included) stays as it is. Returns the elements per file.
 */
export function generateSmallSlices(corpusDir: string, dest: string, count: number): number {
  const original = readFileSync(join(corpusDir, SMALL_SLICE));
  const root = '2.25.1500';
  let elements = 0;
  for (let i = 0; i < count; i++) {
    const file = readDicomBuffer(original, SMALL_SLICE);
    const study = Math.floor(i / 500), slice = i % 500;
    const ds = file.dataset;
    const put = (target: DataSet, tag: number, text: string): void => {
      const el = target.get(tag);
      if (el) setString(target, el, text);
    };
    const sop = `${root}.3.${study}.${slice}`;
    put(ds, StudyInstanceUID, `${root}.1.${study}`);
    put(ds, SeriesInstanceUID, `${root}.2.${study}`);
    put(ds, FrameOfReferenceUID, `${root}.4.${study}`);
    put(ds, SOPInstanceUID, sop);
    if (file.meta) put(file.meta, MediaStorageSOPInstanceUID, sop);
    put(ds, PatientID, `BENCH${String(study).padStart(4, '0')}`);
    put(ds, PatientName, `Bench^Patient${study}`);
    put(ds, InstanceNumber, String(slice + 1));
    const z = (-75.7 + slice * 1.25).toFixed(2);
    put(ds, SliceLocation, z);
    put(ds, ImagePositionPatient, `-158.135803\\-179.035797\\${z}`);
    if (i === 0) elements = countElements(file);
    const dir = join(dest, `study${String(study).padStart(2, '0')}`, `s${String(Math.floor(slice / 100))}`);
    if (slice % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `ct-${String(slice).padStart(3, '0')}.dcm`), encodeDicomFileToBuffer(file));
  }
  return elements;
}

/** True when `gdcmanon -e` de-identifies `path` on its own (it stops a whole run at the first file it refuses). */
function gdcmanonReads(path: string, scratch: string, keyPem: string, certPem: string): boolean {
  const out = join(scratch, 'probe.dcm');
  rmSync(out, { force: true });
  const r = spawnSync('gdcmanon', ['-e', '-k', keyPem, '-c', certPem, '-i', path, '-o', out], { stdio: 'ignore' });
  const ok = r.status === 0 && existsSync(out);
  rmSync(out, { force: true });
  return ok;
}

/**
 * The readable corpus: files dcmdump reads (manifest), not the deliberately malformed ones, and that gdcmanon -e
 * accepts one by one (without that, gdcmanon stops at the first refused file and the peers would not do the same
 * work). Copied into `dest` with their relative paths; returns the count, bytes and elements of what was copied.
 */
export function copyReadableCorpus(
  corpusDir: string, dest: string, scratch: string, keyPem: string, certPem: string, withGdcm: boolean,
): { files: number; bytes: number; elements: number } {
  const manifest = JSON.parse(readFileSync(join(corpusDir, 'manifest.json'), 'utf8')) as ManifestEntry[];
  let files = 0, bytes = 0, elements = 0;
  for (const e of manifest) {
    const src = join(corpusDir, e.path);
    if (e.dcmdump === 'FAIL' || e.path.startsWith('malformed/') || !existsSync(src)) continue;
    if (withGdcm && !gdcmanonReads(src, scratch, keyPem, certPem)) continue;
    let file: DicomFile;
    try {
      file = readDicomFile(src);
    } catch {
      continue; // not one we read either: the workload is files both sides read
    }
    try {
      elements += countElements(file);
      bytes += file.source.size;
    } finally {
      file.close();
    }
    mkdirSync(dirname(join(dest, e.path)), { recursive: true });
    copyFileSync(src, join(dest, e.path));
    files++;
  }
  return { files, bytes, elements };
}

/** One multi-frame file of `frames` 4 MiB frames (scripts/big-multiframe.ts); returns its size and elements. */
export function generateBigFile(dest: string, frames: number): { bytes: number; elements: number } {
  mkdirSync(dest, { recursive: true });
  const path = join(dest, 'big.dcm');
  const bytes = writeBigMultiframe(path, frames, `bench-batch/${frames}`);
  const file = readDicomFile(path);
  try {
    return { bytes, elements: countElements(file) };
  } finally {
    file.close();
  }
}

/**
 * `count` synthetic slices like the examples (64x64 CT / MR, two patients), 100 per folder: a workload that needs no
 * corpus (scripts/bench-review.ts).
 */
export function generateSmallFiles(dest: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const ct = i % 2 === 0;
    const dir = join(dest, `p${i % 2 + 1}`, `d${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0 || i % 100 === 1) mkdirSync(dir, { recursive: true });
    const file = buildSlice({
      patient: ct ? PATIENT_1 : PATIENT_2, study: ct ? CT_STUDY : MR_STUDY, modality: ct ? 'CT' : 'MR', index: (i % 50) + 1,
      firstSopInstanceUid: exampleUid(`bench-batch/small/${ct ? 'ct' : 'mr'}/first`), sopInstanceUid: exampleUid(`bench-batch/small/${i}`),
      rows: 64, columns: 64, seed: i,
    });
    writeDicomFile(file, join(dir, `img-${String(i).padStart(5, '0')}.dcm`));
  }
}

/** The corpus files (malformed/ left out), in path order, that `gate` holds at risk of burned-in text. */
export function corpusAtRiskFiles(corpusDir: string, gate: RiskGate): string[] {
  const all: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'malformed') walk(path);
      } else all.push(path);
    }
  };
  walk(corpusDir);
  return all.filter((path) => estimatedAtRisk([path], gate, 1) === 1);
}
