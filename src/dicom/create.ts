// Building new DICOM files and file meta groups in memory (sample data, tests, new meta for anonymized output).

import { DataElement, DataSet, type Encoding } from './dataset.js';
import type { DicomFile } from './part10.js';
import { BufferSource } from './source.js';

import { transferSyntaxOf } from './transfer-syntax.js';
import { newStringElement } from './values.js';
import { FileMetaInformationVersion, ImplementationClassUID, ImplementationVersionName, MediaStorageSOPClassUID, MediaStorageSOPInstanceUID, TransferSyntaxUID } from './tags.generated.js';

/** This tool's Implementation Class UID (2.25 form, from a fixed random UUID) and version name. */
export const IMPLEMENTATION_CLASS_UID = '2.25.241897738687032934889905333056052505989';
export const IMPLEMENTATION_VERSION_NAME = 'DICOMANON_0_1';

const EXPLICIT_LE: Encoding = { explicitVR: true, littleEndian: true };

/** A new file meta group for a dataset of the given SOP class/instance and transfer syntax. */
export function createFileMeta(sopClassUid: string, sopInstanceUid: string, transferSyntaxUid: string): DataSet {
  const meta = new DataSet(EXPLICIT_LE);
  const version = new DataElement(FileMetaInformationVersion, 'OB');
  version.setValue(Uint8Array.of(0x00, 0x01), 'OB');
  meta.put(version);
  meta.put(newStringElement(meta, MediaStorageSOPClassUID, 'UI', sopClassUid));
  meta.put(newStringElement(meta, MediaStorageSOPInstanceUID, 'UI', sopInstanceUid));
  meta.put(newStringElement(meta, TransferSyntaxUID, 'UI', transferSyntaxUid));
  meta.put(newStringElement(meta, ImplementationClassUID, 'UI', IMPLEMENTATION_CLASS_UID));
  meta.put(newStringElement(meta, ImplementationVersionName, 'SH', IMPLEMENTATION_VERSION_NAME));
  return meta;
}

/** A DicomFile around a dataset built in memory (no source bytes), written with a new file meta group. */
export function createDicomFile(dataset: DataSet, transferSyntaxUid: string, sopClassUid: string, sopInstanceUid: string): DicomFile {
  const empty = new BufferSource(new Uint8Array(0));
  return {
    name: '<new>',
    hadPreamble: true,
    meta: createFileMeta(sopClassUid, sopInstanceUid, transferSyntaxUid),
    dataset,
    transferSyntax: transferSyntaxOf(transferSyntaxUid),
    source: empty,
    datasetSource: empty,
    close: () => {},
  };
}
