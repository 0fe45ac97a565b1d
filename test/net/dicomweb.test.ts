// DICOMweb as a source and an output of the batch, through the storage port, against Orthanc + its DICOMweb plugin
// (and moto's S3) in a network namespace (test/net/dicomweb-scenario.ts): QIDO-RS + WADO-RS into a folder gives what
// the CLI writes from the same files; a DICOMweb input sharded two ways into an S3 bucket, or by the two array stages
// (scan --names), gives all of them; STOW-RS as
// the output (two shards) stores what the CLI writes (read back by WADO-RS, bytes as stored); no name holds a UID;
// instances the server fails to send (a stored file cut short, an HTTP 500, a connection broken mid-part) are failed
// files naming their place in the run, and the others are written.

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
import { Modality, SeriesInstanceUID, SOPInstanceUID, StudyInstanceUID } from '../../src/dicom/tags.generated.js';
import { parseRunReportText } from '../../src/records/index.js';
import { nameInstances } from '../../src/storage/dicomweb/names.js';
import { filesBelow } from '../helpers/tree.js';
import { runInNetns, skipUnlessNetPeers } from '../helpers/netns.js';
import { motoProblem } from '../helpers/object-servers.js';
import { IN_CI } from '../helpers/tools.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const INSTANCE_NAME = /^study-\d{4}\/series-\d{4}\/instance-\d{6}\.dcm$/;

function skipReason(): string | false {
  const net = skipUnlessNetPeers();
  if (net !== false) return net;
  const moto = motoProblem();
  return moto !== null && !IN_CI ? `${moto} (with CI=true this test fails)` : false;
}

