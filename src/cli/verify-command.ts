// The verify command: checks anonymized outputs against their originals (or scans outputs alone) and reports
// findings with masked values. Exit codes: 0 clean, 3 findings, 1 usage error.

import type { Command } from 'commander';
import type { ProfileOption } from '../api/plan.js';
import { UsageError } from '../api/batch.js';
import { profileOptionFlag } from './common.js';

const HELP = `
Examples:
  # Compare each output with the original at the same relative path
  dicom-anonymizer verify -i ./dicom -o ./anon

  # Outputs renamed or re-foldered (--layout study, or mirror names renamed because they held identifying values):
  # pair them through the --mapping folder of the run (sop_uid.csv, and path_component.csv for renamed names)
  dicom-anonymizer verify -i ./dicom -o ./anon --mapping ./mapping --json

  # No originals at hand: scan the outputs for names, IDs, phone numbers, addresses, dates in free text
  dicom-anonymizer verify -o ./anon

  # Also read the pixels: text detection and recognition on every frame of every output
  dicom-anonymizer verify -i ./dicom -o ./anon --pixels

  # After --burned-in redact (or pixel rules): the run's report tells the tool's own redactions from other changes
  dicom-anonymizer verify -i ./dicom -o ./anon --pixels --run-report run.json

Output file and folder names are checked too: against the originals' names, IDs, accession, birth and study
dates and institution (high), or, without originals, against the same patterns.
--pixels: text read in an output's pixels that matches a name, ID, date, institution or physician of the
original is a high finding; other text is low. The finding names the frame(s) and the box; the text is masked.
It loads the text detector (onnxruntime): about 0.6 s of CPU per 512x512 frame with 9 lines of text, less
without text. Without --pixels it is never loaded.
Values are never printed whole: "S…(12)" is the first character and the length.
Only outputs compared with their original count as verified; an output with no original paired (or an unreadable
original) is listed as NOT verified, scanned for patterns only. Without -i every output is only scanned.
Exit codes: 0 no findings (and, with -i, every output verified), 3 findings, 5 no findings but some outputs not
verified (no original paired), 1 usage error.`;

interface VerifyFlags {
  input?: string; output?: string; json: boolean; report?: string; runReport?: string; mapping?: string; option: ProfileOption[]; pixels: boolean;
}

export function defineVerifyCommand(command: Command, setExit: (code: number) => void): Command {
  return command
    .description('check anonymized outputs against their originals (or scan outputs alone); values are masked')
    .exitOverride()
    .option('-i, --input <path>', 'original file or folder (omit to scan the outputs alone)')
    .option('-o, --output <path>', 'anonymized file or folder (searched recursively)')
    .option('--json', 'print the report as JSON', false)
    .option('--pixels', 'also detect and read text in the pixels of every output (loads the text detector)', false)
    .option('--report <file>', 'also write the JSON report to this file (atomically)')
    .option('--run-report <file>', "the anonymize run's --report: pixels changed inside the rectangles it reports redacting are the tool's own redactions, not findings (changes outside them still are)")
    .option('--mapping <dir>', 'folder with sop_uid.csv (id_old,id_new): pair outputs with originals by SOP Instance UID (and path_component.csv: renamed folder and file names mapped back; patient_id.csv: each Patient ID must be its original ID and issuer\'s pseudonym)')
    .addOption(profileOptionFlag('PS3.15 profile option the outputs were made with'))
    .addHelpText('after', HELP)
    .action(async (opts: VerifyFlags) => {
      if (!opts.output) throw new UsageError('--output (-o) is required', { showHelpHint: true });
      if (opts.mapping && !opts.input) throw new UsageError('--mapping needs --input (-i)');
      if (opts.runReport && !opts.input) throw new UsageError('--run-report needs --input (-i): the pixels are compared with the originals', { showHelpHint: true });
      // The checker loads only when this command runs.
      const { addOwnRedactions, addPixelFindings, formatJson, formatTable, verifyExitCode, verifyTrees, writeVerifyReport } = await import('../api/verify.js');
      let report = verifyTrees({ input: opts.input, output: opts.output, mapping: opts.mapping, options: opts.option });
      if (opts.runReport) report = await addOwnRedactions(report, opts.runReport);
      if (opts.pixels) report = await addPixelFindings(report);
      const json = opts.report ? writeVerifyReport(report, opts.report) : formatJson(report);
      process.stdout.write(opts.json ? json : formatTable(report));
      setExit(verifyExitCode(report, opts.input !== undefined));
    });
}
