// The review page's data for a person checking many images, without a browser: a cine shows the frames the run
// blanked (plus first and last) with full-size images to enlarge; kept values of a non-identifying vocabulary are
// shown whole and nothing else is; quarantined files carry their audit rows; the page says whether the pixels were
// verified; no original path, even one quoted in a quarantine reason (checking-browser.test.ts drives the page).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { collectReview, renderPage, type ReviewData } from '../../src/review/index.js';
import { framesToShow, MAX_BOXED_FRAMES } from '../../src/review/thumbnails.js';
import { addPixelFindings, verifyTrees } from '../../src/verify/index.js';
import { writeVerifyReport } from '../../src/api/verify.js';
import { readRunReport } from '../../src/records/index.js';
import { CINE, CINE_TEXT, checkingRun, PATIENT_FOLDER } from './checking-run.js';
import type { RunFolder } from './helpers.js';
import { BodyPartExamined } from '../../src/dicom/tags.generated.js';

/** The JSON data block of a page. */
function pageData(html: string): ReviewData {
  const m = /<script type="application\/json" id="review-data">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'the page has its data block');
  return JSON.parse(m[1]) as ReviewData;
}

let runFolder: RunFolder;
let data: ReviewData;
before(async () => {
  runFolder = await checkingRun();
  data = await collectReview({ input: runFolder.input, output: runFolder.output, reportPath: runFolder.report, auditPath: runFolder.audit });
});
after(() => rmSync(runFolder.work, { recursive: true, force: true }));

const instance = (path: RegExp) => {
  const found = data.instances.find((i) => path.test(i.path));
  assert.ok(found, `an instance ${path}`);
  return found;
};
const pngSize = (uri: string): number[] => {
  const png = Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
};

test('a cine shows the frames the run blanked boxes on, plus the first and last, each with its full-size image', () => {
  const cine = instance(/^echo\/cine\.dcm$/);
  assert.deepEqual(cine.burnedIn?.rectangles, [{ ...CINE_TEXT, frames: [...CINE.textFrames] }], 'the run recorded the rule\'s frames');
  assert.deepEqual(cine.thumbnails.map((t) => t.frame), [0, ...CINE.textFrames, CINE.frames - 1]);
  for (const t of cine.thumbnails) {
    assert.deepEqual(pngSize(t.src), [128, 96], 'thumbnail');
    assert.ok(t.full !== null, 'a full-size image to enlarge');
    assert.deepEqual(pngSize(t.full), [CINE.columns, CINE.rows], 'at the image\'s own resolution');
  }
  // Frame choice alone: boxes on every frame (no frames named) keep first, middle, last; many boxed frames are spread.
  assert.deepEqual(framesToShow(8, [{ x: 0, y: 0, width: 1, height: 1 }]), [0, 3, 7]);
  const many = framesToShow(100, [{ x: 0, y: 0, width: 1, height: 1, frames: Array.from({ length: 49 }, (_, i) => 2 * i + 1) }]);
  assert.equal(many.length, MAX_BOXED_FRAMES + 2);
  assert.deepEqual([many[0], many[1], many.at(-2), many.at(-1)], [0, 1, 97, 99], 'first, first boxed, last boxed, last');
});

test('a page budget for full-size images: past it, frames enlarge their thumbnail only, and the page says how many', async () => {
  const tight = await collectReview({ input: runFolder.input, output: runFolder.output, reportPath: runFolder.report, auditPath: runFolder.audit, verify: false, fullSizeBudget: 3000 });
  const fulls = tight.instances.flatMap((i) => i.thumbnails).map((t) => t.full);
  const total = fulls.reduce((n, f) => n + (f?.length ?? 0), 0);
  assert.ok(total <= 3000, `within the budget: ${total}`);
  assert.ok(fulls.some((f) => f !== null) && fulls.some((f) => f === null), 'some made, some not');
  assert.ok(tight.notes.some((n) => new RegExp(`${fulls.filter((f) => f === null).length} frame\\(s\\) past the page's size budget`).test(n)), 'the page says so');
});

test('kept values of a non-identifying vocabulary are shown whole; a kept free-text value and every cleaned value stay masked', async () => {
  for (const page of [data, await collectReview({ input: runFolder.input, output: runFolder.output, verify: false })]) {
    const mr = page.series.find((s) => s.modality === 'MR')!;
    const values = (keyword: string): string[] => mr.attributes.find((r) => r.keyword === keyword)?.values ?? [];
    assert.deepEqual(values('Modality'), ['MR']);
    assert.deepEqual(values('BodyPartExamined'), ['HEAD']);
    assert.deepEqual(values('SequenceName'), ['*tfl3d1_16ns']);
    assert.deepEqual(values('ScanningSequence'), ['GR\\IR']);
    assert.deepEqual(values('ImageType'), ['ORIGINAL\\PRIMARY\\M\\ND']);
    assert.deepEqual(values('Manufacturer'), ['A…(12)'], 'free text the profile keeps: masked');
    for (const keyword of ['PatientName', 'PatientID', 'SOPInstanceUID', 'StudyInstanceUID']) {
      const shown = values(keyword);
      assert.ok(shown.length > 0 && shown.every((v) => /…\(\d+\)$/.test(v)), `${keyword} masked: ${shown.join(', ')}`);
    }
  }
});

