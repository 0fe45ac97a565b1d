// The burned-in step: the risk gate on the original dataset, rectangle rules, the engine's sync half (Patient
// Identity Removed NO until the pixels are cleaned) and finishPixels by policy, with the markers after a redaction.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { assessRisk } from '../../src/anonymize/burned-in/gate.js';
import { complementRectangles, evaluatePixelRules } from '../../src/anonymize/burned-in/rules.js';
import { basicProfilePlan, completePlan } from '../../src/config/build.js';
import type { DicomFile } from '../../src/dicom/part10.js';
import { getString, newNumberElement } from '../../src/dicom/values.js';
import { defaultRiskGate } from '../../src/profiles/burned-in.js';
import type { BurnedInPolicy, Plan, PixelRule } from '../../src/plan/plan.js';
import { checkBurnedIn } from '../../src/verify/checks.js';
import { BurnedInAnnotation, CodeMeaning, CodeValue, DeidentificationMethodCodeSequence, EncapsulatedDocument, Modality, PatientIdentityRemoved, Rows, SeriesDescription, StudyDescription } from '../../src/dicom/tags.generated.js';
import { newStringElement } from '../../src/dicom/values.js';
import { pixelBytes } from '../helpers/pixels.js';
import { BACKGROUND, COLUMNS, makeImage, makePdf, makeSr, ROWS, SOP, TEXT_BOX, testPixels } from './burned-in-helpers.js';
import { reread } from '../helpers/rewrite.js';

const KEYS = Keys.fromSecret('burned-in-tests-key-0123456789abcdef');
const COVER_TEXT: PixelRule = {
  conditions: [{ tag: Modality, op: 'equals', value: 'us' }],
  regions: [{ kind: 'rectangle', units: 'pixels', x: TEXT_BOX.x, y: TEXT_BOX.y, width: TEXT_BOX.width, height: TEXT_BOX.height }],
  origin: 'test: US header',
};

function plan(policy: BurnedInPolicy = 'quarantine', rules: PixelRule[] = [], markers = true): Plan {
  const p = markers ? basicProfilePlan([]) : completePlan({ rules: [], profile: null, unmatched: 'keep', dateShift: { scope: 'patient', rangeDays: 10 } });
  return { ...p, pixels: { ...p.pixels, policy, rules } };
}

const text = (file: DicomFile, tag: number): string | undefined => {
  const el = file.dataset.get(tag);
  return el ? getString(file.dataset, el, file.datasetSource) : undefined;
};
const codes = (file: DicomFile): string[] =>
  (file.dataset.get(DeidentificationMethodCodeSequence)?.items ?? []).map((item) => getString(item, item.get(CodeValue)!, file.datasetSource));

async function run(file: DicomFile, p: Plan) {
  const anonymizer = new Anonymizer(p, KEYS);
  const result = anonymizer.anonymizeFile(file);
  const pirAfterSync = text(file, PatientIdentityRemoved);
  const outcome = await anonymizer.finishPixels(file, result);
  return { result, outcome, pirAfterSync, out: reread(file) };
}