test('DICOMweb through the storage port: QIDO/WADO → folder and → S3 (sharded) equal the CLI; STOW-RS output (sharded); failed instances named by their place', { skip: skipReason(), timeout: 150_000 }, async () => {
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
    const uidsOf = (bytes: Buffer, name: string): { study: string; series: string; sop: string; modality: string } => {
      const file = readDicomBuffer(bytes, name);
      const text = (tag: number): string => getString(file.dataset, file.dataset.get(tag)!, file.datasetSource);
      return { study: text(StudyInstanceUID), series: text(SeriesInstanceUID), sop: text(SOPInstanceUID), modality: text(Modality) };
    };
    // The CLI's output for each input, in input order (the output keeps the input's file name).
    const outputs = inputs.map((input) => {
      const name = filesBelow(cliOut).find((n) => n.endsWith(input.split('/').pop()!))!;
      const bytes = readFileSync(join(cliOut, name));
      return { whole: md5(bytes), dataset: md5(bytes.subarray(144 + bytes.readUInt32LE(140))), ...uidsOf(bytes, name) };
    });
    const originals = inputs.map((p) => uidsOf(readFileSync(p), p));
    const originalUids = [...new Set(originals.flatMap((o) => [o.study, o.series, o.sop]))];
    const ctStudy = originals[0].study;
    const mrStudy = originals[3].study;
    assert.equal(originals.filter((o) => o.study === ctStudy && o.series === originals[0].series).length, 3, 'the three CT examples are one series');
    const brokenSops = { http500: originals[0].sop, cutFile: originals[1].sop, cutConnection: originals[2].sop, cutOnce: originals[3].sop };
    const anonymizedStudies = [...new Set(outputs.map((o) => o.study))];
    writeFileSync(join(work, 'config.json'), JSON.stringify({ inputDir, inputs, keyFile, ctStudy, mrStudy, anonymizedStudies, brokenSops }));

    const { result, stderr } = await runInNetns(join(REPO, 'test', 'net', 'dicomweb-scenario.ts'), [work], 140_000);
    assert.equal(result.error, undefined, `${String(result.error)}\n${stderr.slice(-1500)}`);
    type Files = Record<string, string>;
    const r = result as {
      qido: { code: number; output: string; files: Files; report: string }; study: { code: number; output: string; files: Files };
      bucket: { codes: number[]; output: string; objects: Files }; twoStages: { codes: number[]; output: string; files: Files }; stow: { codes: number[]; output: string; datasets: string[] };
      failure: { cutConnectionAnswered: number; cutOnceAsked: number; http500Asked: number; code: number; output: string; files: Files; report: string };
    };
    const hashes = (files: Files): string[] => Object.values(files).sort();
    const ct = outputs.filter((o) => o.modality === 'CT');
    // QIDO-RS (ModalitiesInStudy=CT) + WADO-RS → folder: the CLI's CT outputs, byte for byte.
    assert.equal(r.qido.code, 0, r.qido.output);
    assert.deepEqual(hashes(r.qido.files), ct.map((o) => o.whole).sort());
    // --study (the MR study) → folder: the CLI's MR outputs.
    assert.equal(r.study.code, 0, r.study.output);
    assert.deepEqual(hashes(r.study.files), outputs.filter((o) => o.modality === 'MR').map((o) => o.whole).sort());
    // Both studies → s3://research/anon as shards 0/2 and 1/2: every output once, under the same names.
    assert.deepEqual(r.bucket.codes, [0, 0], r.bucket.output);
    assert.deepEqual(hashes(r.bucket.objects), outputs.map((o) => o.whole).sort());
    for (const key of Object.keys(r.bucket.objects)) assert.match(key.replace(/^anon\//, ''), INSTANCE_NAME);
    // scan --names then anonymize --names, two shards each: every output once, names as above.
    assert.deepEqual(r.twoStages.codes, [0, 0, 0, 0], r.twoStages.output);
    assert.deepEqual(hashes(r.twoStages.files), outputs.map((o) => o.whole).sort());
    for (const name of Object.keys(r.twoStages.files)) assert.match(name, INSTANCE_NAME);
    // -o dicomweb+http://… as shards 0/2 and 1/2: Orthanc holds the CLI's outputs (their datasets, as stored).
    assert.deepEqual(r.stow.codes, [0, 0], r.stow.output);
    assert.deepEqual(r.stow.datasets, outputs.map((o) => o.dataset).sort());

    // Names hold no UID: positions only, in the folders, the bucket and the report.
    for (const name of [...Object.keys(r.qido.files), ...Object.keys(r.study.files), ...Object.keys(r.failure.files)]) assert.match(name, INSTANCE_NAME);
    const everything = JSON.stringify(r);
    for (const uid of originalUids) assert.ok(!everything.includes(uid), 'an original UID appears in a name, a report or a message');
    const qidoReport = parseRunReportText(r.qido.report, 'qido-report.json');
    assert.equal(qidoReport.files.length, 3);
    for (const entry of qidoReport.files) assert.match(entry.input, /^dicomweb\+http:\/\/127\.0\.0\.1:\d+\/dicom-web\/study-0001\/series-0001\/instance-00000[123]\.dcm$/);

    // The server fails to send the three CT instances, each its own way: each is a failed file (exit 2) whose error
    // names its place in the run; the two MR instances are written (one of them after its first answer broke off).
    const tree = new Map<string, Map<string, string[]>>();
    for (const o of originals) {
      const series = tree.get(o.study) ?? new Map<string, string[]>();
      series.set(o.series, [...(series.get(o.series) ?? []), o.sop]);
      tree.set(o.study, series);
    }
    const nameOf = (sop: string): string => nameInstances(tree).find((n) => n.place.instance === sop)!.name;
    assert.equal(r.failure.code, 2, r.failure.output);
    assert.equal(r.failure.cutConnectionAnswered, 3, 'an answer broken off is asked for again, three answers in all');
    assert.equal(r.failure.http500Asked, 3, 'an HTTP 500 is tried three times in all');
    // One MR instance's first answer broke off halfway: asked again, its bytes after those passed on completed it.
    assert.equal(r.failure.cutOnceAsked, 2);
    assert.deepEqual(hashes(r.failure.files), outputs.filter((o) => o.modality === 'MR').map((o) => o.whole).sort());
    const entries = parseRunReportText(r.failure.report, 'fail-report.json').files;
    assert.equal(entries.filter((e) => e.status === 'ok').length, 2, r.failure.report);
    const failedAt = (sop: string): string => {
      const entry = entries.find((e) => e.input.endsWith(`/dicom-web/${nameOf(sop)}`));
      assert.equal(entry?.status, 'failed', r.failure.report);
      assert.ok(entry!.error!.includes(nameOf(sop)), entry!.error);
      return entry!.error!;
    };
    assert.match(failedAt(brokenSops.http500), /WADO-RS .*HTTP 500/);
    assert.match(failedAt(brokenSops.cutConnection), /WADO-RS: the answer (broke off|ended inside the part)/);
    assert.match(failedAt(brokenSops.cutFile), /runs past the end|end of (the )?(file|data)|truncated/i);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
