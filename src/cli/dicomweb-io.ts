// A DICOMweb input or output of the anonymize command (-i/-o dicomweb+http(s)://…): retrieve into a scratch folder
// before the batch, STOW the output folder after it (src/net/dicomweb/batch-io.ts). Without DICOMweb, the batch as is.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, type BatchSummary } from '../api/batch.js';
import { isDicomwebUrl, parseHeader } from '../api/net.js';
import { trustCaFile } from './ca-file.js';
import { printLine } from './common.js';

export interface DicomwebFlags {
  input: string;
  output: string;
  studies: string[];
  qido?: string;
  headers: string[];
  caFile?: string;
  quarantine?: string;
  quiet: boolean;
}

export interface LocalSides {
  input: string;
  output: string;
  /** A retrieved input is a tree (study-NNNN/…). */
  recursive: boolean;
  quarantine?: string;
}

/** Runs `batch` on local folders standing for the DICOMweb input and output, if any. */
export async function withDicomweb(flags: DicomwebFlags, batch: (sides: LocalSides) => Promise<BatchSummary>): Promise<BatchSummary> {
  const webIn = isDicomwebUrl(flags.input);
  const webOut = isDicomwebUrl(flags.output);
  if (!webIn && (flags.studies.length > 0 || flags.qido !== undefined)) throw new UsageError('--study and --qido need a DICOMweb input (-i dicomweb+http(s)://HOST:PORT/PATH)');
  if (!webIn && !webOut) return batch({ input: flags.input, output: flags.output, recursive: false, quarantine: flags.quarantine });
  if (webIn && flags.studies.length === 0 && flags.qido === undefined) throw new UsageError('a DICOMweb input needs --study UID (repeatable) or --qido "QUERY"');
  if (webOut && flags.quarantine === undefined) throw new UsageError('a DICOMweb output needs --quarantine DIR (quarantined files are never uploaded)');
  if (flags.caFile) trustCaFile(flags.caFile);
  const headers = Object.fromEntries(flags.headers.map(parseHeader));
  const { dicomwebServer, retrieveToFolder, stowFolder } = await import('../api/net.js');
  // Private scratch space (mkdtemp: mode 700): retrieved originals and outputs before their upload.
  const scratch = mkdtempSync(join(tmpdir(), 'dicom-anonymizer-web-'));
  try {
    const input = webIn ? join(scratch, 'input') : flags.input;
    const output = webOut ? join(scratch, 'output') : flags.output;
    if (webIn) {
      const got = await retrieveToFolder(dicomwebServer(flags.input, headers), { studies: flags.studies, qido: flags.qido }, input);
      if (!flags.quiet) printLine(`retrieved ${got.instances} instance(s) of ${got.studies} study(ies) by WADO-RS`);
      if (got.instances === 0) throw new UsageError('the DICOMweb input has no instance for the studies asked');
    }
    const summary = await batch({ input, output, recursive: webIn, quarantine: flags.quarantine });
    if (webOut) {
      const sent = await stowFolder(dicomwebServer(flags.output, headers), output);
      if (!flags.quiet) printLine(`stored ${sent.stored} instance(s) by STOW-RS`);
      for (const r of sent.refused) printLine(`failed: ${r.file}: ${r.reason}`);
      return { ...summary, ok: summary.ok - sent.refused.length, failed: summary.failed + sent.refused.length };
    }
    return summary;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
