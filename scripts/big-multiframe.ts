// A large multi-frame DICOM file for the benchmarks, written without holding it in memory: our writer encodes
// meta + dataset + the Pixel Data header (its value a placeholder byte range of the right length, never read),
// then the pixels are appended one 4 MiB frame (2048x1024, 16-bit) at a time.

import { closeSync, openSync, writeSync } from 'node:fs';
import { createDicomFile } from '../src/dicom/create.js';
import { DataElement, DataSet } from '../src/dicom/dataset.js';
import { tagForKeyword } from '../src/dicom/dictionary.js';

import { EXPLICIT_VR_LITTLE_ENDIAN } from '../src/dicom/transfer-syntax.js';
import { encodeNumbers, newStringElement } from '../src/dicom/values.js';
import { encodeDicomFile } from '../src/dicom/writer.js';
import { CT_STUDY, exampleUid, PATIENT_1 } from './make-examples.js';
import { PixelData } from '../src/dicom/tags.generated.js';

const ROWS = 1024, COLUMNS = 2048, FRAME_BYTES = ROWS * COLUMNS * 2;
/** Multi-frame Grayscale Word Secondary Capture Image Storage. */
const SOP_CLASS = '1.2.840.10008.5.1.4.1.1.7.3';

/** Writes `frames` frames to `path` (`label` makes the UIDs unique); returns the file size. */
export function writeBigMultiframe(path: string, frames: number, label: string): number {
  const pixelBytes = FRAME_BYTES * frames;
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const sopInstance = exampleUid(`big/${label}`);
  const str = (keyword: string, vr: string, text: string): void => ds.put(newStringElement(ds, tagForKeyword(keyword)!, vr, text));
  const us = (keyword: string, value: number): void => {
    const el = new DataElement(tagForKeyword(keyword)!, 'US');
    el.setValue(encodeNumbers(ds, 'US', [value]), 'US');
    ds.put(el);
  };
  str('SOPClassUID', 'UI', SOP_CLASS);
  str('SOPInstanceUID', 'UI', sopInstance);
  str('StudyDate', 'DA', '20230914');
  str('Modality', 'CS', 'OT');
  str('ConversionType', 'CS', 'WSD');
  str('PatientName', 'PN', PATIENT_1.name);
  str('PatientID', 'LO', PATIENT_1.id);
  str('PatientBirthDate', 'DA', PATIENT_1.birthDate);
  str('InstitutionName', 'LO', CT_STUDY.institution);
  str('StudyInstanceUID', 'UI', exampleUid('big/study'));
  str('SeriesInstanceUID', 'UI', exampleUid('big/series'));
  str('NumberOfFrames', 'IS', String(frames));
  us('SamplesPerPixel', 1);
  str('PhotometricInterpretation', 'CS', 'MONOCHROME2');
  us('Rows', ROWS);
  us('Columns', COLUMNS);
  us('BitsAllocated', 16);
  us('BitsStored', 16);
  us('HighBit', 15);
  us('PixelRepresentation', 0);
  const pixelData = new DataElement(PixelData, 'OW');
  pixelData.bulk = { offset: 0, length: pixelBytes };
  ds.put(pixelData);

  const chunks = encodeDicomFile(createDicomFile(ds, EXPLICIT_VR_LITTLE_ENDIAN, SOP_CLASS, sopInstance)).chunks;
  const tail = chunks[chunks.length - 1];
  if (tail instanceof Uint8Array || tail.length !== pixelBytes) throw new Error('big file: unexpected encoding of the Pixel Data placeholder');
  const fd = openSync(path, 'w');
  try {
    let written = 0;
    const writeAll = (bytes: Uint8Array): void => {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      written += bytes.length;
    };
    for (const c of chunks.slice(0, -1)) {
      if (!(c instanceof Uint8Array)) throw new Error('big file: unexpected byte range in the header');
      writeAll(c);
    }
    const piece = Buffer.allocUnsafe(FRAME_BYTES);
    for (let i = 0; i < piece.length; i += 2) piece.writeUInt16LE(((i >> 1) * 37) & 0xffff, i);
    for (let f = 0; f < frames; f++) {
      piece.writeUInt16LE(f, 0); // frames differ a little
      writeAll(piece);
    }
    return written;
  } finally {
    closeSync(fd);
  }
}
