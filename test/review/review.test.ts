// The review page, without a browser: it holds no original value (checked against every identifying value verify
// collects from the originals, and the originals' paths), its counts are the report's, redacted rectangles are
// recorded by the run and carried to the page, hostile values are escaped, and the CLI writes it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readAudit, readRunReport, RecordError } from '../../src/records/index.js';
import { join, relative } from 'node:path';
import { inflateSync } from 'node:zlib';
import { readDicomFile } from '../../src/dicom/part10.js';
import { collectOriginal } from '../../src/verify/identifying.js';
import { ProfileView } from '../../src/verify/profile.js';
import { listFiles } from '../../src/verify/pairing.js';
import { collectReview, renderPage, type ReviewData } from '../../src/review/index.js';
import { run } from '../helpers/corpus.js';
import { TEXT_BOX } from '../anonymize/burned-in-helpers.js';
import { basicProfilePlan } from '../../src/config/build.js';
import { runBatch } from '../../src/batch/run.js';
import { anonymizedRun, EXAMPLES, HOSTILE, hostileFolder, REPO, type RunFolder } from './helpers.js';

let runFolder: RunFolder;
const cleanup: string[] = [];
before(async () => {
  runFolder = await anonymizedRun();
  cleanup.push(runFolder.work);
});
after(() => { for (const dir of cleanup) rmSync(dir, { recursive: true, force: true }); });

/** The JSON data block of a page. */
export function pageData(html: string): ReviewData {
  const m = /<script type="application\/json" id="review-data">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'the page has its data block');
  return JSON.parse(m[1]) as ReviewData;
}

/** Width and height of a PNG data: URI (checks the signature and that IDAT inflates to the right size). */
function pngSize(uri: string): { width: number; height: number } {
  assert.ok(uri.startsWith('data:image/png;base64,'), 'a PNG data: URI');
  const png = Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64');
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = png.readUInt32BE(16), height = png.readUInt32BE(20);
  const idat = png.indexOf('IDAT');
  const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  assert.equal(raw.length, height * (1 + width * 3));
  return { width, height };
}

const counts = (html: string): Record<string, string> =>
  Object.fromEntries([...html.matchAll(/data-count="([a-zA-Z]+)">([^<]*)</g)].map((m) => [m[1], m[2]]));

/** Every identifying value verify would search the outputs for, from every original, with how a match is delimited. */
function originalValues(input: string): { folded: string; pattern: RegExp }[] {
  const values = new Map<string, RegExp>();
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const f of listFiles(input)) {
    const file = readDicomFile(f.path);
    try {
      for (const v of collectOriginal(file, new ProfileView([])).values.values()) {
        // As verify matches: text between non-alphanumerics ("ANNA" is not found in "PHYSICIANNAME"), UIDs, dates
        // and numbers between non-digits.
        const edge = v.kind === 'text' ? '\\p{L}\\p{N}' : v.kind === 'uid' ? '0-9.' : '0-9';
        values.set(v.folded, new RegExp(`(?<![${edge}])${escape(v.folded)}(?![${edge}])`, 'u'));
      }
    } finally {
      file.close();
    }
  }
  return [...values].map(([folded, pattern]) => ({ folded, pattern }));
}

