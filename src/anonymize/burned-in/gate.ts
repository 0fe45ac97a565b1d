// The risk gate: may this instance carry burned-in text? Decided on the ORIGINAL dataset, before any metadata is
// changed, from the plan's gate lists (data: src/profiles/burned-in.ts, overridable in a rules file). Each reason is
// text without a value of an identifying attribute: the modality, SOP class name or UID, image type words and
// the flags themselves are not identifying.

import type { DataElement, DataSet } from '../../dicom/dataset.js';
import type { ByteSource } from '../../dicom/source.js';
import { PIXEL_DATA_TAGS } from '../../dicom/tag.js';
import { uidName } from '../../dicom/uid-registry.js';
import type { RiskGate } from '../../plan/plan.js';
import {
  BurnedInAnnotation, EncapsulatedDocument, ImageType, MIMETypeOfEncapsulatedDocument, Modality, RecognizableVisualFeatures, SeriesDescription,
  SOPClassUID, StudyDescription, WaveformSequence,
} from '../../dicom/tags.generated.js';
import { UID_REGISTRY } from '../../dicom/uid-registry.generated.js';
import { attributeText, attributeWords } from './attributes.js';

export interface GateVerdict {
  atRisk: boolean;
  reasons: string[];
  /** True when the instance holds Pixel Data (rectangles can clean it); false for encapsulated documents and SR. */
  hasPixels: boolean;
  /** True for an encapsulated document (PDF, CDA...): at risk, and no rectangle can clean it. */
  encapsulatedDocument: boolean;
  /** True when a waveform is at risk (gate.waveforms): nothing reads audio or plots leads, so nothing cleans it. */
  waveform?: boolean;
}

/**
 * True when Encapsulated Document (0042,0011) can hold a document: present, and not the profile's dummy (at most two
 * bytes, all zero), which holds nothing. So verify, reading an output, agrees with the run that replaced it.
 */
function holdsDocument(dataset: DataSet, source: ByteSource): boolean {
  const element = dataset.get(EncapsulatedDocument);
  if (!element) return false;
  if (element.items !== null || element.fragments !== null || element.valueLength > 2) return true;
  return element.bytes(source).some((b) => b !== 0);
}

/** Waveform SOP classes by registry name (ECG, audio, hemodynamic, respiratory, ... "... Waveform Storage"). */
const WAVEFORM_SOP_CLASSES: ReadonlySet<string> = new Set(
  UID_REGISTRY.filter(([, name, type]) => type === 'SOP Class' && /Waveform Storage/.test(name)).map(([uid]) => uid),
);

/** Image Type values and each space-separated word of them, upper case. */
function imageTypeWords(values: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const value of values) {
    words.add(value);
    for (const word of value.split(/\s+/)) if (word !== '') words.add(word);
  }
  return words;
}

