// The default quarantine folder is beside the input, never beside the output: the guide's per-study loop
//   for dir in ./studies/*; do dicom-anonymizer -i "$dir" -o "./anonymized/$(basename $dir)" -r; done
// leaves nothing quarantined under ./anonymized/ (the folder people share), and every message names where it is.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { defaultQuarantineFolder } from '../../src/records/quarantine.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { Modality } from '../../src/dicom/tags.generated.js';
import { getString } from '../../src/dicom/values.js';
import { makeImage, SOP } from '../anonymize/burned-in-helpers.js';
import { cliInProcess } from '../helpers/cli-in-process.js';
import { filesBelow } from '../helpers/tree.js';

test("the guide's loop leaves nothing quarantined under ./anonymized/; the quarantine is beside each study", async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicomanon-guide-loop-'));
  try {
    const studies = join(work, 'studies');
    let n = 1;
    for (const study of ['DOE_JANE', 'ROE_RICHARD']) {
      mkdirSync(join(studies, study, 'echo'), { recursive: true });
      writeDicomFile(makeImage({ modality: 'US', sopClass: SOP.us, n: n++, burnedIn: 'NO' }), join(studies, study, 'echo', 'us.dcm'));
      writeDicomFile(makeImage({ modality: 'CT', sopClass: SOP.ct, n: n++ }), join(studies, study, 'ct.dcm'));
    }
    const anonymized = join(work, 'anonymized');
    const messages: string[] = [];
    process.env.DICOM_ANONYMIZER_KEY = 'guide-loop-test-key-0123456789';
    try {
      for (const dir of readdirSync(studies).map((d) => join(studies, d))) {
        const r = await cliInProcess('-i', dir, '-o', join(anonymized, basename(dir)), '-r', '-j', '1');
        assert.equal(r.code, 4, r.stderr);
        messages.push(r.stderr);
      }
    } finally {
      delete process.env.DICOM_ANONYMIZER_KEY;
    }
    // Under the shared folder: only the delivered CTs, no quarantine folder, no ultrasound.
    const shared = filesBelow(anonymized);
    assert.equal(shared.length, 2, shared.join());
    assert.ok(shared.every((f) => !f.includes('quarantine')), shared.join());
    for (const f of shared) {
      const file = readDicomFile(join(anonymized, f));
      assert.equal(getString(file.dataset, file.dataset.get(Modality)!, file.source), 'CT');
      file.close();
    }
    // The quarantined ultrasounds are beside each study, with the originals, and the summary says so.
    for (const study of ['DOE_JANE', 'ROE_RICHARD']) assert.deepEqual(filesBelow(join(studies, `${study}-quarantine`)), [join('echo', 'us.dcm')]);
    for (const m of messages) assert.match(m, /quarantined: 1 file\(s\) in .*studies\/\w+-quarantine \(the default: beside the input, with the originals; never share it\)/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('the default rule: <input>-quarantine; none beside a file-system root', () => {
  assert.equal(defaultQuarantineFolder('/data/studies/A/'), '/data/studies/A-quarantine');
  assert.equal(defaultQuarantineFolder('/data/scan.dcm'), '/data/scan.dcm-quarantine');
  assert.equal(defaultQuarantineFolder('/'), null);
});
