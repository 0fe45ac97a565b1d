// The gateway's network scenario, run inside a network namespace by gateway.test.ts (test/helpers/netns.ts): Orthanc
// (accepting no Implicit VR Little Endian, so implicit instances must be transcoded), a storescp accepting everything,
// a storescp accepting Implicit VR Little Endian only, and `dicom-anonymizer serve` forwarding to all three and a
// folder. storescu sends the inputs; the gateway is killed with SIGKILL mid-stream, restarted on the same spool, and
// storescu sends everything again (as a clinical sender retries). A calling AE not on the allow-list is refused.
// Prints one JSON line: what each destination holds (hashes of bytes), receipts per instance, counts, exit codes.
//
//   node --import tsx test/net/gateway-scenario.ts WORK     (WORK/config.json: { inputs, keyFile })

import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDicomBuffer } from '../../src/dicom/part10.js';
import { getString } from '../../src/dicom/values.js';
import { SOPInstanceUID } from '../../src/dicom/tags.generated.js';
import { freePort, ORTHANC_DICOMWEB_PLUGIN } from '../helpers/netns.js';
import { readGatewayStatus, readAudit, type GatewayStatus } from '../../src/records/index.js';
import { scenarioProcesses, waitFor, type StartedProcess } from '../helpers/scenario-processes.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = resolve(process.argv[2]);
const config = JSON.parse(readFileSync(join(work, 'config.json'), 'utf8')) as { inputs: string[]; implicitInputs: string[]; keyFile: string };
const { start, exited, killAll } = scenarioProcesses();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

/** Hash of the dataset part of a Part 10 file (what a peer stores after its own file meta), keyed by SOP Instance UID. */
function datasetHash(bytes: Buffer): [string, string] {
  const file = readDicomBuffer(bytes, 'received');
  const el = file.dataset.get(SOPInstanceUID);
  const uid = el ? getString(file.dataset, el, file.datasetSource) : '';
  const offset = 144 + bytes.readUInt32LE(140);
  return [uid, md5(bytes.subarray(offset))];
}

const status = (file: string): Partial<GatewayStatus> => (existsSync(file) ? readGatewayStatus(file) : {});

