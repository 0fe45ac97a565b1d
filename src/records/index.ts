// The records layer: the one home of what a run leaves on disk (report, audit, verify's findings, mapping CSVs), as
// zod schemas with a format version, their types, their writers and their readers. It knows no anonymization and
// imports nothing of this code base but the one Rectangle type; every other module reads and writes run files here.

export { RecordError } from './errors.js';
export { FORMAT_VERSIONS, checkVersion, type RecordKind } from './version.js';
export { RectangleSchema } from './rectangle.js';
export type { Rectangle } from '../geometry/rectangle.js';
export {
  BURNED_IN_STATUSES, BurnedInRecordSchema, FILE_STATUSES, ReportEntrySchema, RunReportSchema, RunSummarySchema, UntouchedByRulesSchema,
  ReportWriter, parseRunReport, readRunReport, parseRunReportText, formatRunReport,
  type BurnedInRecord, type FileStatus, type ReportEntry, type RunReport, type RunSummary, type UntouchedByRules,
} from './report.js';
export {
  AuditBurnedInLineSchema, AuditElementLineSchema, AuditHeaderSchema, AuditWriter, readAudit, readAuditElements,
  type AuditBurnedInLine, type AuditElementLine, type AuditLine, type AuditedElement,
} from './audit.js';
export {
  FileFindingsSchema, FindingSchema, FindingsReportSchema, FindingsSummarySchema, SEVERITIES, formatFindingsReport, parseFindingsReport,
  readFindingsReport, type FindingRecord, type FindingsReport, type FindingsToWrite, type Severity,
} from './findings.js';
export {
  MAPPING_FILES, MAPPING_FORMAT_VERSION, MAPPING_HEADER, MappingRowSchema, PATIENT_ID_HEADER, PathComponentRowSchema, csvField, formatMappingCsv,
  parseCsv, parseMappingCsv, patientIdRows, readMappingCsv, type MappingRow, type PatientIdRow,
} from './mapping.js';
export { PathComponentSchema, type PathComponent } from './path-component.js';
export { DEFAULT_QUARANTINE_NOTE, defaultQuarantineFolder } from './quarantine.js';
export {
  GatewayReportLineSchema, GatewayReportWriter, GatewayStatusSchema, appendingAuditWriter, appendingSink, formatDestinationsFile, formatGatewayStatus, readGatewayStatus,
  type GatewayReportLine, type GatewayStatus,
} from './gateway.js';
export { readLines, type CommittableSink, type TextSink } from './text-files.js';
export { NameDigestsSchema, formatNameDigests, nameDigestsFile, parseNameDigestsText, type NameDigests } from './name-digests.js';
