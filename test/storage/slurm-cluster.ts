// Inside a network namespace of its own (unshare -n, made by slurm-array.test.ts): a one-node Slurm cluster
// (slurmctld + slurmd, auth/none, config in a temporary folder, non-default ports) and moto's S3 server, both on
// 127.0.0.1; the tree in WORK/tree is put in a bucket, docs/scale/slurm-array.sbatch runs as an array of 4, merge
// combines the tasks' reports and mappings, and the bucket's outputs are copied back to WORK for the outer test
// to compare. Every daemon is stopped before this exits. Usage: slurm-cluster.ts WORK
//
// (Not `unshare -rn`: slurmd drops supplementary groups, which a user namespace refuses.)

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { mergeShards } from '../../src/batch/merge.js';
import { parseLocation } from '../../src/storage/location.js';
import { openStore } from '../../src/storage/open.js';
import { filesBelow } from '../helpers/tree.js';
import { freePort, startMoto } from '../helpers/object-servers.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = process.argv[2];
const children: ChildProcess[] = [];

async function main(): Promise<void> {
  // A fresh network namespace has only a down loopback; slurmctld and slurmd resolve the host name and die with
  // "getaddrinfo() failed" unless an address besides 127.0.0.1 is on it.
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  execFileSync('ip', ['addr', 'add', '127.0.0.2/32', 'dev', 'lo']);
  const moto = await startMoto();
  Object.assign(process.env, moto.env);
  const { S3Client, CreateBucketCommand, ListMultipartUploadsCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({ forcePathStyle: true });
  for (const b of ['archive', 'research']) await client.send(new CreateBucketCommand({ Bucket: b }));
  const archive = await openStore(parseLocation('s3://archive/ct'));
  for (const rel of filesBelow(join(work, 'tree'))) await archive.write(rel, Readable.from([readFileSync(join(work, 'tree', rel))]));

  const slurm = join(work, 'slurm');
  for (const d of ['state', 'spool', 'log']) mkdirSync(join(slurm, d), { recursive: true });
  const host = hostname().split('.')[0];
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const conf = join(slurm, 'slurm.conf');
  writeFileSync(conf, [
    'ClusterName=dicomanon', `SlurmctldHost=${host}(127.0.0.1)`, `SlurmctldPort=${ctldPort}`, `SlurmdPort=${slurmdPort}`,
    'AuthType=auth/none', 'CredType=cred/none', 'SlurmUser=root', 'SlurmdUser=root',
    `StateSaveLocation=${slurm}/state`, `SlurmdSpoolDir=${slurm}/spool`, `SlurmctldPidFile=${slurm}/ctld.pid`, `SlurmdPidFile=${slurm}/d.pid`,
    `SlurmctldLogFile=${slurm}/log/ctld.log`, `SlurmdLogFile=${slurm}/log/d.log`,
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'JobAcctGatherType=jobacct_gather/none', 'AccountingStorageType=accounting_storage/none',
    'SchedulerType=sched/builtin', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_CPU', 'MpiDefault=none', 'ReturnToService=2',
    `NodeName=${host} NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN`, `PartitionName=main Nodes=${host} Default=YES MaxTime=INFINITE State=UP`, '',
  ].join('\n'));
  process.env.SLURM_CONF = conf;
  children.push(spawn('slurmctld', ['-D', '-i', '-f', conf], { stdio: 'ignore' }));
  children.push(spawn('slurmd', ['-D', '-f', conf, '-N', host], { stdio: 'ignore' }));

  const keyFile = join(work, 'key');
  const env = {
    ...process.env, INPUT: 's3://archive/ct', OUTPUT: 's3://research/ct-anon', RUNS: 's3://research/runs', KEY_FILE: keyFile,
    DICOM_ANONYMIZER: `${process.execPath} --import tsx ${join(REPO, 'src', 'cli', 'main.ts')}`,
  };
  // sbatch --wait returns when every task has ended, with the highest exit status of them.
  execFileSync('sbatch', ['--wait', `--chdir=${REPO}`, `--output=${slurm}/log/task-%a.log`, join(REPO, 'docs', 'scale', 'slurm-array.sbatch')], { env, stdio: 'inherit', timeout: 150_000 });

  const shards = [0, 1, 2, 3];
  await mergeShards({
    reports: shards.map((k) => `s3://research/runs/report-${k}.json`), mappings: shards.map((k) => `s3://research/runs/mapping-${k}`),
    reportOut: join(work, 'merged-report.json'), mappingOut: join(work, 'merged-mapping'),
  });
  const out = await openStore(parseLocation('s3://research/ct-anon'));
  for await (const o of out.list(true)) {
    const chunks: Buffer[] = [];
    for await (const c of await out.read(o.name)) chunks.push(c as Buffer);
    mkdirSync(dirname(join(work, 'from-bucket', o.name)), { recursive: true });
    writeFileSync(join(work, 'from-bucket', o.name), Buffer.concat(chunks));
  }
  const uploads = (await client.send(new ListMultipartUploadsCommand({ Bucket: 'research' }))).Uploads ?? [];
  const tasks = shards.map((k) => readFileSync(join(slurm, 'log', `task-${k}.log`), 'utf8'));
  writeFileSync(join(work, 'cluster.json'), JSON.stringify({ openUploads: uploads.length, taskLogs: tasks }));
  client.destroy();
  await moto.stop();
}

try {
  await main();
} finally {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => { c.once('exit', r); setTimeout(r, 5000); }) : null)));
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
