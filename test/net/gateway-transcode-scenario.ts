// The transcoding scenario of gateway-transcode.test.ts, run inside a network namespace (test/helpers/netns.ts): a
// storescp that accepts Explicit VR Little Endian only (an association config file, -xf), `dicom-anonymizer serve`
// forwarding to it, and storescu sending the inputs each in its own syntax (HTJ2K ones, which dcmtk 3.6.7 does not
// know, by the tool's own Storage SCU). Prints one JSON line: what storescp
// received (file, transfer syntax, SOP Instance UID) and the reasons of the instances the gateway quarantined.
//
//   node --import tsx test/net/gateway-transcode-scenario.ts WORK     (WORK/config.json: { inputs, keyFile, sopClasses })

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDicomBuffer } from '../../src/dicom/part10.js';
import { getString } from '../../src/dicom/values.js';
import { SOPInstanceUID } from '../../src/dicom/tags.generated.js';
import { readGatewayStatus, type GatewayStatus } from '../../src/records/index.js';
import { freePort } from '../helpers/netns.js';
import { storeInstances, type StoreResult } from '../../src/net/dimse/storage-scu.js';
import { SOPClassUID } from '../../src/dicom/tags.generated.js';
import { scenarioProcesses, waitFor } from '../helpers/scenario-processes.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = resolve(process.argv[2]);
const config = JSON.parse(readFileSync(join(work, 'config.json'), 'utf8')) as { inputs: string[]; ownScuInputs: string[]; keyFile: string; sopClasses: string[] };
const { start, exited, killAll } = scenarioProcesses();

const status = (file: string): Partial<GatewayStatus> => (existsSync(file) ? readGatewayStatus(file) : {});

async function main(): Promise<Record<string, unknown>> {
  const [scpPort, gatewayPort] = await Promise.all([freePort(), freePort()]);
  // storescp's association config: every SOP class of the inputs (and Verification) in Explicit VR Little Endian only.
  const contexts = [...config.sopClasses, '1.2.840.10008.1.1'].map((uid, i) => `PresentationContext${i + 1} = ${uid}\\LittleEndianOnly`);
  writeFileSync(join(work, 'storescp.cfg'), [
    '[[TransferSyntaxes]]', '[LittleEndianOnly]', 'TransferSyntax1 = 1.2.840.10008.1.2.1', '',
    '[[PresentationContexts]]', '[Contexts]', ...contexts, '', '[[Profiles]]', '[LittleEndianOnly]', 'PresentationContexts = Contexts', '',
  ].join('\n'));
  const received = join(work, 'received');
  mkdirSync(received, { recursive: true });
  start('storescp', ['-v', '-xf', join(work, 'storescp.cfg'), 'LittleEndianOnly', '-aet', 'LEONLY', '-od', received, String(scpPort)], join(work, 'storescp.log'));

  const spool = join(work, 'spool');
  const statusFile = join(work, 'status.json');
  const gateway = start(process.execPath, [
    '--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), 'serve', '--listen', `127.0.0.1:${gatewayPort}`, '--ae-title', 'GW', '--allow', 'SCU@127.0.0.1',
    '--spool', spool, '--key-file', config.keyFile, '-j', '1', '--status-file', statusFile, '--status-every', '0', '--retry-seconds', '0.2', '--attempts', '2',
    '--forward', `dicom://LEONLY@127.0.0.1:${scpPort}`,
  ], join(work, 'gateway.log'));
  await waitFor('the gateway', () => /listening on/.test(gateway.text()), 20_000);
  // One storescu per file, proposing the file's own syntax first (-R: only the contexts it needs), so none is converted.
  const proposing: Record<string, string> = {
    '1.2.840.10008.1.2.2': '-xb', '1.2.840.10008.1.2.4.80': '-xt', '1.2.840.10008.1.2.4.70': '-xs', '1.2.840.10008.1.2.5': '-xr',
    '1.2.840.10008.1.2.4.90': '-xv', '1.2.840.10008.1.2.4.50': '-xy',
  };
  let sendExit = 0;
  for (const path of config.inputs) {
    const ts = readDicomBuffer(readFileSync(path), path).transferSyntax.uid;
    const storescu = start('storescu', ['-R', proposing[ts] ?? '-x=', '-aet', 'SCU', '-aec', 'GW', '127.0.0.1', String(gatewayPort), path], join(work, `storescu-${ts}.log`));
    sendExit = Math.max(sendExit, await exited(storescu));
  }
  const ownScu: StoreResult[] = await storeInstances({ aeTitle: 'GW', host: '127.0.0.1', port: gatewayPort, callingAeTitle: 'SCU' }, config.ownScuInputs.map((path) => {
    const bytes = readFileSync(path);
    const file = readDicomBuffer(bytes, path);
    const uid = (tag: number): string => getString(file.dataset, file.dataset.get(tag)!, file.datasetSource);
    return {
      sopClassUid: uid(SOPClassUID), sopInstanceUid: uid(SOPInstanceUID), transferSyntaxUid: file.transferSyntax.uid,
      dataset: bytes.subarray(144 + bytes.readUInt32LE(140)), explicitLittleEndian: () => ({ reason: 'sent in its own syntax only' }),
    };
  }), 20_000);
  const total = config.inputs.length + config.ownScuInputs.length;
  await waitFor('the queue to drain', () => status(statusFile).queued === 0 && (status(statusFile).received ?? 0) >= total, 20_000);
  gateway.kill('SIGTERM');
  await exited(gateway);

  const files = readdirSync(received).map((name) => {
    const path = join(received, name);
    const file = readDicomBuffer(readFileSync(path), path);
    const el = file.dataset.get(SOPInstanceUID);
    return { path, transferSyntax: file.transferSyntax.uid, uid: el ? getString(file.dataset, el, file.datasetSource) : '' };
  });
  const quarantine = join(spool, 'quarantine');
  const reasons = existsSync(quarantine)
    ? readdirSync(quarantine).filter((d) => d.startsWith('destination-'))
      .flatMap((d) => readdirSync(join(quarantine, d)).filter((n) => n.endsWith('.reason.txt')).map((n) => readFileSync(join(quarantine, d, n), 'utf8').trim()))
    : [];
  return { sendExit, ownScu, final: status(statusFile), files, reasons };
}

try {
  const result = await main();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
} finally {
  killAll();
}
