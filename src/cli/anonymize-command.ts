// The anonymize command (the default): flags → plan + key → batch → summary on stderr.

import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import {
  buildPlan, BURNED_IN_POLICIES, OUTPUT_LAYOUTS, PRESETS, REDACTED_SYNTAXES,
  type BurnedInPolicy, type OutputLayout, type ProfileOption, type RedactedSyntax,
} from '../api/plan.js';
import { iodBreakWarning, MAPPING_WARNING, parseShard, printable, runStoredBatch, untouchedWarning, UsageError, type BatchSummary } from '../api/batch.js';
import { loadKeySecret } from '../api/keys.js';
import { DEFAULT_QUARANTINE_NOTE } from '../api/records.js';
import { EXIT, printLine, profileOptionFlag, warn } from './common.js';
import { LIMIT_NAMES } from '../api/dicom.js';
import { parseLimitFlags } from './limit-flags.js';
import { dicomwebRequest } from './dicomweb-io.js';
/** The examples and notes under the anonymize help (also under the top-level --help); the README's Examples match them. */
export const ANONYMIZE_EXAMPLES = `
Examples:
  # A key for every later run (32 random bytes, mode 600; never overwrites a file)
  dicom-anonymizer keygen ~/.dicom-anon.key

  # PS3.15 Basic Profile (the default) over a study tree, with that key
  dicom-anonymizer -i ./dicom -o ./anon -r --key-file ~/.dicom-anon.key

  # A Microsoft Tools-for-Health-Data-Anonymization config, or our simple format
  dicom-anonymizer -i in.dcm -o out.dcm -c configuration.json

  # Keep longitudinal information as shifted dates, and safe private attributes
  dicom-anonymizer -i ./dicom -o ./anon -r --option retainLongitudinalModifiedDates --option retainSafePrivate

  # A large batch: 8 workers, Patient/Study/Series/Instance folders, a JSON report, resumable after a crash
  dicom-anonymizer -i ./dicom -o ./anon -r --key-file k.key --jobs 8 --layout study --report run.json --skip-existing

  # Shard 2 of 4 (0-based) of one batch, e.g. on four machines sharing the output folder
  dicom-anonymizer -i ./dicom -o ./anon -r --key-file k.key --shard 2/4

  # Object storage in and out (S3, S3-compatible with --s3-endpoint, Azure Blob), one task of a Slurm job array
  dicom-anonymizer -i s3://archive/ct -o s3://research/ct-anon -r --key-file k.key --shard auto/4 --report s3://research/runs/ct-0.json
  dicom-anonymizer -i az://myaccount/archive/ct -o az://myaccount/anon/ct -r --key-file k.key

  # What the profile would do to each tag, without writing anything
  dicom-anonymizer -i ./dicom -o ./anon -r --dry-run --audit audit.jsonl

  # A rules file without "profile" changes only what it names: the run lists (once) what the Basic Profile would
  # have changed and it left; --strict-rules refuses to run instead, before anything is written
  dicom-anonymizer -i ./dicom -o ./anon -r -c rules.json --strict-rules

  # Simple rules file (JSON with comments):
  #   {"rules": [{"tag": "(0010,0010)", "method": "replace", "value": "TRAINING_CASE"},
  #              {"tag": "(0010,0020)", "method": "hash"},
  #              {"tag": "(0008,0080)", "method": "remove"}]}

  # The Cancer Imaging Archive's option set (Basic Profile + six options, their CID 7050 codes in the markers)
  dicom-anonymizer -i ./dicom -o ./anon -r --key-file k.key --preset tcia

Presets (--preset NAME; added to --option and to a rules file, --burned-in wins over a preset's):
${PRESETS.map((p) => `  ${p.name}: ${p.summary}; options ${p.options.join(', ')}`).join('\n')}
Non-DICOM files (recognised by content, not name) are skipped and listed in the report; DICOMDIR files are
not copied (they hold identifying data and the old paths). Every file is written atomically (temporary file,
fsync, rename); a rerun with --skip-existing keeps finished outputs of this tool, writes anything else again and
removes leftover temporary files. --shard and --skip-existing need a fixed key. -i, -o, --quarantine, --report,
--audit and --mapping also take s3://BUCKET/PREFIX, az://ACCOUNT/CONTAINER/PREFIX or
https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX (docs/scale.md): same names and bytes as a local run; an
object appears only complete; --skip-existing keeps an object written under the same key and Plan. The report, audit and mapping
name original paths or identifiers: they are refused inside the output folder.
Burned-in text: every file is assessed by the risk gate (Burned In Annotation or Recognizable Visual Features
YES; ultrasound, secondary captures, photos, XA/RF, CR/DX/MG/IO modalities or SOP classes; an Image Type word
DERIVED, SECONDARY, SCREEN or SAVE in any modality, or no Image Type; a description naming a dose report, screen,
protocol, save or render; waveforms; encapsulated documents the plan keeps). An at-risk file that no pixel rule cleaned is
written (metadata de-identified, Patient Identity Removed NO) to the quarantine folder (--quarantine; default
<input>-quarantine beside the input, never beside the output: it is as sensitive as the originals), never to the output
(--burned-in quarantine, the default); it fails under --burned-in fail; under keep it is delivered as is with a
warning and Patient Identity Removed NO.
--burned-in redact: every frame of an at-risk image is searched for text (PP-OCR via onnxruntime, offline, loaded
only for this policy); each box found (score >= 0.5) is blanked with a 3 px margin, besides the pixel rules'
rectangles; a box whose text reads as keep-list words only (R, L, AP, PA, LAT, SUPINE...) stays, unless it
matches a header value. Found nothing: Pixel Data is delivered byte for byte. Both are marked Burned In
Annotation NO and code 113101. Undecodable pixels, waveforms and encapsulated documents are quarantined. Series
the gate trusts are sampled first (first, middle, last instance): a series whose sample shows text is searched whole. Threshold, margin
and keep-list: "pixels": {"detection": {...}} in the -c file. The report and audit give per file the boxes found
and which header attributes (keywords, never values) the text matched. Cost measured: about 0.6 s of CPU per
512x512 image with 9 lines of text, 0.1-0.2 s for a frame without text; 0.4 GB RSS per worker.
Exit codes: 0 all files ok, 1 usage or configuration error, 2 some files failed, 4 some files were quarantined
and none failed (not a retryable failure: rerunning gives the same result).`;

