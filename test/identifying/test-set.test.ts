// The generated test set of issue #22 (test/helpers/identifying-cases.ts): every identifying span found and every
// clinical word kept by the finder alone, and by the engine under --preset tcia (with Clean Graphics and Clean
// Structured Content too) in every free-text attribute the issue lists, nested where real files nest them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildPlan } from '../../src/config/build.js';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { readDicomBuffer, type DicomFile } from '../../src/dicom/part10.js';
import { encodeDicomFileToBuffer } from '../../src/dicom/writer.js';
import { getString, newItem, newSequenceElement } from '../../src/dicom/values.js';
import type { DataSet } from '../../src/dicom/dataset.js';
import { maxValueLength } from '../../src/dicom/vr.js';
import { findSpans, fold } from '../../src/identifying/index.js';
import {
  AcquisitionComments, CodeMeaning, CodeValue, CodingSchemeDesignator, CommentsOnTheScheduledProcedureStep, ConceptNameCodeSequence, ContentDescription,
  ContentSequence, DocumentTitle, GraphicAnnotationSequence, GraphicLayer, GraphicLayerDescription, GraphicLayerSequence, ImageComments, PatientComments,
  PatientName, ProcedureCodeSequence, SeriesDescription, StudyDescription, TextObjectSequence, TextValue, UnformattedTextValue, ValueType,
} from '../../src/dicom/tags.generated.js';
import { element, makeFile, type Spec } from '../anonymize/helpers/one-rule.js';
import { generateSpanCases, scoreSpans, type SpanCase } from '../helpers/identifying-cases.js';

const CASES = generateSpanCases(280);

describe('the generated test set, span finder alone', () => {
  const score = scoreSpans(CASES, (text) => findSpans(text));
  it('finds every identifying span (recall per kind at least 99.5%, and none left in this set)', () => {
    assert.ok(score.spans.total >= 280, `${score.spans.total} spans`);
    assert.ok(score.bySource.size >= 15, [...score.bySource.keys()].join(', '));
    assert.deepEqual(score.misses.map((m) => `${m.source}: ${m.span}`), []);
    assert.ok(score.spans.found / score.spans.total >= 0.995);
  });
  it('keeps every clinical word (at least 98%, and none lost in this set)', () => {
    assert.deepEqual(score.lost.map((l) => l.word), []);
    assert.ok(score.clinical.kept / score.clinical.total >= 0.98);
  });
});

/** Where an attribute sits: its tag and VR, and the sequences (with their items' extra elements) it is nested in. */
interface Place {
  name: string;
  tag: number;
  vr: string;
  within: Array<{ tag: number; extra: Spec[] }>;
}

const PLACES: readonly Place[] = [
  { name: 'Series Description', tag: SeriesDescription, vr: 'LO', within: [] },
  { name: 'Study Description', tag: StudyDescription, vr: 'LO', within: [] },
  { name: 'Image Comments', tag: ImageComments, vr: 'LT', within: [] },
  { name: 'Patient Comments', tag: PatientComments, vr: 'LT', within: [] },
  { name: 'Acquisition Comments', tag: AcquisitionComments, vr: 'LT', within: [] },
  { name: 'Comments on the Scheduled Procedure Step', tag: CommentsOnTheScheduledProcedureStep, vr: 'LT', within: [] },
  { name: 'Document Title', tag: DocumentTitle, vr: 'ST', within: [] },
  { name: 'Content Description', tag: ContentDescription, vr: 'LO', within: [] },
  { name: 'Code Meaning', tag: CodeMeaning, vr: 'LO', within: [{ tag: ProcedureCodeSequence, extra: [[CodeValue, 'SH', 'L123'], [CodingSchemeDesignator, 'SH', '99LOCAL']] }] },
  { name: 'Graphic Layer Description', tag: GraphicLayerDescription, vr: 'LO', within: [{ tag: GraphicLayerSequence, extra: [[GraphicLayer, 'CS', 'LAYER1']] }] },
  { name: 'GSPS text object', tag: UnformattedTextValue, vr: 'ST', within: [{ tag: GraphicAnnotationSequence, extra: [[GraphicLayer, 'CS', 'LAYER1']] }, { tag: TextObjectSequence, extra: [] }] },
  { name: 'SR TEXT item', tag: TextValue, vr: 'UT', within: [{ tag: ContentSequence, extra: [[ValueType, 'CS', 'TEXT']] }] },
];

