// verify --pixels: text detection and recognition on an output's frames. Text that matches an identifying value
// of the original (names, IDs, dates, institution, physicians: the span finder's strict terms through
// anonymize/burned-in/text-match.ts; forms of 2 characters or more) is a high finding, other text a low one. Each
// finding names the frame(s) and the box; the text read is masked like a value.
// The detector is imported only when this runs: verify without --pixels never loads onnxruntime.

import { createHash } from 'node:crypto';
import type { DicomFile } from '../dicom/part10.js';
import type { Rectangle } from '../geometry/rectangle.js';
import { displayImage, describeImage, pixelElementOf, readFrames } from '../pixels/index.js';
import { identifyingHeaderValues, matchHeaderValues, type PixelHeaderTerms } from '../anonymize/burned-in/text-match.js';
import { HeaderTerms } from '../identifying/index.js';
import { maskValue } from './mask.js';
import type { Finding } from './types.js';

/** A one-character value (a Study ID "1") read as one character is noise, not a finding: see matchHeaderValues. */
const VERIFY_MIN_FORM = 2;

interface BoxRead extends Rectangle {
  text: string;
}

/** Findings for the text in `output`'s pixels; `original` (when paired) gives the identifying values. */
export async function pixelTextFindings(output: DicomFile, original: DicomFile | null): Promise<Finding[]> {
  if (!pixelElementOf(output.dataset)) return [];
  const header: PixelHeaderTerms = original ? identifyingHeaderValues(original.dataset, original.datasetSource) : HeaderTerms.EMPTY;
  const { loadTextDetector } = await import('../ocr/index.js');
  const detector = await loadTextDetector();
  // One finding per box and text, with the frames it was seen on.
  const seen = new Map<string, { box: BoxRead; frames: number[]; matched: string[] }>();
  const byFrame = new Map<string, BoxRead[]>();
  try {
    const image = describeImage(output.dataset, output.datasetSource);
    for await (const frame of readFrames(output)) {
      const picture = displayImage(frame.data, frame.layout, image, output.dataset, output.datasetSource);
      const key = createHash('sha1').update(picture.data).digest('hex');
      let boxes = byFrame.get(key);
      if (!boxes) {
        boxes = (await detector.detect(picture, { recognize: true })).map((b) => ({ x: b.x, y: b.y, width: b.width, height: b.height, text: b.text ?? '' }));
        byFrame.set(key, boxes);
      }
      for (const box of boxes) {
        const id = `${box.x},${box.y},${box.width},${box.height},${box.text}`;
        const entry = seen.get(id) ?? { box, frames: [], matched: matchHeaderValues(box.text, header, VERIFY_MIN_FORM) };
        entry.frames.push(frame.index);
        seen.set(id, entry);
      }
    }
  } catch (error) {
    return [{
      severity: 'medium', tagPath: '(7FE0,0010)', kind: 'pixels-undecodable',
      message: `the pixels could not be read for the text check (${error instanceof Error ? error.message : 'unknown error'})`, masked: null,
    }];
  }
  return [...seen.values()].map(({ box, frames, matched }): Finding => {
    const where = `${frames.length === 1 ? `frame ${frames[0]}` : `${frames.length} frames from ${frames[0]}`}, box x=${box.x} y=${box.y} ${box.width}×${box.height}`;
    return matched.length > 0
      ? { severity: 'high', tagPath: '(7FE0,0010)', kind: 'pixel-text-identifying', message: `text in the pixels matches the original's ${matched.join(', ')} (${where})`, masked: maskValue(box.text) }
      : { severity: 'low', tagPath: '(7FE0,0010)', kind: 'pixel-text', message: `text in the pixels (${where})`, masked: maskValue(box.text) };
  });
}