interface AnonymizeFlags {
  input?: string; output?: string; inputFolder?: string; outputFolder?: string; recursive: boolean; config?: string;
  keyFile?: string; allowReadableKey: boolean; option: ProfileOption[]; failFast: boolean; dryRun: boolean; quiet: boolean; jobs?: string;
  layout: OutputLayout; skipExisting: boolean; report?: string; audit?: string; mapping?: string; mappingSafeCsv: boolean; shard?: string; limit: string[]; s3Endpoint?: string; names?: string;
  burnedIn?: BurnedInPolicy; preset?: string; quarantine?: string; redactedSyntax?: RedactedSyntax; pixelRules: string[]; strictRules: boolean;
  study: string[]; qido?: string; httpHeader: string[]; caFile?: string;
}

function parseJobs(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > 1024) throw new UsageError(`--jobs takes a whole number from 1 to 1024, not "${text}"`);
  return Number(text);
}

function printSummary(summary: BatchSummary, dryRun: boolean): void {
  const shown = summary.skippedInputs.slice(0, 20);
  for (const s of shown) printLine(`skipped: ${s.relativePath}: ${s.reason}`);
  if (summary.skippedInputs.length > shown.length) {
    process.stderr.write(`skipped: … and ${summary.skippedInputs.length - shown.length} more (see --report)\n`);
  }
  if (summary.staleRemoved > 0) process.stderr.write(`removed ${summary.staleRemoved} temporary file(s) left by an interrupted run\n`);
  const mb = summary.bytesIn / 1e6;
  const processed = summary.ok + summary.failed;
  const s = Math.max(summary.seconds, 1e-9);
  if (summary.quarantined > 0) {
    const where = dryRun ? '' : ` in ${summary.quarantineFolder}${summary.quarantineIsDefault ? ' (the default: beside the input, with the originals; never share it)' : ''}`;
    printLine(`quarantined: ${summary.quarantined} file(s)${where}, because:`);
    for (const { reason, files } of summary.quarantineReasons.slice(0, 20)) printLine(`  ${files} × ${reason}`);
    if (summary.quarantineReasons.length > 20) printLine(`  … and ${summary.quarantineReasons.length - 20} more reasons (see --report)`);
  }
  process.stderr.write(
    `${summary.ok} ok, ${summary.failed} failed, ${summary.skipped} skipped${summary.quarantined > 0 ? `, ${summary.quarantined} quarantined` : ''}${dryRun ? ' (dry run: nothing written)' : ''}; ` +
    `${mb.toFixed(1)} MB in ${summary.seconds.toFixed(2)} s (${(processed / s).toFixed(0)} files/s, ${(mb / s).toFixed(1)} MB/s, ` +
    `${summary.jobs} thread${summary.jobs === 1 ? '' : 's'})` +
    `${summary.stoppedEarly ? '; stopped at the first failure (--fail-fast)' : ''}\n`,
  );
}

