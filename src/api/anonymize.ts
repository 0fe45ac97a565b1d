// Public entry `dicom-anonymizer/anonymize`: anonymize one dataset or file in memory with a Plan and Keys (the
// engine), then finish its burned-in step; what it decided, as plain data without values.

/** anonymizeFile (or anonymizeDataset), then finishPixels: the file is then ready to write. */
export { Anonymizer, type AuditEntry, type AnonymizeResult, type PendingPixels } from '../anonymize/anonymizer.js';
export type { BurnedInAssessment, BurnedInOutcome, TextFindings } from '../anonymize/burned-in/outcome.js';
/** Where the file goes after finishPixels: the output, the quarantine folder only, or nowhere. */
export { deliveryOf, type Delivery } from '../anonymize/burned-in/delivery.js';
export { AnonymizeError } from '../anonymize/context.js';
