// verify --run-report tells the run's own pixel changes from others, on the real batch with --preset tcia (runBatch,
// then verify paired by the mapping with the options the preset uses): corpus files the run redacts and re-encodes lossily (JPEG baseline, JPEG-LS
// near-lossless) or whose bits outside Bits Stored it clears (mlut_18) give no medium finding, only a low
// pixel-data-reencoded note with the largest difference; corpus values that are not prose (a GE IS read as UN, a
// "Region^Modality" attenuation method) give no pattern finding. A generated JPEG baseline ultrasound with a name is
// redacted by the run; a second name drawn into the output afterwards, outside the box, is a medium finding.

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readDicomFile } from '../../src/dicom/part10.js';
import { PixelData } from '../../src/dicom/tags.generated.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { readFrames, type PixelLayout } from '../../src/pixels/index.js';
import { loadCodec } from '../../src/pixels/codecs/index.js';
import { readRunReport } from '../../src/records/index.js';
import { changesOutside } from '../../src/verify/own-redactions.js';
import { buildPlan } from '../../src/config/build.js';
import { runBatch } from '../../src/batch/run.js';
import { addOwnRedactions, verifyTrees, type VerifyReport } from '../../src/verify/index.js';
import { CORPUS_DIR, corpusSkip } from '../helpers/corpus.js';
import { drawTextImage } from '../helpers/text-image.js';
import { textDicom } from '../anonymize/text-dicom.js';

const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const TCIA_OPTIONS = ['cleanDescriptors', 'retainLongitudinalModifiedDates', 'retainPatientCharacteristics', 'retainDeviceIdentity', 'retainSafePrivate'];

const SECRET = { kind: 'text', text: 'verify run-own-changes test key 0123456789' } as const;

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'verify-run-own-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** The batch with --preset tcia, then verify paired by the mapping with the run's report (as `verify --run-report`). */
async function anonymizeThenVerify(name: string, input: string): Promise<{ json: VerifyReport; output: string; runReport: string; verify: () => Promise<VerifyReport> }> {
  const output = join(work, `${name}-out`), runReport = join(work, `${name}-run.json`), mapping = join(work, `${name}-map`);
  const { plan } = await buildPlan({ preset: 'tcia' });
  const summary = await runBatch({ input, output, recursive: true, plan, secret: SECRET, jobs: 1, log: () => {}, reportPath: runReport, mappingDir: mapping });
  assert.equal(summary.failed, 0);
  const options = [...plan.profile!.options];
  assert.deepEqual([...options].sort(), [...TCIA_OPTIONS].sort(), 'the options the lead verified with');
  const verify = async (): Promise<VerifyReport> => addOwnRedactions(verifyTrees({ input, output, mapping, options }), runReport);
  return { json: await verify(), output, runReport, verify };
}

const serious = (json: VerifyReport): string[] =>
  json.files.flatMap((f) => f.findings.filter((x) => x.severity !== 'low').map((x) => `${f.input}: ${x.severity} ${x.kind} ${x.tagPath} ${x.message}`));

