// Writes a small synthetic sample set into examples/ (run with `npm run examples`): two fake patients, a CT
// series of 3 slices (Explicit VR Little Endian) and an MR series of 2 images (Implicit VR Little Endian,
// ISO_IR 100). Every value is invented; the files carry fake PHI in many places (nested sequences, a private
// block, free text) so the anonymizer has something to remove. Output is deterministic: UIDs are derived from a
// constant and the pixel noise from a fixed seed, so re-running gives byte-identical files.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDicomFile } from '../src/dicom/create.js';
import { DataElement, DataSet, type Encoding } from '../src/dicom/dataset.js';
import { defaultVR, tagForKeyword } from '../src/dicom/dictionary.js';
import type { DicomFile } from '../src/dicom/part10.js';
import { makeTag, type Tag } from '../src/dicom/tag.js';
import { EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN } from '../src/dicom/transfer-syntax.js';
import { encodeNumbers, newItem, newSequenceElement, newStringElement } from '../src/dicom/values.js';
import { writeDicomFile } from '../src/files/dicom-output.js';
import { isMain } from './is-main.js';

const SCRIPT_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(SCRIPT_DIR, '..');
const EXAMPLES_DIR = join(REPO_ROOT, 'examples');

export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
export const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
/** Study Component Management SOP Class (retired), the class ReferencedStudySequence items usually name. */
const STUDY_SOP_CLASS = '1.2.840.10008.3.1.2.3.1';

/** Every UID of the sample set is derived from this constant and a label. */
const UID_SEED = 'dicom-anonymizer synthetic examples v1';

/** A 2.25 UID (PS3.5 B.2) from the first 128 bits of SHA-256(seed + label): fixed across runs, unique per label. */
export function exampleUid(label: string, seed: string = UID_SEED): string {
  const digest = createHash('sha256').update(`${seed}\0${label}`).digest();
  return `2.25.${BigInt('0x' + digest.subarray(0, 16).toString('hex')).toString(10)}`;
}

/** Small deterministic PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EXPLICIT_LE: Encoding = { explicitVR: true, littleEndian: true };
const IMPLICIT_LE: Encoding = { explicitVR: false, littleEndian: true };

function tagOf(keyword: string): Tag {
  const tag = tagForKeyword(keyword);
  if (tag === undefined) throw new Error(`make-examples: unknown keyword ${keyword}`);
  return tag;
}

/** Small builder over a DataSet: string, number and sequence values by keyword, kept in tag order. */
class Builder {
  constructor(readonly ds: DataSet) {}

  /** String value; the VR is the dictionary's unless given. */
  s(keyword: string, text: string, vr?: string): this {
    const tag = tagOf(keyword);
    this.ds.put(newStringElement(this.ds, tag, vr ?? defaultVR(tag), text));
    return this;
  }

  /** Binary numbers (US, UL, FD, ...). */
  n(keyword: string, vr: string, ...values: number[]): this {
    const el = new DataElement(tagOf(keyword), vr);
    el.setValue(encodeNumbers(this.ds, vr, values), vr);
    this.ds.put(el);
    return this;
  }

  /** A sequence whose items are filled by the callbacks, one item per callback. */
  sq(keyword: string | Tag, ...fill: ((item: Builder) => void)[]): this {
    const tag = typeof keyword === 'number' ? keyword : tagOf(keyword);
    const seq = newSequenceElement(tag);
    this.ds.put(seq);
    const items: DataSet[] = [];
    for (const f of fill) {
      const item = newItem(this.ds, seq);
      seq.setItems([...items, item]);
      f(new Builder(item));
      items.push(item);
    }
    seq.setItems(items);
    return this;
  }

  /** A private element by raw tag. */
  raw(tag: Tag, vr: string, text: string): this {
    this.ds.put(newStringElement(this.ds, tag, vr, text));
    return this;
  }
}

export interface PatientInfo {
  name: string;
  id: string;
  issuer: string;
  otherId: string;
  otherIssuer: string;
  birthDate: string;
  sex: string;
  age: string;
  weight: string;
  address: string;
  phone: string;
  charset: string | null;
}

