// The file meta (group 0002) made to agree with the anonymized dataset: (0002,0003) = the new SOP Instance UID,
// source/sending/receiving AE titles dropped, our implementation UID; a file without meta gets one.

import { DataElement, type DataSet } from '../dicom/dataset.js';
import { createFileMeta, IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../dicom/create.js';
import type { DicomFile } from '../dicom/part10.js';
import { FileMetaInformationVersion, ImplementationClassUID, ImplementationVersionName, MediaStorageSOPClassUID, MediaStorageSOPInstanceUID, ReceivingApplicationEntityTitle, SOPClassUID, SOPInstanceUID, SendingApplicationEntityTitle, SourceApplicationEntityTitle } from '../dicom/tags.generated.js';
import { getString, newStringElement, setString } from '../dicom/values.js';
import type { Keys } from './keys.js';

/**
 * After the dataset is anonymized: a file without meta gets one when its SOP Class and Instance UIDs are known (so the
 * output is a standard Part 10 file); a file with meta has it made to agree, unless nothing in the tree changed.
 */
export function agreeFileMeta(file: DicomFile, keys: Keys): void {
  const sopClass = file.dataset.get(SOPClassUID);
  const sopInstance = file.dataset.get(SOPInstanceUID);
  const sopClassUid = sopClass ? getString(file.dataset, sopClass, file.datasetSource) : '';
  const sopInstanceUid = sopInstance ? getString(file.dataset, sopInstance, file.datasetSource) : '';
  if (!file.meta) {
    if (sopClassUid && sopInstanceUid) file.meta = createFileMeta(sopClassUid, sopInstanceUid, file.transferSyntax.uid);
    return;
  }
  const meta = file.meta;
  // A plan that changed nothing (e.g. Microsoft's {"rules": []}) leaves the file as it was, meta included.
  if (!treeChanged(file.dataset)) return;
  if (!meta.get(FileMetaInformationVersion)) {
    // (0002,0001) is Type 1; some writers omit it. The output is a new file, so it gets one.
    const version = new DataElement(FileMetaInformationVersion, 'OB');
    version.setValue(Uint8Array.of(0x00, 0x01), 'OB');
    meta.put(version);
  }
  for (const tag of [SourceApplicationEntityTitle, SendingApplicationEntityTitle, ReceivingApplicationEntityTitle]) meta.remove(tag);
  // Private elements or anything else unexpected in group 0002 carry no meaning for the file: keep only the standard ones.
  const put = (tag: number, vr: string, text: string): void => {
    const el = meta.get(tag);
    if (el) setString(meta, el, text, vr);
    else meta.put(newStringElement(meta, tag, vr, text));
  };
  if (sopInstanceUid) put(MediaStorageSOPInstanceUID, 'UI', sopInstanceUid);
  else {
    const old = meta.get(MediaStorageSOPInstanceUID);
    if (old) put(MediaStorageSOPInstanceUID, 'UI', keys.uid(getString(meta, old, file.source)));
  }
  if (sopClassUid) put(MediaStorageSOPClassUID, 'UI', sopClassUid);
  put(ImplementationClassUID, 'UI', IMPLEMENTATION_CLASS_UID);
  put(ImplementationVersionName, 'SH', IMPLEMENTATION_VERSION_NAME);
}

/** True when anything in the tree was changed, added or removed since it was read. */
function treeChanged(dataset: DataSet): boolean {
  if (dataset.modified) return true;
  for (const el of dataset.elements) {
    if (el.span === null) return true;
    if (el.items) for (const item of el.items) if (item.span === null || treeChanged(item)) return true;
  }
  return false;
}
