// Read → write with no change over every file of ../shared/corpus: dcmdump sees the same file, Pixel Data is
// byte-identical, and broken files raise DicomParseError instead of crashing or hanging.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { DicomParseError } from '../../src/dicom/errors.js';
import { corpusEntries, corpusPath, corpusSkip, dcmdumpClean, dumpForComparison, mapLimit } from '../helpers/corpus.js';
import { requireTools, skipUnlessTools } from '../helpers/tools.js';
import { pixelBytes } from '../helpers/pixels.js';


test('every corpus file survives read → write unchanged, or is rejected with DicomParseError', { skip: corpusSkip() || skipUnlessTools('dcmdump') }, async () => {
  requireTools('dcmdump');
  const out = mkdtempSync(join(tmpdir(), 'dicom-roundtrip-'));
  const failures: string[] = [];
  let identical = 0, rejected = 0, repaired = 0, unreadableByDcmdump = 0;
  try {
    const entries = corpusEntries();
    await mapLimit(entries, 4, async (entry, ) => {
      const input = corpusPath(entry);
      const output = join(out, entry.path.replace(/[\\/]/g, '__'));
      let file: DicomFile;
      try {
        file = readDicomFile(input);
      } catch (error) {
        if (!(error instanceof DicomParseError)) {
          failures.push(`${entry.path}: crashed with ${(error as Error).name}: ${(error as Error).message}`);
        } else if (entry.dcmdump === 'OK') {
          failures.push(`${entry.path}: dcmdump reads it cleanly but we raised ${error.message}`);
        } else {
          assert.ok(error.message.includes(input), 'the error names the file');
          assert.ok(error.offset >= 0);
          rejected++;
        }
        return;
      }
      try {
        writeDicomFile(file, output);
        const before = pixelBytes(file);
        const written = readDicomFile(output);
        const after = pixelBytes(written);
        written.close();
        if (before && !after?.equals(before)) failures.push(`${entry.path}: Pixel Data differs after the round trip`);
      } finally {
        file.close();
      }
      if (entry.dcmdump === 'FAIL') {
        // dcmdump cannot read the input, so there is no dump to compare with: the output is either clean or not.
        if (await dcmdumpClean(output)) repaired++;
        else unreadableByDcmdump++;
        return;
      }
      // Each dump is checked to be a real one (dcmdump exit 0, element lines), so two failed dumps never compare equal.
      const [a, b] = await Promise.all([dumpForComparison(input), dumpForComparison(output)]);
      if (a === b) identical++;
      else if (entry.dcmdump !== 'OK' && (await dcmdumpClean(output))) repaired++;
      else failures.push(`${entry.path}: dcmdump +L output differs after the round trip`);
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  console.log(`round trip: ${identical} identical, ${repaired} repaired (input not clean, output clean), ${rejected} rejected, ` +
    `${unreadableByDcmdump} read by us but by dcmdump neither before nor after`);
  assert.deepEqual(failures, []);
  assert.ok(identical > 650, `expected most of the corpus to round-trip identically, got ${identical}`);
});
