// The layers only point down (../shared/design/ARCHITECTURE.md): every import in src/ — static, type-only or dynamic —
// is checked against the layers its folder may use. A new folder must be given its place here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** Folder of src/ → the folders its modules may import (besides themselves). */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  dicom: [],
  ocr: [],
  pixels: ['dicom'],
  plan: ['dicom'],
  profiles: ['dicom', 'plan'],
  config: ['dicom', 'plan', 'profiles'],
  anonymize: ['dicom', 'plan', 'pixels', 'ocr'],
  files: ['dicom'],
  batch: ['dicom', 'plan', 'profiles', 'config', 'anonymize', 'pixels', 'ocr', 'files'],
  // DIMSE and DICOMweb, and the gateway over the batch's task handler and pool.
  net: ['dicom', 'plan', 'profiles', 'config', 'anonymize', 'pixels', 'ocr', 'files', 'batch'],
  verify: ['dicom', 'plan', 'profiles', 'anonymize', 'pixels', 'ocr', 'files'],
  review: ['dicom', 'plan', 'profiles', 'pixels', 'files', 'verify'],
  cli: ['dicom', 'plan', 'profiles', 'config', 'anonymize', 'pixels', 'ocr', 'files', 'batch', 'verify', 'review', 'net'],
  // The launchers: the engine bundle's entry is the command line and the batch worker; the fallback imports them.
  launch: ['cli', 'batch'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier of a file: `from '…'`, `import '…'` and `import('…')`. */
export function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm)) out.push(m[2]);
  return out;
}

const layerOf = (file: string): string => relative(SRC, file).split(sep)[0].replace(/\.ts$/, '');

test('the import scanner sees static, type-only and dynamic imports', () => {
  const found = specifiers(`import { a } from './a.js';\nimport type { B } from "../b.js";\nconst c = await import('../c/c.js');\nimport './side.js';`);
  assert.deepEqual(found, ['./a.js', '../b.js', '../c/c.js', './side.js']);
});

test('every import in src/ points down the layers', () => {
  const files = sourceFiles(SRC);
  assert.ok(files.length > 50, `src/ has ${files.length} files`);
  const wrong: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    if (from === 'index') continue; // the public API re-exports every layer
    const allowed = MAY_IMPORT[from];
    if (allowed === undefined) {
      wrong.push(`${relative(SRC, file)}: folder src/${from}/ has no place in the layers (add it to MAY_IMPORT)`);
      continue;
    }
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue; // node: built-ins and packages
      const to = layerOf(resolve(dirname(file), spec));
      if (to !== from && !allowed.includes(to)) wrong.push(`${relative(SRC, file)} imports ${spec} (src/${from}/ may not use src/${to}/)`);
    }
  }
  assert.deepEqual(wrong, []);
});
