// The public API of dicom-anonymizer: read and write DICOM losslessly, load rules, anonymize, keys.

export { readDicomFile, readDicomBuffer, type DicomFile, type ReadOptions } from './dicom/part10.js';
export { encodeDicomFileToBuffer, encodeDicomFile } from './dicom/writer.js';
export { writeDicomFile } from './files/dicom-output.js';
export { DataElement, DataSet, type Encoding, elementPath } from './dicom/dataset.js';
export { DicomParseError, DicomWriteError } from './dicom/errors.js';
export { getString, getStrings, setString, newStringElement, newSequenceElement, newItem } from './dicom/values.js';
export { createDicomFile, createFileMeta } from './dicom/create.js';
export { makeTag, formatTag, parseTag, type Tag } from './dicom/tag.js';
export { lookupTag, tagForKeyword, keywordOf } from './dicom/dictionary.js';
export { parseConfig, loadConfigFile } from './config/load.js';
export { buildPlan, basicProfilePlan, type PlanInputs, type BuiltPlan } from './config/build.js';
export { PRESETS, type Preset } from './profiles/presets.js';
export { ConfigError } from './config/errors.js';
export { PROFILE_OPTIONS, type TextDetectionPlan, type Plan, type Rule, type RuleScope, type Selector, type Action, type ProfileOption } from './plan/plan.js';
export { Anonymizer, type AuditEntry, type AnonymizeResult, type PendingPixels } from './anonymize/anonymizer.js';
export type { BurnedInAssessment, BurnedInOutcome, TextFindings } from './anonymize/burned-in/outcome.js';
export { identifyingHeaderValues, matchHeaderValues, type HeaderValue } from './anonymize/burned-in/text-match.js';
export { assessRisk, type GateVerdict } from './anonymize/burned-in/gate.js';
export { evaluatePixelRules, type RulesResult } from './anonymize/burned-in/rules.js';
export { AnonymizeError } from './anonymize/context.js';
export { Keys } from './anonymize/keys.js';
export { decryptBytes } from './anonymize/actions/encrypt.js';

// Records: what a run leaves on disk (report, audit, verify's findings, mapping CSVs), as versioned schemas with their
// readers and writers; the one Rectangle type; the quarantine folder's default name.
export {
  FORMAT_VERSIONS, RecordError, readRunReport, readAudit, readAuditElements, readFindingsReport, readMappingCsv, defaultQuarantineFolder,
  RunReportSchema, ReportEntrySchema, RunSummarySchema, BurnedInRecordSchema, AuditElementLineSchema, AuditBurnedInLineSchema,
  FindingsReportSchema, MappingRowSchema, PathComponentSchema, RectangleSchema, MAPPING_FILES,
  type RunReport, type ReportEntry, type RunSummary, type BurnedInRecord, type AuditLine, type AuditElementLine, type AuditBurnedInLine,
  type FindingsReport, type FindingRecord, type MappingRow, type Rectangle,
} from './records/index.js';
