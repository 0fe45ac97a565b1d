// Output names carry nothing the headers lost: a Siemens-style file name made of the original SOP Instance UID (the
// acquisition date and time inside) and a folder named with the patient's name in Japanese are renamed by the keyed
// rule; verify reports such names in an output tree that kept them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicProfilePlan } from '../../src/config/build.js';
import { runBatch } from '../../src/batch/run.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { PatientName, SOPInstanceUID } from '../../src/dicom/tags.generated.js';
import { setString, switchToUtf8 } from '../../src/dicom/values.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { patternsInComponent } from '../../src/plan/identifying-path.js';
import { verifyTrees } from '../../src/verify/index.js';
import { filesBelow } from '../helpers/tree.js';

const CT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'ct');
const SECRET = { kind: 'text', text: 'output-names-uid-key-0123456789' } as const;
const SIEMENS_UID = '1.3.12.2.1107.5.2.32.35162.2013110815191348287516049';

test('a Siemens-style UID file name and a CJK patient folder are renamed; verify reports them where they were kept', async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicomanon-uid-names-'));
  try {
    const input = join(work, 'in');
    const siemens = join(input, 'series1', `MR.${SIEMENS_UID}.dcm`);
    const cjk = join(input, '山田太郎', 'IMG0001.dcm');
    for (const [path, src, mutate] of [
      [siemens, 'slice-001.dcm', (f: ReturnType<typeof readDicomFile>) => setString(f.dataset, f.dataset.get(SOPInstanceUID)!, SIEMENS_UID)],
      [cjk, 'slice-002.dcm', (f: ReturnType<typeof readDicomFile>) => {
        switchToUtf8(f.dataset);
        setString(f.dataset, f.dataset.get(PatientName)!, 'Yamada^Taro=山田^太郎=やまだ^たろう');
      }],
    ] as const) {
      const file = readDicomFile(join(CT, src));
      mutate(file);
      mkdirSync(dirname(path), { recursive: true });
      writeDicomFile(file, path);
      file.close();
    }
    const output = join(work, 'out');
    const summary = await runBatch({ input, output, recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, log: () => {} });
    assert.equal(summary.ok, 2);
    const names = filesBelow(output);
    assert.equal(names.length, 2);
    assert.ok(names.every((n) => !n.includes('2013110815') && !n.includes('1107.5.2') && !n.includes('山田')), names.join());
    assert.ok(names.some((n) => /^series1\/anon-[0-9a-f]{20}\.dcm$/.test(n)), names.join());
    assert.ok(names.some((n) => /^anon-[0-9a-f]{20}\/IMG0001\.dcm$/.test(n)), names.join());
    assert.deepEqual(verifyTrees({ input, output }).files.flatMap((f) => f.findings).filter((f) => f.kind === 'identifying-value-in-path' || (f.tagPath === '' && f.kind.startsWith('pattern-'))), []);

    // A tree whose names were kept (copied by other means): verify reports both names, with and without originals.
    const kept = join(work, 'kept');
    cpSync(input, kept, { recursive: true });
    const paired = verifyTrees({ input, output: kept }).files.flatMap((f) => f.findings.filter((x) => x.tagPath === '' && x.kind !== 'unreadable').map((x) => `${x.kind} ${x.message}`));
    assert.ok(paired.some((m) => /identifying-value-in-path path component 2 of 2 \(the file name\) holds the SOP Instance UID/.test(m)), paired.join('\n'));
    assert.ok(paired.some((m) => /identifying-value-in-path path component 1 of 2 \(a folder\) holds the Patient Name/.test(m)), paired.join('\n'));
    const alone = verifyTrees({ output: kept }).files.flatMap((f) => f.findings.filter((x) => x.tagPath === '').map((x) => `${x.kind} ${x.message}`));
    assert.ok(alone.some((m) => /pattern-date path component 2 of 2 \(the file name\) holds a date/.test(m)), alone.join('\n'));
    assert.ok(alone.some((m) => /pattern-name path component 1 of 2 \(a folder\) holds a person name/.test(m)), alone.join('\n'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('the path patterns: a date-time stamp inside a UID, a CJK name; ordinary names stay', () => {
  assert.deepEqual(patternsInComponent(`MR.${SIEMENS_UID}.dcm`).map((f) => f.kind), ['date']);
  assert.equal(patternsInComponent(`MR.${SIEMENS_UID}.dcm`)[0]?.match, SIEMENS_UID.slice(SIEMENS_UID.lastIndexOf('.') + 1), 'the stamp, fraction digits and all');
  assert.equal(patternsInComponent('山田太郎')[0]?.kind, 'name');
  for (const plain of ['CT', 'series1', 'IMG0001.dcm', 'T1_MPRAGE', 'localizer', 'Abdomen_Pelvis']) assert.deepEqual(patternsInComponent(plain), [], plain);
});
