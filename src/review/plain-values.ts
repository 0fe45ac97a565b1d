// Which output values the review page shows unmasked without --show-values: attributes of a coded, non-identifying
// vocabulary (what the image is: modality, body part, MR sequence, image type...) that the profile keeps, and only
// when the value looks like that vocabulary. Anything else, and any value the Plan cleans, stays masked.

import type { Visit } from '../verify/walk.js';
import type { ProfileView } from '../verify/profile.js';
import {
  BodyPartExamined, BurnedInAnnotation, ConversionType, ImageLaterality, ImageType, Laterality, LossyImageCompression, Modality,
  MRAcquisitionType, PatientPosition, PhotometricInterpretation, PresentationIntentType, ScanningSequence, ScanOptions,
  SequenceName, SequenceVariant, ViewPosition,
} from '../dicom/tags.generated.js';

/** Code String values: upper-case letters, digits, space and underscore (PS3.5 6.2), several split by "\". */
const CODES = /^[A-Z0-9_ ]{1,16}(\\[A-Z0-9_ ]{0,16}){0,15}$/;

/**
 * The attributes shown whole, each with the form its value must have. A short explicit list rather than "every CS
 * attribute": Patient's Sex or an Other Patient ID type are codes too, and say something of a person.
 * Manufacturer's Model Name is left out: free text (LO) a site may name after itself.
 */
export const PLAIN_ATTRIBUTES: ReadonlyMap<number, RegExp> = new Map([
  [Modality, CODES],
  [BodyPartExamined, CODES],
  [ImageType, CODES],
  [ScanningSequence, CODES],
  [SequenceVariant, CODES],
  [ScanOptions, CODES],
  [MRAcquisitionType, CODES],
  // A pulse sequence's name (SH, e.g. "*tfl3d1_16ns", "ep_b1000"): one token, no spaces.
  [SequenceName, /^[A-Za-z0-9_*#+.-]{1,16}$/],
  [PhotometricInterpretation, CODES],
  [PatientPosition, CODES],
  [ViewPosition, CODES],
  [Laterality, CODES],
  [ImageLaterality, CODES],
  [ConversionType, CODES],
  [BurnedInAnnotation, CODES],
  [LossyImageCompression, CODES],
  [PresentationIntentType, CODES],
]);

/** Whether `text`, the value of the visited element, is shown unmasked: listed, top level, kept by the profile, in form. */
export function isPlainValue(visit: Visit, text: string, profile: ProfileView): boolean {
  const form = PLAIN_ATTRIBUTES.get(visit.element.tag);
  if (!form || visit.inMeta || visit.within !== null) return false;
  return form.test(text.trim()) && profile.disposition(visit.element, null, false) === 'kept';
}
