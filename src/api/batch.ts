// Public entry `dicom-anonymizer/batch`: anonymize a file or a tree of files with a Plan, in a pool of worker threads,
// with report, audit, mapping, quarantine and shards; and what a caller needs around it to run it as the CLI does.

export { runBatch, quarantineFolder, type BatchOptions, type BatchSummary } from '../batch/run.js';
export { parseShard, type Shard } from '../batch/shard.js';
/** The same batch with any of its locations in object storage (s3://, az://, Azure https URLs) or DICOMweb. */
export { runStoredBatch, type StoredBatchOptions, type StoredBatchSummary } from '../batch/stored-run.js';
export { isDicomwebUrl } from '../storage/location.js';
export type { DicomwebRequest } from '../storage/dicomweb/store.js';
/** The N shards' reports, audits and mappings of one batch into one set. */
export { mergeShards, type MergeOptions, type MergeResult } from '../batch/merge.js';
/** The output-name decision in two array stages: scan's per-shard name digests, read back by every anonymize shard. */
export { scanNames, readSharedNames, type ScanOptions, type ScanResult } from '../batch/name-digests.js';
export { MAPPING_WARNING } from '../batch/mapping.js';
export { untouchedWarning } from '../batch/untouched.js';
/** A bad path, flag or key: refused before anything is written. */
export { UsageError } from '../files/usage-error.js';
/** Text safe to print on a terminal (file names may hold escapes). */
export { printable } from '../files/terminal-text.js';
/** The run fingerprint (keyed digest of key + Plan) every output records, for resume and storage HEAD checks. */
export { runFingerprint, fingerprintOf, stampFingerprint, FINGERPRINT_FORMAT } from '../batch/fingerprint.js';
/** Rules that break files: the warning per attribute an input's IOD requires and the plan removed. */
export { iodBreakWarning, type IodBreak } from '../batch/iod-check.js';