function withValue(place: Place, text: string): DicomFile {
  const file = makeFile([[PatientName, 'PN', 'Quinlan^Odalys']]);
  let ds: DataSet = file.dataset;
  for (const level of place.within) {
    const seq = newSequenceElement(level.tag);
    ds.put(seq);
    const item = newItem(ds, seq);
    for (const spec of level.extra) item.put(element(item, spec));
    if (level.tag === ContentSequence) {
      const concept = newSequenceElement(ConceptNameCodeSequence);
      item.put(concept);
      const code = newItem(item, concept);
      for (const spec of [[CodeValue, 'SH', 'L-NOTE'], [CodingSchemeDesignator, 'SH', '99LOCAL'], [CodeMeaning, 'LO', 'Note']] as Spec[]) code.put(element(code, spec));
      concept.setItems([code]);
    }
    seq.setItems([item]);
    ds = item;
  }
  ds.put(element(ds, [place.tag, place.vr, text]));
  return file;
}

function valueAt(file: DicomFile, place: Place): string | null {
  let ds: DataSet | undefined = file.dataset;
  for (const level of place.within) ds = ds?.get(level.tag)?.items?.[0];
  const el = ds?.get(place.tag);
  return ds && el ? getString(ds, el, file.datasetSource) : null;
}

describe('the generated test set through --preset tcia (+ Clean Graphics, Clean Structured Content), every attribute', () => {
  it('no identifying span is left, no clinical word is lost, the value fits its VR', async () => {
    const { plan } = await buildPlan({ preset: 'tcia', options: ['cleanGraphics', 'cleanStructuredContent'] });
    const engine = new Anonymizer(plan, Keys.fromSecret('span-test-set-key-0123456789'));
    const left: string[] = [], lost: string[] = [];
    let cleaned = 0;
    // Each attribute gets its own share of the cases: ~23 sentences each.
    CASES.forEach((c: SpanCase, n) => {
      const place = PLACES[n % PLACES.length];
      const max = maxValueLength(place.vr);
      if (max !== undefined && c.text.length > max) return;
      const file = withValue(place, c.text);
      engine.anonymizeFile(file);
      const out = valueAt(readDicomBuffer(encodeDicomFileToBuffer(file), 'out'), place);
      assert.notEqual(out, null, `${place.name}: cleaned in place, not removed`);
      cleaned++;
      const upper = fold(out!);
      for (const s of c.spans) {
        const span = fold(c.text.slice(s.start, s.end));
        if (upper.includes(span)) left.push(`${place.name}: ${s.source}`);
      }
      for (const w of c.clinical) if (!upper.includes(fold(c.text.slice(w.start, w.end)))) lost.push(`${place.name}: ${c.text.slice(w.start, w.end)}`);
      if (max !== undefined) assert.ok([...out!].length <= max);
    });
    assert.ok(cleaned >= 200, `${cleaned} values cleaned`);
    assert.deepEqual(left, []);
    assert.deepEqual(lost, []);
  });
});

describe('the default profile cleans prose outside E.1-1 against the header, decoded only when needed', () => {
  it('a Code Meaning holding the patient\'s name and ID loses them; one of known words only is left as it is', async () => {
    const { plan } = await buildPlan({});
    const engine = new Anonymizer(plan, Keys.fromSecret('span-test-set-key-0123456789'));
    const place = PLACES.find((p) => p.name === 'Code Meaning')!;
    const named = withValue(place, 'CT HEAD quinlan odalys PID7781 follow-up');
    named.dataset.put(element(named.dataset, [0x00100020, 'LO', 'PID7781']));
    engine.anonymizeFile(named);
    assert.equal(valueAt(named, place), 'CT HEAD follow-up');
    const plain = withValue(place, 'Lossy Compression');
    engine.anonymizeFile(plain);
    assert.equal(valueAt(plain, place), 'Lossy Compression');
  });
});