async function main(): Promise<Record<string, unknown>> {
  const [httpPort, orthancPort, scpPort, implicitPort, gatewayPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  // Orthanc, with a temp config: non-default ports, no implicit VR accepted (the gateway must transcode for it).
  const orthancDir = join(work, 'orthanc');
  mkdirSync(orthancDir, { recursive: true });
  writeFileSync(join(orthancDir, 'orthanc.json'), JSON.stringify({
    Name: 'test', StorageDirectory: join(orthancDir, 'db'), IndexDirectory: join(orthancDir, 'db'), HttpPort: httpPort, DicomPort: orthancPort,
    DicomAet: 'ORTHANC', RemoteAccessAllowed: false, AuthenticationEnabled: false, Plugins: [ORTHANC_DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: '/dicom-web/' }, DicomCheckCalledAet: false, StorageCompression: false, DicomAlwaysAllowStore: true,
    DicomAlwaysAllowEcho: true, AcceptedTransferSyntaxes: ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2.4.*', '1.2.840.10008.1.2.5'],
  }));
  const orthanc = start('Orthanc', [join(orthancDir, 'orthanc.json')], join(work, 'orthanc.log'));
  const scpDir = join(work, 'storescp');
  const implicitDir = join(work, 'storescp-implicit');
  mkdirSync(scpDir, { recursive: true });
  mkdirSync(implicitDir, { recursive: true });
  const storescp = start('storescp', ['-v', '+xa', '-aet', 'SCP', '-od', scpDir, String(scpPort)], join(work, 'storescp.log'));
  start('storescp', ['+xi', '-aet', 'IMPLONLY', '-od', implicitDir, String(implicitPort)], join(work, 'storescp-implicit.log'));
  const http = `http://127.0.0.1:${httpPort}`;
  await waitFor('Orthanc', async () => (await fetch(`${http}/system`).catch(() => null))?.ok === true, 20_000);

  const spool = join(work, 'spool');
  const folder = join(work, 'folder');
  const statusFile = join(work, 'status.json');
  const serve = (): StartedProcess => start(process.execPath, [
    '--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), 'serve', '--listen', `127.0.0.1:${gatewayPort}`, '--ae-title', 'GW', '--allow', 'SCU@127.0.0.1',
    '--spool', spool, '--key-file', config.keyFile, '-j', '1', '--status-file', statusFile, '--status-every', '0', '--retry-seconds', '0.2', '--attempts', '3',
    '--report', join(work, 'gateway-report.jsonl'), '--audit', join(work, 'gateway-audit.jsonl'),
    '--forward', `dicom://ORTHANC@127.0.0.1:${orthancPort}`, '--forward', `dicom://SCP@127.0.0.1:${scpPort}`,
    '--forward', `dicom://IMPLONLY@127.0.0.1:${implicitPort}`, '--forward', folder,
  ], join(work, `gateway-${Date.now()}.log`));
  const listening = (c: StartedProcess): boolean => /listening on/.test(c.text());
  // storescu proposes Explicit VR first and converts an implicit file to it; -xi (implicit only) keeps those files' syntax.
  const storescu = (aet: string, files: string[], implicit = false): ChildProcess =>
    start('storescu', ['-R', ...(implicit ? ['-xi'] : []), '-aet', aet, '-aec', 'GW', '127.0.0.1', String(gatewayPort), ...files], join(work, `storescu-${aet}-${Date.now()}.log`));
  const sendAll = async (): Promise<number> => Math.max(await exited(storescu('SCU', config.inputs)), await exited(storescu('SCU', config.implicitInputs, true)));

  // 1. The gateway, killed with SIGKILL as soon as it has received two instances (storescu still sending).
  let gateway = serve();
  await waitFor('the gateway', () => listening(gateway), 20_000);
  const first = sendAll();
  await waitFor('two instances received', () => (status(statusFile).received ?? 0) >= 2, 20_000);
  gateway.kill('SIGKILL');
  const receivedBeforeKill = status(statusFile).received ?? 0;
  const firstExit = await first;

  // 2. Restarted on the same spool; the sender sends everything again.
  gateway = serve();
  await waitFor('the gateway again', () => listening(gateway), 20_000);
  const secondExit = await sendAll();
  // 3. A calling AE not on the allow-list.
  const refused = storescu('INTRUDER', config.inputs.slice(0, 1));
  const refusedExit = await exited(refused);
  await waitFor('the queue to drain', () => status(statusFile).queued === 0 && (status(statusFile).received ?? 0) >= config.inputs.length + config.implicitInputs.length, 40_000);
  process.kill(gateway.pid!, 'SIGUSR1');
  await sleep(200);
  const gatewayLog = gateway.text();
  gateway.kill('SIGTERM');
  await exited(gateway);

  // What each destination holds.
  const folderFiles = Object.fromEntries(readdirSync(folder).filter((n) => n.endsWith('.dcm')).map((n) => [n.replace(/\.dcm$/, ''), md5(readFileSync(join(folder, n)))]));
  const scpFiles = Object.fromEntries(readdirSync(scpDir).map((n) => datasetHash(readFileSync(join(scpDir, n)))));
  const implicitFiles = Object.fromEntries(readdirSync(implicitDir).map((n) => datasetHash(readFileSync(join(implicitDir, n)))));
  const receipts: Record<string, number> = {};
  for (const m of storescp.text().matchAll(/storing DICOM file: .*?([0-9][0-9.]+[0-9])\s*$/gm)) receipts[m[1]] = (receipts[m[1]] ?? 0) + 1;
  // Orthanc: every instance by WADO-RS (bytes as stored: transfer-syntax=*).
  const orthancFiles: Record<string, string> = {};
  const instances = (await (await fetch(`${http}/instances?expand`)).json()) as { MainDicomTags: { SOPInstanceUID: string }; ParentSeries: string }[];
  for (const instance of instances) {
    const tags = (await (await fetch(`${http}/instances/${(instance as unknown as { ID: string }).ID}/tags?simplify`)).json()) as Record<string, string>;
    const url = `${http}/dicom-web/studies/${tags.StudyInstanceUID}/series/${tags.SeriesInstanceUID}/instances/${tags.SOPInstanceUID}`;
    const response = await fetch(url, { headers: { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' } });
    const body = Buffer.from(await response.arrayBuffer());
    const boundary = /boundary=("?)([^";]+)\1/.exec(response.headers.get('content-type') ?? '')?.[2] ?? '';
    const start = body.indexOf('\r\n\r\n') + 4;
    const end = body.lastIndexOf(`\r\n--${boundary}`);
    const [uid, hash] = datasetHash(body.subarray(start, end));
    orthancFiles[uid] = hash;
  }
  // Orthanc takes about 3 s to stop: told now, killed at the end if it has not.
  orthanc.kill('SIGTERM');
  const quarantine = join(spool, 'quarantine');
  const quarantined = existsSync(quarantine) ? readdirSync(quarantine).filter((n) => n.endsWith('.dcm')).length : 0;
  const destinationQuarantine = existsSync(quarantine) ? readdirSync(quarantine).filter((n) => n.startsWith('destination-'))
    .flatMap((d) => readdirSync(join(quarantine, d)).filter((n) => n.endsWith('.reason.txt')).map((n) => readFileSync(join(quarantine, d, n), 'utf8').trim())) : [];
  const auditLines = [...readAudit(join(work, 'gateway-audit.jsonl'))].length;
  const reportLines = readFileSync(join(work, 'gateway-report.jsonl'), 'utf8').trim().split('\n').length;
  return {
    auditLines, reportLines,
    receivedBeforeKill, firstExit, secondExit, refusedExit, refusedLogged: /refused an association: calling AE "INTRUDER" from 127\.0\.0\.1/.test(gatewayLog),
    statusLine: /status: received \d+, anonymized \d+, forwarded \d+, quarantined \d+, failed \d+, queued 0/.test(gatewayLog),
    final: status(statusFile),
    // Everything the gateway wrote that a person reads: its logs, report, audit and status.
    logsAndRecords: [gatewayLog, ...readdirSync(work).filter((n) => /^gateway-.*\.(log|jsonl)$/.test(n)).map((n) => readFileSync(join(work, n), 'latin1')), readFileSync(statusFile, 'latin1')].join('\n'), folderFiles, scpFiles, implicitFiles, receipts, orthancFiles, orthancCount: instances.length, quarantined, destinationQuarantine,
  };
}

try {
  const result = await main();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
} finally {
  killAll();
}
