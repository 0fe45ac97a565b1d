// storescu → serve → a storescp that accepts Explicit VR Little Endian only (test/net/gateway-transcode-scenario.ts, in
// a network namespace of its own): instances in Explicit VR Big Endian, JPEG-LS lossless, JPEG lossless, RLE, JPEG 2000
// lossless (made by dcmtk and GDCM) and HTJ2K lossless (by our encoder, sent by our SCU) arrive in Explicit VR Little Endian, each the
// lossless copy of what `dicom-anonymizer -i ... -o ...` writes for the same file and key, its pixels the samples the
// CLI's output decodes to; a lossy JPEG baseline instance is quarantined with a reason naming its syntax.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBatch } from '../../src/batch/run.js';
import { buildPlan } from '../../src/config/build.js';
import { readDicomBuffer, readDicomFile } from '../../src/dicom/part10.js';
import { getString, setString } from '../../src/dicom/values.js';
import { ImageType, SOPInstanceUID, TransferSyntaxUID, MediaStorageSOPInstanceUID } from '../../src/dicom/tags.generated.js';
import { transferSyntaxOf } from '../../src/dicom/transfer-syntax.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { loadCodec } from '../../src/pixels/codecs/index.js';
import { describeImage, readFrames } from '../../src/pixels/index.js';
import { explicitLittleEndianCopy } from '../../src/pixels/explicit-little-endian-copy.js';
import { makeImage, SOP } from '../anonymize/burned-in-helpers.js';
import { run } from '../helpers/corpus.js';
import { filesBelow } from '../helpers/tree.js';
import { runInNetns, skipUnlessNetPeers } from '../helpers/netns.js';
import { skipUnlessTools, requireTools } from '../helpers/tools.js';
import { compareSamples, decodeAll } from '../pixels/helpers.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CT = join(REPO, 'examples', 'ct', 'slice-001.dcm');
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

const TS = {
  bigEndian: '1.2.840.10008.1.2.2', jpegLs: '1.2.840.10008.1.2.4.80', jpegLossless: '1.2.840.10008.1.2.4.70', rle: '1.2.840.10008.1.2.5',
  j2k: '1.2.840.10008.1.2.4.90', htj2k: '1.2.840.10008.1.2.4.201', jpegBaseline: '1.2.840.10008.1.2.4.50',
};

/** A copy of the CT example with a SOP Instance UID of its own (the gateway forwards each UID once). */
function distinctCopy(from: string, to: string, n: number): void {
  const file = readDicomFile(from);
  const uid = `2.25.2727${n}`;
  setString(file.dataset, file.dataset.get(SOPInstanceUID)!, uid);
  if (file.meta) setString(file.meta, file.meta.get(MediaStorageSOPInstanceUID)!, uid);
  writeDicomFile(file, to);
  file.close();
}

/** Runs an encoder of dcmtk or GDCM and checks it really wrote `ts`. */
async function encode(tool: string, args: string[], output: string, ts: string): Promise<void> {
  const r = await run(tool, args, 60_000);
  assert.equal(r.code, 0, `${tool} ${args.join(' ')}: ${r.stderr.slice(0, 300)}`);
  assert.equal(readDicomBuffer(readFileSync(output), output).transferSyntax.uid, ts, `${tool} wrote ${ts}`);
}

/** HTJ2K lossless by our own encoder (GDCM 3.0 and dcmtk 3.6.7 write none). */
async function htj2k(from: string, to: string): Promise<void> {
  const file = readDicomBuffer(readFileSync(from), from);
  const codec = await loadCodec(TS.htj2k)!;
  const fragments: { span: null; value: Uint8Array }[] = [{ span: null, value: new Uint8Array(0) }];
  for await (const frame of readFrames(file)) {
    const data = codec.encode({ data: frame.data, layout: frame.layout }).data;
    fragments.push({ span: null, value: data.length % 2 ? Uint8Array.from([...data, 0]) : data });
  }
  describeImage(file.dataset, file.datasetSource);
  file.dataset.get(0x7fe00010)!.setFragments(fragments);
  file.transferSyntax = transferSyntaxOf(TS.htj2k);
  setString(file.meta!, file.meta!.get(TransferSyntaxUID)!, TS.htj2k);
  writeDicomFile(file, to);
}

