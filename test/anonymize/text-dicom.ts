// DICOM files around generated text images (test/helpers/text-image.ts), for the detection tests of the burned-in
// step: 8-bit frames in, an at-risk ultrasound instance out in MONOCHROME2, MONOCHROME1 (optionally 12 bits in 16),
// RGB, PALETTE COLOR or YBR_FULL, native or encoded with one of our codecs, with a header holding the identifying
// values drawn (HEADER).

import { DataElement, DataSet } from '../../src/dicom/dataset.js';
import { createDicomFile } from '../../src/dicom/create.js';
import type { DicomFile } from '../../src/dicom/part10.js';
import { encodeNumbers, newStringElement, newNumberElement } from '../../src/dicom/values.js';
import type { PixelLayout } from '../../src/pixels/index.js';
import { putUltrasoundRegions } from './burned-in-helpers.js';
import {
  AccessionNumber, BluePaletteColorLookupTableData, BluePaletteColorLookupTableDescriptor, GreenPaletteColorLookupTableData,
  GreenPaletteColorLookupTableDescriptor, RedPaletteColorLookupTableData, RedPaletteColorLookupTableDescriptor, BitsAllocated, BitsStored, Columns, HighBit, InstitutionName, Modality, NumberOfFrames, PatientBirthDate, PatientID, PatientName,
  PhotometricInterpretation, PixelData, PixelRepresentation, PlanarConfiguration,
  Rows, SamplesPerPixel, SOPClassUID, SOPInstanceUID, StudyDate,
} from '../../src/dicom/tags.generated.js';

export const NATIVE = '1.2.840.10008.1.2.1';
const US_MULTIFRAME = '1.2.840.10008.5.1.4.1.1.3.1';

/** The identifying values the generated images show, as the header holds them. */
export const HEADER = {
  patientName: 'SMITH^JOHN', patientId: '00123456', birthDate: '19870314', studyDate: '20240117', institution: 'ST MARY HOSPITAL', accession: 'A1B2C3',
};

export interface TextDicomSpec {
  width: number;
  height: number;
  /** 8-bit frames as drawn (grey, or RGB interleaved when photometric is RGB). */
  frames: Uint8Array[];
  /**
   * PALETTE COLOR: a grey frame's values are the indices of a 256-entry colour palette (warm for high, cool for
   * low). YBR_FULL: an RGB frame stored as YBR_FULL (PS3.3 C.7.6.3.1.2).
   */
  photometric?: 'MONOCHROME2' | 'MONOCHROME1' | 'RGB' | 'PALETTE COLOR' | 'YBR_FULL';
  /** 16: a MONOCHROME frame stored as 12 bits in 16 (drawn value × 16). */
  bits?: 8 | 16;
  syntax?: string;
  /** Patient Name etc. to put in the header instead of HEADER's. */
  header?: Partial<typeof HEADER>;
  /** Ultrasound regions [x0, y0, x1, y1], inclusive. */
  regions?: [number, number, number, number][];
  n: number;
}

