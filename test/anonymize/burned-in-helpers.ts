// Test images for the burned-in step: 8-bit MONOCHROME2 native images with a bright "text" block drawn into their
// pixels, by modality and SOP class; and an encapsulated PDF. Built in memory, written with the byte layer.

import { DataElement, DataSet } from '../../src/dicom/dataset.js';
import { createDicomFile } from '../../src/dicom/create.js';
import type { DicomFile } from '../../src/dicom/part10.js';
import { encodeNumbers, newItem, newSequenceElement, newStringElement, newNumberElement } from '../../src/dicom/values.js';
import {
  BitsAllocated, BitsStored, BurnedInAnnotation, Columns, EncapsulatedDocument, HighBit, ImageType, MIMETypeOfEncapsulatedDocument, Modality,
  PatientID, PatientName, PhotometricInterpretation, PixelData, PixelRepresentation, RegionLocationMaxX1, RegionLocationMaxY1,
  RegionLocationMinX0, RegionLocationMinY0, Rows, SamplesPerPixel, SequenceOfUltrasoundRegions, SeriesInstanceUID, SOPClassUID,
  SOPInstanceUID, StudyInstanceUID,
} from '../../src/dicom/tags.generated.js';

export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const SOP = {
  us: '1.2.840.10008.5.1.4.1.1.6.1',
  ct: '1.2.840.10008.5.1.4.1.1.2',
  sc: '1.2.840.10008.5.1.4.1.1.7',
  pdf: '1.2.840.10008.5.1.4.1.1.104.1',
  sr: '1.2.840.10008.5.1.4.1.1.88.11',
};
export const COLUMNS = 64;
export const ROWS = 48;
/** The "burned-in text": a bright block at the top left. */
export const TEXT_BOX = { x: 4, y: 2, width: 30, height: 8 };
export const BACKGROUND = 40;
export const TEXT = 250;

export interface ImageSpec {
  modality: string;
  sopClass: string;
  n: number;
  burnedIn?: 'YES' | 'NO';
  /** Default ORIGINAL\PRIMARY (an acquisition); null: no Image Type at all (which puts an image at risk). */
  imageType?: string | null;
  /** Ultrasound regions [x0, y0, x1, y1] (inclusive). */
  regions?: [number, number, number, number][];
  pixels?: boolean;
}

/** The pixel values of a test image: background with a gradient, the text block bright. */
export function testPixels(): Uint8Array {
  const data = new Uint8Array(COLUMNS * ROWS);
  for (let y = 0; y < ROWS; y++) {
    for (let x = 0; x < COLUMNS; x++) {
      const inText = x >= TEXT_BOX.x && x < TEXT_BOX.x + TEXT_BOX.width && y >= TEXT_BOX.y && y < TEXT_BOX.y + TEXT_BOX.height;
      data[y * COLUMNS + x] = inText ? ((x + y) % 3 === 0 ? TEXT : 200) : BACKGROUND + ((x + y) % 16);
    }
  }
  return data;
}

function identity(ds: DataSet, spec: { sopClass: string; n: number }): string {
  const sop = `1.2.826.0.1.3680043.10.77.${spec.n}`;
  ds.put(newStringElement(ds, SOPClassUID, 'UI', spec.sopClass));
  ds.put(newStringElement(ds, SOPInstanceUID, 'UI', sop));
  ds.put(newStringElement(ds, PatientName, 'PN', 'DOE^JANE'));
  ds.put(newStringElement(ds, PatientID, 'LO', 'MRN-55501'));
  ds.put(newStringElement(ds, StudyInstanceUID, 'UI', '1.2.826.0.1.3680043.10.77.1000'));
  ds.put(newStringElement(ds, SeriesInstanceUID, 'UI', `1.2.826.0.1.3680043.10.77.2000.${spec.sopClass.length}`));
  return sop;
}

/** Puts a Sequence of Ultrasound Regions with one item per [x0, y0, x1, y1] region (Region Location Min/Max, UL). */
export function putUltrasoundRegions(ds: DataSet, regions: ReadonlyArray<readonly [number, number, number, number]>): void {
  const seq = newSequenceElement(SequenceOfUltrasoundRegions);
  ds.put(seq);
  seq.setItems(regions.map(([x0, y0, x1, y1]) => {
    const item = newItem(ds, seq);
    for (const [tag, v] of [[RegionLocationMinX0, x0], [RegionLocationMinY0, y0], [RegionLocationMaxX1, x1], [RegionLocationMaxY1, y1]] as const) {
      const el = new DataElement(tag, 'UL');
      el.setValue(encodeNumbers(item, 'UL', [v]), 'UL');
      item.put(el);
    }
    return item;
  }));
}

export function makeImage(spec: ImageSpec): DicomFile {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const sop = identity(ds, spec);
  if (spec.imageType !== null) ds.put(newStringElement(ds, ImageType, 'CS', spec.imageType ?? 'ORIGINAL\\PRIMARY'));
  ds.put(newStringElement(ds, Modality, 'CS', spec.modality));
  if (spec.regions) putUltrasoundRegions(ds, spec.regions);
  if (spec.pixels !== false) {
    const us = (tag: number, v: number): void => ds.put(newNumberElement(ds, tag, 'US', [v]));
    us(SamplesPerPixel, 1);
    ds.put(newStringElement(ds, PhotometricInterpretation, 'CS', 'MONOCHROME2'));
    us(Rows, ROWS);
    us(Columns, COLUMNS);
    us(BitsAllocated, 8);
    us(BitsStored, 8);
    us(HighBit, 7);
    us(PixelRepresentation, 0);
    if (spec.burnedIn) ds.put(newStringElement(ds, BurnedInAnnotation, 'CS', spec.burnedIn));
    const px = new DataElement(PixelData, 'OB');
    px.setValue(testPixels(), 'OB');
    ds.put(px);
  }
  return createDicomFile(ds, EXPLICIT_LE, spec.sopClass, sop);
}

/** An Encapsulated PDF instance (no Pixel Data). */
export function makePdf(n: number): DicomFile {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const sop = identity(ds, { sopClass: SOP.pdf, n });
  ds.put(newStringElement(ds, Modality, 'CS', 'DOC'));
  ds.put(newStringElement(ds, MIMETypeOfEncapsulatedDocument, 'LO', 'application/pdf'));
  const doc = new DataElement(EncapsulatedDocument, 'OB');
  doc.setValue(Buffer.from('%PDF-1.4\n% DOE JANE MRN-55501\n%%EOF\n'), 'OB');
  ds.put(doc);
  return createDicomFile(ds, EXPLICIT_LE, SOP.pdf, sop);
}

/** An SR-like instance without Pixel Data. */
export function makeSr(n: number): DicomFile {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const sop = identity(ds, { sopClass: SOP.sr, n });
  ds.put(newStringElement(ds, Modality, 'CS', 'SR'));
  return createDicomFile(ds, EXPLICIT_LE, SOP.sr, sop);
}