for (const showValues of [false, true]) {
  test(`the page holds no identifying value of the originals and none of their paths${showValues ? ' (--show-values)' : ''}`, async () => {
    const data = await collectReview({ input: runFolder.input, output: runFolder.output, reportPath: runFolder.report, auditPath: runFolder.audit, showValues });
    const html = renderPage(data);
    const values = originalValues(runFolder.input);
    assert.ok(values.length > 30, `the examples hold many identifying values (${values.length})`);
    assert.ok(values.some((v) => v.folded === 'SMITH^JOHN^A') && values.some((v) => v.folded === 'SMITH'), 'the fake patient name is among them');
    assert.ok(values.find((v) => v.folded === 'SMITH')!.pattern.test('DR SMITH, MD') && !values.find((v) => v.folded === 'SMITH')!.pattern.test('SMITHSON'), 'the search finds a delimited value');
    // Thumbnails are base64 PNG: letters in them spell nothing (checked to be PNGs above and in the browser test).
    const text = html.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, 'data:image/png;base64,…');
    // The data block escapes <, > and &; the summary escapes markup: search every form.
    const forms = [text, JSON.stringify(pageData(html)), text.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"')].map((t) => t.toUpperCase());
    const leaked = values.filter((v) => forms.some((t) => v.pattern.test(t))).map((v) => v.folded);
    assert.deepEqual(leaked, [], 'no original value on the page');
    assert.ok(!html.includes(runFolder.input), 'no original path');
    assert.ok(!html.includes(runFolder.work), 'no path of the run at all (outputs are shown below their folder)');
    // The values the page does show are output values: with --show-values the CT's new Patient Name is there whole.
    const ct = data.series.find((s) => s.modality === 'CT')!;
    const name = ct.attributes.find((r) => r.path === '(0010,0010)')!;
    assert.ok(name, 'the attribute table has a row for Patient Name');
    assert.notEqual(name.action, 'keep');
    for (const v of name.values) assert.ok(showValues ? !v.includes('…(') : /…\(\d+\)$/.test(v), `value shown as ${showValues ? 'is' : 'masked'}: ${v}`);
  });
}

test('the page counts what the report counts; the redacted rectangle is recorded by the run and outlined data reach the page', async () => {
  const report = readRunReport(runFolder.report);
  assert.deepEqual([report.summary.ok, report.summary.failed, report.summary.quarantined], [6, 0, 1]);
  const redacted = report.files.find((f) => f.burnedIn?.status === 'redacted');
  assert.ok(redacted, 'the ultrasound was redacted');
  assert.deepEqual(redacted.burnedIn!.rectangles, [TEXT_BOX], 'the report records the rectangle blanked, in pixels');
  const audited = [...readAudit(runFolder.audit)].flatMap((line) => ('burnedIn' in line && line.burnedIn.status === 'redacted' ? [line.burnedIn.rectangles] : []));
  assert.deepEqual(audited, [[TEXT_BOX]], 'so does the audit');

  const data = await collectReview({ input: runFolder.input, output: runFolder.output, reportPath: runFolder.report, auditPath: runFolder.audit });
  const html = renderPage(data);
  const shown = counts(html);
  for (const key of ['ok', 'failed', 'skipped', 'quarantined'] as const) assert.equal(shown[key], String(report.summary[key]), key);
  assert.equal(shown.outputs, String(report.summary.ok));
  assert.equal(shown.redacted, '1');
  assert.equal(shown.high, '0', 'verify ran and found nothing high');
  assert.equal(shown.medium, '1', 'only that the redacted pixels differ (pixel-data-changed)');
  const ok = data.instances.filter((i) => i.status === 'ok');
  assert.equal(ok.length, report.summary.ok);
  assert.deepEqual(ok.map((i) => i.path).sort(), report.files.filter((f) => f.status === 'ok').map((f) => relative(runFolder.output, f.output!)).sort());
  const us = data.instances.find((i) => i.burnedIn?.status === 'redacted')!;
  assert.equal(us.path, join('echo', 'us.dcm'));
  assert.deepEqual(us.burnedIn!.rectangles, [TEXT_BOX]);
  // Every output image has a thumbnail of its size (≤ 128: the examples are 64 × 64, the ultrasound 64 × 48).
  for (const i of ok) {
    assert.equal(i.thumbnails.length, 1, i.path);
    assert.deepEqual(pngSize(i.thumbnails[0].src), { width: i.columns, height: i.rows }, i.path);
  }
  // The quarantined file: listed with its reason, pixels not shown.
  const q = data.instances.filter((i) => i.status === 'quarantined');
  assert.equal(q.length, 1);
  assert.equal(q[0].path, 'dose-screen.dcm');
  assert.match(q[0].quarantineReason!, /may carry burned-in text/);
  assert.deepEqual(q[0].thumbnails, []);
  assert.match(q[0].thumbnailNote!, /--show-quarantined/);
  const shownToo = await collectReview({ input: runFolder.input, output: runFolder.output, reportPath: runFolder.report, showQuarantined: true, verify: false });
  assert.equal(shownToo.instances.find((i) => i.status === 'quarantined')!.thumbnails.length, 1, '--show-quarantined shows its pixels');
  // Per series: the audit's actions and rules.
  const ct = data.series.find((s) => s.modality === 'CT')!;
  assert.equal(ct.instances.length, 3);
  const actions = new Set(ct.attributes.map((r) => r.action));
  for (const a of ['remove', 'remapUid', 'keep']) assert.ok(actions.has(a), `CT series table has ${a} rows`);
  assert.ok(ct.attributes.every((r) => r.origin !== '' && r.instances >= 1 && r.instances <= 3), 'every row names its rule and counts 1 to 3 instances');
});

