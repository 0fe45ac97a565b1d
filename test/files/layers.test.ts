// src/files sits below batch and verify: it imports only src/dicom and node built-ins, and verify (beside batch)
// reaches the shared file handling through it, never through src/batch.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function importsOf(folder: string): { file: string; from: string }[] {
  return readdirSync(join(SRC, folder)).filter((f) => f.endsWith('.ts')).flatMap((file) => {
    const text = readFileSync(join(SRC, folder, file), 'utf8');
    return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm)]
      .map((m) => ({ file: `${folder}/${file}`, from: m[1] ?? m[2] }));
  });
}

test('src/files imports only src/dicom, itself and node built-ins', () => {
  const bad = importsOf('files').filter(({ from }) => !from.startsWith('node:') && !from.startsWith('./') && !from.startsWith('../dicom/'));
  assert.deepEqual(bad, []);
});

test('src/verify does not import src/batch', () => {
  assert.deepEqual(importsOf('verify').filter(({ from }) => from.startsWith('../batch/')), []);
});
