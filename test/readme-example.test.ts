// The README's library example ("## As a library"), taken from README.md as it stands and run against src/index.ts:
// it cannot drift from the API, and it writes through the library's own write decision (deliveryOf).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getString, readDicomFile, writeNewKeyFile } from '../src/index.js';
import { PatientIdentityRemoved, PatientName } from '../src/dicom/tags.generated.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The first ```ts block after the "## As a library" heading. */
function libraryExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## As a library\n'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(match, 'README.md has a ts block under "## As a library"');
  return match[1];
}

const text = (path: string, tag: number): string => {
  const file = readDicomFile(path);
  try {
    const el = file.dataset.get(tag);
    return el ? getString(file.dataset, el, file.datasetSource) : '';
  } finally {
    file.close();
  }
};

test('the README library example runs as written: the CT sample is anonymized and written to out.dcm', async () => {
  const example = libraryExample();
  assert.match(example, /from 'dicom-anonymizer';/);
  assert.match(example, /deliveryOf\(pixels\)/, 'the example asks the library where the file goes');
  assert.doesNotMatch(example, /status\s*[!=]==/, 'the example does not decide the write from the status itself');
  const dir = mkdtempSync(join(tmpdir(), 'readme-example-'));
  const cwd = process.cwd();
  try {
    const input = join(ROOT, 'examples', 'ct', 'slice-001.dcm');
    copyFileSync(input, join(dir, 'in.dcm'));
    writeFileSync(join(dir, 'rules.json'), '{"profile": "basic"}');
    writeNewKeyFile(join(dir, 'anon.key'));
    mkdirSync(join(dir, 'quarantine'));
    const module = join(dir, 'example.mts'); // .mts: an ES module wherever it is (top-level await)
    writeFileSync(module, example.replace("from 'dicom-anonymizer';", `from ${JSON.stringify(pathToFileURL(join(ROOT, 'src', 'index.ts')).href)};`));
    process.chdir(dir);
    await import(pathToFileURL(module).href);
    process.chdir(cwd);
    const out = join(dir, 'out.dcm');
    assert.ok(existsSync(out), 'the example wrote out.dcm');
    assert.ok(!existsSync(join(dir, 'quarantine', 'in.dcm')), 'a CT without burned-in risk is not quarantined');
    assert.notEqual(text(input, PatientName), '', 'the sample has a patient name');
    assert.notEqual(text(out, PatientName), text(input, PatientName));
    assert.equal(text(out, PatientIdentityRemoved), 'YES');
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});