test('an output path that holds an original value (an output tree named after the patient by hand) is withheld', async () => {
  // The mirror layout renames such names itself (batch/mirror-names.ts); an output file the user named is kept as named.
  const input = join(runFolder.work, 'named-in');
  mkdirSync(join(input, 'SMITH_JOHN'), { recursive: true });
  copyFileSync(join(EXAMPLES, 'ct', 'slice-001.dcm'), join(input, 'SMITH_JOHN', 'slice-001.dcm'));
  const output = join(runFolder.work, 'named-out');
  mkdirSync(join(output, 'SMITH_JOHN'), { recursive: true });
  const secret = { kind: 'text', text: 'review-test-key-0123456789abcdef' } as const;
  await runBatch({ input: join(input, 'SMITH_JOHN', 'slice-001.dcm'), output: join(output, 'SMITH_JOHN', 'slice-001.dcm'), recursive: false, plan: basicProfilePlan([]), secret, jobs: 1, log: () => {} });
  const data = await collectReview({ input, output });
  assert.equal(data.instances.length, 1);
  assert.ok(data.instances[0].findings.some((f) => f.kind === 'identifying-value-in-path'), 'verify reports the path');
  assert.match(data.instances[0].path, /^\(path withheld: it holds an identifying value of the original\) S…\(\d+\)$/);
  const page = renderPage(data).replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, '').toUpperCase();
  assert.deepEqual(originalValues(input).filter((v) => v.pattern.test(page)).map((v) => v.folded), [], 'no original value on the page');
});

