// The anonymize command (the default): flags → plan + key → batch → summary on stderr.

import { Command, Option } from 'commander';
import { Anonymizer } from '../anonymize/anonymizer.js';
import { basicProfilePlan, loadConfigFileDetailed } from '../config/load.js';
import { PROFILE_OPTIONS, type Plan, type ProfileOption } from '../config/plan.js';
import { runBatch, UsageError } from '../batch/run.js';
import { loadKeys } from './key.js';
import { EXIT, warn } from './common.js';
const EXAMPLES = `
Examples:
  # PS3.15 Basic Profile (the default) over a study tree, with a key kept for later runs
  dicom-anonymizer -i ./dicom -o ./anon -r --key-file ~/.dicom-anon.key

  # A Microsoft Tools-for-Health-Data-Anonymization config, or our simple format
  dicom-anonymizer -i in.dcm -o out.dcm -c configuration.json

  # Keep longitudinal information as shifted dates, and safe private attributes
  dicom-anonymizer -i ./dicom -o ./anon -r --option retainLongitudinalModifiedDates --option retainSafePrivate

  # Simple rules file (JSON with comments):
  #   {"rules": [{"tag": "(0010,0010)", "method": "replace", "value": "TRAINING_CASE"},
  #              {"tag": "(0010,0020)", "method": "hash"},
  #              {"tag": "(0008,0080)", "method": "remove"}]}

Options for --option: ${PROFILE_OPTIONS.join(', ')}
Exit codes: 0 all files ok, 1 usage or configuration error, 2 some files failed.`;

function buildPlan(configPath: string | undefined, options: string[], warn: (m: string) => void): Plan {
  for (const o of options) {
    if (!(PROFILE_OPTIONS as readonly string[]).includes(o)) throw new UsageError(`unknown --option ${o}; use one of ${PROFILE_OPTIONS.join(', ')}`);
  }
  if (!configPath) return basicProfilePlan(options as ProfileOption[]);
  const loaded = loadConfigFileDetailed(configPath);
  for (const w of loaded.warnings) warn(`${configPath}: ${w.jsonPath}: ${w.message}`);
  const plan = loaded.plan;
  if (options.length > 0) {
    const merged = [...new Set([...(plan.profile?.options ?? []), ...(options as ProfileOption[])])];
    return { ...plan, profile: { name: 'basic', options: merged } };
  }
  return plan;
}


interface AnonymizeFlags {
  input?: string; output?: string; inputFolder?: string; outputFolder?: string; recursive: boolean; config?: string;
  keyFile?: string; option: string[]; failFast: boolean; dryRun: boolean; quiet: boolean;
}

/** Adds the anonymize options and action to `command`; `setExit` receives the exit code. */
export function defineAnonymizeCommand(command: Command, setExit: (code: number) => void): Command {
  return command
    .option('-i, --input <path>', 'input file or folder')
    .option('-o, --output <path>', 'output file or folder (mirrors the input tree)')
    .addOption(new Option('-I, --input-folder <path>', 'alias of --input (Microsoft tool)').hideHelp())
    .addOption(new Option('-O, --output-folder <path>', 'alias of --output (Microsoft tool)').hideHelp())
    .option('-r, --recursive', 'descend into sub-folders of the input folder', false)
    .option('-c, --config <file>', 'rules file: Microsoft format, simple format, or {"profile": ...}; JSON with comments')
    .option('--key-file <file>', 'secret key file (else the DICOM_ANONYMIZER_KEY environment variable; else a random key per run)')
    .option('--option <name>', 'PS3.15 profile option, repeatable', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--fail-fast', 'stop at the first file that fails', false)
    .option('--dry-run', 'read and anonymize, but write nothing', false)
    .option('-q, --quiet', 'print nothing but errors', false)
    .addHelpText('after', EXAMPLES)
    .action((opts: AnonymizeFlags) => {
      const input = opts.input ?? opts.inputFolder;
      const output = opts.output ?? opts.outputFolder;
      if (!input || !output) throw new UsageError('both --input (-i) and --output (-o) are required');
      const plan = buildPlan(opts.config, opts.option, warn);
      const keys = loadKeys(opts.keyFile, warn);
      const anonymizer = new Anonymizer(plan, keys);
      const summary = runBatch(anonymizer, {
        input, output, recursive: opts.recursive, failFast: opts.failFast, dryRun: opts.dryRun,
        onResult: (result) => {
          if (result.status === 'failed') process.stderr.write(`failed: ${result.error}\n`);
        },
      });
      if (!opts.quiet) {
        for (const s of summary.skipped) process.stderr.write(`skipped: ${s.relativePath}: ${s.reason}\n`);
        const mb = summary.bytesIn / 1e6;
        process.stderr.write(
          `${summary.ok} ok, ${summary.failed} failed, ${summary.skipped.length} skipped; ${mb.toFixed(1)} MB in ${summary.seconds.toFixed(2)} s` +
          ` (${(summary.results.length / Math.max(summary.seconds, 1e-9)).toFixed(0)} files/s)\n`,
        );
      }
      setExit(summary.failed > 0 ? EXIT.someFailed : EXIT.ok);
    });
}