test('gate: at risk by modality, SOP class, flags and image type; reasons without identifying values', () => {
  const gate = defaultRiskGate();
  const verdict = (f: DicomFile) => assessRisk(f.dataset, f.datasetSource, gate);
  const us = verdict(makeImage({ modality: 'US', sopClass: SOP.us, n: 1 }));
  assert.equal(us.atRisk, true);
  assert.ok(us.reasons.includes('Modality US'), us.reasons.join());
  assert.ok(us.reasons.some((r) => r.startsWith('SOP Class Ultrasound')), us.reasons.join());
  // Burned In Annotation NO does not make an ultrasound safe.
  assert.equal(verdict(makeImage({ modality: 'US', sopClass: SOP.us, n: 2, burnedIn: 'NO' })).atRisk, true);
  assert.deepEqual(verdict(makeImage({ modality: 'CT', sopClass: SOP.ct, n: 3 })), { atRisk: false, reasons: [], hasPixels: true, encapsulatedDocument: false });
  assert.deepEqual(verdict(makeImage({ modality: 'CT', sopClass: SOP.ct, n: 4, burnedIn: 'YES' })).reasons, ['Burned In Annotation YES']);
  assert.deepEqual(verdict(makeImage({ modality: 'CT', sopClass: SOP.ct, n: 5, imageType: 'DERIVED\\SECONDARY\\AXIAL' })).reasons, ['Image Type DERIVED', 'Image Type SECONDARY']);
  // Any DERIVED, SECONDARY, SCREEN or SAVE word of any modality; a missing Image Type; descriptions naming a dose
  // report, screen, protocol, save or render.
  assert.deepEqual(verdict(makeImage({ modality: 'MR', sopClass: SOP.ct, n: 51, imageType: 'ORIGINAL\\PRIMARY\\SCREEN SAVE' })).reasons, ['Image Type SCREEN', 'Image Type SAVE']);
  assert.deepEqual(verdict(makeImage({ modality: 'CT', sopClass: SOP.ct, n: 52, imageType: null })).reasons, ['Image Type missing or empty']);
  const described = (n: number, text: string, tag = SeriesDescription) => {
    const f = makeImage({ modality: 'CT', sopClass: SOP.ct, n });
    f.dataset.put(newStringElement(f.dataset, tag, 'LO', text));
    return verdict(f).reasons;
  };
  assert.deepEqual(described(53, 'Dose Report'), ['Series Description matches /\\bdose[ _-]?(report|info|summary|screen|sheet)/']);
  assert.equal(described(54, 'Patient Protocol', StudyDescription).length, 1);
  assert.equal(described(55, 'VRT heart 3D').length, 1);
  assert.deepEqual(described(56, 'LOW DOSE CHEST 1.25mm'), [], 'a low-dose acquisition is not a dose report');
  assert.deepEqual(described(57, 'MAMMO SCREENING'), [], 'screening is not a screen');
  assert.ok(verdict(makeImage({ modality: 'OT', sopClass: SOP.sc, n: 6 })).reasons.some((r) => r.includes('Secondary Capture')));
  const pdf = verdict(makePdf(7));
  assert.equal(pdf.atRisk, true);
  assert.equal(pdf.encapsulatedDocument, true);
  assert.ok(pdf.reasons.includes('encapsulated document (application/pdf)'), pdf.reasons.join());
  assert.equal(verdict(makeSr(8)).atRisk, false, 'no Pixel Data, not a document: not at risk');
  for (const r of [...us.reasons, ...pdf.reasons]) assert.ok(!/DOE|JANE|MRN/.test(r), r);
});

test('rules: conditions (equals, contains, regex, present, absent), fractions rounded outward, outside the US regions', () => {
  const file = makeImage({ modality: 'US', sopClass: SOP.us, n: 10, regions: [[10, 12, 49, 39]] });
  const eval1 = (rule: Omit<PixelRule, 'origin'>) => evaluatePixelRules(file.dataset, file.datasetSource, [{ ...rule, origin: 'r' }]);
  assert.deepEqual(eval1({ conditions: [{ tag: Modality, op: 'contains', value: 's' }], regions: [] }).matched, ['r']);
  assert.deepEqual(eval1({ conditions: [{ tag: Modality, op: 'regex', value: '^u' }, { tag: Rows, op: 'equals', value: String(ROWS) }], regions: [] }).matched, ['r']);
  assert.deepEqual(eval1({ conditions: [{ tag: Modality, op: 'equals', value: 'CT' }], regions: [] }).matched, []);
  assert.deepEqual(eval1({ conditions: [{ tag: BurnedInAnnotation, op: 'absent' }, { tag: Rows, op: 'present' }], regions: [] }).matched, ['r']);
  const fraction = eval1({ conditions: [], regions: [{ kind: 'rectangle', units: 'fraction', x: 0.01, y: 0.01, width: 0.5, height: 0.1 }] });
  // 0.01×64 = 0.64 → 0; 0.51×64 = 32.64 → 33; 0.01×48 → 0; 0.11×48 = 5.28 → 6.
  assert.deepEqual(fraction.rectangles, [{ x: 0, y: 0, width: 33, height: 6 }]);
  const outside = eval1({ conditions: [], regions: [{ kind: 'outsideUltrasoundRegions' }], frames: [0] }).rectangles;
  // Every pixel outside [10..49]×[12..39] covered once, none inside.
  const cover = new Uint8Array(COLUMNS * ROWS);
  for (const r of outside) {
    assert.deepEqual(r.frames, [0]);
    for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) cover[y * COLUMNS + x]++;
  }
  for (let y = 0; y < ROWS; y++) {
    for (let x = 0; x < COLUMNS; x++) assert.equal(cover[y * COLUMNS + x], x >= 10 && x <= 49 && y >= 12 && y <= 39 ? 0 : 1, `${x},${y}`);
  }
  const none = makeImage({ modality: 'US', sopClass: SOP.us, n: 11 });
  assert.deepEqual(evaluatePixelRules(none.dataset, none.datasetSource, [{ conditions: [], regions: [{ kind: 'outsideUltrasoundRegions' }], origin: 'o' }]),
    { matched: ['o'], flagged: [], rectangles: [] }, 'no regions sequence: no rectangle');
  assert.equal(complementRectangles(10, 10, [{ x0: 0, y0: 0, x1: 10, y1: 10 }]).length, 0);
});