/** Adds the anonymize options and action to `command`; `setExit` receives the exit code. */
export function defineAnonymizeCommand(command: Command, setExit: (code: number) => void): Command {
  return command
    .option('-i, --input <path>', 'input file or folder, s3:// or az:// location, or DICOMweb root dicomweb+http(s)://HOST:PORT/PATH (with --study or --qido)')
    .option('-o, --output <path>', 'output file or folder (mirrors the input tree), s3:// or az:// location, or DICOMweb root (STOW-RS; needs --quarantine)')
    .addOption(new Option('-I, --input-folder <path>', 'alias of --input (Microsoft tool)').hideHelp())
    .addOption(new Option('-O, --output-folder <path>', 'alias of --output (Microsoft tool)').hideHelp())
    .option('-r, --recursive', 'descend into sub-folders of the input folder', false)
    .option('-c, --config <file>', 'rules file: Microsoft format, simple format, or {"profile": ...}; JSON with comments')
    .option('--key-file <file>', 'secret key file, mode 600 (else the DICOM_ANONYMIZER_KEY environment variable; else a random key per run); make one with "dicom-anonymizer keygen FILE"')
    .option('--allow-readable-key', 'accept a --key-file that group or others can read', false)
    .addOption(profileOptionFlag('PS3.15 profile option'))
    .addOption(new Option('--preset <name>', 'a named set of profile options and burned-in policy (listed below)').choices(PRESETS.map((p) => p.name)))
    .option('-j, --jobs <n>', 'most threads (default: the number of CPU cores); fewer for a small batch, which runs on the main thread; up to 4 jobs, the main thread is one of them beside worker threads')
    .addOption(new Option('--layout <layout>', 'output layout: mirror the input tree (folder and file names that hold a patient\'s name, ID, accession, dates or institution, or look identifying, become anon-<keyed hex>; the rest are kept), or <PatientID>/<StudyUID>/<SeriesUID>/<SOPUID>.dcm (new values)')
      .choices(OUTPUT_LAYOUTS).default('mirror'))
    .option('--skip-existing', 'resume an interrupted run: keep finished outputs of this tool made with the same key and options (their run fingerprint matches), write anything else again', false)
    .option('--s3-endpoint <url>', 'an S3-compatible store (MinIO, Ceph, moto...) for s3:// locations, path-style (default: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, else AWS)')
    .option('--names <dir>', 'with --shard: the folder or prefix where "dicom-anonymizer scan" wrote every shard\'s name digests; the output names are then decided from this shard\'s headers plus them, not from every input\'s header (docs/scale.md)')
    .option('--shard <K/N>', 'process only shard K (0-based) of N: a fixed subset by hash of the relative path; auto/N or auto takes K (and N) from a Slurm array, Kubernetes Indexed Job or AWS Batch array job')
    .option('--report <file>', 'write a JSON report of every file (status, error with byte offset and tag; no values, but the original paths)')
    .option('--audit <file>', 'write one JSON line per file and element: tag path, keyword, action, rule (no values, but the original paths)')
    .option('--mapping <dir>', 'write old→new PatientID and UID CSV files (identifying data: keep them safe)')
    .option('--mapping-safe-csv', "in the mapping CSVs, prefix values starting with = + - @ tab or CR with ' (spreadsheets run them as formulas)", false)
    .option('--limit <name=value>', `reader limit, repeatable (docs/limits.md): ${LIMIT_NAMES.join(', ')}`, (v: string, all: string[]) => [...all, v], [] as string[])
    .addOption(new Option('--burned-in <policy>', 'files that may carry burned-in text and that no pixel rule cleaned: quarantine them (default), redact (blank the text found by detection on every frame, and the rules\' rectangles), fail them, or keep them (deliver with a warning, Patient Identity Removed NO)')
      .choices(BURNED_IN_POLICIES))
    .option('--quarantine <dir>', `folder for quarantined files (default: ${DEFAULT_QUARANTINE_NOTE}; never inside the output or the input)`)
    .addOption(new Option('--redacted-syntax <syntax>', 'transfer syntax of a redacted file: the same as the input (lossless re-encoded losslessly, lossy in the same syntax), or native (Explicit VR Little Endian)')
      .choices(REDACTED_SYNTAXES))
    .option('--pixel-rules <file>', 'pixel rectangle rules file, repeatable', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--strict-rules', 'refuse to run (exit 1, nothing written) when a rules file without the profile leaves attributes the Basic Profile would change untouched in the inputs, or when the rules remove attributes the inputs\' IOD requires (checked by reading every input first)', false)
    .option('--study <uid>', 'with -i dicomweb+http(s)://HOST:PORT/PATH: a study whose instances are read one by one by WADO-RS, named study-N/series-N/instance-N.dcm (repeatable; needs --quarantine)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--qido <query>', 'with a DICOMweb input: the studies a QIDO-RS query finds, e.g. "ModalitiesInStudy=CT&StudyDate=20240101-20241231"')
    .option('--http-header <header>', 'HTTP header for a DICOMweb input or output, "Name: value" (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--ca-file <file>', 'PEM CA certificate(s) trusted for https DICOMweb, beside the system ones')
    .option('--fail-fast', 'stop at the first file that fails', false)
    .option('--dry-run', 'read and anonymize, print what would be done per tag, write no images', false)
    .option('-q, --quiet', 'print nothing but errors and warnings', false)
    .addHelpText('after', ANONYMIZE_EXAMPLES)
    .action(async (opts: AnonymizeFlags) => {
      const input = opts.input ?? opts.inputFolder;
      const output = opts.output ?? opts.outputFolder;
      if (!input || !output) throw new UsageError('both --input (-i) and --output (-o) are required', { showHelpHint: true });
      const jobs = parseJobs(opts.jobs);
      const readOptions = parseLimitFlags(opts.limit);
      const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined;
      const { plan, warnings } = await buildPlan({
        configPath: opts.config, options: opts.option, preset: opts.preset, pixelRuleFiles: opts.pixelRules,
        burnedIn: opts.burnedIn, redactedSyntax: opts.redactedSyntax,
      });
      for (const w of warnings) warn(`${opts.config}: ${w.jsonPath}: ${w.message}`);
      const needsFixedKey = [...(shard ? ['--shard'] : []), ...(opts.skipExisting ? ['--skip-existing'] : [])];
      const secret = loadKeySecret({ keyFile: opts.keyFile, allowReadableKey: opts.allowReadableKey, needsFixedKey }, warn);
      if (opts.mapping) warn(MAPPING_WARNING);
      const dicomweb = dicomwebRequest({ input, output, studies: opts.study, qido: opts.qido, headers: opts.httpHeader, caFile: opts.caFile });
      const summary = await runStoredBatch({
        input, output, recursive: opts.recursive, plan, secret, jobs, readOptions, layout: opts.layout,
        failFast: opts.failFast, dryRun: opts.dryRun, skipExisting: opts.skipExisting, shard,
        quarantine: opts.quarantine, reportPath: opts.report, auditPath: opts.audit, mappingDir: opts.mapping, mappingSafeCsv: opts.mappingSafeCsv, progress: !opts.quiet,
        strictRules: opts.strictRules, s3Endpoint: opts.s3Endpoint, names: opts.names, dicomweb,
      });
      if (opts.dryRun) {
        process.stdout.write('tag path  keyword  action  files  rule\n');
        for (const line of summary.dryRunLines) process.stdout.write(`${printable(line)}\n`);
      }
      if (!opts.quiet) printSummary(summary, opts.dryRun);
      // Once per run, even with -q (a warning): a rules file without the profile left identifying attributes as they were.
      if (summary.untouchedByRules) warn(untouchedWarning(summary.untouchedByRules));
      // Once per attribute, even with -q: the rules removed what the inputs' IOD requires (outputs dciodvfy refuses).
      for (const b of summary.iodBreaks) warn(iodBreakWarning(b));
      setExit(summary.failed > 0 ? EXIT.someFailed : summary.quarantined > 0 ? EXIT.quarantined : EXIT.ok);
    });
}
