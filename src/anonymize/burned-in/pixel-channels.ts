// The burned-in step's first pass over Pixel Data, for every image whatever the gate says: what the value holds
// besides its frames' pixel values is taken out or refused before anything is marked clean. Native Pixel Data longer
// than its frames is cut to them; bits outside Bits Stored are set to their canonical value (except the bit planes of
// overlays the plan keeps); an RLE or deflated image (whose frames keep whole words), or an encapsulated image whose
// embedded overlay group was removed, has every frame decoded, those bits cleared and changed frames re-encoded in
// its syntax; encapsulated Pixel Data with fragments or offset table entries
// beyond Number of Frames is refused (which fragments are the frames is then a guess). Notes say what changed, in
// words without values.

import type { DicomFile } from '../../dicom/part10.js';
import type { Reencoded } from './outcome.js';
import { clearUnusedBits, describeImage, encapsulatedExcess, hasUnusedBits, pixelElementOf, redactPixelData, removeNativeExcess } from '../../pixels/index.js';

/** What the pass did (notes for the report) or why the file cannot be delivered (refusal). */
export interface PixelChannels {
  notes: string[];
  refusal: string | null;
  /** Frames whose bits outside Bits Stored were cleared. */
  bitsCleared?: number[];
  /** Encapsulated: the frames re-encoded (losslessly, in the file's syntax) after their bits were cleared. */
  reencoded?: Reencoded;
}

/** Overlay bit planes of the original: those whose group the plan removed, and those it kept. */
export interface EmbeddedOverlayBits {
  removed: readonly number[];
  kept: readonly number[];
}

/** Encapsulated syntaxes whose frames hold whole pixel words: RLE Lossless, Deflated Image Frame Compression. */
const WHOLE_WORD_SYNTAXES: ReadonlySet<string> = new Set(['1.2.840.10008.1.2.5', '1.2.840.10008.1.2.8.1']);

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Cleans what Pixel Data (or Float / Double Float Pixel Data) holds outside its frames' pixel values; nothing to do without it. */
export async function cleanPixelChannels(file: DicomFile, overlays: EmbeddedOverlayBits): Promise<PixelChannels> {
  const element = pixelElementOf(file.dataset);
  if (!element) return { notes: [], refusal: null };
  const notes: string[] = [];
  if (element.fragments) {
    const excess = encapsulatedExcess(file);
    if (excess) return { notes, refusal: `Pixel Data holds more than its frames: ${excess}` };
    // RLE and deflated frames keep whole pixel words, so anything can sit outside Bits Stored; other codestreams
    // code Bits Stored bits only, unless an embedded overlay said otherwise.
    const wholeWords = WHOLE_WORD_SYNTAXES.has(file.transferSyntax.uid);
    if ((overlays.removed.length > 0 || wholeWords) && hasUnusedBits(describeImage(file.dataset, file.datasetSource))) {
      const result = await redactPixelData(file, [], { clearUnusedBitsInAllFrames: true, keepBits: overlays.kept });
      if (result.framesBitsCleared.length > 0) {
        notes.push(`bits outside Bits Stored cleared in ${plural(result.framesBitsCleared.length, 'frame')} (decoded and re-encoded in the same syntax)`);
        return {
          notes, refusal: null, bitsCleared: result.framesBitsCleared,
          reencoded: { syntax: result.transferSyntaxUid, frames: result.framesReencoded, lossy: result.lossyReencode !== null },
        };
      }
    }
    return { notes, refusal: null };
  }
  const removed = removeNativeExcess(file);
  if (removed > 0) notes.push(`Pixel Data held ${plural(removed, 'byte')} beyond its frames: removed`);
  const bits = clearUnusedBits(file, { keepBits: overlays.kept });
  if (bits.changed) notes.push(`bits outside Bits Stored cleared in ${plural(bits.framesChanged.length, 'frame')}`);
  return bits.changed ? { notes, refusal: null, bitsCleared: bits.framesChanged } : { notes, refusal: null };
}