export interface StudyInfo {
  key: string;
  institution: string;
  institutionAddress: string;
  referringPhysician: string;
  performingPhysician: string;
  operator: string;
  station: string;
  deviceSerial: string;
  manufacturer: string;
  model: string;
  accession: string;
  studyId: string;
  studyDate: string;
  studyTime: string;
  description: string;
  seriesDescription: string;
  requestedProcedureId: string;
  scheduledStepId: string;
  bodyPart: string;
}

export const PATIENT_1: PatientInfo = {
  name: 'SMITH^JOHN^A',
  id: 'MRN123456',
  issuer: 'SGH',
  otherId: 'SSN-555-01-2367',
  otherIssuer: 'US-SSA',
  birthDate: '19580312',
  sex: 'M',
  age: '065Y',
  weight: '82.5',
  address: '1400 Pine Street, Apt 5B, Seattle, WA 98101',
  phone: '206-555-0142',
  charset: null,
};

export const PATIENT_2: PatientInfo = {
  name: 'MÜLLER^GRETA',
  id: 'PID4471902',
  issuer: 'KNH',
  otherId: 'KV-A123456789',
  otherIssuer: 'DE-GKV',
  birthDate: '19720628',
  sex: 'F',
  age: '051Y',
  weight: '64',
  address: 'Hauptstraße 12, 30167 Hannover',
  phone: '+49 511 555 0199',
  charset: 'ISO_IR 100',
};

export const CT_STUDY: StudyInfo = {
  key: 'ct',
  institution: 'Seattle General Hospital',
  institutionAddress: '500 Harbor Avenue, Seattle, WA 98104',
  referringPhysician: 'WILSON^JANE^^DR',
  performingPhysician: 'PATEL^RAVI',
  operator: 'NGUYEN^TOM',
  station: 'SGH-CT02',
  deviceSerial: 'CT7734921',
  manufacturer: 'ACME Medical',
  model: 'Tomoscan 64',
  accession: 'A20230914-0071',
  studyId: 'S4471',
  studyDate: '20230914',
  studyTime: '143012',
  description: 'CT CHEST W/O CONTRAST',
  seriesDescription: 'AXIAL 5MM',
  requestedProcedureId: 'RP-88231',
  scheduledStepId: 'SPS-88231-1',
  bodyPart: 'CHEST',
};

export const MR_STUDY: StudyInfo = {
  key: 'mr',
  institution: 'Klinikum Nordstadt Hannover',
  institutionAddress: 'Haltenhoffstraße 41, 30167 Hannover',
  referringPhysician: 'BRÄUER^KLAUS^^DR. MED.',
  performingPhysician: 'SCHÄFER^ANNA',
  operator: 'KÖNIG^JONAS',
  station: 'KNH-MR1',
  deviceSerial: 'MR5501287',
  manufacturer: 'ACME Medical',
  model: 'Magnetom 1.5',
  accession: 'KNH24-000917',
  studyId: 'M917',
  studyDate: '20240117',
  studyTime: '091545',
  description: 'MRT SCHÄDEL NATIV',
  seriesDescription: 'T2 TSE AX',
  requestedProcedureId: 'RP-917',
  scheduledStepId: 'SPS-917-A',
  bodyPart: 'HEAD',
};

const PRIVATE_GROUP = 0x0009;
const PRIVATE_CREATOR = 'ACME_PRIVATE';

export interface SliceOptions {
  patient: PatientInfo;
  study: StudyInfo;
  modality: 'CT' | 'MR';
  /** 1-based. */
  index: number;
  /** SOP Instance UID of slice 1, referenced from the other slices. */
  firstSopInstanceUid: string | null;
  sopInstanceUid: string;
  rows: number;
  columns: number;
  seed: number;
}

/** Uids of one study, derived from the study key. */
export function studyUids(study: StudyInfo): { study: string; series: string; frame: string; prior: string } {
  return {
    study: exampleUid(`${study.key}/study`),
    series: exampleUid(`${study.key}/series/1`),
    frame: exampleUid(`${study.key}/frame-of-reference`),
    prior: exampleUid(`${study.key}/prior-study`),
  };
}

