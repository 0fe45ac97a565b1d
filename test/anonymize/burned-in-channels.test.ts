// Channels that can carry PHI besides the text a detector reads (issue 23): pixel rules that only flag a file, bits
// above High Bit, Pixel Data longer than its frames, waveforms, presentation-state graphics, the gate's triggers.
// Every file is generated here; each test fails when its channel is not checked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/build.js';
import { parsePixelRules } from '../../src/config/pixel-rules/index.js';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import type { BurnedInPolicy, Plan, PixelRule } from '../../src/plan/plan.js';
import { DataElement, DataSet } from '../../src/dicom/dataset.js';
import { createDicomFile } from '../../src/dicom/create.js';
import { encodeNumbers, getString, newItem, newSequenceElement, newStringElement, newNumberElement } from '../../src/dicom/values.js';
import {
  BitsAllocated, Columns, FloatPixelData, LossyImageCompression, PatientID, PhotometricInterpretation, Rows, SamplesPerPixel, GraphicAnnotationSequence, GraphicAnnotationUnits, GraphicData, GraphicLayer, GraphicObjectSequence, GraphicType, ImageType, Modality, PatientName,
  PixelData, SOPClassUID, SOPInstanceUID, TextObjectSequence, UnformattedTextValue, WaveformData, WaveformSequence,
} from '../../src/dicom/tags.generated.js';
import { loadCodec } from '../../src/pixels/codecs/index.js';
import { missingTextDetectionPackages } from '../../src/ocr/installed.js';
import { pixelTextFindings } from '../../src/verify/pixels.js';
import { readFrame } from '../../src/pixels/index.js';
import { fragmentBytes } from '../../src/pixels/encapsulated.js';
import { pixelBytes } from '../helpers/pixels.js';
import { drawTextImage } from '../helpers/text-image.js';
import { imageDataset, needTool, type TestImage } from '../pixels/helpers.js';
import { makeImage, SOP, TEXT_BOX } from './burned-in-helpers.js';
import { reread } from '../helpers/rewrite.js';

const KEYS = Keys.fromSecret('burned-in-channels-key-0123456789abcdef');

export function channelPlan(policy: BurnedInPolicy = 'quarantine', rules: PixelRule[] = []): Plan {
  const p = basicProfilePlan([]);
  return { ...p, pixels: { ...p.pixels, policy, rules } };
}

export async function runChannel(file: DicomFile, plan: Plan) {
  const anonymizer = new Anonymizer(plan, KEYS);
  const result = anonymizer.anonymizeFile(file);
  const outcome = await anonymizer.finishPixels(file, result);
  return { result, outcome, out: reread(file) };
}

test('a deid graylist label without coordinates flags the files it matches: at risk, quarantined by default', async () => {
  // A CT that nothing else puts at risk (Image Type ORIGINAL\PRIMARY).
  const ct = () => makeImage({ modality: 'CT', sopClass: SOP.ct, n: 1, imageType: 'ORIGINAL\\PRIMARY\\AXIAL' });
  const flagged = await runChannel(ct(), channelPlan('quarantine', parsePixelRules('%filter graylist\nLABEL flag CT\n  contains Modality CT', 'flags.deid')));
  assert.equal(flagged.outcome.status, 'quarantine');
  assert.ok(flagged.outcome.assessment.reasons.includes('flagged by pixel rule flags.deid line 2'), flagged.outcome.assessment.reasons.join());
  const plain = await runChannel(ct(), channelPlan('quarantine'));
  assert.equal(plain.outcome.status, 'not-at-risk');
});

// ---------------------------------------------------------------- Pixel Data channels (every image, at risk or not)

