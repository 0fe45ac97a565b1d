// The review command: one static HTML page over an anonymize run's outputs (thumbnails with redactions outlined,
// what was done to each attribute, verify's findings, quarantined files), for a person to sign the data set off.

import type { Command } from 'commander';
import { Option } from 'commander';
import { THUMBNAIL_MODES, type ProfileOption, type ThumbnailMode } from '../api/plan.js';
import { UsageError } from '../api/batch.js';
import { EXIT, printLine, profileOptionFlag } from './common.js';

const HELP = `
Examples:
  # After: dicom-anonymizer -i ./dicom -o ./anon -r --report run.json --audit audit.jsonl
  dicom-anonymizer review -i ./dicom -o ./anon --report run.json --audit audit.jsonl --html review.html

  # verify already ran (verify -i ./dicom -o ./anon --report findings.json): reuse its findings
  dicom-anonymizer review -i ./dicom -o ./anon --findings findings.json --html review.html

The page is one HTML file that works offline: images are embedded as data: URIs, and its Content-Security-Policy
allows no request and no script but its own. It never holds a value or a path of the originals: output values are
masked ("S…(12)": first character and length) unless --show-values, which shows output values, never originals.
Failed and skipped files are counted, not listed (the run's report names them by original path). Quarantined files
are listed with their reason and their audit rows; their pixels are shown only with --show-quarantined (they may
carry burned-in text). Values of a kept, non-identifying vocabulary (Modality, Body Part Examined, Image Type, MR
sequence names...) are shown whole. The page says whether the pixels were verified (only --findings from
verify --pixels says they were).
Thumbnails (the frames the run blanked boxes on plus the first and last, else first, middle and last; at most
--thumbnail-size pixels): --thumbnails auto shows every instance up to 1000 instances, else one instance per series
and every redacted instance. Click a thumbnail, or focus it and press Enter, to see the frame at its own resolution.
Exit codes: 0 page written, 1 usage error.`;

interface ReviewFlags {
  input?: string; output?: string; html?: string; report?: string; audit?: string; findings?: string; verify: boolean;
  mapping?: string; option: ProfileOption[]; quarantine?: string; showValues: boolean; showQuarantined: boolean;
  thumbnails: ThumbnailMode; thumbnailSize: string;
}

export function defineReviewCommand(command: Command, setExit: (code: number) => void): Command {
  return command
    .description('write one offline HTML page to review an anonymize run: thumbnails, redactions, attribute actions, findings')
    .exitOverride()
    .option('-i, --input <path>', 'original file or folder (verify compares the outputs with it)')
    .option('-o, --output <path>', 'anonymized file or folder')
    .option('--html <file>', 'the page to write (atomically)')
    .option('--report <file>', "the anonymize run's --report (statuses, quarantine reasons, redacted rectangles)")
    .option('--audit <file>', "the anonymize run's --audit (what was done to each attribute, by which rule)")
    .option('--findings <file>', "verify's --report (else verify runs now)")
    .option('--no-verify', 'do not run verify (no findings shown unless --findings)')
    .option('--mapping <dir>', 'folder with sop_uid.csv (id_old,id_new): pair outputs with originals by SOP Instance UID')
    .addOption(profileOptionFlag('PS3.15 profile option the outputs were made with (for verify)'))
    .option('--quarantine <dir>', "the run's quarantine folder (default: from --report, else <input>-quarantine beside the input)")
    .option('--show-values', 'show output values whole instead of masked (never original values)', false)
    .option('--show-quarantined', 'show thumbnails of quarantined files (they may carry burned-in text)', false)
    .addOption(new Option('--thumbnails <mode>', 'which instances get thumbnails').choices(THUMBNAIL_MODES).default('auto'))
    .option('--thumbnail-size <pixels>', 'longer side of a thumbnail, 16 to 256', '128')
    .addHelpText('after', HELP)
    .action(async (opts: ReviewFlags) => {
      if (!opts.input || !opts.output) throw new UsageError('both --input (-i) and --output (-o) are required');
      if (!opts.html) throw new UsageError('--html FILE is required');
      const size = Number(opts.thumbnailSize);
      if (!/^\d+$/.test(opts.thumbnailSize.trim()) || size < 16 || size > 256) throw new UsageError(`--thumbnail-size takes a whole number from 16 to 256, not "${opts.thumbnailSize}"`);
      // The page builder (and the pixel codecs it may load) loads only when this command runs.
      const { writeReviewPage } = await import('../api/review.js');
      const data = await writeReviewPage({
        input: opts.input, output: opts.output, mapping: opts.mapping, reportPath: opts.report, auditPath: opts.audit,
        findingsPath: opts.findings, verify: opts.verify, options: opts.option, quarantine: opts.quarantine,
        showValues: opts.showValues, showQuarantined: opts.showQuarantined, thumbnails: opts.thumbnails, thumbnailSize: size,
      }, opts.html);
      const s = data.summary;
      printLine(`review page: ${opts.html}: ${s.outputs} output(s) in ${s.series} series of ${s.studies} stud${s.studies === 1 ? 'y' : 'ies'}` +
        `${s.quarantinedShown > 0 ? `, ${s.quarantinedShown} quarantined` : ''}${s.findings ? `; findings: ${s.findings.high} high, ${s.findings.medium} medium, ${s.findings.low} low` : ''}`);
      setExit(EXIT.ok);
    });
}
