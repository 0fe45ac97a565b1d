// The verify command: checks anonymized outputs against their originals (or scans outputs alone) and reports
// findings with masked values. Exit codes: 0 clean, 3 findings, 1 usage error.

import type { Command } from 'commander';
import type { ProfileOption } from '../api/plan.js';
import { UsageError } from '../api/batch.js';
import { EXIT, profileOptionFlag } from './common.js';

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

Output file and folder names are checked too: against the originals' names, IDs, accession, birth and study
dates and institution (high), or, without originals, against the same patterns.
--pixels: text read in an output's pixels that matches a name, ID, date, institution or physician of the
original is a high finding; other text is low. The finding names the frame(s) and the box; the text is masked.
It loads the text detector (onnxruntime): about 0.6 s of CPU per 512x512 frame with 9 lines of text, less
without text. Without --pixels it is never loaded.
Values are never printed whole: "S…(12)" is the first character and the length.
Exit codes: 0 no findings, 3 findings, 1 usage error.`;

interface VerifyFlags {
  input?: string; output?: string; json: boolean; report?: string; mapping?: string; option: ProfileOption[]; pixels: boolean;
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
    .option('--mapping <dir>', 'folder with sop_uid.csv (id_old,id_new): pair outputs with originals by SOP Instance UID (and path_component.csv: renamed folder and file names mapped back)')
    .addOption(profileOptionFlag('PS3.15 profile option the outputs were made with'))
    .addHelpText('after', HELP)
    .action(async (opts: VerifyFlags) => {
      if (!opts.output) throw new UsageError('--output (-o) is required');
      if (opts.mapping && !opts.input) throw new UsageError('--mapping needs --input (-i)');
      // The checker loads only when this command runs.
      const { addPixelFindings, formatJson, formatTable, verifyTrees, writeVerifyReport } = await import('../api/verify.js');
      let report = verifyTrees({ input: opts.input, output: opts.output, mapping: opts.mapping, options: opts.option });
      if (opts.pixels) report = await addPixelFindings(report);
      const json = opts.report ? writeVerifyReport(report, opts.report) : formatJson(report);
      process.stdout.write(opts.json ? json : formatTable(report));
      setExit(report.summary.findings > 0 ? EXIT.findings : EXIT.ok);
    });
}
