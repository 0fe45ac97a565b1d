// A DICOMDIR whose directory records the plan removed becomes a valid, empty directory.

import { DataElement, type DataSet } from '../dicom/dataset.js';
import { DirectoryRecordSequence, FileSetConsistencyFlag, FileSetID, OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity } from '../dicom/tags.generated.js';
import { encodeNumbers, newSequenceElement } from '../dicom/values.js';

/** True when the dataset is a directory (holds Directory Record Sequence). */
export const isDirectory = (dataset: DataSet): boolean => dataset.get(DirectoryRecordSequence) !== undefined;

/**
 * The profile removes group 0004 (the records repeat patient names, IDs, dates and file paths, and their byte offsets
 * cannot survive re-encoding), so the directory is reset: File-set ID empty (Type 2), no records (Type 2 sequence,
 * empty), root record offsets 0 and consistency flag 0 (Type 1). The anonymized file-set must be re-indexed by
 * whoever assembles it.
 */
export function resetDirectory(dataset: DataSet): void {
  const ul = (tag: number, vr: 'UL' | 'US'): DataElement => {
    const el = new DataElement(tag, vr);
    el.setValue(encodeNumbers(dataset, vr, [0]));
    return el;
  };
  const fileSetId = new DataElement(FileSetID, 'CS');
  fileSetId.setValue(new Uint8Array(0));
  dataset.put(fileSetId);
  dataset.put(ul(OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, 'UL'));
  dataset.put(ul(OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity, 'UL'));
  dataset.put(ul(FileSetConsistencyFlag, 'US'));
  dataset.put(newSequenceElement(DirectoryRecordSequence));
}
