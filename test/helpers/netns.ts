// Network tests run inside a network namespace of their own (`unshare -rn`, unprivileged here): Orthanc and dcmtk's
// storescp listen on every address with no option to bind one, so they must only ever see a loopback that exists
// nowhere else. A scenario script (plain TypeScript) is run by Node inside the namespace, with lo brought up first;
// it starts the peers and the gateway, does its work, stops them all, and prints its findings as one JSON line that
// the test asserts on (optionally with a tmpfs of a given size mounted for it: a disk that fills). Also: probes for the
// peers (dcmtk, Orthanc and its DICOMweb plugin, unshare) and for unprivileged tmpfs mounts.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { IN_CI } from './tools.js';

export const ORTHANC_DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

let problem: string | null | undefined;

/** Why the network tests cannot run here (a missing peer, no unprivileged namespaces), or null. */
export function netPeersProblem(): string | null {
  if (problem !== undefined) return problem;
  const probe = (cmd: string, args: string[], expect: RegExp): string | null => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
    if (r.error) return `${cmd} is not installed or cannot run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
    return expect.test(`${r.stdout}${r.stderr}`) ? null : `${cmd} ${args.join(' ')} did not print what a working one prints`;
  };
  problem = probe('storescu', ['--version'], /storescu v3\./) ?? probe('storescp', ['--version'], /storescp v3\./)
    ?? probe('Orthanc', ['--version'], /Orthanc \d/)
    ?? (existsSync(ORTHANC_DICOMWEB_PLUGIN) ? null : `${ORTHANC_DICOMWEB_PLUGIN} is missing (apt-get install orthanc-dicomweb)`)
    ?? probe('unshare', ['-rn', 'ip', 'link', 'set', 'lo', 'up'], /^$/);
  return problem;
}

/** For a test's `skip` option: the reason without CI; with CI=true, false (the test runs and fails). */
export function skipUnlessNetPeers(): string | false {
  if (IN_CI) return false;
  const p = netPeersProblem();
  return p === null ? false : `${p} (with CI=true this test fails)`;
}

let tmpfs: string | null | undefined;

/** Why a tmpfs cannot be mounted in an unprivileged user + mount namespace here, or null. */
export function tmpfsProblem(): string | null {
  if (tmpfs !== undefined) return tmpfs;
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs /mnt && echo mounted'], { encoding: 'utf8', timeout: 20_000 });
  tmpfs = /^mounted$/m.test(r.stdout ?? '') ? null : `a tmpfs cannot be mounted in an unprivileged namespace (unshare -rm: ${(r.stderr ?? '').trim() || 'no output'})`;
  return tmpfs;
}

export interface NetnsOptions {
  /** A tmpfs of this many MiB mounted on `dir` (an existing folder) for the scenario only (a mount namespace too). */
  tmpfs?: { dir: string; sizeMb: number };
}

/**
 * Runs a scenario script in a new network namespace with Node (this process's binary) and tsx; resolves to the JSON
 * object it printed last on stdout. Killed after `timeoutMs`.
 */
export function runInNetns(script: string, args: string[], timeoutMs: number, options: NetnsOptions = {}): Promise<{ result: Record<string, unknown>; stderr: string }> {
  return new Promise((resolve, reject) => {
    const mount = options.tmpfs ? `mount -t tmpfs -o size=${Math.ceil(options.tmpfs.sizeMb)}m tmpfs "$TMPFS_DIR" && ` : '';
    const child = spawn('unshare', [options.tmpfs ? '-rmn' : '-rn', 'sh', '-c', `ip link set lo up && ${mount}exec "$0" "$@"`, process.execPath, '--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TCP_NODELAY: '1', ...(options.tmpfs ? { TMPFS_DIR: options.tmpfs.dir } : {}) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (!last) return reject(new Error(`the scenario printed no result (exit ${code}): ${stderr.slice(-2000)}`));
      resolve({ result: JSON.parse(last) as Record<string, unknown>, stderr });
    });
  });
}

/** A port free on this (namespace's) loopback now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
