// TLS on the gateway's way out and on the batch's DICOMweb input, against real peers in a network namespace
// (test/helpers/netns.ts), with two throw-away CAs made by openssl (test/helpers/certificates.ts):
//   - storescu → serve → `dicom+tls://` dcmtk storescp (+tls): the CLI's datasets arrive; a storescp whose certificate
//     another CA signed gets nothing (retried, then failed/ with the reason); a storescp requiring a client certificate
//     (-rc +cf CA) takes the instances from a gateway given --forward-tls-cert/--forward-tls-key, not from one without;
//   - serve --forward dicomweb+https://… (Orthanc behind a node:https front) with --ca-file: stored; without: failed/;
//   - anonymize -i dicomweb+https://… --study UID with --ca-file: the CLI's bytes; without: refused, naming the TLS
//     problem and no value.
// Run as a test, this file computes the CLI's outputs and runs itself with `scenario WORK` inside the namespace, where
// it starts the peers, three gateways and the CLI, and prints one JSON line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBatch } from '../../src/batch/run.js';
import { buildPlan } from '../../src/config/build.js';
import { readDicomBuffer } from '../../src/dicom/part10.js';
import { getString } from '../../src/dicom/values.js';
import { StudyInstanceUID } from '../../src/dicom/tags.generated.js';
import { stowInstances } from '../../src/net/dicomweb/stow.js';
import { retrieveStudy } from '../../src/net/dicomweb/retrieve.js';
import { filesBelow } from '../helpers/tree.js';
import { freePort, netPeersProblem, ORTHANC_DICOMWEB_PLUGIN, runInNetns } from '../helpers/netns.js';
import { makeCertificates, opensslProblem, startHttpsFront, type TestCertificates } from '../helpers/certificates.js';
import { IN_CI } from '../helpers/tools.js';
import { runAsScenario, scenarioProcesses, waitFor } from '../helpers/scenario-processes.js';

const SELF = fileURLToPath(import.meta.url);
const REPO = resolve(dirname(SELF), '..', '..');
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const datasetPart = (bytes: Buffer): Buffer => bytes.subarray(144 + bytes.readUInt32LE(140));
/** Values of the examples' identifying elements: none may appear in a log line or a reason. */
const VALUES = ['SMITH', 'JOHN', 'MRN123456', 'SSN-555', 'GRETA', 'PID4471902', 'KV-A123456789'];

interface Config {
  inputs: string[]; implicitInputs: string[]; keyFile: string;
  /** The originals' study to retrieve by -i dicomweb+https, and the anonymized studies to read back from Orthanc. */
  ctStudy: string; anonymizedStudies: string[];
  /** The CA that signed every peer's certificate and the gateway's client certificate, and another one. */
  trusted: TestCertificates; other: TestCertificates;
}

type Run = { code: number; output: string };

// ---- The scenario, inside the namespace ----

