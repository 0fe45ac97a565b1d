// DICOMweb as a source and an output of the batch, against Orthanc + its DICOMweb plugin in a network namespace
// (test/net/dicomweb-scenario.ts): QIDO-RS + WADO-RS into a folder gives what the CLI writes from the same files;
// STOW-RS as the output stores what the CLI writes (read back by WADO-RS, bytes as stored).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBatch } from '../../src/batch/run.js';
import { buildPlan } from '../../src/config/build.js';
import { readDicomBuffer } from '../../src/dicom/part10.js';
import { getString } from '../../src/dicom/values.js';
import { Modality, StudyInstanceUID } from '../../src/dicom/tags.generated.js';
import { filesBelow } from '../helpers/tree.js';
import { runInNetns, skipUnlessNetPeers } from '../helpers/netns.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

test('DICOMweb: QIDO/WADO from Orthanc into a folder equals the CLI on the same files; STOW-RS as the output', { skip: skipUnlessNetPeers(), timeout: 90_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicomweb-test-'));
  try {
    const inputDir = join(work, 'input');
    mkdirSync(inputDir);
    const inputs = ['ct/slice-001.dcm', 'ct/slice-002.dcm', 'ct/slice-003.dcm', 'mr/image-001.dcm', 'mr/image-002.dcm'].map((rel) => {
      const to = join(inputDir, rel.replace('/', '-'));
      copyFileSync(join(REPO, 'examples', rel), to);
      return to;
    });
    const keyFile = join(work, 'k.key');
    writeFileSync(keyFile, Buffer.from('dicomweb test key 0123456789abcdef'), { mode: 0o600 });
    const { plan } = await buildPlan({ options: [], pixelRuleFiles: [] });
    const cliOut = join(work, 'cli');
    const summary = await runBatch({ input: inputDir, output: cliOut, recursive: true, plan, secret: { kind: 'bytes', bytes: readFileSync(keyFile) }, jobs: 1 });
    assert.equal(summary.ok, 5);
    const outputs = filesBelow(cliOut).map((name) => {
      const bytes = readFileSync(join(cliOut, name));
      const file = readDicomBuffer(bytes, name);
      const text = (tag: number): string => getString(file.dataset, file.dataset.get(tag)!, file.datasetSource);
      return { whole: md5(bytes), dataset: md5(bytes.subarray(144 + bytes.readUInt32LE(140))), modality: text(Modality), study: text(StudyInstanceUID) };
    });
    const mrStudy = getString(...((): Parameters<typeof getString> => {
      const f = readDicomBuffer(readFileSync(inputs[3]), 'mr');
      return [f.dataset, f.dataset.get(StudyInstanceUID)!, f.datasetSource];
    })());
    const anonymizedStudies = [...new Set(outputs.map((o) => o.study))];
    writeFileSync(join(work, 'config.json'), JSON.stringify({ inputDir, inputs, keyFile, mrStudy, anonymizedStudies }));

    const { result, stderr } = await runInNetns(join(REPO, 'test', 'net', 'dicomweb-scenario.ts'), [work], 80_000);
    assert.equal(result.error, undefined, `${String(result.error)}\n${stderr.slice(-1500)}`);
    const r = result as Record<string, { code: number; output: string; files?: string[]; datasets?: string[] }>;
    // QIDO-RS (ModalitiesInStudy=CT) + WADO-RS → folder: the CLI's CT outputs, byte for byte.
    assert.equal(r.qido.code, 0, r.qido.output);
    assert.deepEqual(r.qido.files, outputs.filter((o) => o.modality === 'CT').map((o) => o.whole).sort());
    // --study (the MR study) → folder: the CLI's MR outputs.
    assert.equal(r.study.code, 0, r.study.output);
    assert.deepEqual(r.study.files, outputs.filter((o) => o.modality === 'MR').map((o) => o.whole).sort());
    // -o dicomweb+http://…: Orthanc holds the CLI's outputs (their datasets, as stored), read back by WADO-RS.
    assert.equal(r.stow.code, 0, r.stow.output);
    assert.deepEqual(r.stow.datasets, outputs.map((o) => o.dataset).sort());
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
