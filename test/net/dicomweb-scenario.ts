// DICOMweb in and out of the batch through the storage port, run inside a network namespace by dicomweb.test.ts:
// Orthanc holds the original examples (sent by STOW-RS); the command reads them by QIDO-RS + WADO-RS (-i
// dicomweb+http://… --qido, and --study) into folders, into an S3 bucket (moto) as two shards, and into a folder by
// the two array stages (scan --names, then anonymize --names, two shards each); it writes a folder
// to Orthanc by STOW-RS (-o dicomweb+http://…) as two shards, read back by WADO-RS; then three instances fail to come
// (a stored file cut short, and through a proxy an HTTP 500 and a connection broken mid-part) and the run goes on.
// Prints one JSON line: what each way produced.
//
//   node --import tsx test/net/dicomweb-scenario.ts WORK    (WORK/config.json: { inputs, keyFile, ctStudy, mrStudy, anonymizedStudies, brokenSops })

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createServer, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { freePort, ORTHANC_DICOMWEB_PLUGIN } from '../helpers/netns.js';
import { startMoto, type RunningServer } from '../helpers/object-servers.js';
import { stowInstances } from '../../src/net/dicomweb/stow.js';
import { retrieveStudy } from '../../src/net/dicomweb/retrieve.js';
import { filesBelow } from '../helpers/tree.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = resolve(process.argv[2]);
const config = JSON.parse(readFileSync(join(work, 'config.json'), 'utf8')) as {
  inputDir: string; inputs: string[]; keyFile: string; ctStudy: string; mrStudy: string; anonymizedStudies: string[];
  brokenSops: { cutFile: string; http500: string; cutConnection: string; cutOnce: string };
};
const children: ChildProcess[] = [];
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const datasetPart = (bytes: Buffer): Buffer => bytes.subarray(144 + bytes.readUInt32LE(140));

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    children.push(child);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, output }));
  });
}

const cli = (args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> =>
  run(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), ...args, '--key-file', config.keyFile, '-j', '1', '-q'], env);
/** name → md5 of every file below a folder. */
const tree = (folder: string): Record<string, string> =>
  Object.fromEntries(filesBelow(folder).map((f) => [f.split('\\').join('/'), md5(readFileSync(join(folder, f)))]));
const text = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');

/** The file in Orthanc's storage folder that holds the instance (its SOP Instance UID in its bytes). */
function storedFileOf(db: string, sopUid: string): string | null {
  const needle = Buffer.from(sopUid, 'latin1');
  const walk = (dir: string): string | null => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        const found = walk(path);
        if (found) return found;
      } else if (e.isFile() && statSync(path).size > 132) {
        const bytes = readFileSync(path);
        if (bytes.toString('latin1', 128, 132) === 'DICM' && bytes.includes(needle)) return path;
      }
    }
    return null;
  };
  return walk(db);
}