async function scenario(work: string): Promise<Record<string, unknown>> {
  const config = JSON.parse(readFileSync(join(work, 'config.json'), 'utf8')) as Config;
  const { start, exited, run, killAll } = scenarioProcesses();
  const main = join(REPO, 'src', 'cli', 'main.ts');
  const { trusted, other } = config;
  try {
    const [httpPort, dicomPort, httpsPort, portA, portB, portC] = await Promise.all(Array.from({ length: 6 }, () => freePort()));
    // Orthanc (plain HTTP on the namespace's loopback) behind an https front with the trusted CA's certificate.
    const dir = join(work, 'orthanc');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'orthanc.json'), JSON.stringify({
      Name: 'test', StorageDirectory: join(dir, 'db'), IndexDirectory: join(dir, 'db'), HttpPort: httpPort, DicomPort: dicomPort, RemoteAccessAllowed: false,
      AuthenticationEnabled: false, Plugins: [ORTHANC_DICOMWEB_PLUGIN], DicomWeb: { Enable: true, Root: '/dicom-web/' }, StorageCompression: false,
    }));
    const orthanc = start('Orthanc', [join(dir, 'orthanc.json')]);
    const front = await startHttpsFront(trusted, httpsPort, httpPort);
    // Three storescp over TLS: A (trusted certificate), B (certificate of the other CA), C (requires a client
    // certificate signed by the trusted CA; -rc is storescp's default, said here).
    const received = (name: string): string => {
      const d = join(work, name);
      mkdirSync(d, { recursive: true });
      return d;
    };
    const [dirA, dirB, dirC] = [received('scp-a'), received('scp-b'), received('scp-c')];
    start('storescp', ['+tls', trusted.key, trusted.cert, '-ic', '-aet', 'TLSA', '-od', dirA, String(portA)]);
    start('storescp', ['+tls', other.key, other.cert, '-ic', '-aet', 'TLSB', '-od', dirB, String(portB)]);
    start('storescp', ['+tls', trusted.key, trusted.cert, '-rc', '+cf', trusted.ca, '-aet', 'TLSC', '-od', dirC, String(portC)]);
    const plain = `http://127.0.0.1:${httpPort}`;
    await waitFor('Orthanc', async () => (await fetch(`${plain}/system`).catch(() => null))?.ok === true, 20_000);
    // The clinical side's content in Orthanc: the originals.
    const stowed = await stowInstances({ baseUrl: `${plain}/dicom-web`, headers: {} }, config.inputs.map((p) => readFileSync(p)));
    if (stowed.kind !== 'stored') throw new Error(`STOW of the originals: ${stowed.reason}`);
    const web = `dicomweb+https://127.0.0.1:${httpsPort}/dicom-web`;

    // 1. -i dicomweb+https with and without --ca-file.
    const cli = (args: string[]): Promise<Run> => run(process.execPath, ['--import', 'tsx', main, ...args, '--key-file', config.keyFile, '-j', '1', '-q']);
    // A DICOMweb input needs --quarantine (no folder beside it for the default), as an object-storage input does.
    const inputNoCa = await cli(['-i', web, '--study', config.ctStudy, '-o', join(work, 'in-no-ca'), '--quarantine', join(work, 'in-no-ca-q')]);
    const inputWithCa = await cli(['-i', web, '--study', config.ctStudy, '-o', join(work, 'in-ca'), '--quarantine', join(work, 'in-ca-q'), '--ca-file', trusted.ca]);
    const folderHashes = (folder: string): string[] => (existsSync(folder) ? filesBelow(folder).map((f) => md5(readFileSync(join(folder, f)))).sort() : []);

    // 2. Three gateways: (g1) --ca-file and a client certificate, to A, B, C and STOW over https; (g2) --ca-file
    // without a client certificate, to C; (g3) no --ca-file, to STOW over https and A.
    const tlsTo = (ae: string, port: number): string => `dicom+tls://${ae}@127.0.0.1:${port}`;
    const gateways = {
      g1: ['--ca-file', trusted.ca, '--forward-tls-cert', trusted.cert, '--forward-tls-key', trusted.key,
        '--forward', tlsTo('TLSA', portA), '--forward', tlsTo('TLSB', portB), '--forward', tlsTo('TLSC', portC), '--forward', web],
      g2: ['--ca-file', trusted.ca, '--forward', tlsTo('TLSC', portC)],
      g3: ['--forward', web, '--forward', tlsTo('TLSA', portA)],
    };
    const running = await Promise.all(Object.entries(gateways).map(async ([name, extra]) => {
      const port = await freePort();
      const gateway = start(process.execPath, [
        '--import', 'tsx', main, 'serve', '--listen', `127.0.0.1:${port}`, '--ae-title', 'GW', '--allow', 'SCU@127.0.0.1', '--spool', join(work, `spool-${name}`),
        '--key-file', config.keyFile, '-j', '1', '--status-every', '0', '--attempts', '2', '--retry-seconds', '0.2', ...extra,
      ]);
      return { name, port, gateway, spool: join(work, `spool-${name}`), destinations: extra.filter((_, i) => extra[i - 1] === '--forward').length };
    }));
    for (const g of running) await waitFor(`gateway ${g.name}`, () => /listening on/.test(g.gateway.text()), 20_000);
    // storescu proposes Explicit VR first and would convert an implicit file to it; -xi keeps those files' syntax.
    const explicitInputs = config.inputs.filter((f) => !config.implicitInputs.includes(f));
    const sends: Record<string, number> = {};
    for (const g of running) {
      const scu = (files: string[], implicit: boolean): Promise<Run> => run('storescu', ['-R', ...(implicit ? ['-xi'] : []), '-aet', 'SCU', '-aec', 'GW', '127.0.0.1', String(g.port), ...files]);
      sends[g.name] = Math.max((await scu(explicitInputs, false)).code, (await scu(config.implicitInputs, true)).code);
    }
    // Every instance done for every destination (stored, or failed after its attempts): the journals say so.
    const journalLines = (spool: string): number => readdirSync(join(spool, 'journal')).filter((n) => n.endsWith('.log'))
      .reduce((sum, n) => sum + readFileSync(join(spool, 'journal', n), 'latin1').split('\n').filter(Boolean).length, 0);
    for (const g of running) await waitFor(`gateway ${g.name} done`, () => journalLines(g.spool) >= g.destinations * config.inputs.length, 30_000);
    const logs: Record<string, string> = {};
    for (const g of running) {
      g.gateway.kill('SIGTERM');
      await exited(g.gateway);
      logs[g.name] = g.gateway.text();
    }
    /** failed/destination-*: the reasons, by the destination's label (the start of each reason line). */
    const failed = (spool: string): Record<string, string[]> => {
      const out: Record<string, string[]> = {};
      const root = join(spool, 'failed');
      for (const d of readdirSync(root).filter((n) => n.startsWith('destination-'))) {
        for (const n of readdirSync(join(root, d)).filter((f) => f.endsWith('.reason.txt'))) {
          const reason = readFileSync(join(root, d, n), 'utf8').trim();
          const label = reason.slice(0, reason.indexOf(': '));
          (out[label] ??= []).push(reason);
        }
      }
      return out;
    };
    const scpDatasets = (folder: string): string[] => readdirSync(folder).map((n) => md5(datasetPart(readFileSync(join(folder, n))))).sort();
    const stowedBack: string[] = [];
    for (const uid of config.anonymizedStudies) for (const part of await retrieveStudy({ baseUrl: `${plain}/dicom-web`, headers: {} }, uid).catch(() => [])) stowedBack.push(md5(datasetPart(part)));
    const proxied = front.proxied();
    front.close();
    orthanc.kill('SIGTERM');
    return {
      inputNoCa, inputWithCa: { ...inputWithCa, files: folderHashes(join(work, 'in-ca')) }, inputNoCaFiles: folderHashes(join(work, 'in-no-ca')),
      sends, logs, failed: Object.fromEntries(running.map((g) => [g.name, failed(g.spool)])),
      labels: { a: tlsTo('TLSA', portA), b: tlsTo('TLSB', portB), c: tlsTo('TLSC', portC), web },
      scpA: scpDatasets(dirA), scpB: scpDatasets(dirB), scpC: scpDatasets(dirC), stowedBack: stowedBack.sort(), proxied,
    };
  } finally {
    killAll();
  }
}