test('default profile: an ultrasound is quarantined, its metadata de-identified, Patient Identity Removed NO', async () => {
  const { outcome, pirAfterSync, out } = await run(makeImage({ modality: 'US', sopClass: SOP.us, n: 20 }), plan());
  assert.equal(pirAfterSync, 'NO');
  assert.equal(outcome.status, 'quarantine');
  assert.ok(outcome.status === 'quarantine' && /Modality US/.test(outcome.reason) && /no pixel rule matched/.test(outcome.reason) && /text detection runs only under policy redact/.test(outcome.reason), JSON.stringify(outcome));
  assert.equal(text(out, PatientIdentityRemoved), 'NO');
  assert.ok(!codes(out).includes('113101'));
  assert.deepEqual(pixelBytes(out), Buffer.from(testPixels()));
  assert.notEqual(text(out, 0x00100020), 'MRN-55501', 'metadata de-identified');
  assert.equal(checkBurnedIn(out)[0]?.kind, 'burned-in-not-cleaned');
  out.close();
});

test('a CT is not at risk: Pixel Data byte-identical, Patient Identity Removed YES', async () => {
  const { outcome, out } = await run(makeImage({ modality: 'CT', sopClass: SOP.ct, n: 21 }), plan());
  assert.equal(outcome.status, 'not-at-risk');
  assert.equal(text(out, PatientIdentityRemoved), 'YES');
  assert.deepEqual(pixelBytes(out), Buffer.from(testPixels()));
  assert.deepEqual(checkBurnedIn(out), []);
  out.close();
});

test('a rule that covers the text: delivered, pixels inside = fill, outside identical, markers 113101, Burned In Annotation NO, PIR YES', async () => {
  const { outcome, pirAfterSync, out } = await run(makeImage({ modality: 'US', sopClass: SOP.us, n: 22, burnedIn: 'YES' }), plan('quarantine', [COVER_TEXT]));
  assert.equal(pirAfterSync, 'NO', 'not yet cleaned after the sync half');
  assert.equal(outcome.status, 'redacted');
  assert.deepEqual(outcome.assessment.rulesMatched, ['test: US header']);
  const before = testPixels();
  const after = pixelBytes(out)!;
  for (let y = 0; y < ROWS; y++) {
    for (let x = 0; x < COLUMNS; x++) {
      const i = y * COLUMNS + x;
      const inside = x >= TEXT_BOX.x && x < TEXT_BOX.x + TEXT_BOX.width && y >= TEXT_BOX.y && y < TEXT_BOX.y + TEXT_BOX.height;
      assert.equal(after[i], inside ? 0 : before[i], `${x},${y}`);
    }
  }
  assert.ok(after.some((v) => v >= BACKGROUND));
  assert.equal(text(out, BurnedInAnnotation), 'NO');
  assert.equal(text(out, PatientIdentityRemoved), 'YES');
  assert.ok(codes(out).includes('113100') && codes(out).includes('113101'), codes(out).join());
  const item = out.dataset.get(DeidentificationMethodCodeSequence)!.items!.find((i) => getString(i, i.get(CodeValue)!, out.datasetSource) === '113101')!;
  assert.equal(getString(item, item.get(CodeMeaning)!, out.datasetSource), 'Clean Pixel Data Option');
  assert.deepEqual(checkBurnedIn(out), []);
  out.close();
});

