// Library API of `verify`: check anonymized outputs against their originals (or scan outputs alone) and report
// findings with masked values. The CLI (src/cli/verify-command.ts) is a thin shell over this.

import { UsageError } from '../files/usage-error.js';
import { missingTextDetectionPackages, textDetectionMissingMessage } from '../ocr/installed.js';
import { readDicomFile, type DicomFile } from '../dicom/part10.js';

import { getString } from '../dicom/values.js';
import { checkBurnedIn, checkDates, checkMarkers, checkMeta, checkPixelData, checkPrivate, checkUids } from './checks.js';
import { collectOriginal } from './identifying.js';
import { listFiles, pairOutputs } from './pairing.js';
import { patientMappingFindings, readPatientMapping, type PatientMapping } from './patient-mapping.js';
import { personNameComponents, scanFile } from './patterns.js';
import { ProfileView } from './profile.js';
import { checkPathAgainst, pathIdentifyingValues, scanPath } from './paths.js';
import { basename, relative } from 'node:path';
import { statSync } from 'node:fs';
import { searchDecoded, searchRaw } from './search.js';
import { NO_ORIGINALS, SEVERITY_RANK, type FileReport, type Finding, type VerifyOptions, type VerifyReport } from './types.js';
import { StudyInstanceUID } from '../dicom/tags.generated.js';

export type { Finding, FileReport, VerifyReport, VerifyOptions, Severity, FindingKind, Summary } from './types.js';
export { maskValue } from './mask.js';
export { skipReason, GENERIC_VALUES } from './identifying.js';
export { formatTable, formatJson, verifyExitCode } from './report.js';

function open(path: string): DicomFile | Finding {
  try {
    return readDicomFile(path);
  } catch (error) {
    return { severity: 'high', tagPath: '', kind: 'unreadable', message: `cannot be read: ${(error as Error).message}`, masked: null };
  }
}

const isFinding = (x: DicomFile | Finding): x is Finding => (x as Finding).kind !== undefined;

function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => [f, i] as const)
    .sort(([a, i], [b, j]) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || i - j)
    .map(([f]) => f);
}

/** Compares parsed files (the work of verifyPair). */
export function verifyFiles(original: DicomFile, output: DicomFile, options: VerifyOptions = {}): Finding[] {
  const profile = new ProfileView(options.options ?? []);
  const facts = collectOriginal(original, profile);
  const seen = new Set<string>();
  const findings = [
    ...checkUids(output, facts, seen),
    ...checkDates(output, facts, seen),
    ...checkPrivate(output, profile),
    ...checkMarkers(output),
    ...checkBurnedIn(output),
    ...checkMeta(output),
    ...checkPixelData(original, output),
    // What no value of the original reveals (a referring doctor or relative named in prose, a phone number...): the
    // same span finder as the scan of outputs alone, on the text the options did not keep on purpose (K: a Station
    // Name under Retain Device Identity is the user's choice, not a leak).
    ...scanFile(output, undefined, (v) => profile.rule(v.element, v.within)?.action.type === 'keep'),
  ];
  const made = options.options ?? [];
  findings.push(...searchDecoded(output, facts.values.values(), seen, {
    uidsKept: made.includes('retainUIDs'),
    datesShifted: made.includes('retainLongitudinalModifiedDates') && !made.includes('retainLongitudinalFullDates'),
  }));
  findings.push(...searchRaw(output, facts.values.values(), seen));
  return sortFindings(findings);
}

/** Findings for one anonymized file compared with its original. */
export function verifyPair(originalPath: string, anonymizedPath: string, options: VerifyOptions = {}, outputRelativePath?: string): Finding[] {
  return checkPair(originalPath, anonymizedPath, options, outputRelativePath).findings;
}

/** verifyPair, and whether the output really was compared (both files read): otherwise why not. */
function checkPair(
  originalPath: string, anonymizedPath: string, options: VerifyOptions, outputRelativePath?: string, patients: PatientMapping | null = null,
): { findings: Finding[]; notVerified?: string } {
  const output = open(anonymizedPath);
  if (isFinding(output)) return { findings: [output], notVerified: 'the output cannot be read' };
  try {
    const original = open(originalPath);
    if (isFinding(original)) {
      const path = outputRelativePath === undefined ? [] : scanPath(outputRelativePath);
      return {
        findings: sortFindings([{ ...original, severity: 'low', message: `original ${original.message}; output scanned alone` }, ...path, ...scanFile(output), ...checkBurnedIn(output)]),
        notVerified: 'its original cannot be read (scanned alone)',
      };
    }
    try {
      const findings = verifyFiles(original, output, options);
      if (patients !== null) findings.push(...patientMappingFindings(original, output, patients));
      if (outputRelativePath === undefined) return { findings: sortFindings(findings) };
      // The path against the original's values, and the same patterns and span finder as without originals.
      const path = [...checkPathAgainst(outputRelativePath, pathIdentifyingValues(original)), ...scanPath(outputRelativePath)];
      return { findings: sortFindings([...path, ...findings]) };
    } finally {
      original.close();
    }
  } finally {
    output.close();
  }
}

/** Pattern scan of one output alone; `names` = PN components of its study (default: its own PN elements). */
export function scanOutput(path: string, names?: ReadonlySet<string>): Finding[] {
  const file = open(path);
  if (isFinding(file)) return [file];
  try {
    return sortFindings([...scanFile(file, names), ...checkBurnedIn(file)]);
  } finally {
    file.close();
  }
}

