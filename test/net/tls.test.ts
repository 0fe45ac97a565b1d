// TLS for both network paths, with a throw-away CA and server certificate made by openssl (CN/SAN 127.0.0.1):
// DICOMweb over https (Orthanc behind a node:https front, see scenario(); STOW-RS from the batch with --ca-file, read
// back by WADO-RS over https; refused without --ca-file) and DIMSE over TLS (dcmtk's storescu +tls → serve
// --tls-key/--tls-cert → a folder; with --tls-ca, a client certificate is required). Run as a test, this file computes
// the CLI's outputs and runs itself with `scenario WORK` inside a network namespace (test/helpers/netns.ts), where it
// starts Orthanc, the https front, the gateway and storescu, and prints one JSON line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBatch } from '../../src/batch/run.js';
import { buildPlan } from '../../src/config/build.js';
import { readDicomBuffer } from '../../src/dicom/part10.js';
import { getString } from '../../src/dicom/values.js';
import { StudyInstanceUID } from '../../src/dicom/tags.generated.js';
import { retrieveStudy } from '../../src/net/dicomweb/retrieve.js';
import { filesBelow } from '../helpers/tree.js';
import { trustCaFile } from '../../src/cli/ca-file.js';
import { freePort, netPeersProblem, ORTHANC_DICOMWEB_PLUGIN, runInNetns } from '../helpers/netns.js';
import { IN_CI } from '../helpers/tools.js';
import { makeCertificates, opensslProblem, startHttpsFront, type TestCertificates } from '../helpers/certificates.js';
import { runAsScenario, scenarioProcesses, waitFor } from '../helpers/scenario-processes.js';

const SELF = fileURLToPath(import.meta.url);
const REPO = resolve(dirname(SELF), '..', '..');
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const datasetPart = (bytes: Buffer): Buffer => bytes.subarray(144 + bytes.readUInt32LE(140));
/** Values of the examples' identifying elements: none may appear in an error line. */
const VALUES = ['SMITH', 'JOHN', 'MRN123456', 'SSN-555', 'GRETA', 'PID4471902', 'KV-A123456789'];

interface Config extends TestCertificates { inputDir: string; implicitInputs: string[]; keyFile: string; studies: string[] }

// ---- The scenario, inside the namespace ----