test('storescu → serve → a peer taking Explicit VR Little Endian only: lossless syntaxes transcoded, a lossy one quarantined', { skip: skipUnlessNetPeers() || skipUnlessTools('dcmconv', 'dcmcjpeg', 'gdcmconv'), timeout: 120_000 }, async () => {
  requireTools('dcmconv', 'dcmcjpeg', 'gdcmconv');
  const work = mkdtempSync(join(tmpdir(), 'gateway-transcode-'));
  try {
    const input = join(work, 'input');
    const plain = join(work, 'plain');
    mkdirSync(input);
    mkdirSync(plain);
    const source = (n: number): string => {
      const path = join(plain, `ct-${n}.dcm`);
      distinctCopy(CT, path, n);
      return path;
    };
    const at = (name: string): string => join(input, name);
    await encode('dcmconv', ['+tb', source(1), at('big-endian.dcm')], at('big-endian.dcm'), TS.bigEndian);
    await encode('dcmcjpls', [source(2), at('jpeg-ls.dcm')], at('jpeg-ls.dcm'), TS.jpegLs);
    await encode('dcmcjpeg', [source(3), at('jpeg-lossless.dcm')], at('jpeg-lossless.dcm'), TS.jpegLossless);
    await encode('dcmcrle', [source(4), at('rle.dcm')], at('rle.dcm'), TS.rle);
    await encode('gdcmconv', ['--j2k', source(5), at('j2k.dcm')], at('j2k.dcm'), TS.j2k);
    await htj2k(source(6), at('htj2k.dcm'));
    // JPEG baseline takes 8-bit samples: an 8-bit CT image (not at risk of burned-in text), made lossy by dcmcjpeg.
    writeDicomFile(makeImage({ modality: 'CT', sopClass: SOP.ct, n: 7, burnedIn: 'NO' }), join(plain, 'ct8.dcm'));
    await encode('dcmcjpeg', ['+eb', join(plain, 'ct8.dcm'), join(plain, 'ct8-jpeg.dcm')], join(plain, 'ct8-jpeg.dcm'), TS.jpegBaseline);
    // dcmcjpeg calls a lossy image DERIVED, which the burned-in gate quarantines: said ORIGINAL again, so it reaches the peer.
    const baseline = readDicomFile(join(plain, 'ct8-jpeg.dcm'));
    setString(baseline.dataset, baseline.dataset.get(ImageType)!, 'ORIGINAL\\PRIMARY');
    writeDicomFile(baseline, at('jpeg-baseline.dcm'));
    baseline.close();
    const inputs = filesBelow(input).map((name) => join(input, name));
    assert.equal(inputs.length, 7);
    // dcmtk 3.6.7's storescu does not know HTJ2K: the tool's own Storage SCU sends that one.
    const ownScuInputs = inputs.filter((path) => path.endsWith('htj2k.dcm'));

    // What the CLI writes for the same files and key, and the lossless Explicit VR Little Endian copy of each.
    const keyFile = join(work, 'k.key');
    writeFileSync(keyFile, Buffer.from('gateway transcode test key 0123456789'), { mode: 0o600 });
    const cli = join(work, 'cli');
    const { plan } = await buildPlan({ options: [], pixelRuleFiles: [] });
    const summary = await runBatch({ input, output: cli, recursive: true, plan, secret: { kind: 'bytes', bytes: readFileSync(keyFile) }, jobs: 1, quarantine: join(work, 'cli-q') });
    assert.equal(summary.ok, 7, JSON.stringify(summary));
    const expected = new Map<string, { ts: string; path: string; copy: Uint8Array | { reason: string } }>();
    for (const name of filesBelow(cli)) {
      const path = join(cli, name);
      const bytes = readFileSync(path);
      const file = readDicomBuffer(bytes, path);
      const uid = getString(file.dataset, file.dataset.get(SOPInstanceUID)!, file.datasetSource);
      expected.set(uid, { ts: file.transferSyntax.uid, path, copy: await explicitLittleEndianCopy(readDicomBuffer(bytes, path)) });
    }
    assert.deepEqual([...expected.values()].map((e) => e.ts).sort(), Object.values(TS).sort(), 'the CLI keeps each instance\'s syntax');

    writeFileSync(join(work, 'config.json'), JSON.stringify({ inputs: inputs.filter((path) => !ownScuInputs.includes(path)), ownScuInputs, keyFile, sopClasses: [SOP.ct] }));
    const { result, stderr } = await runInNetns(join(REPO, 'test', 'net', 'gateway-transcode-scenario.ts'), [work], 100_000);
    assert.equal(result.error, undefined, `${String(result.error)}\n${stderr.slice(-1500)}`);
    const r = result as { sendExit: number; ownScu: { kind: string }[]; files: { path: string; transferSyntax: string; uid: string }[]; reasons: string[] };
    assert.equal(r.sendExit, 0, 'storescu got Success for every instance');
    assert.deepEqual(r.ownScu.map((s) => s.kind), ['stored']);

    // Every lossless instance arrived once, in Explicit VR Little Endian, as the copy of the CLI's output, byte for byte.
    const lossless = [...expected].filter(([, e]) => e.ts !== TS.jpegBaseline);
    assert.deepEqual(r.files.map((f) => f.uid).sort(), lossless.map(([uid]) => uid).sort());
    for (const received of r.files) {
      const e = expected.get(received.uid)!;
      assert.equal(received.transferSyntax, '1.2.840.10008.1.2.1', `${e.ts} arrived in Explicit VR Little Endian`);
      assert.ok(e.copy instanceof Uint8Array, `${e.ts}: ${(e.copy as { reason: string }).reason}`);
      const bytes = readFileSync(received.path);
      assert.equal(md5(bytes.subarray(144 + bytes.readUInt32LE(140))), md5(e.copy), `${e.ts}: the dataset the peer got is the copy of the CLI's output`);
      // And its pixels are the samples the CLI's output decodes to.
      const theirs = await decodeAll(readDicomBuffer(bytes, received.path));
      const cliPixels = await decodeAll(readDicomFile(e.path));
      assert.equal(theirs.frames.length, cliPixels.frames.length);
      theirs.frames.forEach((frame, f) => assert.equal(compareSamples(cliPixels.frames[f], cliPixels.layout, frame, theirs.layout).differing, 0, `${e.ts} frame ${f}`));
    }
    // The lossy JPEG baseline instance: quarantined for this destination, the reason naming its syntax (no value).
    assert.equal(r.reasons.length, 1, JSON.stringify(r.reasons));
    assert.match(r.reasons[0], /LEONLY.*does not accept JPEG Baseline.*JPEG Baseline \(Process 1\), a lossy syntax/);
  } finally {
    if (!process.env.KEEP_WORK) rmSync(work, { recursive: true, force: true });
  }
});
