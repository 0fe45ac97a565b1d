// verify --report goes through the atomic-output module: a symbolic link planted at the temporary name an older
// version used (`.NAME.<pid>.partial`) does not redirect the write, and no temporary file is left.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('verify --report: a link planted at the old predictable temporary name is not followed', async () => {
  const work = mkdtempSync(join(tmpdir(), 'verify-report-'));
  try {
    const output = join(work, 'anon');
    mkdirSync(output);
    copyFileSync(join(ROOT, 'examples', 'ct', 'slice-001.dcm'), join(output, 'slice-001.dcm'));
    const victim = join(work, 'victim.txt');
    writeFileSync(victim, 'untouched');
    const reports = join(work, 'reports');
    mkdirSync(reports);
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'verify', '-o', output, '--report', join(reports, 'r.json')], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'],
    });
    // The process id is known at once; the report is written seconds later, after tsx starts and verify runs.
    symlinkSync(victim, join(reports, `.r.json.${child.pid}.partial`));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    assert.ok(code === 0 || code === 3, `verify ran (exit ${code})`);
    assert.equal(readFileSync(victim, 'utf8'), 'untouched', 'the planted link was not followed');
    assert.ok(existsSync(join(reports, 'r.json')));
    JSON.parse(readFileSync(join(reports, 'r.json'), 'utf8'));
    assert.deepEqual(readdirSync(reports).sort(), [`.r.json.${child.pid}.partial`, 'r.json'], 'no temporary file of ours is left');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