/** 64×48 16-bit CT (12 bits stored) that nothing puts at risk; `frames` native frames of `pixels` (words). */
function ctFile(words: Uint16Array, options: { frames?: number; signed?: boolean; syntax?: string; fragments?: Uint8Array[]; overlayBit?: number } = {}): DicomFile {
  const image: TestImage = { rows: 48, columns: 64, frames: options.frames ?? 1, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 12, signed: options.signed ?? false, photometric: 'MONOCHROME2' };
  const ds = imageDataset(image);
  ds.put(newStringElement(ds, SOPClassUID, 'UI', SOP.ct));
  ds.put(newStringElement(ds, Modality, 'CS', 'CT'));
  ds.put(newStringElement(ds, ImageType, 'CS', 'ORIGINAL\\PRIMARY\\AXIAL'));
  ds.put(newStringElement(ds, PatientName, 'PN', 'DOE^JANE'));
  if (options.overlayBit !== undefined) {
    // An overlay kept in the pixel words' unused bit (no Overlay Data): Rows, Columns, Type, Origin, Bits Allocated, Bit Position.
    const us = (tag: number, values: number[], vr = 'US'): void => {
      const el = new DataElement(tag, vr);
      el.setValue(encodeNumbers(ds, vr, values), vr);
      ds.put(el);
    };
    us(0x60000010, [48]);
    us(0x60000011, [64]);
    ds.put(newStringElement(ds, 0x60000040, 'CS', 'G'));
    us(0x60000050, [1, 1], 'SS');
    us(0x60000100, [16]);
    us(0x60000102, [options.overlayBit]);
  }
  const pixelData = new DataElement(PixelData, options.fragments ? 'OB' : 'OW');
  if (options.fragments) pixelData.setFragments([{ span: null, value: new Uint8Array(0) }, ...options.fragments.map((value) => ({ span: null, value }))]);
  else pixelData.setValue(new Uint8Array(words.buffer, words.byteOffset, words.byteLength), 'OW');
  ds.put(pixelData);
  return createDicomFile(ds, options.syntax ?? '1.2.840.10008.1.2.1', SOP.ct, '2.25.99887766');
}

/** A name drawn as 1-bit ink (64×48): where a hidden channel writes its text. */
function nameInk(): Int32Array {
  const drawn = drawTextImage({ width: 64, height: 48, background: { kind: 'flat', value: 0 }, items: [{ text: 'DOE', font: 'Test Sans', size: 16, x: 4, y: 4, value: 255 }] });
  return drawn.truth[0].ink;
}

/** The CT's pixel values: a 12-bit gradient; frame `f` shifted so frames differ. */
function gradient(frames = 1): Uint16Array {
  const words = new Uint16Array(64 * 48 * frames);
  for (let i = 0; i < words.length; i++) words[i] = (i * 13) % 4096;
  return words;
}

function outputWords(file: DicomFile): Uint16Array {
  const bytes = pixelBytes(file)!;
  return new Uint16Array(Uint8Array.from(bytes).buffer);
}

test('text in the bits above High Bit of a native image, with no overlay group naming them, is cleared', async () => {
  const words = gradient();
  for (const at of nameInk()) words[at] |= 0x8000 | 0x2000;
  const { outcome, out } = await runChannel(ctFile(words), channelPlan());
  assert.equal(outcome.status, 'not-at-risk');
  assert.ok(outcome.notes?.some((n) => /bits outside Bits Stored cleared in 1 frame/.test(n)), String(outcome.notes));
  const got = outputWords(out);
  assert.equal(got.length, words.length);
  for (let i = 0; i < got.length; i++) {
    assert.equal(got[i] & 0xf000, 0, `word ${i} keeps bits above High Bit`);
    assert.equal(got[i], words[i] & 0x0fff, `word ${i}: the pixel value changed`);
  }
  out.close();
});

test('signed samples: bits above High Bit repeat the sign bit; anything else there is replaced, values kept', async () => {
  const words = gradient();
  const ink = new Set(nameInk());
  // Values -2048..2047 as 12-bit two's complement; negative ones sign-extended except where the name is drawn.
  for (let i = 0; i < words.length; i++) {
    const value = (i % 4096) - 2048;
    words[i] = value < 0 ? (ink.has(i) ? value & 0x0fff : value & 0xffff) : ink.has(i) ? value | 0x4000 : value;
  }
  const { outcome, out } = await runChannel(ctFile(words, { signed: true }), channelPlan());
  assert.ok(outcome.notes?.some((n) => /bits outside Bits Stored/.test(n)), String(outcome.notes));
  const got = outputWords(out);
  for (let i = 0; i < got.length; i++) assert.equal(got[i], ((i % 4096) - 2048) & 0xffff, `word ${i}`);
  out.close();
});

