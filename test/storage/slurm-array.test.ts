// A Slurm job array of 4 (docs/scale/slurm-array.sbatch, --shard auto/4) over an S3 bucket (moto), on a one-node
// cluster this test starts in a network namespace of its own (slurm-cluster.ts): the bucket ends up with the objects
// of one local run of the same files, byte for byte, and `merge` of the four tasks' mappings is that run's mapping.
// Needs root (unshare -n, ip), Debian slurm-wlm (slurmctld, slurmd, sbatch) and moto_server: skipped with the reason
// without them, failed under CI=true.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicProfilePlan } from '../../src/config/load.js';
import { runBatch } from '../../src/batch/run.js';
import { filesBelow } from '../helpers/tree.js';
import { readRunReport } from '../../src/records/index.js';
import { motoProblem, skipUnless } from '../helpers/object-servers.js';
import { run } from '../helpers/corpus.js';
import { KEY_TEXT, makeTree } from '../helpers/stored-tree.js';

const HERE = dirname(fileURLToPath(import.meta.url));

function slurmProblem(): string | null {
  // sbatch prints its version only with a configuration at hand: it is looked up, the daemons are run.
  for (const [tool, args] of [['slurmctld', ['-V']], ['slurmd', ['-V']], ['sh', ['-c', 'command -v sbatch']]] as const) {
    if (spawnSync(tool, args, { encoding: 'utf8' }).status !== 0) return `${tool === 'sh' ? 'sbatch' : tool} is not installed (apt-get install slurm-wlm)`;
  }
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) return 'cannot make a network namespace (unshare -n needs root)';
  return motoProblem();
}

test('a Slurm array of 4 over S3 gives the single local run\'s objects and, merged, its mapping', { skip: skipUnless(slurmProblem()), timeout: 240_000 }, async () => {
  const problem = slurmProblem();
  if (problem) throw new Error(problem);
  const work = mkdtempSync(join(tmpdir(), 'dicomanon-slurm-'));
  try {
    makeTree(join(work, 'tree'));
    writeFileSync(join(work, 'key'), KEY_TEXT, { mode: 0o600 });
    const secret = { kind: 'bytes', bytes: readFileSync(join(work, 'key')) } as const;
    await runBatch({ input: join(work, 'tree'), output: join(work, 'local'), mappingDir: join(work, 'local-map'), recursive: true, plan: basicProfilePlan([]), secret, jobs: 1, log: () => {} });
    const r = await run('unshare', ['-n', process.execPath, '--import', 'tsx', join(HERE, 'slurm-cluster.ts'), work], 200_000);
    assert.equal(r.code, 0, `the cluster run: ${r.stderr.slice(-2000)}`);
    const cluster = JSON.parse(readFileSync(join(work, 'cluster.json'), 'utf8')) as { openUploads: number; taskLogs: string[] };
    assert.equal(cluster.taskLogs.length, 4, 'Slurm ran four tasks (each left its log)');
    assert.equal(cluster.openUploads, 0);
    const local = filesBelow(join(work, 'local'));
    assert.equal(local.length, 12);
    assert.deepEqual(filesBelow(join(work, 'from-bucket')), local, 'the same object names as the local run\'s files');
    for (const rel of local) assert.ok(readFileSync(join(work, 'from-bucket', rel)).equals(readFileSync(join(work, 'local', rel))), `${rel} byte-identical`);
    const mapping = filesBelow(join(work, 'local-map'));
    assert.deepEqual(filesBelow(join(work, 'merged-mapping')), mapping);
    for (const name of mapping) assert.equal(readFileSync(join(work, 'merged-mapping', name), 'utf8'), readFileSync(join(work, 'local-map', name), 'utf8'), name);
    const merged = readRunReport(join(work, 'merged-report.json'));
    assert.deepEqual({ files: merged.files.length, ok: merged.summary.ok, shard: merged.summary.shard }, { files: 12, ok: 12, shard: null });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