async function scenario(work: string): Promise<Record<string, unknown>> {
  const config = JSON.parse(readFileSync(join(work, 'config.json'), 'utf8')) as Config;
  const { start, exited, run, killAll } = scenarioProcesses();
  const cli = (args: string[]): Promise<{ code: number; output: string }> =>
    run(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), ...args, '--key-file', config.keyFile, '-j', '1']);
  try {
    const [httpPort, httpsPort, dicomPort, gatewayPort, pinnedPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    // 1. Orthanc behind an https front. Orthanc's own SSL mode ("SslEnabled") cannot be used here: Debian 12's
    // Orthanc 1.10.1 with libcivetweb1 1.15 and OpenSSL 3 dies (SIGSEGV, a call through a null pointer in a civetweb
    // worker) on its first TLS connection. So the https server is node:https with the test's certificate, passing each
    // request on to Orthanc's plain HTTP port (both on the namespace's loopback).
    const dir = join(work, 'orthanc');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'orthanc.json'), JSON.stringify({
      Name: 'test', StorageDirectory: join(dir, 'db'), IndexDirectory: join(dir, 'db'), HttpPort: httpPort, DicomPort: dicomPort, RemoteAccessAllowed: false,
      AuthenticationEnabled: false, Plugins: [ORTHANC_DICOMWEB_PLUGIN], DicomWeb: { Enable: true, Root: '/dicom-web/' }, StorageCompression: false,
    }));
    const orthanc = start('Orthanc', [join(dir, 'orthanc.json')]);
    const front = await startHttpsFront(config, httpsPort, httpPort);
    trustCaFile(config.ca); // this process reads back over https with the same CA
    const https = `https://127.0.0.1:${httpsPort}`;
    await waitFor('Orthanc over https', async () => (await fetch(`${https}/system`).catch(() => null))?.ok === true, 20_000);
    const plainHttp = await fetch(`http://127.0.0.1:${httpsPort}/system`).then((r) => r.status, () => -1);
    const web = `dicomweb+${https}/dicom-web`;
    const noCa = await cli(['-i', config.inputDir, '-o', web, '--quarantine', join(work, 'q-no-ca')]);
    const withCa = await cli(['-i', config.inputDir, '-o', web, '--quarantine', join(work, 'q-ca'), '--ca-file', config.ca]);
    const stowedBack: string[] = [];
    for (const uid of config.studies) for (const part of await retrieveStudy({ baseUrl: `${https}/dicom-web`, headers: {} }, uid)) stowedBack.push(md5(datasetPart(part)));
    const proxiedAfterStow = front.proxied();
    orthanc.kill('SIGTERM');
    front.close();

    // 2. DIMSE over TLS: storescu +tls → serve --tls-key/--tls-cert → a folder.
    const folder = join(work, 'folder');
    const gateway = start(process.execPath, [
      '--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), 'serve', '--listen', `127.0.0.1:${gatewayPort}`, '--ae-title', 'GW', '--allow', 'SCU@127.0.0.1',
      '--spool', join(work, 'spool'), '--key-file', config.keyFile, '-j', '1', '--forward', folder, '--tls-key', config.key, '--tls-cert', config.cert,
    ]);
    await waitFor('the gateway', () => /listening on/.test(gateway.text()), 20_000);
    const inputs = filesBelow(config.inputDir).map((f) => join(config.inputDir, f));
    const explicitInputs = inputs.filter((f) => !config.implicitInputs.includes(f));
    // storescu proposes Explicit VR first and would convert an implicit file to it; -xi keeps those files' syntax.
    const scuArgs = (files: string[], implicit: boolean): string[] => ['-R', ...(implicit ? ['-xi'] : []), '-aet', 'SCU', '-aec', 'GW', '127.0.0.1', String(gatewayPort), ...files];
    const tls = ['+tls', config.key, config.cert, '+cf', config.ca];
    const plainScu = await run('storescu', scuArgs(explicitInputs, false));
    const tlsExplicit = await run('storescu', [...tls, ...scuArgs(explicitInputs, false)]);
    const tlsImplicit = await run('storescu', [...tls, ...scuArgs(config.implicitInputs, true)]);
    const tlsScu = { code: Math.max(tlsExplicit.code, tlsImplicit.code), output: tlsExplicit.output + tlsImplicit.output };
    const folderFiles = (): string[] => (existsSync(folder) ? filesBelow(folder).filter((n) => n.endsWith('.dcm')) : []);
    await waitFor('the folder destination', () => folderFiles().length >= inputs.length, 20_000).catch(() => undefined);
    const gatewayLine = gateway.text().split('\n').find((l) => /listening on/.test(l)) ?? '';
    gateway.kill('SIGTERM');
    await exited(gateway);

    // 3. With --tls-ca, a client certificate signed by that CA is required: storescu's anonymous TLS (+tla) is
    // refused, its certificate (+tls) is let in.
    const pinnedFolder = join(work, 'folder-client-cert');
    const pinned = start(process.execPath, [
      '--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), 'serve', '--listen', `127.0.0.1:${pinnedPort}`, '--ae-title', 'GW', '--allow', 'SCU@127.0.0.1',
      '--spool', join(work, 'spool-client-cert'), '--key-file', config.keyFile, '-j', '1', '--forward', pinnedFolder,
      '--tls-key', config.key, '--tls-cert', config.cert, '--tls-ca', config.ca,
    ]);
    await waitFor('the gateway with --tls-ca', () => /listening on/.test(pinned.text()), 20_000);
    const pinnedArgs = ['-R', '-aet', 'SCU', '-aec', 'GW', '127.0.0.1', String(pinnedPort), ...explicitInputs];
    const anonymousScu = await run('storescu', ['+tla', '+cf', config.ca, ...pinnedArgs]);
    const clientCertScu = await run('storescu', [...tls, ...pinnedArgs]);
    const pinnedFiles = (): string[] => (existsSync(pinnedFolder) ? filesBelow(pinnedFolder).filter((n) => n.endsWith('.dcm')) : []);
    await waitFor('the folder destination of the gateway with --tls-ca', () => pinnedFiles().length >= explicitInputs.length, 20_000).catch(() => undefined);
    pinned.kill('SIGTERM');
    await exited(pinned);
    return {
      anonymousScu, clientCertScu, pinnedFolder: pinnedFiles().map((n) => md5(readFileSync(join(pinnedFolder, n)))).sort(),
      plainHttp, proxiedAfterStow,
      noCa, withCa, stowedBack: stowedBack.sort(),
      gatewayLine, plainScu, tlsScu, folder: folderFiles().map((n) => md5(readFileSync(join(folder, n)))).sort(),
    };
  } finally {
    killAll();
  }
}

