// The CLI with an empty Microsoft-format rule list ({"rules": []}) changes nothing: every output file is the input
// in content (dcmdump +L identical but for the meta group length), over a whole corpus folder tree.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CORPUS_DIR, corpusSkip, dumpForComparison, mapLimit } from '../helpers/corpus.js';
import { requireTools, skipUnlessTools } from '../helpers/tools.js';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((p) => join(dir, p)).filter((p) => statSync(p).isFile());
}

test('`-c {"rules": []}` writes every readable file unchanged in content', { skip: corpusSkip() || skipUnlessTools('dcmdump') }, async () => {
  requireTools('dcmdump');
  const work = mkdtempSync(join(tmpdir(), 'noop-'));
  try {
    const config = join(work, 'rules.json');
    writeFileSync(config, '{"rules": []}');
    const input = join(CORPUS_DIR, 'dcm_qa_ts');
    const output = join(work, 'out');
    const run = spawnSync(process.execPath, ['--import', 'tsx', CLI, '-i', input, '-o', output, '-r', '-c', config, '-q'], {
      encoding: 'utf8', env: { ...process.env, DICOM_ANONYMIZER_KEY: 'noop-test-key-0123456789' },
    });
    assert.equal(run.status, 0, run.stderr);
    const inputs = listFiles(input);
    assert.ok(inputs.length >= 5);
    const differing: string[] = [];
    await mapLimit(inputs, 4, async (path) => {
      const rel = relative(input, path);
      const [a, b] = await Promise.all([dumpForComparison(path, ['(0008,0016)']), dumpForComparison(join(output, rel), ['(0008,0016)'])]);
      if (a !== b) differing.push(rel);
    });
    assert.deepEqual(differing, [], 'files whose content changed under an empty rule list');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
