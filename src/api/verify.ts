// Public entry `dicom-anonymizer/verify`: check anonymized outputs against their originals (or scan outputs alone)
// and report findings with masked values.

export { verifyTrees, verifyFiles, addPixelFindings, addOwnRedactions, formatJson, formatTable, verifyExitCode } from '../verify/index.js';
export { writeVerifyReport } from '../verify/write-report.js';
export type { Finding, FileReport, VerifyReport, VerifyOptions, Severity, FindingKind, Summary } from '../verify/index.js';