export async function textDicom(spec: TextDicomSpec): Promise<DicomFile> {
  const photometric = spec.photometric ?? 'MONOCHROME2';
  const rgb = photometric === 'RGB' || photometric === 'YBR_FULL';
  const bits = rgb ? 8 : spec.bits ?? 8;
  const syntax = spec.syntax ?? NATIVE;
  const h = { ...HEADER, ...spec.header };
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const us = (tag: number, v: number): void => ds.put(newNumberElement(ds, tag, 'US', [v]));
  const sop = `2.25.77${spec.n}`;
  ds.put(newStringElement(ds, SOPClassUID, 'UI', US_MULTIFRAME));
  ds.put(newStringElement(ds, SOPInstanceUID, 'UI', sop));
  ds.put(newStringElement(ds, PatientName, 'PN', h.patientName));
  ds.put(newStringElement(ds, PatientID, 'LO', h.patientId));
  ds.put(newStringElement(ds, PatientBirthDate, 'DA', h.birthDate));
  ds.put(newStringElement(ds, StudyDate, 'DA', h.studyDate));
  ds.put(newStringElement(ds, AccessionNumber, 'SH', h.accession));
  ds.put(newStringElement(ds, InstitutionName, 'LO', h.institution));
  ds.put(newStringElement(ds, Modality, 'CS', 'US'));
  if (spec.regions) putUltrasoundRegions(ds, spec.regions);
  us(SamplesPerPixel, rgb ? 3 : 1);
  ds.put(newStringElement(ds, PhotometricInterpretation, 'CS', photometric));
  if (rgb) us(PlanarConfiguration, 0);
  ds.put(newStringElement(ds, NumberOfFrames, 'IS', String(spec.frames.length)));
  us(Rows, spec.height);
  us(Columns, spec.width);
  us(BitsAllocated, bits);
  us(BitsStored, bits === 16 ? 12 : 8);
  us(HighBit, bits === 16 ? 11 : 7);
  us(PixelRepresentation, 0);
  if (photometric === 'PALETTE COLOR') {
    for (const [c, tag] of [RedPaletteColorLookupTableDescriptor, GreenPaletteColorLookupTableDescriptor, BluePaletteColorLookupTableDescriptor].entries()) {
      const descriptor = new DataElement(tag, 'US');
      descriptor.setValue(encodeNumbers(ds, 'US', [256, 0, 16]));
      ds.put(descriptor);
      const data = new DataElement([RedPaletteColorLookupTableData, GreenPaletteColorLookupTableData, BluePaletteColorLookupTableData][c], 'OW');
      data.setValue(encodeNumbers(ds, 'US', Array.from({ length: 256 }, (_, i) => [i, Math.round(i * 0.8), 255 - i][c] * 257)), 'OW');
      ds.put(data);
    }
  }
  const ybr = (frame: Uint8Array): Uint8Array => {
    const out = new Uint8Array(frame.length);
    const clamp = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));
    for (let i = 0; i < frame.length; i += 3) {
      const [r, g, b] = [frame[i], frame[i + 1], frame[i + 2]];
      out[i] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
      out[i + 1] = clamp(-0.1687 * r - 0.3313 * g + 0.5 * b + 128);
      out[i + 2] = clamp(0.5 * r - 0.4187 * g - 0.0813 * b + 128);
    }
    return out;
  };
  const stored = spec.frames.map((frame) => {
    const shown = photometric === 'MONOCHROME1' ? frame.map((v) => 255 - v) : photometric === 'YBR_FULL' ? ybr(frame) : frame;
    if (bits === 8) return shown;
    const out = new Uint8Array(shown.length * 2);
    const view = new DataView(out.buffer);
    shown.forEach((v, i) => view.setUint16(i * 2, v * 16, true));
    return out;
  });
  const pixels = new DataElement(PixelData, bits === 16 ? 'OW' : 'OB');
  if (syntax === NATIVE) {
    const all = new Uint8Array(stored.reduce((n, f) => n + f.length, 0) + (stored.reduce((n, f) => n + f.length, 0) % 2));
    stored.reduce((at, f) => (all.set(f, at), at + f.length), 0);
    pixels.setValue(all, bits === 16 ? 'OW' : 'OB');
  } else {
    const { loadCodec } = await import('../../src/pixels/codecs/index.js');
    const codec = await loadCodec(syntax)!;
    const layout: PixelLayout = {
      rows: spec.height, columns: spec.width, samplesPerPixel: rgb ? 3 : 1, bitsAllocated: bits, bitsStored: bits === 16 ? 12 : 8, highBit: bits === 16 ? 11 : 7,
      pixelRepresentation: 0, photometricInterpretation: photometric, planarConfiguration: 0,
    };
    const fragments = [{ span: null, value: new Uint8Array(0) }];
    for (const f of stored) {
      const encoded = codec.encode({ data: f, layout }).data;
      fragments.push({ span: null, value: encoded.length % 2 ? Uint8Array.from([...encoded, 0]) : Uint8Array.from(encoded) });
    }
    pixels.setFragments(fragments);
  }
  ds.put(pixels);
  return createDicomFile(ds, syntax, US_MULTIFRAME, sop);
}
