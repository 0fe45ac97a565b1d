// The risk gate: may this instance carry burned-in text? Decided on the ORIGINAL dataset, before any metadata is
// changed, from the plan's gate lists (data: src/profiles/burned-in.ts, overridable in a rules file). Each reason is
// text without a value of an identifying attribute: the modality, SOP class name or UID, image type words and
// the flags themselves are not identifying.

import type { DataSet } from '../../dicom/dataset.js';
import type { ByteSource } from '../../dicom/source.js';
import { PIXEL_DATA_TAGS } from '../../dicom/tag.js';
import { uidName } from '../../dicom/uid-registry.js';
import type { RiskGate } from '../../plan/plan.js';
import { BurnedInAnnotation, EncapsulatedDocument, ImageType, MIMETypeOfEncapsulatedDocument, Modality, RecognizableVisualFeatures, SOPClassUID } from '../../dicom/tags.generated.js';
import { attributeText, attributeWords } from './attributes.js';

export interface GateVerdict {
  atRisk: boolean;
  reasons: string[];
  /** True when the instance holds Pixel Data (rectangles can clean it); false for encapsulated documents and SR. */
  hasPixels: boolean;
  /** True for an encapsulated document (PDF, CDA...): at risk, and no rectangle can clean it. */
  encapsulatedDocument: boolean;
}

/** True when the dataset has Pixel Data, Float or Double Float Pixel Data at its top level. */
export function hasPixelData(dataset: DataSet): boolean {
  for (const tag of PIXEL_DATA_TAGS) if (dataset.get(tag)) return true;
  return false;
}

/**
 * The gate's verdict. At risk when any of these holds:
 * - Burned In Annotation (0028,0301) YES, or Recognizable Visual Features (0028,0302) YES;
 * - Modality (0008,0060) is one of `gate.modalities`;
 * - SOP Class UID (0008,0016) is one of `gate.sopClasses`;
 * - Image Type (0008,0008) holds every word of one `gate.imageTypes` entry.
 *
 * Burned In Annotation NO does not make an at-risk modality or SOP class safe: the attribute is often defaulted by
 * the modality whatever its screen shows (an ultrasound saying NO is still an ultrasound). It only matters when it
 * says YES.
 *
 * An instance without Pixel Data (SR, presentation states, ...) is not at risk, whatever its modality, unless it is an
 * encapsulated document (Encapsulated Document (0042,0011) present: PDF, CDA, ...): such a document may show
 * anything, and no rectangle can clean it.
 */
export function assessRisk(dataset: DataSet, source: ByteSource, gate: RiskGate): GateVerdict {
  const hasPixels = hasPixelData(dataset);
  const encapsulatedDocument = dataset.get(EncapsulatedDocument) !== undefined;
  if (!hasPixels && !encapsulatedDocument) return { atRisk: false, reasons: [], hasPixels, encapsulatedDocument };
  const reasons: string[] = [];
  if (encapsulatedDocument) {
    const mime = (attributeText(dataset, source, MIMETypeOfEncapsulatedDocument) ?? '').trim();
    // A MIME type is a short code, never identifying; anything longer or odd is not shown.
    reasons.push(`encapsulated document${/^[A-Za-z0-9.+/-]{1,64}$/.test(mime) ? ` (${mime})` : ''}`);
  }
  if (attributeWords(dataset, source, BurnedInAnnotation)[0] === 'YES') reasons.push('Burned In Annotation YES');
  if (attributeWords(dataset, source, RecognizableVisualFeatures)[0] === 'YES') reasons.push('Recognizable Visual Features YES');
  const modality = attributeWords(dataset, source, Modality)[0];
  const modalities = new Set(gate.modalities.map((m) => m.trim().toUpperCase()));
  if (modality !== undefined && modalities.has(modality)) reasons.push(`Modality ${modality}`);
  const sopClass = (attributeText(dataset, source, SOPClassUID) ?? '').trim();
  if (sopClass !== '' && gate.sopClasses.includes(sopClass)) reasons.push(`SOP Class ${uidName(sopClass) ?? sopClass}`);
  const imageType = new Set(attributeWords(dataset, source, ImageType));
  for (const words of gate.imageTypes) {
    const wanted = words.map((w) => w.trim().toUpperCase());
    if (wanted.length > 0 && wanted.every((w) => imageType.has(w))) reasons.push(`Image Type ${wanted.join('\\')}`);
  }
  return { atRisk: reasons.length > 0, reasons, hasPixels, encapsulatedDocument };
}

/** The verdict with the pixel rules that flag a file (deid graylist labels without coordinates) as more reasons. */
export function withRuleFlags(verdict: GateVerdict, flagged: readonly string[]): GateVerdict {
  if (flagged.length === 0 || (!verdict.hasPixels && !verdict.encapsulatedDocument)) return verdict;
  const reasons = [...verdict.reasons, ...flagged.map((origin) => `flagged by pixel rule ${origin}`)];
  return { ...verdict, atRisk: true, reasons };
}
