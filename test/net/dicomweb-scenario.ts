// DICOMweb in and out of the batch, run inside a network namespace by dicomweb.test.ts: Orthanc holds the original
// examples (sent by STOW-RS); the command retrieves them by QIDO-RS + WADO-RS (-i dicomweb+http://… --qido, and
// --study) into folders, and writes its output to Orthanc by STOW-RS (-o dicomweb+http://…), which is read back by
// WADO-RS. Prints one JSON line: hashes of what each way produced.
//
//   node --import tsx test/net/dicomweb-scenario.ts WORK    (WORK/config.json: { inputs, keyFile, mrStudy, anonymizedStudies })

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, ORTHANC_DICOMWEB_PLUGIN } from '../helpers/netns.js';
import { stowInstances } from '../../src/net/dicomweb/stow.js';
import { retrieveStudy } from '../../src/net/dicomweb/retrieve.js';
import { listFilesBelow } from '../../src/net/dicomweb/files.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = resolve(process.argv[2]);
const config = JSON.parse(readFileSync(join(work, 'config.json'), 'utf8')) as { inputDir: string; inputs: string[]; keyFile: string; mrStudy: string; anonymizedStudies: string[] };
const children: ChildProcess[] = [];
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function run(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, output }));
  });
}

const cli = (args: string[]): Promise<{ code: number; output: string }> =>
  run(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), ...args, '--key-file', config.keyFile, '-j', '1', '-q']);
const hashes = (folder: string): string[] => listFilesBelow(folder).map((f) => md5(readFileSync(join(folder, f)))).sort();

async function main(): Promise<Record<string, unknown>> {
  const [httpPort, dicomPort] = [await freePort(), await freePort()];
  const dir = join(work, 'orthanc');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'orthanc.json'), JSON.stringify({
    Name: 'test', StorageDirectory: join(dir, 'db'), IndexDirectory: join(dir, 'db'), HttpPort: httpPort, DicomPort: dicomPort, RemoteAccessAllowed: false,
    AuthenticationEnabled: false, Plugins: [ORTHANC_DICOMWEB_PLUGIN], DicomWeb: { Enable: true, Root: '/dicom-web/' }, StorageCompression: false,
  }));
  const orthanc = spawn('Orthanc', [join(dir, 'orthanc.json')], { stdio: 'ignore' });
  children.push(orthanc);
  const http = `http://127.0.0.1:${httpPort}`;
  const until = Date.now() + 20_000;
  while (!(await fetch(`${http}/system`).then((r) => r.ok, () => false))) {
    if (Date.now() > until) throw new Error('Orthanc did not start');
    await sleep(50);
  }
  const server = { baseUrl: `${http}/dicom-web`, headers: {} };
  // The clinical side's content: the originals, by STOW-RS.
  const stowed = await stowInstances(server, config.inputs.map((p) => readFileSync(p)));
  if (stowed.kind !== 'stored') throw new Error(`STOW of the originals: ${stowed.reason}`);
  const web = `dicomweb+${http}/dicom-web`;
  const byQido = await cli(['-i', web, '--qido', 'ModalitiesInStudy=CT', '-o', join(work, 'qido-out')]);
  const byStudy = await cli(['-i', web, '--study', config.mrStudy, '-o', join(work, 'study-out')]);
  const toStow = await cli(['-i', config.inputDir, '-r', '-o', web, '--quarantine', join(work, 'stow-q')]);
  // The anonymized studies, read back as stored.
  const stowedBack: string[] = [];
  for (const uid of config.anonymizedStudies) for (const part of await retrieveStudy(server, uid)) stowedBack.push(md5(part.subarray(144 + part.readUInt32LE(140))));
  orthanc.kill('SIGTERM');
  return {
    qido: { code: byQido.code, output: byQido.output, files: hashes(join(work, 'qido-out')) },
    study: { code: byStudy.code, output: byStudy.output, files: hashes(join(work, 'study-out')) },
    stow: { code: toStow.code, output: toStow.output, datasets: stowedBack.sort() },
  };
}

try {
  process.stdout.write(`${JSON.stringify(await main())}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
}