test('an overlay in the high bits of an RLE image whose group the profile removes is cleared (decoded, re-encoded as RLE)', async () => {
  const rle = await loadCodec('1.2.840.10008.1.2.5')!;
  const words = gradient();
  for (const at of nameInk()) words[at] |= 1 << 14;
  const layout = { rows: 48, columns: 64, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0 as const, photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0 as const };
  const encoded = rle.encode({ data: new Uint8Array(words.buffer), layout }).data;
  const file = ctFile(words, { syntax: '1.2.840.10008.1.2.5', fragments: [encoded.length % 2 ? Uint8Array.from([...encoded, 0]) : encoded], overlayBit: 14 });
  const { outcome, out } = await runChannel(file, channelPlan());
  assert.equal(outcome.status, 'not-at-risk');
  assert.ok(outcome.notes?.some((n) => /bits outside Bits Stored cleared in 1 frame \(decoded and re-encoded/.test(n)), String(outcome.notes));
  assert.equal(out.transferSyntax.uid, '1.2.840.10008.1.2.5');
  assert.equal(out.dataset.get(0x60000102), undefined, 'the overlay group is removed');
  const frame = await readFrame(out, 0);
  const got = new Uint16Array(Uint8Array.from(frame.data).buffer);
  for (let i = 0; i < got.length; i++) assert.equal(got[i], words[i] & 0x0fff, `word ${i}`);
  out.close();
});

test('text in the high bits of RLE frames, with no overlay group at all, is cleared; frames without any are not re-encoded', async () => {
  const rle = await loadCodec('1.2.840.10008.1.2.5')!;
  const layout = { rows: 48, columns: 64, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0 as const, photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0 as const };
  const encode = (words: Uint16Array): Uint8Array => {
    const e = rle.encode({ data: new Uint8Array(words.buffer), layout }).data;
    return e.length % 2 ? Uint8Array.from([...e, 0]) : e;
  };
  const marked = gradient();
  for (const at of nameInk()) marked[at] |= 0x8000;
  const plain = encode(gradient());
  const file = ctFile(gradient(2), { frames: 2, syntax: '1.2.840.10008.1.2.5', fragments: [encode(marked), plain] });
  const { outcome, out } = await runChannel(file, channelPlan());
  assert.equal(outcome.status, 'not-at-risk');
  assert.ok(outcome.notes?.some((n) => /bits outside Bits Stored cleared in 1 frame/.test(n)), String(outcome.notes));
  const first = new Uint16Array(Uint8Array.from((await readFrame(out, 0)).data).buffer);
  for (let i = 0; i < first.length; i++) assert.equal(first[i], marked[i] & 0x0fff, `word ${i}`);
  assert.deepEqual(Uint8Array.from(fragmentBytes(out.dataset.get(PixelData)!.fragments![2], out.datasetSource)), plain, 'the clean frame keeps its bytes');
  out.close();
});

test('a hidden frame after the frames Number of Frames announces is removed from native Pixel Data', async () => {
  const two = gradient(2);
  const second = two.subarray(64 * 48);
  second.fill(0);
  for (const at of nameInk()) second[at] = 4095;
  const { outcome, out } = await runChannel(ctFile(two, { frames: 1 }), channelPlan());
  assert.equal(outcome.status, 'not-at-risk');
  assert.ok(outcome.notes?.some((n) => n === 'Pixel Data held 6144 bytes beyond its frames: removed'), String(outcome.notes));
  assert.equal(pixelBytes(out)!.length, 64 * 48 * 2);
  assert.deepEqual(outputWords(out), two.subarray(0, 64 * 48));
  out.close();
});

test('an extra fragment beyond Number of Frames (with or without an offset table) is refused: quarantined', async () => {
  const rle = await loadCodec('1.2.840.10008.1.2.5')!;
  const layout = { rows: 48, columns: 64, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0 as const, photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0 as const };
  const frame = (words: Uint16Array): Uint8Array => {
    const e = rle.encode({ data: new Uint8Array(words.buffer), layout }).data;
    return e.length % 2 ? Uint8Array.from([...e, 0]) : e;
  };
  const hidden = new Uint16Array(64 * 48);
  for (const at of nameInk()) hidden[at] = 4095;
  const fragments = [frame(gradient()), frame(hidden)];
  for (const table of [new Uint8Array(0), Uint8Array.from([0, 0, 0, 0, ...new Uint8Array(new Uint32Array([8 + fragments[0].length]).buffer)])]) {
    const file = ctFile(gradient(), { syntax: '1.2.840.10008.1.2.5', fragments });
    file.dataset.get(PixelData)!.fragments![0] = { span: null, value: table };
    for (const policy of ['quarantine', 'redact'] as const) {
      const { outcome } = await runChannel(ctFile(gradient(), { syntax: '1.2.840.10008.1.2.5', fragments }), channelPlan(policy));
      assert.equal(outcome.status, 'quarantine', policy);
      assert.match(outcome.status === 'quarantine' ? outcome.reason : '', /Pixel Data holds more than its frames: 2 fragments start a codestream where Number of Frames is 1/);
    }
    const { outcome } = await runChannel(file, channelPlan());
    assert.equal(outcome.status, 'quarantine');
    assert.match(outcome.status === 'quarantine' ? outcome.reason : '', table.length ? /Basic Offset Table lists 2 frames/ : /2 fragments start a codestream/);
  }
});

// ---------------------------------------------------------------- presentation-state graphics

/** A Grayscale Softcopy Presentation State whose graphic annotation draws a name with polylines and writes it as text. */
function gsps(): DicomFile {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const sop = '1.2.840.10008.5.1.4.1.1.11.1';
  ds.put(newStringElement(ds, SOPClassUID, 'UI', sop));
  ds.put(newStringElement(ds, SOPInstanceUID, 'UI', '2.25.5544'));
  ds.put(newStringElement(ds, Modality, 'CS', 'PR'));
  ds.put(newStringElement(ds, PatientName, 'PN', 'DOE^JANE'));
  const annotations = newSequenceElement(GraphicAnnotationSequence);
  ds.put(annotations);
  const item = newItem(ds, annotations);
  item.put(newStringElement(item, GraphicLayer, 'CS', 'LAYER1'));
  const objects = newSequenceElement(GraphicObjectSequence);
  item.put(objects);
  // "D" as a closed polyline: the stroke of a letter.
  const shape = newItem(item, objects);
  shape.put(newStringElement(shape, GraphicAnnotationUnits, 'CS', 'PIXEL'));
  const points = new DataElement(GraphicData, 'FL');
  points.setValue(encodeNumbers(shape, 'FL', [10, 10, 10, 30, 20, 28, 24, 20, 20, 12, 10, 10]), 'FL');
  shape.put(points);
  shape.put(newStringElement(shape, GraphicType, 'CS', 'POLYLINE'));
  objects.setItems([shape]);
  const texts = newSequenceElement(TextObjectSequence);
  item.put(texts);
  const label = newItem(item, texts);
  label.put(newStringElement(label, UnformattedTextValue, 'ST', 'DOE^JANE 19700101'));
  texts.setItems([label]);
  annotations.setItems([item]);
  return createDicomFile(ds, '1.2.840.10008.1.2.1', sop, '2.25.5544');
}

test('GSPS graphic annotations: removed by the Basic Profile; under Clean Graphics the polylines go and the text is cleaned', async () => {
  const basic = await runChannel(gsps(), channelPlan());
  assert.equal(basic.out.dataset.get(GraphicAnnotationSequence), undefined, 'Basic Profile: graphic annotations removed');
  basic.out.close();
  const p = basicProfilePlan(['cleanGraphics']);
  const clean = await runChannel(gsps(), { ...p, pixels: { ...p.pixels } });
  const item = clean.out.dataset.get(GraphicAnnotationSequence)?.items?.[0];
  assert.ok(item, 'Clean Graphics keeps the annotations');
  assert.equal(item.get(GraphicObjectSequence), undefined, 'polylines removed');
  const text = item.get(TextObjectSequence)?.items?.[0];
  const value = text?.get(UnformattedTextValue);
  assert.ok(value === undefined || !/DOE|JANE|19700101/.test(getString(text!, value, clean.out.datasetSource)), 'the text object no longer names the patient');
  clean.out.close();
});

// ---------------------------------------------------------------- waveforms

/** A waveform instance: a voice recording or an ECG whose samples (Waveform Data) could say or draw a name. */
function waveform(sopClass: string): DicomFile {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  ds.put(newStringElement(ds, SOPClassUID, 'UI', sopClass));
  ds.put(newStringElement(ds, SOPInstanceUID, 'UI', '2.25.7766'));
  ds.put(newStringElement(ds, Modality, 'CS', sopClass.endsWith('.9.4.1') ? 'AU' : 'ECG'));
  ds.put(newStringElement(ds, PatientName, 'PN', 'DOE^JANE'));
  const sequence = newSequenceElement(WaveformSequence);
  ds.put(sequence);
  const item = newItem(ds, sequence);
  const samples = new DataElement(WaveformData, 'OW');
  samples.setValue(new Uint8Array(new Int16Array([0, 1200, -800, 300, 0, 900]).buffer), 'OW');
  item.put(samples);
  sequence.setItems([item]);
  return createDicomFile(ds, '1.2.840.10008.1.2.1', sopClass, '2.25.7766');
}

test('waveforms (voice audio, ECG) are at risk: quarantined under every cleaning policy unless a rule keeps them', async () => {
  for (const sopClass of ['1.2.840.10008.5.1.4.1.1.9.4.1', '1.2.840.10008.5.1.4.1.1.9.1.1']) {
    for (const policy of ['quarantine', 'redact'] as const) {
      const { outcome, out } = await runChannel(waveform(sopClass), channelPlan(policy));
      assert.equal(outcome.status, 'quarantine', `${sopClass} ${policy}`);
      assert.ok(outcome.assessment.reasons.includes('Waveform Sequence (5400,0100)'), outcome.assessment.reasons.join());
      assert.match(outcome.status === 'quarantine' ? outcome.reason : '', /a waveform .* is not read or cleaned/);
      out.close();
    }
    assert.equal((await runChannel(waveform(sopClass), channelPlan('fail'))).outcome.status, 'fail');
    // A rules file that lets waveforms through ("gate": {"waveforms": false}), or a plan that removes the sequence.
    const open = channelPlan();
    const letThrough = await runChannel(waveform(sopClass), { ...open, pixels: { ...open.pixels, gate: { ...open.pixels.gate, waveforms: false } } });
    assert.equal(letThrough.outcome.status, 'not-at-risk');
    letThrough.out.close();
    const removing = channelPlan();
    removing.rules = [{ selector: { kind: 'tag', tag: WaveformSequence }, action: { type: 'remove' }, origin: 'test: remove waveforms' }, ...removing.rules];
    const removed = await runChannel(waveform(sopClass), removing);
    assert.equal(removed.outcome.status, 'not-at-risk');
    assert.equal(removed.out.dataset.get(WaveformSequence), undefined);
    removed.out.close();
  }
});

// ---------------------------------------------------------------- Float Pixel Data

const noTextDetection = missingTextDetectionPackages().length > 0 && process.env.CI !== 'true'
  ? `text detection is not installed (${missingTextDetectionPackages().join(', ')})` : false;

/** A parametric map (Float Pixel Data, OF) of an MR with a name and an ID drawn into its values (-1.0 .. 2.0). */
function floatMap(): { file: DicomFile; ink: Int32Array[] } {
  const width = 384, height = 160;
  const drawn = drawTextImage({
    width, height, background: { kind: 'gradient', from: 20, to: 90 },
    items: [{ text: 'SMITH^JOHN', font: 'Test Sans', size: 18, x: 8, y: 8, value: 250 }, { text: '00123456', font: 'Test Sans', size: 18, x: 8, y: 36, value: 250 }],
  });
  const values = new Float32Array(width * height);
  for (let i = 0; i < values.length; i++) values[i] = (drawn.image.data[i] / 255) * 3 - 1;
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const sop = '1.2.840.10008.5.1.4.1.1.30';
  ds.put(newStringElement(ds, SOPClassUID, 'UI', sop));
  ds.put(newStringElement(ds, SOPInstanceUID, 'UI', '2.25.3344'));
  ds.put(newStringElement(ds, ImageType, 'CS', 'DERIVED\\PRIMARY'));
  ds.put(newStringElement(ds, Modality, 'CS', 'MR'));
  ds.put(newStringElement(ds, PatientName, 'PN', 'SMITH^JOHN'));
  ds.put(newStringElement(ds, PatientID, 'LO', '00123456'));
  const us = (tag: number, v: number): void => ds.put(newNumberElement(ds, tag, 'US', [v]));
  us(SamplesPerPixel, 1);
  ds.put(newStringElement(ds, PhotometricInterpretation, 'CS', 'MONOCHROME2'));
  us(Rows, height);
  us(Columns, width);
  us(BitsAllocated, 32);
  const pixels = new DataElement(FloatPixelData, 'OF');
  pixels.setValue(new Uint8Array(values.buffer), 'OF');
  ds.put(pixels);
  return { file: createDicomFile(ds, '1.2.840.10008.1.2.1', sop, '2.25.3344'), ink: drawn.truth.map((t) => t.ink) };
}

test('Float Pixel Data goes through the gate, detection and redaction like Pixel Data', { skip: noTextDetection }, async () => {
  const quarantined = await runChannel(floatMap().file, channelPlan());
  assert.equal(quarantined.outcome.status, 'quarantine', 'at risk (Image Type DERIVED): held back by default');
  quarantined.out.close();
  const { file, ink } = floatMap();
  const { outcome, out } = await runChannel(file, channelPlan('redact'));
  assert.equal(outcome.status, 'redacted', JSON.stringify(outcome));
  assert.ok(outcome.status === 'redacted' && outcome.text && outcome.text.matched.includes('PatientName'), JSON.stringify(outcome));
  const frame = await readFrame(out, 0);
  const values = new Float32Array(Uint8Array.from(frame.data).buffer);
  for (const string of ink) {
    const blanked = [...string].filter((at) => values[at] === 0).length;
    assert.ok(blanked / string.length >= 0.9, `${blanked} of ${string.length} ink pixels blanked`);
  }
  // verify --pixels reads float outputs too: the original's text is found there, none is left in the output.
  const original = floatMap().file;
  assert.ok((await pixelTextFindings(original, original)).some((f) => f.kind === 'pixel-text-identifying'), 'verify reads the float pixels');
  assert.deepEqual((await pixelTextFindings(out, original)).filter((f) => f.severity !== 'low'), []);
  out.close();
});

// ---------------------------------------------------------------- 12-bit JPEG Extended

test('12-bit JPEG Extended: redacted frames written as JPEG-LS lossless, syntax changed, Lossy Image Compression 01, noted', async (t) => {
  if (!needTool(t, 'dcmcjpeg') || !needTool(t, 'dcmdjpls')) return;
  const dir = mkdtempSync(join(tmpdir(), 'channels-jpeg12-'));
  try {
    // A 12-bit ultrasound frame with a bright label, compressed by DCMTK as JPEG Extended (process 4, 12 bits).
    const image: TestImage = { rows: 48, columns: 64, frames: 1, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 12, signed: false, photometric: 'MONOCHROME2' };
    const ds = imageDataset(image);
    ds.put(newStringElement(ds, SOPClassUID, 'UI', SOP.us));
    ds.put(newStringElement(ds, Modality, 'CS', 'US'));
    ds.put(newStringElement(ds, PatientName, 'PN', 'DOE^JANE'));
    const words = gradient();
    for (let y = TEXT_BOX.y; y < TEXT_BOX.y + TEXT_BOX.height; y++) for (let x = TEXT_BOX.x; x < TEXT_BOX.x + TEXT_BOX.width; x++) words[y * 64 + x] = 4095;
    const pixels = new DataElement(PixelData, 'OW');
    pixels.setValue(new Uint8Array(words.buffer), 'OW');
    ds.put(pixels);
    writeDicomFile(createDicomFile(ds, '1.2.840.10008.1.2.1', SOP.us, '2.25.4455'), join(dir, 'native.dcm'));
    execFileSync('dcmcjpeg', ['+ee', join(dir, 'native.dcm'), join(dir, 'jpeg12.dcm')]);
    const input = readDicomFile(join(dir, 'jpeg12.dcm'));
    assert.equal(input.transferSyntax.uid, '1.2.840.10008.1.2.4.51');
    const before = new Uint16Array(Uint8Array.from((await readFrame(input, 0)).data).buffer);
    const cover: PixelRule = { conditions: [], regions: [{ kind: 'rectangle', units: 'pixels', ...TEXT_BOX }], origin: 'test: the label' };
    const { outcome, out } = await runChannel(input, channelPlan('quarantine', [cover]));
    assert.equal(outcome.status, 'redacted', JSON.stringify(outcome));
    assert.equal(out.transferSyntax.uid, '1.2.840.10008.1.2.4.80');
    assert.equal(getString(out.dataset, out.dataset.get(LossyImageCompression)!, out.datasetSource).trim(), '01');
    assert.ok(outcome.notes?.some((n) => /frames written losslessly as JPEG-LS Lossless .*JPEG Extended/.test(n)), String(outcome.notes));
    const after = new Uint16Array(Uint8Array.from((await readFrame(out, 0)).data).buffer);
    for (let i = 0; i < after.length; i++) {
      const x = i % 64, y = Math.floor(i / 64);
      const inside = x >= TEXT_BOX.x && x < TEXT_BOX.x + TEXT_BOX.width && y >= TEXT_BOX.y && y < TEXT_BOX.y + TEXT_BOX.height;
      assert.equal(after[i], inside ? 0 : before[i], `pixel ${x},${y}`);
    }
    // Another decoder reads what was written.
    writeDicomFile(out, join(dir, 'out.dcm'));
    execFileSync('dcmdjpls', [join(dir, 'out.dcm'), join(dir, 'decoded.dcm')]);
    out.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
