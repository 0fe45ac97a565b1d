// The burned-in step's second half, after the metadata walk: clears removed overlays' bits, searches the pixels for
// text under policy redact, blanks the rectangles, and decides by the plan's policy what the file is.

import type { DicomFile } from '../../dicom/part10.js';
import { redactPixelData } from '../../pixels/index.js';
import type { Plan } from '../../plan/plan.js';
import { appendCleanFacesCode, confirmIdentityRemoved, markPixelsCleaned } from '../markers.js';
import { findFacesInFile, markFacesRemoved, photographicReason } from './faces.js';
import type { BurnedInOutcome, TextFindings } from './outcome.js';
import { clearOverlayBits } from './overlays.js';
import type { PendingPixels } from './pending.js';

/**
 * Under policy redact, searches every frame of an at-risk image for text (burned-in/detect.ts); blanks the detected
 * boxes and the rules' rectangles (plan.pixels.redactedSyntax), and decides by the plan's policy what the file is. On
 * a successful redaction, or when detection searched every frame and found nothing to blank ('nothing-to-blank',
 * Pixel Data untouched), Burned In Annotation becomes NO and, with markers, Patient Identity Removed YES and code
 * 113101 are added. A file at risk that nothing cleaned is 'quarantine' (policies quarantine, and redact for
 * encapsulated documents), 'fail' (fail) or 'kept-at-risk' (keep, Patient Identity Removed stays NO). An error of the
 * pixel layer (frames that cannot be decoded) is 'fail' (policies fail and keep) or 'quarantine': never delivered.
 * The dataset is changed in place; write it, then call file.close() (frees the staged frames).
 */
export async function finishBurnedIn(file: DicomFile, pending: PendingPixels, plan: Plan): Promise<BurnedInOutcome> {
  const { assessment, rectangles, overlayBits } = pending;
  const pixels = plan.pixels;
  const pixelError = (error: unknown, what: string): BurnedInOutcome => {
    const reason = `the pixels could not be ${what} (${error instanceof Error ? error.message : 'unknown error'})`;
    return pixels.policy === 'quarantine' || pixels.policy === 'redact'
      ? { status: 'quarantine', assessment, reason }
      : { status: 'fail', assessment, reason };
  };
  if (overlayBits.length > 0) {
    try {
      clearOverlayBits(file, overlayBits);
    } catch (error) {
      return pixelError(error, 'cleared of the removed overlay');
    }
  }
  // Policy redact: every frame of an at-risk image is searched for text (after the overlay bits are cleared);
  // the detected boxes are blanked together with the rules' rectangles, in one re-encode.
  const searchText = pixels.policy === 'redact' && assessment.atRisk && pending.hasPixels && !pending.encapsulatedDocument;
  let text: TextFindings | undefined;
  let blank = rectangles;
  if (searchText) {
    try {
      const { detectTextInFile, MAX_BLANKED_SHARE } = await import('./detect.js');
      const found = await detectTextInFile(file, pixels.detection, pending.headerValues);
      text = { boxes: found.boxes, kept: found.kept, matched: found.matched };
      if (found.largestBlankedShare > MAX_BLANKED_SHARE) {
        const share = Math.round(found.largestBlankedShare * 100);
        return { status: 'quarantine', assessment, reason: `text detection would blank ${share}% of a frame (more than ${Math.round(MAX_BLANKED_SHARE * 100)}%): held for review instead of blanked` };
      }
      blank = [...rectangles, ...found.rectangles];
    } catch (error) {
      return pixelError(error, 'searched for text');
    }
  }
  // Photographs may show a face (faces.ts): under redact their faces are found and blanked with the text, a face
  // still found after blanking holds the file back; under the other policies they are held back.
  const photo = pending.hasPixels && !pending.encapsulatedDocument ? photographicReason(file.dataset, file.datasetSource) : null;
  let facesRemoved = false;
  if (photo) {
    const held = `may show a face (${photo})`;
    if (pixels.policy !== 'redact') {
      const reason = `${held}: faces are searched only under policy redact`;
      if (pixels.policy === 'fail') return { status: 'fail', assessment, reason };
      if (pixels.policy === 'keep') return { status: 'kept-at-risk', assessment, reason };
      return { status: 'quarantine', assessment, reason };
    }
    try {
      const faces = await findFacesInFile(file);
      if (faces.unresolvedFrames.length > 0) return { status: 'quarantine', assessment, reason: `${held}: a face is still found after blanking the faces found` };
      blank = [...blank, ...faces.rectangles];
      facesRemoved = faces.faces > 0;
    } catch (error) {
      return pixelError(error, 'searched for faces');
    }
  }
  if (blank.length > 0) {
    try {
      const redaction = await redactPixelData(file, blank, { redactedSyntax: pixels.redactedSyntax });
      if (redaction.changed) {
        markPixelsCleaned(file.dataset, plan.markers);
        if (facesRemoved) markFacesRemoved(file.dataset, plan.markers, appendCleanFacesCode);
        const blanked = blank.map(({ x, y, width, height, frames }) => (frames ? { x, y, width, height, frames: [...frames] } : { x, y, width, height }));
        return {
          status: 'redacted', assessment, framesRedacted: redaction.framesRedacted, lossyReencode: redaction.lossyReencode !== null, rectangles: blanked,
          ...(text ? { text } : {}),
        };
      }
    } catch (error) {
      return pixelError(error, 'redacted');
    }
  }
  if (text) {
    // Every frame was searched and nothing needs blanking: the pixels are delivered as they are, marked clean.
    markPixelsCleaned(file.dataset, plan.markers);
    return { status: 'nothing-to-blank', assessment, text };
  }
  if (!assessment.atRisk) {
    // Rules matched but their rectangles missed the image: nothing was at risk, nothing changed.
    if (rectangles.length > 0) confirmIdentityRemoved(file.dataset, plan.markers);
    return { status: 'not-at-risk', assessment };
  }
  const why = pending.encapsulatedDocument
    ? 'an encapsulated document cannot be cleaned by rectangles or text detection'
    : `${assessment.rulesMatched.length > 0 ? 'the matching pixel rules blanked nothing' : 'no pixel rule matched'} and text detection runs only under policy redact`;
  const reason = `may carry burned-in text (${assessment.reasons.join('; ')}): ${why}`;
  switch (pixels.policy) {
    case 'quarantine':
    case 'redact': return { status: 'quarantine', assessment, reason };
    case 'fail': return { status: 'fail', assessment, reason };
    case 'keep': return { status: 'kept-at-risk', assessment, reason };
  }
}