test('hostile values and file names are escaped: no markup of theirs reaches the page, the data block cannot end early', async () => {
  const dir = hostileFolder();
  cleanup.push(dir);
  const html = renderPage(await collectReview({ input: dir, output: dir, showValues: true }));
  const data = pageData(html);
  // The values are there (shown whole under --show-values), only as data.
  const values = data.series.flatMap((s) => [s.description, ...s.attributes.flatMap((r) => r.values)]);
  for (const v of [HOSTILE.patientName, HOSTILE.privateCreator, HOSTILE.seriesDescription]) assert.ok(values.includes(v), `${v} shown whole`);
  for (const name of HOSTILE.fileNames.slice(0, 2)) assert.ok(data.instances.some((i) => i.path === name), `file ${name} listed`);
  // The third file name holds the Patient Name of its original (the same file here): verify says so, the path is withheld.
  assert.ok(data.instances.some((i) => i.path === '(path withheld: it holds an identifying value of the original) <…(29)'), 'third file name withheld');
  const block = /<script type="application\/json" id="review-data">([^<]*)<\/script>/.exec(html)![1];
  assert.ok(!/[<>]/.test(block), 'the data block holds no < or >');
  assert.equal(html.match(/<script/g)!.length, 2, 'the page has its data block and its own script, nothing else');
  assert.ok(!/<img|<svg|onerror|onload/i.test(html.replace(block, '')), 'no markup from the files outside the data block');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1].replace(/&#39;/g, "'");
  assert.match(csp, /^default-src 'none'; img-src data:; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+';/);
});

test('without --audit the tables list what the outputs hold; --findings reads verify\'s report; --thumbnails series keeps one per series and every redacted one', async () => {
  const findings = join(runFolder.work, 'findings.json');
  const cli = join(REPO, 'src', 'cli', 'main.ts');
  const v = await run('node', ['--import', 'tsx', cli, 'verify', '-i', runFolder.input, '-o', runFolder.output, '--report', findings], 120_000, { cwd: REPO });
  assert.equal(v.code, 3, 'verify found the changed pixels of the redacted file');
  const data = await collectReview({ input: runFolder.input, output: runFolder.output, reportPath: runFolder.report, findingsPath: findings, thumbnails: 'series' });
  assert.deepEqual(data.summary.findings, { high: 0, medium: 1, low: 0, filesWithFindings: 1 });
  assert.ok(data.notes.some((n) => /No --audit given/.test(n)), 'the page says the tables are not actions');
  const mr = data.series.find((s) => s.modality === 'MR')!;
  assert.ok(mr.attributes.length > 20 && mr.attributes.every((r) => r.action === 'in output'), 'rows of what the outputs hold');
  const withThumbnails = data.instances.filter((i) => i.thumbnails.length > 0).map((i) => i.path).sort();
  assert.deepEqual(withThumbnails, [join('ct', 'slice-002.dcm'), join('echo', 'us.dcm'), join('mr', 'image-001.dcm')], 'the middle instance of each series, and the redacted one');
  const none = await collectReview({ input: runFolder.input, output: runFolder.output, verify: false, thumbnails: 'none' });
  assert.equal(none.summary.findings, null);
  assert.ok(none.instances.every((i) => i.thumbnails.length === 0), 'no thumbnails');
});

test('bad input: a truncated output is listed, not fatal; a report or audit that is not one is a RecordError naming it (and the line)', async () => {
  const dir = join(runFolder.work, 'broken');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(EXAMPLES, 'ct', 'slice-001.dcm'), join(dir, 'whole.dcm'));
  const bytes = readFileSync(join(EXAMPLES, 'ct', 'slice-002.dcm'));
  writeFileSync(join(dir, 'truncated.dcm'), bytes.subarray(0, bytes.length - 3000));
  const data = await collectReview({ input: dir, output: dir, verify: false });
  const truncated = data.instances.find((i) => i.path === 'truncated.dcm');
  assert.ok(truncated, 'the truncated file is listed');
  assert.deepEqual(truncated.thumbnails, []);
  assert.match(truncated.thumbnailNote!, /cannot be read|pixels cannot be shown/);
  assert.ok(!truncated.thumbnailNote!.includes(dir), 'its note names no folder');
  assert.equal(data.instances.find((i) => i.path === 'whole.dcm')!.thumbnails.length, 1);
  writeFileSync(join(dir, 'not-a-report.json'), '{"files": 3}');
  await assert.rejects(collectReview({ input: dir, output: dir, verify: false, reportPath: join(dir, 'not-a-report.json') }), (e: Error) => e instanceof RecordError && e.file === join(dir, 'not-a-report.json') && /not-a-report\.json: not a .*report.*: files: expected array/.test(e.message));
  writeFileSync(join(dir, 'audit.jsonl'), '{"file":"a","path":"(0010,0010)","keyword":"PatientName","action":"remove","origin":"basic"}\n{oops\n');
  await assert.rejects(collectReview({ input: dir, output: dir, verify: false, auditPath: join(dir, 'audit.jsonl') }), (e: Error) => e instanceof RecordError && e.line === 2 && /audit\.jsonl:2: not a line of .*: not JSON$/.test(e.message));
});

test('CLI: review writes the page, names its counts, and --help documents the flags', async () => {
  const html = join(runFolder.work, 'review.html');
  const cli = join(REPO, 'src', 'cli', 'main.ts');
  const r = await run('node', ['--import', 'tsx', cli, 'review', '-i', runFolder.input, '-o', runFolder.output, '--report', runFolder.report, '--audit', runFolder.audit, '--html', html], 120_000, { cwd: REPO });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /review page: .*: 6 output\(s\) in 4 series of 3 studies, 1 quarantined; findings: 0 high, 1 medium, 0 low/);
  assert.ok(existsSync(html), 'page written');
  assert.equal(counts(readFileSync(html, 'utf8')).ok, '6');
  const help = await run('node', ['--import', 'tsx', cli, 'review', '--help'], 60_000, { cwd: REPO });
  for (const flag of ['--html', '--report', '--audit', '--findings', '--no-verify', '--show-values', '--show-quarantined', '--thumbnails', '--thumbnail-size', '--mapping', '--quarantine']) assert.ok(help.stdout.includes(flag), flag);
  const missing = await run('node', ['--import', 'tsx', cli, 'review', '-i', runFolder.input, '-o', runFolder.output], 60_000, { cwd: REPO });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /--html FILE is required/);
});
