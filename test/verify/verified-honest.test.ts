// verify never says "verified" when it did not look: a value kept in an attribute the profile keeps is excused in that
// attribute only (found anywhere else in paired mode); only paired, checked outputs count as verified, unpaired ones
// are listed as not verified and give exit code 5.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/load.js';
import { newStringElement, setString } from '../../src/dicom/values.js';
import { SeriesDescription, StationName } from '../../src/dicom/tags.generated.js';
import { formatTable, verifyExitCode, verifyPair, verifyTrees } from '../../src/verify/index.js';
import { rewrite } from '../helpers/rewrite.js';

const CT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'ct');
const SECRET = 'verified-honest-key-0123456789';

test("a name kept in a kept attribute (Station Name under retainDeviceIdentity) is still found elsewhere in paired mode", () => {
  const work = mkdtempSync(join(tmpdir(), 'verify-kept-'));
  try {
    // The patient's family name (SMITH^JOHN^A) is also the station's name, which the option keeps.
    const original = join(work, 'orig', 'a.dcm');
    rewrite(join(CT, 'slice-001.dcm'), original, (f) => setString(f.dataset, f.dataset.get(StationName)!, 'SMITH'));
    const clean = join(work, 'clean', 'a.dcm');
    rewrite(original, clean, (f) => void new Anonymizer(basicProfilePlan(['retainDeviceIdentity']), Keys.fromSecret(SECRET)).anonymizeFile(f));
    const leaked = join(work, 'leaked', 'a.dcm');
    rewrite(clean, leaked, (f) => f.dataset.put(newStringElement(f.dataset, SeriesDescription, 'LO', 'FOLLOW-UP SMITH')));

    const options = { options: ['retainDeviceIdentity'] as const };
    const kept = verifyPair(original, clean, options).filter((x) => x.kind.startsWith('identifying-value'));
    assert.deepEqual(kept.map((x) => x.tagPath), [], 'in the attribute the profile keeps, it is excused');
    const found = verifyPair(original, leaked, options).filter((x) => x.kind === 'identifying-value');
    assert.deepEqual(found.map((x) => [x.tagPath, x.severity, x.masked]), [['(0008,103E)', 'high', 'S…(5)']]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('an unpaired output is not counted verified: listed with why, exit code 5', () => {
  const work = mkdtempSync(join(tmpdir(), 'verify-unpaired-'));
  try {
    const orig = join(work, 'orig'), out = join(work, 'out');
    mkdirSync(orig);
    const anonymizer = new Anonymizer(basicProfilePlan([]), Keys.fromSecret(SECRET));
    for (const name of ['slice-001.dcm', 'slice-002.dcm']) {
      copyFileSync(join(CT, name), join(orig, name));
      rewrite(join(CT, name), join(out, name), (f) => void anonymizer.anonymizeFile(f));
    }
    rewrite(join(CT, 'slice-003.dcm'), join(out, 'renamed.dcm'), (f) => void anonymizer.anonymizeFile(f));

    const report = verifyTrees({ input: orig, output: out });
    assert.deepEqual([report.summary.files, report.summary.verified, report.summary.notVerified], [3, 2, 1]);
    const unpaired = report.files.find((f) => f.output.endsWith('renamed.dcm'))!;
    assert.equal(unpaired.verified, false);
    assert.match(unpaired.notVerified!, /^no original paired: /);
    const table = formatTable(report);
    assert.match(table, /^not verified: .*renamed\.dcm: no original paired: /m);
    assert.match(table, /2 file\(s\) verified, 1 NOT verified/);
    assert.doesNotMatch(table, /3 file\(s\) verified/);
    assert.equal(verifyExitCode(report, true), report.summary.findings > 0 ? 3 : 5);

    const paired = verifyTrees({ input: orig, output: out, onFile: () => {} });
    const onlyPaired = { ...paired, files: paired.files.filter((f) => f.verified) };
    assert.equal(verifyExitCode({ ...onlyPaired, summary: { ...paired.summary, notVerified: 0, findings: 0 } }, true), 0);
    // Outputs alone: scanned, not verified, and said so.
    const scanned = verifyTrees({ output: out });
    assert.equal(scanned.summary.verified, 0);
    assert.match(formatTable(scanned), /3 file\(s\) scanned without originals \(not verified against them\)/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
