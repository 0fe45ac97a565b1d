// Faces in photographic images: which instances may show one, and where the faces are (policy redact).
//
// Photographic: Recognizable Visual Features (0028,0302) YES; a VL SOP class (photographs, endoscopy, microscopy,
// slides: 1.2.840.10008.5.1.4.1.1.77.1.*); Modality XC (external-camera photography); a secondary capture
// (1.2.840.10008.5.1.4.1.1.7 and its multi-frame classes) or Modality OT whose pixels are colour (RGB, YBR or
// PALETTE COLOR). Such an image is held back unless policy redact finds its faces and blanks them.
//
// Decision (issue 23 item 7): a face found is BLANKED (its box grown by FACE_MARGIN on every side, to take the
// hair line, ears and chin), then the blanked picture is searched again; a face still found there holds the file
// back (quarantine) instead of delivering it. 113102 (Clean Recognizable Visual Features) and Recognizable Visual
// Features NO are written only on files whose faces were blanked.

import { FrameRectangles } from './frame-rectangles.js';
import type { DataSet } from '../../dicom/dataset.js';
import type { DicomFile } from '../../dicom/part10.js';
import type { ByteSource } from '../../dicom/source.js';
import { newStringElement, setString } from '../../dicom/values.js';
import { describeImage, displayImage, readFrames, type DisplayImage, type Rectangle } from '../../pixels/index.js';
import { Modality, PhotometricInterpretation, RecognizableVisualFeatures, SOPClassUID } from '../../dicom/tags.generated.js';
import type { Markers } from '../../plan/plan.js';
import { attributeText, attributeWords } from './attributes.js';

const VL_SOP_CLASS_PREFIX = '1.2.840.10008.5.1.4.1.1.77.1';
const SECONDARY_CAPTURE_PREFIX = '1.2.840.10008.5.1.4.1.1.7';
const COLOUR_PHOTOMETRICS = /^(RGB|YBR|PALETTE COLOR)/;
/** Grown on every side of a detected face, as a share of the face box's side. */
export const FACE_MARGIN = 0.25;

/** Why the instance may show a face (no value of the file in it), or null. */
export function photographicReason(dataset: DataSet, source: ByteSource): string | null {
  if (attributeWords(dataset, source, RecognizableVisualFeatures)[0] === 'YES') return 'Recognizable Visual Features YES';
  const sopClass = (attributeText(dataset, source, SOPClassUID) ?? '').trim();
  const modality = attributeWords(dataset, source, Modality)[0];
  if (sopClass === VL_SOP_CLASS_PREFIX || sopClass.startsWith(`${VL_SOP_CLASS_PREFIX}.`)) return 'a visible-light photograph SOP class';
  if (modality === 'XC') return 'Modality XC (external-camera photography)';
  const photometric = (attributeText(dataset, source, PhotometricInterpretation) ?? '').trim().toUpperCase();
  const secondaryCapture = sopClass === SECONDARY_CAPTURE_PREFIX || sopClass.startsWith(`${SECONDARY_CAPTURE_PREFIX}.`);
  if ((secondaryCapture || modality === 'OT') && COLOUR_PHOTOMETRICS.test(photometric)) return `a colour ${secondaryCapture ? 'secondary capture' : 'OT image'}`;
  return null;
}

export interface FoundFaces {
  /** Rectangles to blank (faces with FACE_MARGIN), each on the frames it was found on. */
  rectangles: Rectangle[];
  /** Faces found over all frames. */
  faces: number;
  /** Frames where a face was still found after its boxes were blanked: the file must not be delivered. */
  unresolvedFrames: number[];
}

function grown(box: Rectangle, width: number, height: number): Rectangle {
  const dx = Math.ceil(box.width * FACE_MARGIN), dy = Math.ceil(box.height * FACE_MARGIN);
  const x0 = Math.max(0, box.x - dx), y0 = Math.max(0, box.y - dy);
  const x1 = Math.min(width, box.x + box.width + dx), y1 = Math.min(height, box.y + box.height + dy);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** A copy of `picture` with `rects` filled black (what the delivered frame will show there). */
function blanked(picture: DisplayImage, rects: readonly Rectangle[]): DisplayImage {
  const data = picture.data.slice(), c = picture.channels;
  for (const r of rects) {
    for (let y = r.y; y < r.y + r.height; y++) data.fill(0, (y * picture.width + r.x) * c, (y * picture.width + r.x + r.width) * c);
  }
  return { ...picture, data };
}

/** Searches every frame for faces; a frame identical to an earlier one reuses its result. */
export async function findFacesInFile(file: DicomFile): Promise<FoundFaces> {
  const { detectFaces } = await import('../../ocr/faces.js');
  const image = describeImage(file.dataset, file.datasetSource);
  const byFrame = new Map<string, { rects: Rectangle[]; unresolved: boolean }>();
  const rectangles = new FrameRectangles();
  const unresolvedFrames: number[] = [];
  let faces = 0;
  const { createHash } = await import('node:crypto');
  for await (const frame of readFrames(file)) {
    const key = createHash('sha1').update(frame.data).digest('hex');
    let result = byFrame.get(key);
    if (!result) {
      const picture = displayImage(frame.data, frame.layout, image, file.dataset, file.datasetSource);
      const rects = (await detectFaces(picture)).map((f) => grown(f, picture.width, picture.height));
      const unresolved = rects.length > 0 && (await detectFaces(blanked(picture, rects))).length > 0;
      result = { rects, unresolved };
      byFrame.set(key, result);
    }
    faces += result.rects.length;
    if (result.unresolved) unresolvedFrames.push(frame.index);
    rectangles.add(frame.index, result.rects);
  }
  return {
    rectangles: rectangles.list(image.numberOfFrames),
    faces, unresolvedFrames,
  };
}

/** After the faces were blanked: Recognizable Visual Features NO; with markers, code 113102 appended by the caller's marker writer. */
export function markFacesRemoved(dataset: DataSet, markers: Markers | null, appendCode: (dataset: DataSet, markers: Markers) => void): void {
  const el = dataset.get(RecognizableVisualFeatures);
  if (el) setString(dataset, el, 'NO', 'CS');
  else dataset.put(newStringElement(dataset, RecognizableVisualFeatures, 'CS', 'NO'));
  if (markers) appendCode(dataset, markers);
}