test('an attribute of the vocabulary that the Plan does not keep is masked, whatever its value looks like', async () => {
  // A config rule replacing Body Part Examined by "HEAD": a fine-looking code, but the Plan's, not the image's.
  const replaced = await checkingRun([{ selector: { kind: 'tag', tag: BodyPartExamined }, action: { type: 'replace', value: 'HEAD' }, origin: 'test rule' }]);
  try {
    const page = await collectReview({ input: replaced.input, output: replaced.output, reportPath: replaced.report, auditPath: replaced.audit, verify: false });
    const row = page.series.find((s) => s.modality === 'MR')!.attributes.find((r) => r.keyword === 'BodyPartExamined')!;
    assert.deepEqual([row.action, row.origin, row.values], ['replace', 'test rule', ['H…(4)']]);
  } finally {
    rmSync(replaced.work, { recursive: true, force: true });
  }
});

test('a quarantined file lists its audit rows, with its own values masked; its series\' table holds only what leaves', () => {
  const broken = instance(/broken\.dcm$/);
  assert.equal(broken.status, 'quarantined');
  assert.ok(broken.attributes.length > 10, `its audit rows: ${broken.attributes.length}`);
  const name = broken.attributes.find((r) => r.keyword === 'PatientName')!;
  assert.ok(name && name.action !== 'keep' && name.values.every((v) => /…\(\d+\)$/.test(v)), `Patient Name ${name?.action} ${name?.values}`);
  assert.deepEqual(broken.attributes.find((r) => r.keyword === 'Modality')?.values, ['US']);
  const us = data.series[broken.series];
  assert.ok(us.attributes.every((r) => r.instances === 1), 'the series table counts the one output, not the quarantined file');
  assert.deepEqual(instance(/cine\.dcm$/).attributes, [], 'outputs\' rows are in their series table');
});

test('no original path: a quarantine reason quoting the input path shows the renamed path instead', () => {
  const report = readRunReport(runFolder.report);
  const quarantined = report.files.find((f) => f.status === 'quarantined')!;
  assert.ok(quarantined.note!.includes(join(runFolder.input, PATIENT_FOLDER)), 'the run\'s reason names the original path');
  const broken = instance(/broken\.dcm$/);
  assert.ok(!broken.path.includes(PATIENT_FOLDER), `the quarantined file is shown by its renamed path: ${broken.path}`);
  assert.ok(broken.quarantineReason!.includes(`(${broken.path}: `), `the reason names it so: ${broken.quarantineReason}`);
  const html = renderPage(data);
  assert.ok(!html.includes(PATIENT_FOLDER), 'the patient\'s folder name nowhere on the page');
  assert.ok(!html.includes(runFolder.work), 'no path of the run at all');
  assert.deepEqual(pageData(html).instances.map((i) => i.path).sort(), [broken.path, 'echo/cine.dcm', 'mr/head.dcm'].sort());
});

test('the page says whether the pixels were verified: not by verify run here, yes with verify --pixels\' findings', async () => {
  assert.equal(data.summary.pixelsVerified, false);
  assert.match(renderPage(data), /data-count="pixelsVerified">no: attributes only</);
  assert.match(renderPage(data), /Verify findings \(attributes only\): high<\/th>/, 'the counts say what they counted');
  assert.ok(data.notes.some((n) => /^Pixels not verified/.test(n)));
  const unverified = await collectReview({ input: runFolder.input, output: runFolder.output, verify: false });
  assert.match(renderPage(unverified), /data-count="pixelsVerified">no: verify did not run</);
  // verify --pixels over the MR output (the one that reads quickly): its report says the pixels were read.
  const findings = join(runFolder.work, 'findings.json');
  writeVerifyReport(await addPixelFindings(verifyTrees({ input: join(runFolder.input, 'mr'), output: join(runFolder.output, 'mr') })), findings);
  const verified = await collectReview({ input: runFolder.input, output: runFolder.output, findingsPath: findings });
  assert.equal(verified.summary.pixelsVerified, true);
  assert.match(renderPage(verified), /data-count="pixelsVerified">yes</);
  assert.match(renderPage(verified), /Verify findings: high<\/th>/);
  assert.ok(!verified.notes.some((n) => /^Pixels not verified/.test(n)));
});