if (!(await runAsScenario(scenario))) {
  const problem = netPeersProblem() ?? opensslProblem()
    ?? (/\+tls/.test(spawnSync('storescu', ['--help'], { encoding: 'utf8' }).stdout ?? '') ? null : 'this storescu is built without TLS (+tls)');
  const skip = IN_CI || problem === null ? false : `${problem} (with CI=true this test fails)`;

  test('TLS: STOW-RS over https with --ca-file (refused without it) and storescu +tls → serve --tls-key/--tls-cert (and --tls-ca) give the CLI\'s bytes', { skip, timeout: 90_000 }, async () => {
    assert.equal(problem, null, problem ?? '');
    const work = mkdtempSync(join(tmpdir(), 'tls-test-'));
    try {
      const inputDir = join(work, 'input');
      mkdirSync(inputDir);
      const inputs = ['ct/slice-001.dcm', 'mr/image-001.dcm'].map((rel) => {
        const to = join(inputDir, rel.replace('/', '-'));
        copyFileSync(join(REPO, 'examples', rel), to);
        return to;
      });
      const implicitInputs = inputs.filter((f) => readDicomBuffer(readFileSync(f), f).transferSyntax.uid === '1.2.840.10008.1.2');
      assert.equal(implicitInputs.length, 1, 'the MR example is Implicit VR Little Endian');
      const keyFile = join(work, 'k.key');
      writeFileSync(keyFile, Buffer.from('tls test key 0123456789abcdef'), { mode: 0o600 });
      // What the CLI writes for the same files and key.
      const { plan } = await buildPlan({ options: [], pixelRuleFiles: [] });
      const cliOut = join(work, 'cli');
      const summary = await runBatch({ input: inputDir, output: cliOut, recursive: true, plan, secret: { kind: 'bytes', bytes: readFileSync(keyFile) }, jobs: 1 });
      assert.equal(summary.ok, 2);
      const outputs = filesBelow(cliOut).map((name) => {
        const bytes = readFileSync(join(cliOut, name));
        const file = readDicomBuffer(bytes, name);
        return { whole: md5(bytes), dataset: md5(datasetPart(bytes)), implicit: file.transferSyntax.uid === '1.2.840.10008.1.2', study: getString(file.dataset, file.dataset.get(StudyInstanceUID)!, file.datasetSource) };
      });
      const certs = makeCertificates(work);
      writeFileSync(join(work, 'config.json'), JSON.stringify({ inputDir, implicitInputs, keyFile, studies: [...new Set(outputs.map((o) => o.study))], ...certs } satisfies Config));

      const { result, stderr } = await runInNetns(SELF, ['scenario', work], 80_000);
      assert.equal(result.error, undefined, `${String(result.error)}\n${stderr.slice(-1500)}`);
      type Run = { code: number; output: string };
      const r = result as { plainHttp: number; proxiedAfterStow: number; noCa: Run; withCa: Run; stowedBack: string[]; gatewayLine: string; plainScu: Run; tlsScu: Run; folder: string[]; anonymousScu: Run; clientCertScu: Run; pinnedFolder: string[] };
      // The DICOMweb endpoint spoke https only: a plain http request to its port got no DICOMweb answer.
      assert.notEqual(r.plainHttp, 200);
      assert.ok(r.proxiedAfterStow >= 3, 'the STOW-RS and WADO-RS requests went through the https front');
      // Without --ca-file: the server's certificate is not trusted; the run fails, naming the certificate problem, no value.
      assert.notEqual(r.noCa.code, 0, r.noCa.output);
      assert.match(r.noCa.output, /certificate|UNABLE_TO_VERIFY|self.signed/i);
      for (const value of VALUES) assert.ok(!r.noCa.output.includes(value), `a value (${value}) in the error output: ${r.noCa.output}`);
      // With --ca-file: stored; Orthanc holds exactly the CLI's outputs (datasets, as stored), read back by WADO-RS over https.
      assert.equal(r.withCa.code, 0, r.withCa.output);
      assert.deepEqual(r.stowedBack, outputs.map((o) => o.dataset).sort());
      // DIMSE over TLS: the gateway said it listens with TLS; plain storescu is not understood; storescu +tls delivers
      // the CLI's files byte for byte to the folder destination.
      assert.match(r.gatewayLine, /\(TLS\)/);
      assert.notEqual(r.plainScu.code, 0, r.plainScu.output);
      assert.equal(r.tlsScu.code, 0, r.tlsScu.output);
      assert.deepEqual(r.folder, outputs.map((o) => o.whole).sort());
      // With --tls-ca: no client certificate, no association; the CA's client certificate delivers the CLI's bytes.
      assert.notEqual(r.anonymousScu.code, 0, r.anonymousScu.output);
      assert.equal(r.clientCertScu.code, 0, r.clientCertScu.output);
      assert.deepEqual(r.pinnedFolder, outputs.filter((o) => !o.implicit).map((o) => o.whole));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
