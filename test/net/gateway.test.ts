// dicom-anonymizer serve between real peers (test/net/gateway-scenario.ts, in a network namespace of its own):
// storescu → gateway → Orthanc, storescp and a folder; kill -9 mid-stream and a restart; a refused calling AE; a
// peer that takes Implicit VR Little Endian only; a peer (Orthanc) that takes no Implicit VR; a burned-in ultrasound.
// Every delivered instance is compared with what `dicom-anonymizer -i ... -o ...` writes for the same file and key.

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
import { SOPInstanceUID } from '../../src/dicom/tags.generated.js';
import { explicitLittleEndianDataset } from '../../src/dicom/explicit-little-endian.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { makeImage, SOP } from '../anonymize/burned-in-helpers.js';
import { filesBelow } from '../helpers/tree.js';
import { runInNetns, skipUnlessNetPeers } from '../helpers/netns.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const datasetPart = (bytes: Buffer): Buffer => bytes.subarray(144 + bytes.readUInt32LE(140));

test('storescu → serve → Orthanc, storescp and a folder: the CLI\'s bytes, kill -9 without loss or duplicate, refusals and quarantines', { skip: skipUnlessNetPeers(), timeout: 120_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'gateway-test-'));
  try {
    const input = join(work, 'input');
    mkdirSync(input);
    const inputs: string[] = [];
    const implicitInputs: string[] = [];
    for (const rel of ['ct/slice-001.dcm', 'ct/slice-002.dcm', 'ct/slice-003.dcm', 'mr/image-001.dcm', 'mr/image-002.dcm']) {
      const to = join(input, rel.replace('/', '-'));
      copyFileSync(join(REPO, 'examples', rel), to);
      (rel.startsWith('mr/') ? implicitInputs : inputs).push(to);
    }
    // An ultrasound: at risk of burned-in text, nothing cleans it: quarantined, never forwarded.
    const us = join(input, 'zz-us.dcm');
    writeDicomFile(makeImage({ modality: 'US', sopClass: SOP.us, n: 1, burnedIn: 'NO' }), us);
    inputs.push(us);
    const keyFile = join(work, 'k.key');
    writeFileSync(keyFile, Buffer.from('gateway test key 0123456789abcdef'), { mode: 0o600 });
    // What the CLI writes for the same files and key.
    const cli = join(work, 'cli');
    // The plan serve builds from the same (absent) flags.
    const { plan } = await buildPlan({ options: [], pixelRuleFiles: [] });
    const summary = await runBatch({ input, output: cli, recursive: true, plan, secret: { kind: 'bytes', bytes: readFileSync(keyFile) }, jobs: 1, quarantine: join(work, 'cli-q') });
    assert.equal(summary.ok, 5);
    assert.equal(summary.quarantined, 1);
    const expected = filesBelow(cli).map((name) => {
      const path = join(cli, name);
      const bytes = readFileSync(path);
      const file = readDicomBuffer(bytes, path);
      const uid = getString(file.dataset, file.dataset.get(SOPInstanceUID)!, file.datasetSource);
      const implicit = file.transferSyntax.uid === '1.2.840.10008.1.2';
      const explicit = explicitLittleEndianDataset(readDicomBuffer(bytes, path));
      assert.ok(explicit instanceof Uint8Array, 'the byte layer makes an Explicit VR Little Endian copy of every example');
      return { uid, whole: md5(bytes), dataset: md5(datasetPart(bytes)), explicit: md5(explicit), implicit };
    });
    assert.equal(expected.filter((e) => e.implicit).length, 2, 'the MR examples are Implicit VR Little Endian');

    writeFileSync(join(work, 'config.json'), JSON.stringify({ inputs, implicitInputs, keyFile }));
    const { result, stderr } = await runInNetns(join(REPO, 'test', 'net', 'gateway-scenario.ts'), [work], 110_000);
    assert.equal(result.error, undefined, `${String(result.error)}\n${stderr.slice(-1500)}`);
    const r = result as Record<string, never> & { folderFiles: Record<string, string>; scpFiles: Record<string, string>; orthancFiles: Record<string, string>; implicitFiles: Record<string, string>; receipts: Record<string, number>; destinationQuarantine: string[] };
    assert.ok((r.receivedBeforeKill as number) >= 2, 'the gateway was killed after it had received instances');
    assert.equal(r.secondExit, 0, 'after the restart, storescu got Success for every instance');
    // Folder: the CLI's files, byte for byte, and nothing else.
    assert.deepEqual(r.folderFiles, Object.fromEntries(expected.map((e) => [e.uid, e.whole])));
    // storescp (accepts every syntax): each instance's dataset as the CLI wrote it, received once despite kill -9 and the resend.
    assert.deepEqual(r.scpFiles, Object.fromEntries(expected.map((e) => [e.uid, e.dataset])));
    assert.deepEqual(r.receipts, Object.fromEntries(expected.map((e) => [e.uid, 1])));
    // Orthanc (checked by WADO-RS, bytes as stored): explicit instances as the CLI wrote them; implicit ones in the
    // lossless Explicit VR Little Endian copy, since it accepts no implicit VR.
    assert.equal(r.orthancCount, 5);
    assert.deepEqual(r.orthancFiles, Object.fromEntries(expected.map((e) => [e.uid, e.implicit ? e.explicit : e.dataset])));
    // A peer that takes Implicit VR only: the implicit instances as they are; the explicit ones quarantined with the reason.
    assert.deepEqual(r.implicitFiles, Object.fromEntries(expected.filter((e) => e.implicit).map((e) => [e.uid, e.dataset])));
    assert.equal(r.destinationQuarantine.length, 3);
    for (const reason of r.destinationQuarantine) assert.match(reason, /IMPLONLY.*accepts neither Explicit VR Little Endian nor Explicit VR Little Endian|does not accept Explicit VR Little Endian/);
    // The ultrasound: quarantined by the burned-in policy, never forwarded.
    assert.ok((r.quarantined as number) >= 1);
    // A calling AE not on the allow-list: refused, and logged with the AE and address only.
    assert.notEqual(r.refusedExit, 0);
    assert.equal(r.refusedLogged, true);
    assert.equal(r.statusLine, true, 'SIGUSR1 printed the counts');
    const final = r.final as unknown as Record<string, number>;
    assert.equal(final.queued, 0);
    // The report and the audit (appended across the restart, read back through src/records), and no value anywhere.
    assert.ok((r.auditLines as number) > 50 && (r.reportLines as number) > 10);
    for (const value of ['SMITH', 'JOHN', 'MRN123456', 'SSN-555', 'GRETA', 'PID4471902', 'KV-A123456789']) {
      assert.ok(!(r.logsAndRecords as string).includes(value), `a value of the inputs (${value}) in the gateway's logs or records`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
