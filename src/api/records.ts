// The public API's records entry (`dicom-anonymizer/records`): what a run leaves on disk, as versioned schemas with their
// readers, for tools that read a run's report, audit, findings or mapping.

export {
  FORMAT_VERSIONS, RecordError, readRunReport, readAudit, readAuditElements, readFindingsReport, readMappingCsv, defaultQuarantineFolder, DEFAULT_QUARANTINE_NOTE,
  RunReportSchema, ReportEntrySchema, RunSummarySchema, BurnedInRecordSchema, AuditElementLineSchema, AuditBurnedInLineSchema,
  FindingsReportSchema, MappingRowSchema, PathComponentSchema, RectangleSchema, MAPPING_FILES, PATIENT_ID_HEADER, patientIdRows,
  type RunReport, type ReportEntry, type RunSummary, type BurnedInRecord, type AuditLine, type AuditElementLine, type AuditBurnedInLine,
  type FindingsReport, type FindingRecord, type MappingRow, type PatientIdRow, type Rectangle,
} from '../records/index.js';