/** Synthetic 16-bit pixels: an elliptic body with a few round inserts, rings and seeded noise. */
function pixels(modality: 'CT' | 'MR', rows: number, columns: number, index: number, seed: number): Buffer {
  const random = mulberry32(seed * 7919 + index);
  const out = Buffer.alloc(rows * columns * 2);
  const cx = columns / 2, cy = rows / 2;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const dx = (x - cx) / (columns * 0.42), dy = (y - cy) / (rows * 0.36);
      const r = Math.sqrt(dx * dx + dy * dy);
      let v: number;
      if (modality === 'CT') {
        v = 24; // air: -1000 HU with intercept -1024
        if (r < 1) v = 1024 + 40 + 20 * Math.cos(r * 12 + index); // soft tissue
        if (r < 1 && r > 0.92) v = 1024 + 700; // "bone" rim
        const lx = (x - cx * 0.6) / (columns * 0.1), ly = (y - cy) / (rows * 0.14);
        if (lx * lx + ly * ly < 1) v = 1024 - 800; // "lung"
        v += Math.floor(random() * 16);
      } else {
        v = 0;
        if (r < 1) v = 300 + 150 * Math.sin(r * 9 - index);
        if (r < 0.35) v = 800;
        v += Math.floor(random() * 24);
      }
      out.writeUInt16LE(Math.max(0, Math.min(4095, Math.round(v))), (y * columns + x) * 2);
    }
  }
  return out;
}

