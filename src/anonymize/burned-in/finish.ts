// The burned-in step's second half, after the metadata walk: cleans what Pixel Data holds besides its frames'
// pixel values (pixel-channels.ts), searches the pixels for text under policy redact, blanks the rectangles, and
// decides by the plan's policy what the file is.

import type { DicomFile } from '../../dicom/part10.js';
import { uidName } from '../../dicom/uid-registry.js';
import { PixelDataError, redactPixelData } from '../../pixels/index.js';
import type { BurnedInPolicy, Plan } from '../../plan/plan.js';
import { appendCleanFacesCode, confirmIdentityRemoved, markPixelsCleaned } from '../markers.js';
import { findFacesInFile, markFacesRemoved, photographicReason } from './faces.js';
import { mergeReencoded, type BurnedInAssessment, type BurnedInOutcome, type TextFindings } from './outcome.js';
import { cleanPixelChannels, type PixelChannels } from './pixel-channels.js';
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
export async function finishBurnedIn(file: DicomFile, pending: PendingPixels, plan: Plan, identityKept = false): Promise<BurnedInOutcome> {
  // First what the pixel value holds besides its frames' pixel values (every image, at risk or not: pixel-channels.ts).
  let channels: PixelChannels;
  try {
    channels = await cleanPixelChannels(file, { removed: pending.overlayBits, kept: pending.keptOverlayBits });
  } catch (error) {
    // The reason and tag, not the message: that names the file, and quarantine reasons are grouped across files.
    const why = error instanceof PixelDataError ? `${error.reason}${error.tag ? ` in ${error.tag}` : ''}` : error instanceof Error ? error.message : 'unknown error';
    channels = { notes: [], refusal: `the pixels could not be checked for data outside their frames (${why})` };
  }
  const outcome = await finishChecked(file, pending, plan, channels.refusal, identityKept);
  const withNotes = channels.notes.length > 0 ? { ...outcome, notes: [...(outcome.notes ?? []), ...channels.notes] } : outcome;
  const reencoded = mergeReencoded(channels.reencoded, outcome.reencoded);
  return {
    ...withNotes, ...(reencoded ? { reencoded } : {}), ...(channels.bitsCleared?.length ? { bitsCleared: [...channels.bitsCleared] } : {}),
  };
}

async function finishChecked(file: DicomFile, pending: PendingPixels, plan: Plan, refusal: string | null, identityKept: boolean): Promise<BurnedInOutcome> {
  const { assessment, rectangles } = pending;
  const pixels = plan.pixels;
  const pixelError = (error: unknown, what: string): BurnedInOutcome => {
    const reason = `the pixels could not be ${what} (${error instanceof Error ? error.message : 'unknown error'})`;
    return pixels.policy === 'quarantine' || pixels.policy === 'redact'
      ? { status: 'quarantine', assessment, reason }
      : { status: 'fail', assessment, reason };
  };
  if (refusal !== null) {
    return pixels.policy === 'quarantine' || pixels.policy === 'redact' ? { status: 'quarantine', assessment, reason: refusal } : { status: 'fail', assessment, reason: refusal };
  }
  if (pending.waveform) return uncleanable(pixels.policy, assessment, 'a waveform (audio, leads that can be plotted) is not read or cleaned');
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
        markPixelsCleaned(file.dataset, plan.markers, identityKept);
        if (facesRemoved) markFacesRemoved(file.dataset, plan.markers, appendCleanFacesCode);
        const blanked = blank.map(({ x, y, width, height, frames }) => (frames ? { x, y, width, height, frames: [...frames] } : { x, y, width, height }));
        return {
          status: 'redacted', assessment, framesRedacted: redaction.framesRedacted, lossyReencode: redaction.lossyReencode !== null, rectangles: blanked,
          ...(text ? { text } : {}),
          ...(redaction.transcoded ? { notes: [transcodedNote(redaction.transcoded)] } : {}),
          ...(redaction.framesReencoded.length > 0
            ? { reencoded: { syntax: redaction.transferSyntaxUid, frames: [...redaction.framesReencoded], lossy: redaction.lossyReencode !== null } }
            : {}),
        };
      }
    } catch (error) {
      return pixelError(error, 'redacted');
    }
  }
  if (text) {
    // Every frame was searched and nothing needs blanking: the pixels are delivered as they are, marked clean.
    markPixelsCleaned(file.dataset, plan.markers, identityKept);
    return { status: 'nothing-to-blank', assessment, text };
  }
  if (!assessment.atRisk) {
    // Rules matched but their rectangles missed the image: nothing was at risk, nothing changed.
    if (rectangles.length > 0) confirmIdentityRemoved(file.dataset, plan.markers, identityKept);
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

/** An at-risk file that nothing here can clean: where the policy sends it. */
function uncleanable(policy: BurnedInPolicy, assessment: BurnedInAssessment, why: string): BurnedInOutcome {
  const reason = `may carry identifying content (${assessment.reasons.join('; ')}): ${why}`;
  switch (policy) {
    case 'quarantine':
    case 'redact': return { status: 'quarantine', assessment, reason };
    case 'fail': return { status: 'fail', assessment, reason };
    case 'keep': return { status: 'kept-at-risk', assessment, reason };
  }
}

/** The report's words for frames written in another syntax (the registry's names of the transfer syntaxes). */
function transcodedNote(transcoded: { from: string; to: string }): string {
  const name = (uid: string): string => uidName(uid) ?? uid;
  return `frames written losslessly as ${name(transcoded.to)} (no encoder for ${name(transcoded.from)} at this bit depth): Transfer Syntax UID changed, Lossy Image Compression stays 01`;
}
