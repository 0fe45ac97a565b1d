// Public entry `dicom-anonymizer/dicom`: read and write DICOM losslessly, and the element tree between, with the
// reader's limits and the byte layer's errors. Knows nothing of anonymization.

/** Read a Part 10 file (or bytes) into an element tree; unchanged values stay in the source until written. */
export { readDicomFile, readDicomBuffer, type DicomFile, type ReadOptions } from '../dicom/part10.js';
/** Write a tree back: to bytes, or to a file atomically (never a partial file). */
export { encodeDicomFileToBuffer, encodeDicomFile } from '../dicom/writer.js';
export { writeDicomFile } from '../files/dicom-output.js';
/** The element tree and its values. */
export { DataElement, DataSet, type Encoding, elementPath } from '../dicom/dataset.js';
export { getString, getStrings, setString, newStringElement, newSequenceElement, newItem } from '../dicom/values.js';
export { createDicomFile, createFileMeta } from '../dicom/create.js';
export { makeTag, formatTag, parseTag, type Tag } from '../dicom/tag.js';
export { lookupTag, tagForKeyword, keywordOf } from '../dicom/dictionary.js';
/** The reader's limits (docs/limits.md) and the typed errors: file, byte offset and tag, never a value. */
export { DEFAULT_PARSE_LIMITS, resolveLimits, DicomLimitError, type ParseLimits, type LimitName } from '../dicom/limits.js';
export { LIMIT_NAMES, setLimit } from '../dicom/limit-names.js';
export { DicomParseError, DicomWriteError } from '../dicom/errors.js';
