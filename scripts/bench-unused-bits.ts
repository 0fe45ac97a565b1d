// What the pass that clears bits outside Bits Stored costs on native images (burned-in/pixel-channels.ts runs it on
// every image): CPU per frame of the pass over 512² 12-in-16 frames with no stray bits (the common case: read and
// compared, nothing written), with stray bits in every word (every frame rewritten), next to decoding nothing at all
// (reading the file). A measurement script, not a test. Run: npx tsx scripts/bench-unused-bits.ts [--frames N]

import { DataElement } from '../src/dicom/dataset.js';
import { createDicomFile } from '../src/dicom/create.js';
import { readDicomBuffer } from '../src/dicom/part10.js';
import { encodeDicomFileToBuffer } from '../src/dicom/writer.js';
import { newNumberElement, newStringElement } from '../src/dicom/values.js';
import { BitsAllocated, BitsStored, Columns, HighBit, NumberOfFrames, PhotometricInterpretation, PixelData, PixelRepresentation, Rows, SamplesPerPixel } from '../src/dicom/tags.generated.js';
import { DataSet } from '../src/dicom/dataset.js';
import { clearUnusedBits } from '../src/pixels/index.js';
import { isMain } from './is-main.js';

function cpuMillis(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / 1000;
}

function image(frames: number, stray: boolean, signed = false): Buffer {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const us = (tag: number, v: number): void => ds.put(newNumberElement(ds, tag, 'US', [v]));
  us(SamplesPerPixel, 1);
  ds.put(newStringElement(ds, PhotometricInterpretation, 'CS', 'MONOCHROME2'));
  ds.put(newStringElement(ds, NumberOfFrames, 'IS', String(frames)));
  us(Rows, 512);
  us(Columns, 512);
  us(BitsAllocated, 16);
  us(BitsStored, 12);
  us(HighBit, 11);
  us(PixelRepresentation, signed ? 1 : 0);
  const words = new Uint16Array(512 * 512 * frames);
  for (let i = 0; i < words.length; i++) {
    const value = signed ? ((i * 7) % 4096) - 2048 : (i * 7) % 4096;
    words[i] = (signed ? value & 0xffff : value) | (stray ? 0x8000 : 0);
  }
  const px = new DataElement(PixelData, 'OW');
  px.setValue(new Uint8Array(words.buffer), 'OW');
  ds.put(px);
  return encodeDicomFileToBuffer(createDicomFile(ds, '1.2.840.10008.1.2.1', '1.2.840.10008.5.1.4.1.1.2', '2.25.1'));
}

export function measureUnusedBits(frames = 20, rounds = 5): { readMs: number; cleanMs: number; signedMs: number; strayMs: number } {
  const clean = image(frames, false), stray = image(frames, true), signed = image(frames, false, true);
  const perFrame = (fn: () => void): number => {
    fn();
    return cpuMillis(() => { for (let r = 0; r < rounds; r++) fn(); }) / (rounds * frames);
  };
  const readMs = perFrame(() => readDicomBuffer(clean).close());
  const cleanMs = perFrame(() => {
    const f = readDicomBuffer(clean);
    clearUnusedBits(f);
    f.close();
  });
  const signedMs = perFrame(() => {
    const f = readDicomBuffer(signed);
    clearUnusedBits(f);
    f.close();
  });
  const strayMs = perFrame(() => {
    const f = readDicomBuffer(stray);
    clearUnusedBits(f).release();
    f.close();
  });
  return { readMs, cleanMs, signedMs, strayMs };
}

if (isMain(import.meta.url)) {
  const at = process.argv.indexOf('--frames');
  const frames = at > 0 ? Number(process.argv[at + 1]) : 20;
  const r = measureUnusedBits(frames);
  console.log(`512² 12-in-16 frames, CPU per frame: read ${r.readMs.toFixed(3)} ms; read + pass, no stray bits ${r.cleanMs.toFixed(3)} ms (signed, sign-extended: ${r.signedMs.toFixed(3)} ms); read + pass, every word rewritten ${r.strayMs.toFixed(3)} ms`);
}
