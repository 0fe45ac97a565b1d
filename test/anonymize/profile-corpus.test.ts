// The PS3.15 Basic Profile (fixed key; without options, then with seven of them) over every file of ../shared/corpus (read-only; outputs go to a
// temporary directory):
//   (a) every file our reader reads is anonymized and written;
//   (b) the output passes `dcmdump -E` wherever the input did;
//   (c) `dciodvfy -new` reports no more Error lines for the output than for the input, on EVERY readable file
//       (dciodvfy takes ~20 ms a file, so no sampling is needed). dciodvfy cannot read deflated datasets, so files
//       in Deflated Explicit VR Little Endian are inflated with `dcmconv +te` (input and output alike) first;
//   (d) Pixel Data is byte-identical (native value or every encapsulated fragment);
//   (e) no value the profile protects is left anywhere in the output bytes (rules in profile-helpers/leaks.ts).
// Failures name the file and the tag path, never a value.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN } from '../../src/dicom/transfer-syntax.js';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/load.js';
import type { ProfileOption } from '../../src/plan/plan.js';
import { corpusEntries, corpusPath, corpusSkip, dcmdumpClean, mapLimit, type CorpusEntry } from '../helpers/corpus.js';
import { requireTools, runTool, skipUnlessTools } from '../helpers/tools.js';
import { collectValues, findLeaks, searchableBytes } from './profile-helpers/leaks.js';
import { pixelBytes } from '../helpers/pixels.js';

const TEST_KEY = 'profile-corpus-test-key-0123456789';


/**
 * Error lines of `dciodvfy -new`, or null when dciodvfy itself crashed on the file (it aborts on an assertion for a
 * few inputs, e.g. 32-bit RGB). The tool must really have run: exit status 0 or 1 with a non-empty report (it always
 * names the IOD it checked against), or a crash with its message; a missing dciodvfy never counts as "zero errors".
 */
async function dciodvfyErrors(path: string, deflated: boolean, scratch: string): Promise<number | null> {
  let target = path;
  if (deflated) {
    target = scratch;
    await runTool('dcmconv', ['+te', path, scratch], { output: null });
    assert.ok(statSync(scratch).size > 0, `dcmconv +te wrote nothing for ${path}`);
  }
  // run() reports a process killed by a signal (an abort) as -1.
  const { code, stdout, stderr } = await runTool('dciodvfy', ['-new', target], { codes: [0, 1, -1] });
  if (code === -1) return null;
  return (stdout + '\n' + stderr).split('\n').filter((l) => l.startsWith('Error')).length;
}

interface Done { entry: CorpusEntry; output: string; deflated: boolean }

/**
 * The default profile, and the options that keep or clean content (safe private, device, institution, patient
 * characteristics, descriptors, structured content, graphics) together. The date options are left out here: a
 * shifted date may by chance equal another original date of the file, which this byte search cannot tell from a
 * leak (profile-options-corpus.test.ts runs them over the corpus, and verify checks dates element by element).
 */
const VARIANTS: ProfileOption[][] = [
  [],
  ['retainSafePrivate', 'retainDeviceIdentity', 'retainInstitutionIdentity', 'retainPatientCharacteristics',
    'cleanDescriptors', 'cleanStructuredContent', 'cleanGraphics'],
];

for (const options of VARIANTS) {
const label = options.length === 0 ? 'PS3.15 Basic Profile' : `PS3.15 Basic Profile with ${options.length} options`;
test(`${label} over the corpus: written, dcmdump-clean, no new dciodvfy errors, pixels intact, no leaks`, {
  skip: corpusSkip() || skipUnlessTools('dcmdump', 'dciodvfy', 'dcmconv'),
  timeout: 10 * 60_000,
}, async () => {
  requireTools('dcmdump', 'dciodvfy', 'dcmconv');
  const started = Date.now();
  const out = mkdtempSync(join(tmpdir(), 'dicom-profile-corpus-'));
  const anonymizer = new Anonymizer(basicProfilePlan(options), Keys.fromSecret(TEST_KEY));
  const failures: string[] = [];
  const done: Done[] = [];
  let unreadable = 0, searched = 0;
  try {
    // In-process part, one file at a time: read, collect protected values, anonymize, write, re-read, compare.
    for (const entry of corpusEntries()) {
      let file: DicomFile;
      try {
        file = readDicomFile(corpusPath(entry));
      } catch {
        unreadable++; // the round-trip test checks that these are rejected cleanly
        continue;
      }
      const output = join(out, entry.path.replace(/[\\/]/g, '__'));
      const deflated = file.transferSyntax.uid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN;
      try {
        const { protectedValues } = collectValues(file, anonymizer);
        const pixels = pixelBytes(file);
        anonymizer.anonymizeFile(file);
        writeDicomFile(file, output);
        const written = readDicomFile(output);
        try {
          const after = pixelBytes(written);
          if (pixels && !(after && after.equals(pixels))) failures.push(`${entry.path}: Pixel Data differs`);
          const leaks = findLeaks(protectedValues, written, searchableBytes(written));
          searched += protectedValues.length;
          for (const leak of leaks) failures.push(`${entry.path}: protected value of ${leak} found in the output`);
        } finally {
          written.close();
        }
        done.push({ entry, output, deflated });
      } catch (error) {
        failures.push(`${entry.path}: ${(error as Error).name}: ${(error as Error).message}`);
      } finally {
        file.close();
      }
    }

    // External tools, 4 processes at a time.
    let dcmdumpChecked = 0, iodChecked = 0, iodFewer = 0;
    const iodUncheckable: string[] = [];
    await mapLimit(done, 4, async ({ entry, output, deflated }) => {
      if (entry.dcmdump === 'OK') {
        dcmdumpChecked++;
        if (!(await dcmdumpClean(output))) failures.push(`${entry.path}: dcmdump -E reports problems in the output (input was clean)`);
      }
      const scratch = output + '.inflated';
      const before = await dciodvfyErrors(corpusPath(entry), deflated, scratch + '.in');
      const after = await dciodvfyErrors(output, deflated, scratch + '.out');
      if (before === null) {
        // dciodvfy cannot check the input: no comparison is possible for this file (listed, not counted as checked).
        iodUncheckable.push(entry.path);
        return;
      }
      iodChecked++;
      if (after === null) failures.push(`${entry.path}: dciodvfy crashes on the output, not on the input`);
      else if (after > before) failures.push(`${entry.path}: dciodvfy -new reports ${after} Error lines, the input ${before}`);
      else if (after < before) iodFewer++;
    });
    console.log(
      `${label} over the corpus: ${done.length} anonymized and written, ${unreadable} unreadable (skipped); ` +
        `dcmdump -E checked on ${dcmdumpChecked}; dciodvfy compared on ${iodChecked} (${iodFewer} with fewer errors), ` +
        `not on ${iodUncheckable.length} where it crashes on the input (${iodUncheckable.join(', ')}); ` +
        `${searched} protected values searched; ${failures.length} failures; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    assert.ok(iodUncheckable.length <= 5, `dciodvfy crashes on ${iodUncheckable.length} inputs: is it broken?`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  assert.deepEqual(failures, []);
  assert.ok(done.length > 650, `expected most of the corpus to be anonymized, got ${done.length}`);
});
}