/** One image of the sample set (CT Image or MR Image IOD) with fake PHI throughout. */
export function buildSlice(o: SliceOptions): DicomFile {
  const { patient: p, study: st, modality, index } = o;
  const uids = studyUids(st);
  const transferSyntax = modality === 'CT' ? EXPLICIT_VR_LITTLE_ENDIAN : IMPLICIT_VR_LITTLE_ENDIAN;
  const sopClass = modality === 'CT' ? CT_IMAGE_STORAGE : MR_IMAGE_STORAGE;
  const ds = new DataSet(modality === 'CT' ? EXPLICIT_LE : IMPLICIT_LE);
  const b = new Builder(ds);
  // Character set first: every later text value is encoded in it.
  if (p.charset) b.s('SpecificCharacterSet', p.charset);
  const thickness = modality === 'CT' ? 5 : 4;
  const z = -40 + (index - 1) * thickness;
  const spacing = modality === 'CT' ? 6.25 : 3.75;
  const acqTime = String(Number(st.studyTime) + 200 + index).padStart(6, '0');
  const seriesTime = String(Number(st.studyTime) + 100).padStart(6, '0');

  b.s('ImageType', modality === 'CT' ? 'ORIGINAL\\PRIMARY\\AXIAL' : 'ORIGINAL\\PRIMARY\\M\\ND')
    .s('InstanceCreationDate', st.studyDate)
    .s('InstanceCreationTime', acqTime)
    .s('SOPClassUID', sopClass)
    .s('SOPInstanceUID', o.sopInstanceUid)
    .s('StudyDate', st.studyDate)
    .s('SeriesDate', st.studyDate)
    .s('AcquisitionDate', st.studyDate)
    .s('ContentDate', st.studyDate)
    .s('AcquisitionDateTime', `${st.studyDate}${acqTime}.${String(index * 125000).padStart(6, '0')}`)
    .s('StudyTime', st.studyTime)
    .s('SeriesTime', seriesTime)
    .s('AcquisitionTime', acqTime)
    .s('ContentTime', acqTime)
    .s('AccessionNumber', st.accession)
    .s('Modality', modality)
    .s('Manufacturer', st.manufacturer)
    .s('InstitutionName', st.institution)
    .s('InstitutionAddress', st.institutionAddress)
    .s('ReferringPhysicianName', st.referringPhysician)
    .s('StationName', st.station)
    .s('StudyDescription', st.description)
    .s('SeriesDescription', st.seriesDescription)
    .s('PerformingPhysicianName', st.performingPhysician)
    .s('OperatorsName', st.operator)
    .s('ManufacturerModelName', st.model)
    .sq('ReferencedStudySequence', (item) => {
      item.s('ReferencedSOPClassUID', STUDY_SOP_CLASS).s('ReferencedSOPInstanceUID', uids.prior);
    });
  if (o.firstSopInstanceUid && index > 1) {
    b.sq('ReferencedImageSequence', (item) => {
      item.s('ReferencedSOPClassUID', sopClass).s('ReferencedSOPInstanceUID', o.firstSopInstanceUid!);
    });
  }

  // Private block: creator in (0009,0010), so its elements are (0009,10xx).
  b.raw(makeTag(PRIVATE_GROUP, 0x0010), 'LO', PRIVATE_CREATOR)
    .raw(makeTag(PRIVATE_GROUP, 0x1001), 'LO', p.name)
    .sq(makeTag(PRIVATE_GROUP, 0x1002), (item) => {
      item.raw(makeTag(PRIVATE_GROUP, 0x0010), 'LO', PRIVATE_CREATOR)
        .raw(makeTag(PRIVATE_GROUP, 0x1003), 'LO', p.id)
        .raw(makeTag(PRIVATE_GROUP, 0x1004), 'DA', p.birthDate)
        .s('PatientID', p.id);
    });

  b.s('PatientName', p.name)
    .s('PatientID', p.id)
    .s('IssuerOfPatientID', p.issuer)
    .s('PatientBirthDate', p.birthDate)
    .s('PatientSex', p.sex)
    .sq('OtherPatientIDsSequence', (item) => {
      item.s('PatientID', p.otherId)
        .s('IssuerOfPatientID', p.otherIssuer)
        .s('TypeOfPatientID', 'TEXT')
        .sq('IssuerOfPatientIDQualifiersSequence', (q) => {
          q.s('UniversalEntityID', `${p.otherIssuer}.${p.id}`).s('UniversalEntityIDType', 'ISO');
        });
    })
    .s('PatientAge', p.age)
    .s('PatientWeight', p.weight)
    .s('PatientAddress', p.address)
    .s('PatientTelephoneNumbers', p.phone)
    .s('BodyPartExamined', st.bodyPart);

  if (modality === 'CT') {
    b.s('ScanOptions', 'HELICAL MODE')
      .s('SliceThickness', String(thickness))
      .s('KVP', '120')
      .s('DataCollectionDiameter', '500')
      .s('DeviceSerialNumber', st.deviceSerial)
      .s('SoftwareVersions', 'SYNTH 1.0')
      .s('ReconstructionDiameter', '400')
      .s('GantryDetectorTilt', '0')
      .s('TableHeight', '160')
      .s('RotationDirection', 'CW')
      .s('ExposureTime', '1000')
      .s('XRayTubeCurrent', '250')
      .s('Exposure', '250')
      .s('ConvolutionKernel', 'STANDARD')
      .s('PatientPosition', 'HFS');
  } else {
    b.s('ScanningSequence', 'SE')
      .s('SequenceVariant', 'SK\\SP')
      .s('ScanOptions', 'PFP')
      .s('MRAcquisitionType', '2D')
      .s('SequenceName', '*tse2d1_15')
      .s('AngioFlag', 'N')
      .s('SliceThickness', String(thickness))
      .s('RepetitionTime', '4000')
      .s('EchoTime', '98')
      .s('NumberOfAverages', '2')
      .s('ImagingFrequency', '63.676')
      .s('ImagedNucleus', '1H')
      .s('EchoNumbers', '1')
      .s('MagneticFieldStrength', '1.5')
      .s('SpacingBetweenSlices', String(thickness))
      .s('EchoTrainLength', '15')
      .s('DeviceSerialNumber', st.deviceSerial)
      .s('SoftwareVersions', 'SYNTH 1.0')
      .s('FlipAngle', '150')
      .s('PatientPosition', 'HFS');
  }

  b.s('StudyInstanceUID', uids.study)
    .s('SeriesInstanceUID', uids.series)
    .s('StudyID', st.studyId)
    .s('SeriesNumber', '2')
    .s('AcquisitionNumber', '1')
    .s('InstanceNumber', String(index))
    .s('ImagePositionPatient', `${-(o.columns * spacing) / 2}\\${-(o.rows * spacing) / 2}\\${z}`)
    .s('ImageOrientationPatient', '1\\0\\0\\0\\1\\0')
    .s('FrameOfReferenceUID', uids.frame)
    .s('PositionReferenceIndicator', '')
    .s('SliceLocation', String(z))
    .s('ImageComments', `Synthetic ${modality} of ${p.name} (MRN ${p.id}), slice ${index}; ` +
      `call ${p.phone} with questions.`)
    .n('SamplesPerPixel', 'US', 1)
    .s('PhotometricInterpretation', 'MONOCHROME2')
    .n('Rows', 'US', o.rows)
    .n('Columns', 'US', o.columns)
    .s('PixelSpacing', `${spacing}\\${spacing}`)
    .n('BitsAllocated', 'US', 16)
    .n('BitsStored', 'US', 12)
    .n('HighBit', 'US', 11)
    .n('PixelRepresentation', 'US', 0);
  if (modality === 'CT') {
    b.s('WindowCenter', '40').s('WindowWidth', '400').s('RescaleIntercept', '-1024').s('RescaleSlope', '1')
      .s('RescaleType', 'HU');
  } else {
    b.s('WindowCenter', '450').s('WindowWidth', '900');
  }
  b.sq('RequestAttributesSequence', (item) => {
    item.s('AccessionNumber', st.accession)
      .s('RequestedProcedureDescription', st.description)
      .s('ScheduledProcedureStepID', st.scheduledStepId)
      .s('RequestedProcedureID', st.requestedProcedureId);
  });
  b.s('PerformedProcedureStepStartDate', st.studyDate)
    .s('PerformedProcedureStepStartTime', st.studyTime)
    .s('PerformedProcedureStepID', `PPS-${st.studyId}`);

  const pixelData = new DataElement(makeTag(0x7fe0, 0x0010), 'OW');
  pixelData.setValue(pixels(modality, o.rows, o.columns, index, o.seed), 'OW');
  ds.put(pixelData);

  return createDicomFile(ds, transferSyntax, sopClass, o.sopInstanceUid);
}

