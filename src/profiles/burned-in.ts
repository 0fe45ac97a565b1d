// The default risk gate for burned-in text, as data: which modalities, SOP classes and Image Types may carry text in
// their pixels. SOP classes are picked from the generated UID registry by name, never typed in by hand. A rules file
// may replace any list ("pixels": {"gate": {...}}).

import type { PixelPlan, RiskGate, TextDetectionPlan } from '../plan/plan.js';
import { UID_REGISTRY } from '../dicom/uid-registry.generated.js';

/**
 * Ultrasound, the secondary capture family (screen captures, dose screens), photographs and video (XC, ES, GM, OP, SM),
 * projection radiography (CR, DX, MG, IO, XA, RF) and encapsulated documents: their pixels routinely carry names, IDs
 * and dates. Original CT, MR, PT, NM images are not at risk unless Burned In Annotation says YES, their Image Type is
 * missing or holds a word of DEFAULT_RISK_IMAGE_TYPES, or a description names a dose report, screen, protocol, save
 * or render (DEFAULT_RISK_DESCRIPTIONS).
 */
export const DEFAULT_RISK_MODALITIES: readonly string[] = [
  'US', 'IVUS', 'XA', 'RF', 'CR', 'DX', 'MG', 'IO', 'PX', 'XC', 'ES', 'GM', 'OP', 'SM', 'OT', 'DOC', 'SC',
];

/** SOP class names (PS3.6 registry) whose instances are at risk, matched as whole names or name prefixes. */
const RISK_SOP_CLASS_NAMES: readonly RegExp[] = [
  /^Ultrasound (Multi-frame )?Image Storage$/,
  /Secondary Capture Image Storage$/,
  /^(VL|Video) (Endoscopic|Microscopic|Photographic|Slide-Coordinates Microscopic) Image Storage$/,
  /^(Wide Field )?Ophthalmic Photography/,
  /^Computed Radiography Image Storage$/,
  /^Digital (Mammography |Intra-Oral )?X-Ray Image Storage/,
  /^X-Ray (Angiographic|Radiofluoroscopic) Image Storage$/,
  /^Encapsulated (PDF|CDA|STL|OBJ|MTL) Storage$/,
];

export const DEFAULT_RISK_SOP_CLASSES: readonly string[] = UID_REGISTRY
  .filter(([, name, type]) => type === 'SOP Class' && RISK_SOP_CLASS_NAMES.some((re) => re.test(name)))
  .map(([uid]) => uid);

/**
 * Image Type words at risk in any modality: anything derived, secondary, a screen or a save (dose screens, saved
 * screens, reformats with annotations), and 3D renders (volume rendering, surface shading), which vendors label.
 */
export const DEFAULT_RISK_IMAGE_TYPES: readonly (readonly string[])[] = [
  ['DERIVED'], ['SECONDARY'], ['SCREEN'], ['SAVE'], ['VOLREN'], ['VOLUME RENDERING'], ['VRT'], ['SSD'], ['3D'],
];

/** Series / Study Descriptions that name a dose report, a screen, a protocol page, a save or a 3D render. */
export const DEFAULT_RISK_DESCRIPTIONS: readonly string[] = [
  '\\bdose[ _-]?(report|info|summary|screen|sheet)', '\\bscreen(s|shot|[ _-]?(save|capture|dump))?\\b', '\\bprotocol\\b', '\\bsave[ds]?\\b',
  '\\b3d\\b', '\\bvolume[ _-]?render', '\\bvrt\\b', '\\brender(ed|ing)?\\b',
];

export function defaultRiskGate(): RiskGate {
  return {
    modalities: [...DEFAULT_RISK_MODALITIES],
    sopClasses: [...DEFAULT_RISK_SOP_CLASSES],
    imageTypes: DEFAULT_RISK_IMAGE_TYPES.map((words) => [...words]),
    missingImageType: true,
    descriptions: [...DEFAULT_RISK_DESCRIPTIONS],
    waveforms: true,
  };
}

/**
 * Words burned into images that identify no one: laterality, projection, patient position and view markers. A box
 * whose recognised text is only these words may stay (a marker such as "R" or "AP SUPINE" is part of the image's
 * meaning); one whose text matches the header's identifying values never does.
 */
export const DEFAULT_KEEP_WORDS: readonly string[] = [
  'R', 'L', 'RT', 'LT', 'RIGHT', 'LEFT', 'AP', 'PA', 'LAT', 'LATERAL', 'OBL', 'OBLIQUE', 'LAO', 'RAO', 'LPO', 'RPO',
  'SUPINE', 'PRONE', 'ERECT', 'UPRIGHT', 'STANDING', 'SITTING', 'DECUB', 'DECUBITUS', 'LLD', 'RLD', 'PORTABLE',
  'INSP', 'EXP', 'CC', 'MLO', 'ML', 'LM', 'SAG', 'COR', 'AX', 'AXIAL', 'TRV', 'TRANS', 'LONG',
];

/** Default text detection: the detector's own box threshold, 3 px blanked past each box, the keep-list above. */
export function defaultTextDetection(): TextDetectionPlan {
  return { minScore: 0.5, margin: 3, keepWords: [...DEFAULT_KEEP_WORDS], keepMinTextScore: 0.9 };
}

/** The pixel plan when nothing says otherwise: the default gate, no rectangle rules, at-risk files quarantined. */
export function defaultPixelPlan(): PixelPlan {
  return { policy: 'quarantine', detection: defaultTextDetection(), gate: defaultRiskGate(), rules: [], redactedSyntax: 'same' };
}