/** The first description pattern that Series or Study Description matches (invalid patterns never match). */
function describedAtRisk(dataset: DataSet, source: ByteSource, patterns: readonly string[]): string | null {
  for (const [tag, name] of [[SeriesDescription, 'Series Description'], [StudyDescription, 'Study Description']] as const) {
    const text = attributeText(dataset, source, tag);
    if (!text) continue;
    for (const pattern of patterns) {
      let re: RegExp;
      try {
        re = new RegExp(pattern, 'i');
      } catch {
        continue;
      }
      // The description is not shown (it may be free text); the pattern it matched is ours.
      if (re.test(text)) return `${name} matches /${pattern}/`;
    }
  }
  return null;
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
 * - Image Type (0008,0008) holds every word of one `gate.imageTypes` entry (a value, or a space-separated word of one);
 * - Image Type is missing or empty (`gate.missingImageType`), for an image;
 * - Series or Study Description matches one of `gate.descriptions`, for an image;
 * - a Waveform Sequence (5400,0100) or a waveform SOP class (`gate.waveforms`): nothing here cleans a waveform.
 *
 * Burned In Annotation NO does not make an at-risk modality or SOP class safe: the attribute is often defaulted by
 * the modality whatever its screen shows (an ultrasound saying NO is still an ultrasound). It only matters when it
 * says YES.
 *
 * An instance without Pixel Data (SR, presentation states, ...) is not at risk, whatever its modality, unless it is an
 * encapsulated document (Encapsulated Document (0042,0011) holding more than the profile's two-byte dummy: PDF, CDA,
 * ...) or a waveform: such a document may show anything, and no rectangle can clean it. After the plan's walk,
 * deliveredRisk judges what will be delivered instead.
 */
export function assessRisk(dataset: DataSet, source: ByteSource, gate: RiskGate): GateVerdict {
  const hasPixels = hasPixelData(dataset);
  const encapsulatedDocument = holdsDocument(dataset, source);
  const sopClassUid = (attributeText(dataset, source, SOPClassUID) ?? '').trim();
  const waveform = gate.waveforms && (dataset.get(WaveformSequence) !== undefined || WAVEFORM_SOP_CLASSES.has(sopClassUid));
  if (!hasPixels && !encapsulatedDocument && !waveform) return { atRisk: false, reasons: [], hasPixels, encapsulatedDocument };
  const reasons: string[] = [];
  if (waveform) {
    reasons.push(dataset.get(WaveformSequence) ? 'Waveform Sequence (5400,0100)' : `waveform SOP Class ${uidName(sopClassUid) ?? sopClassUid}`);
    if (!hasPixels && !encapsulatedDocument) return { atRisk: true, reasons, hasPixels, encapsulatedDocument, waveform };
  }
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
  if (sopClassUid !== '' && gate.sopClasses.includes(sopClassUid)) reasons.push(`SOP Class ${uidName(sopClassUid) ?? sopClassUid}`);
  const imageTypeValues = attributeWords(dataset, source, ImageType).filter((v) => v !== '');
  const imageType = imageTypeWords(imageTypeValues);
  for (const words of gate.imageTypes) {
    const wanted = words.map((w) => w.trim().toUpperCase());
    if (wanted.length > 0 && wanted.every((w) => imageType.has(w))) reasons.push(`Image Type ${wanted.join('\\')}`);
  }
  if (gate.missingImageType && hasPixels && imageTypeValues.length === 0) reasons.push('Image Type missing or empty');
  const described = hasPixels ? describedAtRisk(dataset, source, gate.descriptions) : null;
  if (described) reasons.push(described);
  return { atRisk: reasons.length > 0, reasons, hasPixels, encapsulatedDocument, ...(waveform ? { waveform } : {}) };
}

/** The verdict with the pixel rules that flag a file (deid graylist labels without coordinates) as more reasons. */
export function withRuleFlags(verdict: GateVerdict, flagged: readonly string[]): GateVerdict {
  if (flagged.length === 0 || (!verdict.hasPixels && !verdict.encapsulatedDocument)) return verdict;
  const reasons = [...verdict.reasons, ...flagged.map((origin) => `flagged by pixel rule ${origin}`)];
  return { ...verdict, atRisk: true, reasons };
}

/** The Encapsulated Document value as read (to tell afterwards whether the plan replaced or removed it). */
export interface DocumentSnapshot {
  element: DataElement;
  value: unknown;
}

export function documentSnapshot(dataset: DataSet): DocumentSnapshot | null {
  const element = dataset.get(EncapsulatedDocument);
  return element ? { element, value: element.value ?? element.bulk ?? element.external } : null;
}

/**
 * The verdict on what will be delivered, after the plan's walk: an Encapsulated Document the plan replaced (the Basic
 * Profile's D) or removed is no longer a risk, nor is a Waveform Sequence it removed. An instance left with neither
 * Pixel Data, a document nor a waveform is not at risk.
 */
export function deliveredRisk(verdict: GateVerdict, dataset: DataSet, document: DocumentSnapshot | null): GateVerdict {
  let { reasons, encapsulatedDocument, waveform } = verdict;
  if (encapsulatedDocument && document) {
    const now = dataset.get(EncapsulatedDocument);
    if (!now || now !== document.element || (now.value ?? now.bulk ?? now.external) !== document.value) {
      // Replaced (the profile's dummy) or removed: whatever it held is not delivered.
      encapsulatedDocument = false;
      reasons = reasons.filter((r) => !r.startsWith('encapsulated document'));
    }
  }
  if (waveform && !dataset.get(WaveformSequence)) {
    waveform = false;
    reasons = reasons.filter((r) => !r.startsWith('Waveform Sequence') && !r.startsWith('waveform SOP Class'));
  }
  if (reasons === verdict.reasons) return verdict;
  if (!verdict.hasPixels && !encapsulatedDocument && !waveform) reasons = [];
  return { atRisk: reasons.length > 0, reasons, hasPixels: verdict.hasPixels, encapsulatedDocument, ...(waveform ? { waveform } : {}) };
}