if (!(await runAsScenario(scenario))) {
  const problem = netPeersProblem() ?? opensslProblem()
    ?? (/\+tls/.test(spawnSync('storescp', ['--help'], { encoding: 'utf8' }).stdout ?? '') ? null : 'this storescp is built without TLS (+tls)');
  const skip = IN_CI || problem === null ? false : `${problem} (with CI=true this test fails)`;

  test('TLS out: serve → dicom+tls:// storescp (untrusted peer and client certificates too), serve → dicomweb+https with --ca-file, -i dicomweb+https --ca-file', { skip, timeout: 120_000 }, async () => {
    assert.equal(problem, null, problem ?? '');
    const work = mkdtempSync(join(tmpdir(), 'tls-forward-test-'));
    try {
      const inputDir = join(work, 'input');
      mkdirSync(inputDir);
      const inputs = ['ct/slice-001.dcm', 'mr/image-001.dcm'].map((rel) => {
        const to = join(inputDir, rel.replace('/', '-'));
        copyFileSync(join(REPO, 'examples', rel), to);
        return to;
      });
      const studyOf = (bytes: Buffer): string => {
        const file = readDicomBuffer(bytes, 'input');
        return getString(file.dataset, file.dataset.get(StudyInstanceUID)!, file.datasetSource);
      };
      const implicitInputs = inputs.filter((f) => readDicomBuffer(readFileSync(f), f).transferSyntax.uid === '1.2.840.10008.1.2');
      assert.equal(implicitInputs.length, 1, 'the MR example is Implicit VR Little Endian');
      const keyFile = join(work, 'k.key');
      writeFileSync(keyFile, Buffer.from('tls forward test key 0123456789'), { mode: 0o600 });
      const { plan } = await buildPlan({ options: [], pixelRuleFiles: [] });
      const cliOut = join(work, 'cli');
      const summary = await runBatch({ input: inputDir, output: cliOut, recursive: true, plan, secret: { kind: 'bytes', bytes: readFileSync(keyFile) }, jobs: 1 });
      assert.equal(summary.ok, 2);
      const outputs = filesBelow(cliOut).map((name) => {
        const bytes = readFileSync(join(cliOut, name));
        return { whole: md5(bytes), dataset: md5(datasetPart(bytes)), study: studyOf(bytes), ct: name.includes('ct-') };
      });
      assert.equal(outputs.filter((o) => o.ct).length, 1);
      mkdirSync(join(work, 'ca-trusted'));
      mkdirSync(join(work, 'ca-other'));
      const config: Config = {
        inputs, implicitInputs, keyFile, ctStudy: studyOf(readFileSync(inputs[0])), anonymizedStudies: [...new Set(outputs.map((o) => o.study))],
        trusted: makeCertificates(join(work, 'ca-trusted')), other: makeCertificates(join(work, 'ca-other'), 'another test CA'),
      };
      writeFileSync(join(work, 'config.json'), JSON.stringify(config));

      const { result, stderr } = await runInNetns(SELF, ['scenario', work], 110_000);
      assert.equal(result.error, undefined, `${String(result.error)}\n${stderr.slice(-1500)}`);
      const r = result as {
        inputNoCa: Run; inputWithCa: Run & { files: string[] }; inputNoCaFiles: string[]; sends: Record<string, number>; logs: Record<string, string>;
        failed: Record<string, Record<string, string[]>>; labels: Record<'a' | 'b' | 'c' | 'web', string>;
        scpA: string[]; scpB: string[]; scpC: string[]; stowedBack: string[]; proxied: number;
      };
      const datasets = outputs.map((o) => o.dataset).sort();
      const noValue = (text: string, where: string): void => {
        for (const value of VALUES) assert.ok(!text.includes(value), `a value (${value}) in ${where}: ${text}`);
      };
      // -i dicomweb+https: without --ca-file, refused (the server's certificate is not trusted), nothing written;
      // with it, the CT study retrieved over https and anonymized into the CLI's bytes.
      assert.notEqual(r.inputNoCa.code, 0, r.inputNoCa.output);
      assert.match(r.inputNoCa.output, /certificate|UNABLE_TO_VERIFY/i);
      noValue(r.inputNoCa.output, 'the -i dicomweb+https error');
      assert.deepEqual(r.inputNoCaFiles, []);
      assert.equal(r.inputWithCa.code, 0, r.inputWithCa.output);
      assert.deepEqual(r.inputWithCa.files, outputs.filter((o) => o.ct).map((o) => o.whole));
      assert.ok(r.proxied >= 3, 'the requests went through the https front');
      for (const [name, code] of Object.entries(r.sends)) assert.equal(code, 0, `storescu → gateway ${name}: ${r.logs[name]}`);
      for (const [name, log] of Object.entries(r.logs)) noValue(log, `gateway ${name}'s log`);
      for (const [name, byLabel] of Object.entries(r.failed)) noValue(JSON.stringify(byLabel), `gateway ${name}'s failed reasons`);
      // g1 (--ca-file, client certificate): A and C hold the CLI's datasets, byte for byte, and so does Orthanc (by
      // STOW-RS over https); B, whose certificate another CA signed, got nothing: each instance was retried, then put
      // in failed/ with a reason naming the certificate problem.
      assert.deepEqual(r.scpA, datasets);
      assert.deepEqual(r.scpC, datasets);
      assert.deepEqual(r.stowedBack, datasets);
      assert.deepEqual(r.scpB, []);
      assert.deepEqual(Object.keys(r.failed.g1), [r.labels.b]);
      assert.equal(r.failed.g1[r.labels.b].length, 2);
      for (const reason of r.failed.g1[r.labels.b]) assert.match(reason, /: UNABLE_TO_VERIFY_LEAF_SIGNATURE \(TLS\) \(after 2 attempt\(s\)\)$/);
      assert.match(r.logs.g1, /will retry \S+ for dicom\+tls:\/\/TLSB@/);
      // g2 (--ca-file, no client certificate): C refuses it; failed/ after the retries.
      assert.deepEqual(Object.keys(r.failed.g2), [r.labels.c]);
      assert.equal(r.failed.g2[r.labels.c].length, 2);
      for (const reason of r.failed.g2[r.labels.c]) assert.match(reason, /CERTIFICATE_REQUIRED/);
      // g3 (no --ca-file): neither the https server nor A is trusted; failed/ with the certificate problem.
      assert.deepEqual(Object.keys(r.failed.g3).sort(), [r.labels.a, r.labels.web].sort());
      for (const reason of [...r.failed.g3[r.labels.a], ...r.failed.g3[r.labels.web]]) assert.match(reason, /UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
      assert.equal(r.failed.g3[r.labels.web].length, 2);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
