// Redact, then verify --pixels --run-report: the tool's own redactions (the rectangles the run's report names) are
// not findings, so a clean run exits 0; a name drawn into the output afterwards, outside them, is found (the pixel
// change outside the rectangles and the name read in the pixels) and verify exits non-zero.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicProfilePlan } from '../../src/config/build.js';
import { runBatch } from '../../src/batch/run.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { PixelData, Modality } from '../../src/dicom/tags.generated.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import type { Plan } from '../../src/plan/plan.js';
import { addOwnRedactions, addPixelFindings, verifyExitCode, verifyTrees } from '../../src/verify/index.js';
import { drawTextImage } from '../helpers/text-image.js';
import { textDicom } from '../anonymize/text-dicom.js';

const SECRET = { kind: 'text', text: 'own-redactions-key-0123456789' } as const;

test('redact then verify --pixels --run-report: 0 on the tool\'s own redactions, 3 on a name drawn in later', { timeout: 240_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'verify-own-'));
  try {
    const input = join(work, 'in');
    mkdirSync(input);
    const { image } = drawTextImage({ width: 320, height: 240, background: { kind: 'flat', value: 20 }, items: [
      { text: 'SMITH^JOHN', font: 'Test Sans', size: 16, x: 6, y: 6, value: 230 },
    ] });
    writeDicomFile(await textDicom({ n: 1, width: 320, height: 240, frames: [image.data] }), join(input, 'us.dcm'));
    // A pixel rule blanks the top band where the name is: a redaction the run's report names.
    const base = basicProfilePlan([]);
    const plan: Plan = { ...base, pixels: { ...base.pixels, rules: [
      { conditions: [{ tag: Modality, op: 'equals', value: 'US' }], regions: [{ kind: 'rectangle', units: 'pixels', x: 0, y: 0, width: 320, height: 40 }], origin: 'test rule' },
    ] } };
    const output = join(work, 'out'), runReport = join(work, 'run.json');
    const summary = await runBatch({ input, output, recursive: true, plan, secret: SECRET, jobs: 1, log: () => {}, reportPath: runReport });
    assert.equal(summary.ok, 1);

    const plain = verifyTrees({ input, output });
    assert.ok(plain.files[0]!.findings.some((f) => f.kind === 'pixel-data-changed'), 'without the run report the redaction is a change');
    const own = await addPixelFindings(await addOwnRedactions(plain, runReport));
    assert.deepEqual(own.files[0]!.findings.map((f) => `${f.kind}: ${f.message}`), []);
    assert.equal(verifyExitCode(own, true), 0);

    // A name drawn into the output's pixels below the redacted band, as an editor after the run would.
    const planted = drawTextImage({ width: 320, height: 240, background: { kind: 'flat', value: 0 }, items: [
      { text: 'SMITH^JOHN', font: 'Test Sans', size: 16, x: 90, y: 150, value: 230 },
    ] }).image.data;
    const file = readDicomFile(join(output, 'us.dcm'));
    const pixels = Buffer.from(file.dataset.get(PixelData)!.bytes(file.datasetSource));
    for (let i = 0; i < planted.length; i++) if (planted[i]! > 100) pixels[i] = planted[i]!;
    file.dataset.get(PixelData)!.setValue(pixels, 'OW');
    writeDicomFile(file, join(work, 'planted.dcm'));
    file.close();
    rmSync(join(output, 'us.dcm'));
    writeDicomFile(readDicomFile(join(work, 'planted.dcm')), join(output, 'us.dcm'));

    const found = await addPixelFindings(await addOwnRedactions(verifyTrees({ input, output }), runReport));
    const kinds = found.files[0]!.findings.map((f) => f.kind);
    assert.ok(kinds.includes('pixel-data-changed'), kinds.join());
    assert.match(found.files[0]!.findings.find((f) => f.kind === 'pixel-data-changed')!.message, /outside the rectangles the run reports redacting: \d+ pixel\(s\), first on frame 0/);
    assert.ok(kinds.includes('pixel-text-identifying'), `the planted name is read: ${kinds.join()}`);
    assert.equal(verifyExitCode(found, true), 3);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