describe('verify --run-report on the run\'s own pixel changes', () => {
  it('corpus: lossy re-encodes, cleared bits and technical values give no medium finding', { skip: corpusSkip(), timeout: 300_000 }, async () => {
    const input = join(work, 'corpus-in');
    mkdirSync(input);
    for (const path of ['fo-dicom/GH538-jpeg1.dcm', 'pydicom-data/JLSN_RGB_ILV0.dcm', 'pydicom-data/mlut_18.dcm', 'suyashkumar-dicom/2.dcm', 'generated/no_meta_implicit_vr.dcm']) {
      copyFileSync(join(CORPUS_DIR, path), join(input, path.replace('/', '_')));
    }
    const { json, runReport } = await anonymizeThenVerify('corpus', input);
    const report = readRunReport(runReport);
    const record = (name: string) => report.files.find((e) => e.input.endsWith(name))?.burnedIn;
    // The run records what it did: lossy re-encodes in the file's syntax, the bits it cleared.
    assert.deepEqual(record('GH538-jpeg1.dcm')?.reencoded, { syntax: JPEG_BASELINE, frames: [0], lossy: true });
    assert.deepEqual(record('JLSN_RGB_ILV0.dcm')?.reencoded?.lossy, true);
    assert.deepEqual(record('mlut_18.dcm')?.bitsCleared, [0]);
    assert.deepEqual(serious(json), []);
    const notes = json.files.flatMap((f) => f.findings.filter((x) => x.kind === 'pixel-data-reencoded').map(() => f.input!.split('/').at(-1)));
    assert.deepEqual(notes.sort(), ['fo-dicom_GH538-jpeg1.dcm', 'pydicom-data_JLSN_RGB_ILV0.dcm'], 'each lossy re-encode leaves its low note');
    for (const f of json.files) {
      for (const x of f.findings.filter((x) => x.kind === 'pixel-data-reencoded')) {
        const [, max, tolerance] = /differ from the original's by at most (\d+) \(tolerance (\d+)\)/.exec(x.message) ?? [];
        // 8-bit files: the tolerance is at most 1/8 of 256, and the codec's error measured here is below it.
        assert.ok(Number(tolerance) <= 32 && Number(max) > 0 && Number(max) <= Number(tolerance), x.message);
      }
    }
  });

  it('generated JPEG baseline: the run\'s redaction passes, a name drawn in afterwards outside the box is medium', { timeout: 300_000 }, async () => {
    const input = join(work, 'generated-in');
    mkdirSync(input);
    const width = 320, height = 240;
    const drawn = drawTextImage({ width, height, background: { kind: 'gradient', from: 30, to: 90 }, items: [
      { text: 'SMITH^JOHN', font: 'Test Sans', size: 18, x: 8, y: 8, value: 230 },
    ] }).image.data;
    writeDicomFile(await textDicom({ n: 1, width, height, frames: [drawn], syntax: JPEG_BASELINE }), join(input, 'us.dcm'));
    const { json, output, runReport, verify } = await anonymizeThenVerify('generated', input);
    const record = readRunReport(runReport).files[0]!.burnedIn;
    assert.equal(record?.status, 'redacted', 'the name was found and blanked');
    assert.deepEqual(record?.reencoded, { syntax: JPEG_BASELINE, frames: [0], lossy: true });
    assert.deepEqual(serious(json), []);
    assert.ok(json.files[0]!.findings.some((f) => f.kind === 'pixel-data-reencoded' && f.severity === 'low'));

    // An editor draws a second name into the output, far from the blanked box, and saves it as JPEG baseline again.
    const [outName] = readdirSync(output).filter((n) => n.endsWith('.dcm'));
    const outPath = join(output, outName!);
    const file = readDicomFile(outPath);
    let frame: { data: Uint8Array; layout: PixelLayout } | null = null;
    for await (const f of readFrames(file)) frame = { data: Uint8Array.from(f.data), layout: f.layout };
    const planted = drawTextImage({ width, height, background: { kind: 'flat', value: 0 }, items: [
      { text: 'DOE^JANE', font: 'Test Sans', size: 18, x: 120, y: 170, value: 240 },
    ] }).image.data;
    for (let i = 0; i < planted.length; i++) if (planted[i]! > 100) frame!.data[i] = planted[i]!;
    const codec = await loadCodec(JPEG_BASELINE);
    assert.ok(codec && frame);
    const encoded = codec.encode({ data: frame!.data, layout: frame!.layout });
    const value = encoded.data.length % 2 === 0 ? encoded.data : Uint8Array.from([...encoded.data, 0]);
    file.dataset.get(PixelData)!.setFragments([{ span: null, value: new Uint8Array(0) }, { span: null, value }]);
    writeDicomFile(file, join(work, 'planted.dcm'));
    file.close();
    renameSync(join(work, 'planted.dcm'), outPath);

    const found = await verify();
    const changed = found.files[0]!.findings.filter((f) => f.kind === 'pixel-data-changed');
    assert.equal(changed.length, 1, JSON.stringify(found.files[0]!.findings));
    assert.equal(changed[0]!.severity, 'medium');
    assert.match(changed[0]!.message, /outside the rectangles the run reports redacting and beyond its lossy re-encode's error .*: \d+ pixel\(s\), first on frame 0/);
  });

  it('cleared bits: only the Bits Stored bits are compared, and the output\'s others must be zero', async () => {
    const width = 64, height = 48;
    const grey = new Uint8Array(width * height).map((_, i) => (i * 7) % 200);
    const path = (name: string): string => join(work, `bits-${name}.dcm`);
    writeDicomFile(await textDicom({ n: 2, width, height, frames: [grey], bits: 16 }), path('plain'));
    // The original: 12 bits in 16 with bits 12-15 holding something (an overlay plane, garbage) on every pixel.
    const withWords = async (name: string, change: (words: Uint16Array) => void): Promise<void> => {
      const file = readDicomFile(path('plain'));
      const words = new Uint16Array(Uint8Array.from(file.dataset.get(PixelData)!.bytes(file.datasetSource)).buffer);
      change(words);
      file.dataset.get(PixelData)!.setValue(new Uint8Array(words.buffer), 'OW');
      writeDicomFile(file, path(name));
      file.close();
    };
    await withWords('original', (w) => w.forEach((v, i) => (w[i] = v | 0xa000)));
    await withWords('cleared', () => {});
    await withWords('other-bits', (w) => w.forEach((v, i) => (w[i] = i < 10 ? v | 0x4000 : v)));
    await withWords('value-changed', (w) => w.forEach((v, i) => (w[i] = i < 10 ? v ^ 0x0100 : v)));
    const compare = async (name: string, bitsCleared?: number[]): Promise<number | undefined> => {
      const original = readDicomFile(path('original')), output = readDicomFile(path(name));
      try {
        return (await changesOutside(original, output, [], bitsCleared ? { bitsCleared } : {}))?.pixels;
      } finally {
        original.close();
        output.close();
      }
    };
    assert.equal(await compare('cleared'), width * height, 'without the record every cleared word is a change');
    assert.equal(await compare('cleared', [0]), 0, 'the run cleared them: the image is the same');
    assert.equal(await compare('other-bits', [0]), 10, 'bits outside Bits Stored the run did not clear that way');
    assert.equal(await compare('value-changed', [0]), 10, 'a change of the image itself');
  });
});

