// The public API of dicom-anonymizer, grouped as its sub-path entries (package.json "exports"), which the CLI
// (src/cli/) stands on: nothing the CLI uses is missing here, and engine internals are not exported.

// ---- Read and write a dataset (`dicom-anonymizer/dicom`): lossless Part 10 reader and writer, the element tree.
export * from './api/dicom.js';

// ---- Build a Plan (`dicom-anonymizer/plan`): buildPlan is the one way; the value lists its inputs choose from.
export * from './api/plan.js';

// ---- Anonymize a dataset (`dicom-anonymizer/anonymize`): the engine over one file in memory, and where it goes.
export * from './api/anonymize.js';

// ---- Make a key, load the run's key, derive pseudonyms (`dicom-anonymizer/keys`).
export * from './api/keys.js';

// ---- Run a batch (`dicom-anonymizer/batch`): a file or a tree, worker threads, report, audit, mapping, quarantine.
export * from './api/batch.js';

// ---- Verify outputs (`dicom-anonymizer/verify`): findings with masked values.
export * from './api/verify.js';

// ---- Write a review page (`dicom-anonymizer/review`).
export * from './api/review.js';

// ---- Read records (`dicom-anonymizer/records`): what a run leaves on disk (report, audit, verify's findings, mapping
// CSVs), as versioned schemas with their readers; the one Rectangle type; the quarantine folder's default name.
export * from './api/records.js';
