// What a new user meets in the first hour: a folder without -r, usage errors, --version, --help's examples (the same
// as the README's), and key-file and output-folder errors that say in one line what is wrong and what to do.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliInProcess } from '../helpers/cli-in-process.js';
import { IN_CI } from '../helpers/tools.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'dicomanon-first-hour-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const keyFile = join(work, 'key');
writeFileSync(keyFile, 'first-hour-test-key-0123456789', { mode: 0o600 });

/** A study folder whose files are all in sub-folders (as a PACS export), like ./studies/<patient>/. */
function nestedTree(): string {
  const root = join(work, `nested-${Math.random().toString(16).slice(2)}`);
  for (const series of ['series-a', 'series-b']) {
    mkdirSync(join(root, series), { recursive: true });
    for (const f of readdirSync(join(REPO, 'examples', 'ct'))) copyFileSync(join(REPO, 'examples', 'ct', f), join(root, series, f));
  }
  return root;
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

test('a folder without -r whose files are in sub-folders is refused with where they are and -r', async () => {
  const input = nestedTree();
  const r = await cliInProcess('-i', input, '-o', join(work, 'out-no-r'), '--key-file', keyFile, '-q');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /no files directly in .*; 6 file\(s\) are in its sub-folder\(s\) series-a, series-b: add -r \(--recursive\)/);
  const withR = await cliInProcess('-i', input, '-o', join(work, 'out-r'), '-r', '--key-file', keyFile, '-q');
  assert.equal(withR.code, 0, withR.stderr);
  assert.equal(readdirSync(join(work, 'out-r', 'series-a')).length, 3);
});

test('usage errors print the error and one line pointing to --help, not the whole help', async () => {
  for (const [args, hint] of [
    [['--bogus'], 'dicom-anonymizer --help'],
    [['-i', 'x'], 'dicom-anonymizer --help'],
    [['verify', '--bogus'], 'dicom-anonymizer verify --help'],
    [['review', '--thumbnails', 'nope'], 'dicom-anonymizer review --help'],
  ] as const) {
    const r = await cliInProcess(...args);
    assert.equal(r.code, 1, args.join(' '));
    const printed = lines(r.stderr);
    assert.equal(printed.length, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(printed[0]!, /^error: /);
    assert.ok(printed[1]!.includes(`"${hint}"`), printed[1]);
  }
});

test('--version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = await cliInProcess(flag);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), version);
  }
});

/** The `dicom-anonymizer ...` command lines of a text, and the comment above each. */
const exampleCommands = (text: string): string[] =>
  text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('dicom-anonymizer ') || l.startsWith('# '));

test("--help shows the README's examples, and the README shows --help's", async () => {
  const help = await cliInProcess('--help');
  assert.equal(help.code, 0);
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = /^### Examples\n\n```sh\n([\s\S]*?)```/m.exec(readme);
  assert.ok(section, 'README has an "### Examples" block');
  const fromReadme = exampleCommands(section[1]!);
  const helpExamples = help.stdout.slice(help.stdout.lastIndexOf('Examples:'));
  const fromHelp = exampleCommands(helpExamples.slice(0, helpExamples.indexOf('Options for --option')));
  assert.ok(fromHelp.filter((l) => l.startsWith('dicom-anonymizer')).length >= 8, 'the top-level --help has the examples');
  assert.deepEqual(fromHelp, fromReadme);
});

test('key-file errors say what is wrong and what to do, in one line, once', async () => {
  const input = nestedTree();
  const missing = await cliInProcess('-i', input, '-o', join(work, 'o1'), '-r', '--key-file', join(work, 'nope.key'));
  assert.equal(missing.code, 1);
  assert.deepEqual(lines(missing.stderr), [`error: the key file ${join(work, 'nope.key')} does not exist: check the path, or make a key with "dicom-anonymizer keygen ${join(work, 'nope.key')}"`]);
  const folder = await cliInProcess('-i', input, '-o', join(work, 'o2'), '-r', '--key-file', work);
  assert.equal(folder.code, 1);
  assert.equal(lines(folder.stderr).length, 1, folder.stderr);
  assert.match(folder.stderr, /is a folder, not a file: pass the key file itself/);
  assert.doesNotMatch(folder.stderr, /mode 7/);
});

test('an output under a file says so before any file is read', async () => {
  const input = nestedTree();
  writeFileSync(join(work, 'plain-file'), 'x');
  const r = await cliInProcess('-i', input, '-o', join(work, 'plain-file', 'out'), '-r', '--key-file', keyFile);
  assert.equal(r.code, 1);
  assert.equal(lines(r.stderr).length, 1, r.stderr);
  assert.match(r.stderr, /is a file, not a folder; choose another --output/);
});

const unshareProblem = ((): string | null => {
  const probe = spawnSync('unshare', ['-rm', 'true'], { encoding: 'utf8' });
  return probe.status === 0 ? null : `unshare -rm does not work here (${probe.error?.message ?? probe.stderr.trim()}): cannot mount a read-only folder`;
})();

test('a read-only output is one line saying so, not EROFS per file', { skip: IN_CI ? false : (unshareProblem ?? false) }, () => {
  assert.equal(unshareProblem, null, unshareProblem ?? '');
  const input = nestedTree();
  const ro = join(work, 'ro');
  mkdirSync(ro);
  const tsx = join(REPO, 'node_modules', '.bin', 'tsx');
  const script = `mount -t tmpfs -o ro tmpfs '${ro}' && exec '${tsx}' '${join(REPO, 'src', 'cli', 'main.ts')}' -i '${input}' -r -o '${ro}/anon/site1' --key-file '${keyFile}' -q`;
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(lines(r.stderr), [`error: --output (-o) ${ro}/anon/site1 (its nearest existing folder ${ro}) is on a read-only file system: choose a writable --output (-o)`]);
});