export interface ExampleOutput {
  path: string;
  file: DicomFile;
}

/** The whole sample set, in memory. */
export function buildExamples(root: string = EXAMPLES_DIR): ExampleOutput[] {
  const out: ExampleOutput[] = [];
  const series: [PatientInfo, StudyInfo, 'CT' | 'MR', number, string][] = [
    [PATIENT_1, CT_STUDY, 'CT', 3, 'slice'],
    [PATIENT_2, MR_STUDY, 'MR', 2, 'image'],
  ];
  for (const [patient, study, modality, count, stem] of series) {
    const first = exampleUid(`${study.key}/instance/1`);
    for (let index = 1; index <= count; index++) {
      const file = buildSlice({
        patient, study, modality, index,
        firstSopInstanceUid: first,
        sopInstanceUid: exampleUid(`${study.key}/instance/${index}`),
        rows: 64, columns: 64, seed: 20240117,
      });
      out.push({ path: join(root, study.key, `${stem}-${String(index).padStart(3, '0')}.dcm`), file });
    }
  }
  return out;
}

const README = `Synthetic DICOM samples generated by scripts/make-examples.ts: invented patients, not real data.
Every file deliberately carries fake PHI (names, IDs, addresses, dates, private tags, free text) for testing de-identification.
Regenerate with \`npm run examples\` (deterministic: re-running gives byte-identical files).
`;


if (isMain(import.meta.url)) {
  for (const { path, file } of buildExamples()) {
    mkdirSync(dirname(path), { recursive: true });
    const size = writeDicomFile(file, path);
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
    console.log(`wrote ${relative(REPO_ROOT, path)} (${size} bytes, sha256 ${sha}…)`);
  }
  writeFileSync(join(EXAMPLES_DIR, 'README.md'), README);
  console.log('wrote examples/README.md');
}