export interface TreeOptions extends VerifyOptions {
  /** Originals (file or folder); absent = scan the outputs alone. */
  input?: string;
  /** Anonymized outputs (file or folder, searched recursively). */
  output: string;
  /**
   * Folder holding sop_uid.csv (id_old,id_new): pair by SOP Instance UID instead of relative path; its
   * path_component.csv, when present, maps renamed mirror-layout names back (pairing.ts); its patient_id.csv, when
   * present, must give each output's Patient ID for its original's Patient ID and issuer (patient-mapping.ts).
   */
  mapping?: string;
  onFile?: (report: FileReport) => void;
}

/**
 * verify --pixels: adds, to each file of `report`, findings for the text detected in its pixels (pixels.ts), compared
 * with the paired original's identifying values when there is one. Loads the text detector.
 */
export async function addPixelFindings(report: VerifyReport): Promise<VerifyReport> {
  const missing = missingTextDetectionPackages();
  if (missing.length > 0) throw new UsageError(textDetectionMissingMessage('verify --pixels', missing));
  const { pixelTextFindings } = await import('./pixels.js');
  const files: FileReport[] = [];
  for (const entry of report.files) {
    const output = open(entry.output);
    if (isFinding(output)) {
      files.push(entry);
      continue;
    }
    try {
      const original = entry.input === null ? null : open(entry.input);
      try {
        const found = await pixelTextFindings(output, original === null || isFinding(original) ? null : original);
        files.push({ ...entry, findings: sortFindings([...entry.findings, ...found]) });
      } finally {
        if (original !== null && !isFinding(original)) original.close();
      }
    } finally {
      output.close();
    }
  }
  const checked = summarize(files);
  return { ...checked, summary: { ...checked.summary, pixels: true } };
}

/**
 * verify --run-report: the tool's own redactions (the rectangles the anonymize run's --report names) are not
 * pixel-data-changed findings; changes outside them still are (own-redactions.ts).
 */
export async function addOwnRedactions(report: VerifyReport, runReport: string): Promise<VerifyReport> {
  const { excuseOwnRedactions } = await import('./own-redactions.js');
  return summarize(await excuseOwnRedactions(report, runReport));
}

export function summarize(files: FileReport[]): VerifyReport {
  const all = files.flatMap((f) => f.findings);
  return {
    files,
    summary: {
      files: files.length,
      filesWithFindings: files.filter((f) => f.findings.length > 0).length,
      findings: all.length,
      high: all.filter((f) => f.severity === 'high').length,
      medium: all.filter((f) => f.severity === 'medium').length,
      low: all.filter((f) => f.severity === 'low').length,
      verified: files.filter((f) => f.verified).length,
      notVerified: files.filter((f) => !f.verified).length,
    },
  };
}

/** Verifies every output under `output` (against `input` when given, else by pattern scan). */
export function verifyTrees(options: TreeOptions): VerifyReport {
  const reports: FileReport[] = [];
  const done = (r: FileReport): void => {
    reports.push(r);
    options.onFile?.(r);
  };
  if (options.input === undefined) {
    const files = listFiles(options.output);
    // PN components per study, gathered first so that a name seen in one file is looked for in all of the study.
    const namesByStudy = new Map<string, Set<string>>();
    const studyOf = new Map<string, string>();
    for (const f of files) {
      const file = open(f.path);
      if (isFinding(file)) continue;
      try {
        const el = file.dataset.get(StudyInstanceUID);
        const study = el ? getString(file.dataset, el, file.datasetSource) : `file:${f.path}`;
        studyOf.set(f.path, study);
        const names = namesByStudy.get(study) ?? new Set<string>();
        for (const n of personNameComponents(file)) names.add(n);
        namesByStudy.set(study, names);
      } finally {
        file.close();
      }
    }
    for (const f of files) {
      const names = namesByStudy.get(studyOf.get(f.path) ?? '') ?? new Set<string>();
      done({ output: f.path, input: null, findings: sortFindings([...scanPath(f.relativePath), ...scanOutput(f.path, names)]), verified: false, notVerified: NO_ORIGINALS });
    }
    return summarize(reports);
  }
  // Output paths below the output root (a single output file: its name) are checked too (paths.ts).
  const outputIsDir = statSync(options.output).isDirectory();
  const relativeOf = (path: string): string => (outputIsDir ? relative(options.output, path) : basename(path));
  const patients = options.mapping ? readPatientMapping(options.mapping) : null;
  for (const pair of pairOutputs(options.input, options.output, options.mapping)) {
    if (pair.input === null) {
      // Not verified, and not counted as verified: scanned as outputs alone are (the same pattern scan), listed with why.
      done({
        output: pair.output, input: null, verified: false, notVerified: `no original paired: ${pair.reason}`,
        findings: sortFindings([...scanPath(relativeOf(pair.output)), ...scanOutput(pair.output)]),
      });
      continue;
    }
    const checked = checkPair(pair.input, pair.output, options, relativeOf(pair.output), patients);
    done({ output: pair.output, input: pair.input, findings: checked.findings, verified: checked.notVerified === undefined, ...(checked.notVerified ? { notVerified: checked.notVerified } : {}) });
  }
  return summarize(reports);
}