async function main(): Promise<Record<string, unknown>> {
  const [httpPort, dicomPort] = [await freePort(), await freePort()];
  const dir = join(work, 'orthanc');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'orthanc.json'), JSON.stringify({
    Name: 'test', StorageDirectory: join(dir, 'db'), IndexDirectory: join(dir, 'index'), HttpPort: httpPort, DicomPort: dicomPort, RemoteAccessAllowed: false,
    AuthenticationEnabled: false, Plugins: [ORTHANC_DICOMWEB_PLUGIN], DicomWeb: { Enable: true, Root: '/dicom-web/' }, StorageCompression: false,
    // No cache of stored files: a file removed from the storage folder is gone for the server too.
    MaximumStorageCacheSize: 0,
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
  const q = (name: string): string[] => ['--quarantine', join(work, `${name}-q`)];

  // 1. DICOMweb input → folders: by a QIDO-RS query, and by --study.
  const byQido = await cli(['-i', web, '--qido', 'ModalitiesInStudy=CT', '-o', join(work, 'qido-out'), ...q('qido'), '--report', join(work, 'qido-report.json')]);
  const byStudy = await cli(['-i', web, '--study', config.mrStudy, '-o', join(work, 'study-out'), ...q('study')]);

  // 2. DICOMweb input → an S3 bucket (moto), as two shards: streamed through the port, no folder in between.
  let moto: RunningServer | null = null;
  let toBucket: { codes: number[]; output: string; objects: Record<string, string> };
  try {
    moto = await startMoto();
    const { S3Client, CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await s3.send(new CreateBucketCommand({ Bucket: 'research' }));
    const shards = [];
    for (const shard of ['0/2', '1/2']) {
      shards.push(await cli(['-i', web, '--study', config.ctStudy, '--study', config.mrStudy, '-o', 's3://research/anon', '--shard', shard, ...q(`s3-${shard[0]}`)], moto.env));
    }
    const objects: Record<string, string> = {};
    for (const o of (await s3.send(new ListObjectsV2Command({ Bucket: 'research' }))).Contents ?? []) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: 'research', Key: o.Key! }))).Body!.transformToByteArray();
      objects[o.Key!] = md5(body);
    }
    s3.destroy();
    toBucket = { codes: shards.map((s) => s.code), output: shards.map((s) => s.output).join('\n'), objects };
  } finally {
    await moto?.stop();
  }

  // 2b. The two array stages: scan each shard's headers (--names), then anonymize each shard from its own headers and
  // the digests, into one folder.
  const staged = [];
  const both = ['--study', config.ctStudy, '--study', config.mrStudy];
  for (const shard of ['0/2', '1/2']) staged.push(await run(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), 'scan', '-i', web, ...both, '--shard', shard, '--names', join(work, 'names'), '--key-file', config.keyFile]));
  for (const shard of ['0/2', '1/2']) staged.push(await cli(['-i', web, ...both, '--shard', shard, '--names', join(work, 'names'), '-o', join(work, 'names-out'), ...q(`names-${shard[0]}`)]));

  // 3. A folder → DICOMweb by STOW-RS, as two shards; the anonymized studies read back as stored.
  const toStow = [];
  for (const shard of ['0/2', '1/2']) toStow.push(await cli(['-i', config.inputDir, '-r', '-o', web, '--shard', shard, ...q(`stow-${shard[0]}`)]));
  const stowedBack: string[] = [];
  for (const uid of config.anonymizedStudies) for (const part of await retrieveStudy(server, uid)) stowedBack.push(md5(datasetPart(part)));

  // 4. The server fails to send three instances, each its own way, while the two others of the run are sent:
  //  - one's stored file is cut short inside its pixel data: Orthanc answers QIDO-RS from the header, so it is listed,
  //    and sends the short file as a whole part;
  //  - a proxy in front of Orthanc answers HTTP 500 for one, and breaks the connection in the middle of another's part
  //    (every time; and once only for one of the two others, which must then come whole from the next answer).
  const broken = storedFileOf(join(dir, 'db'), config.brokenSops.cutFile);
  if (broken === null) throw new Error('the stored file of the instance to break was not found in Orthanc\'s storage');
  const stored = readFileSync(broken);
  const pixelData = stored.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]));
  if (pixelData < 0) throw new Error('no Pixel Data in the stored file to break');
  writeFileSync(broken, stored.subarray(0, pixelData + 64));
  const proxyPort = await freePort();
  let wadoAnswered = 0;
  let cutOnceAsked = 0;
  let http500Asked = 0;
  const proxy = createServer((req, res) => {
    const path = req.url ?? '';
    if (path.endsWith(`/instances/${config.brokenSops.http500}`)) {
      http500Asked++;
      res.writeHead(500).end();
      return;
    }
    const cutOnce = path.endsWith(`/instances/${config.brokenSops.cutOnce}`) && cutOnceAsked++ === 0;
    const upstream = httpRequest({ host: '127.0.0.1', port: httpPort, method: req.method, path, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      if (!path.endsWith(`/instances/${config.brokenSops.cutConnection}`) && !cutOnce) {
        up.pipe(res);
        return;
      }
      // Half of the answer, then the connection goes.
      const chunks: Buffer[] = [];
      up.on('data', (d: Buffer) => chunks.push(d));
      up.on('end', () => {
        const whole = Buffer.concat(chunks);
        if (!cutOnce) wadoAnswered++;
        res.write(whole.subarray(0, whole.length >> 1), () => res.destroy());
      });
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(proxyPort, '127.0.0.1', r));
  const proxied = `dicomweb+http://127.0.0.1:${proxyPort}/dicom-web`;
  const withFailure = await cli(['-i', proxied, '--study', config.ctStudy, '--study', config.mrStudy, '-o', join(work, 'fail-out'), ...q('fail'), '--report', join(work, 'fail-report.json')]);
  proxy.close();
  proxy.closeAllConnections();
  orthanc.kill('SIGTERM');
  return {
    qido: { code: byQido.code, output: byQido.output, files: tree(join(work, 'qido-out')), report: text(join(work, 'qido-report.json')) },
    study: { code: byStudy.code, output: byStudy.output, files: tree(join(work, 'study-out')) },
    bucket: toBucket,
    twoStages: { codes: staged.map((s) => s.code), output: staged.map((s) => s.output).join('\n'), files: tree(join(work, 'names-out')) },
    stow: { codes: toStow.map((s) => s.code), output: toStow.map((s) => s.output).join('\n'), datasets: stowedBack.sort() },
    failure: { cutConnectionAnswered: wadoAnswered, cutOnceAsked, http500Asked, code: withFailure.code, output: withFailure.output, files: tree(join(work, 'fail-out')), report: text(join(work, 'fail-report.json')) },
  };
}

try {
  process.stdout.write(`${JSON.stringify(await main())}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
}
