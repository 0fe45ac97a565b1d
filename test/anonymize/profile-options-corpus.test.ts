// Every PS3.15 profile option, alone and all together, over every corpus file our reader reads (in memory, nothing
// written to disk): the engine never fails on a real file because of an option, and what it writes reads back.
// (profile-corpus.test.ts checks the default profile's output in depth; this one is the breadth check that caught
// Retain Longitudinal Modified Dates failing on Timezone Offset From UTC, an SH row marked C.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readDicomBuffer, type DicomFile } from '../../src/dicom/part10.js';
import { DicomParseError } from '../../src/dicom/errors.js';
import { encodeDicomFileToBuffer } from '../../src/dicom/writer.js';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/load.js';
import { PROFILE_OPTIONS, type ProfileOption } from '../../src/plan/plan.js';
import { corpusEntries, corpusPath, corpusSkip } from '../helpers/corpus.js';

const KEY = Keys.fromSecret('profile-options-corpus-key-0123456789');

test('every profile option, alone and together, anonymizes every readable corpus file', { skip: corpusSkip() }, () => {
  const inputs: { path: string; bytes: Buffer }[] = [];
  for (const entry of corpusEntries()) {
    const path = corpusPath(entry);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
      readDicomBuffer(bytes, path);
    } catch (error) {
      if (error instanceof DicomParseError || (error as NodeJS.ErrnoException).code === 'ENOENT') continue; // rejected on purpose, or absent
      throw error;
    }
    inputs.push({ path: entry.path, bytes });
  }
  assert.ok(inputs.length > 600, `only ${inputs.length} readable corpus files`);

  const variants: ProfileOption[][] = [...PROFILE_OPTIONS.map((o) => [o]), [...PROFILE_OPTIONS]];
  const failures: string[] = [];
  for (const options of variants) {
    const anonymizer = new Anonymizer(basicProfilePlan(options), KEY);
    for (const input of inputs) {
      let file: DicomFile;
      try {
        file = readDicomBuffer(input.bytes, input.path);
        anonymizer.anonymizeFile(file);
        readDicomBuffer(encodeDicomFileToBuffer(file), `${input.path} (output)`);
      } catch (error) {
        // Messages name the file and tag path, never a value.
        failures.push(`[${options.join(', ')}] ${input.path}: ${(error as Error).message}`);
      }
    }
  }
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
});
