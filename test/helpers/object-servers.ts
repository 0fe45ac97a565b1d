// Real object stores for the storage tests, started by the test on 127.0.0.1 at a free port and stopped by it:
// moto's S3 server (moto_server, Python) and Azurite's blob service (npm devDependency). Without one, the tests that
// need it skip with the reason, and fail under CI=true (like tools.ts).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IN_CI } from './tools.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const AZURITE_BLOB = join(REPO, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');

/** Azurite's well-known development account and key (public, in Microsoft's documentation). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A free TCP port on 127.0.0.1 (the OS picks it; another process could take it before us, rarely). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

export interface RunningServer {
  /** Base URL (http://127.0.0.1:PORT[/account]). */
  endpoint: string;
  /** The environment a client (the CLI) needs to reach it. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Why moto cannot run here, or null (probed once per process: a probe costs seconds). */
let motoProbe: string | null | undefined;
export function motoProblem(): string | null {
  if (motoProbe !== undefined) return motoProbe;
  const r = spawnSync('moto_server', ['--help'], { encoding: 'utf8', timeout: 30_000 });
  return (motoProbe = r.status === 0 ? null : `moto_server is not installed or does not run (pip install "moto[server]"==5.2.1): ${r.error?.message ?? r.stderr.slice(0, 200)}`);
}

let azuriteProbe: string | null | undefined;
export function azuriteProblem(): string | null {
  if (azuriteProbe !== undefined) return azuriteProbe;
  const r = spawnSync(process.execPath, [AZURITE_BLOB, '--help'], { encoding: 'utf8', timeout: 30_000 });
  return (azuriteProbe = r.status === 0 ? null : `azurite (devDependency) does not run: ${r.error?.message ?? r.stderr.slice(0, 200)}`);
}

/** For a test's `skip` option: the reason outside CI, false under CI=true (the test then fails in require*). */
export const skipUnless = (problem: string | null): string | false => (problem !== null && !IN_CI ? problem : false);

async function waitUntilUp(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (let i = 0; i < 300 && Date.now() < deadline; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return; // any HTTP answer: the server listens
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not answer on ${url} within 30 s`);
}

function stopper(child: ChildProcess, cleanup?: () => void): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    cleanup?.();
  };
}

export async function startMoto(): Promise<RunningServer> {
  const problem = motoProblem();
  if (problem) throw new Error(problem);
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${endpoint}/moto-api/`, child, 'moto_server');
  return {
    endpoint,
    env: { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' },
    stop: stopper(child),
  };
}

export async function startAzurite(): Promise<RunningServer> {
  const problem = azuriteProblem();
  if (problem) throw new Error(problem);
  const port = await freePort();
  // Run in a temporary folder: nothing of Azurite's lands in the working tree.
  const folder = mkdtempSync(join(tmpdir(), 'dicomanon-azurite-'));
  const child = spawn(process.execPath, [AZURITE_BLOB, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence', '--skipApiVersionCheck', '--silent'], { stdio: 'ignore', cwd: folder });
  const endpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  await waitUntilUp(endpoint, child, 'azurite');
  const connection = `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${endpoint};`;
  return { endpoint, env: { AZURE_STORAGE_CONNECTION_STRING: connection }, stop: stopper(child, () => rmSync(folder, { recursive: true, force: true })) };
}