test('policies: fail fails, keep delivers with Patient Identity Removed NO, redact without a rule searches for text; a PDF is never cleaned', async () => {
  const us = () => makeImage({ modality: 'US', sopClass: SOP.us, n: 23 });
  assert.equal((await run(us(), plan('fail'))).outcome.status, 'fail');
  const kept = await run(us(), plan('keep'));
  assert.equal(kept.outcome.status, 'kept-at-risk');
  assert.equal(text(kept.out, PatientIdentityRemoved), 'NO');
  kept.out.close();
  // Under redact the detector searches the image (test/anonymize/burned-in-detect.test.ts): never quarantined for want of a rule.
  const searched = await run(us(), plan('redact'));
  assert.ok(searched.outcome.status === 'redacted' || searched.outcome.status === 'nothing-to-blank', JSON.stringify(searched.outcome));
  assert.equal(text(searched.out, BurnedInAnnotation), 'NO');
  searched.out.close();
  // The gate judges what is delivered: the Basic Profile replaces the document with a dummy, so it is no risk ...
  const replaced = await run(makePdf(24), plan('quarantine'));
  assert.equal(replaced.outcome.status, 'not-at-risk');
  assert.equal(replaced.out.dataset.get(EncapsulatedDocument)?.valueLength, 2);
  replaced.out.close();
  // ... and a plan that keeps it delivers a document nothing can clean: quarantined.
  const keepDocument = plan('redact', [{ conditions: [], regions: [{ kind: 'rectangle', units: 'fraction', x: 0, y: 0, width: 1, height: 1 }], origin: 'all' }]);
  keepDocument.rules = [{ selector: { kind: 'tag', tag: EncapsulatedDocument }, action: { type: 'keep' }, origin: 'test: keep the document' }, ...keepDocument.rules];
  const pdf = await run(makePdf(24), keepDocument);
  assert.equal(pdf.outcome.status, 'quarantine');
  assert.ok(pdf.outcome.status === 'quarantine' && /encapsulated document cannot be cleaned by rectangles/.test(pdf.outcome.reason));
  pdf.out.close();
});

test('a plan without markers gets the gate and the policy, adds no markers, and never says Patient Identity Removed YES', async () => {
  const withYes = makeImage({ modality: 'US', sopClass: SOP.us, n: 25 });
  withYes.dataset.put((await import('../../src/dicom/values.js')).newStringElement(withYes.dataset, PatientIdentityRemoved, 'CS', 'YES'));
  const { outcome, out } = await run(withYes, plan('keep', [], false));
  assert.equal(outcome.status, 'kept-at-risk');
  assert.equal(text(out, PatientIdentityRemoved), 'NO', 'a YES the input carried is withdrawn');
  assert.equal(out.dataset.get(DeidentificationMethodCodeSequence), undefined);
  out.close();
  const cleaned = await run(makeImage({ modality: 'US', sopClass: SOP.us, n: 26 }), plan('quarantine', [COVER_TEXT], false));
  assert.equal(cleaned.outcome.status, 'redacted');
  assert.equal(text(cleaned.out, PatientIdentityRemoved), undefined);
  assert.equal(text(cleaned.out, BurnedInAnnotation), 'NO');
  cleaned.out.close();
});

test('an overlay in the high bits of Pixel Data is cleared when the plan removes its group; the pixel values stay', async () => {
  const { DataElement } = await import('../../src/dicom/dataset.js');
  const { encodeNumbers } = await import('../../src/dicom/values.js');
  const { makeTag } = await import('../../src/dicom/tag.js');
  const { BitsAllocated, BitsStored, HighBit, PixelData } = await import('../../src/dicom/tags.generated.js');
  const file = makeImage({ modality: 'CT', sopClass: SOP.ct, n: 30 });
  const ds = file.dataset;
  const us = (tag: number, v: number): void => ds.put(newNumberElement(ds, tag, 'US', [v]));
  us(BitsAllocated, 16);
  us(BitsStored, 12);
  us(HighBit, 11);
  const values = Array.from(testPixels(), (v, i) => (v * 16) | (i % 7 === 0 ? 0x8000 : 0));
  const px = new DataElement(PixelData, 'OW');
  px.setValue(encodeNumbers(ds, 'US', values), 'OW');
  ds.put(px);
  us(makeTag(0x6000, 0x0010), ROWS);
  us(makeTag(0x6000, 0x0011), COLUMNS);
  us(makeTag(0x6000, 0x0100), 1);
  us(makeTag(0x6000, 0x0102), 15);
  const { outcome, out } = await run(file, plan());
  assert.equal(outcome.status, 'not-at-risk');
  assert.equal(out.dataset.get(makeTag(0x6000, 0x0102)), undefined, 'the profile removed the overlay group');
  const after = pixelBytes(out)!;
  for (let i = 0; i < values.length; i++) assert.equal(after.readUInt16LE(i * 2), values[i] & 0x7fff, `pixel ${i}`);
  out.close();
});
