// What makes a file a DICOM instance and must survive any rules file: the SOP Class and Instance UIDs, the study and
// series it belongs to, the character set its text is written in, and the Image Pixel module. A rule that selects
// such an attribute only by group, mask, VR or private identity does not remove or change it; the UIDs are remapped
// instead of being dropped. A rule that names one by tag and would unmake the instance is refused when the rules file
// is read (src/config/protected-rules.ts).

import type { ProtectedAttribute, Action } from '../plan/plan.js';
import {
  BitsAllocated, BitsStored, BluePaletteColorLookupTableData, BluePaletteColorLookupTableDescriptor, Columns,
  GreenPaletteColorLookupTableData, GreenPaletteColorLookupTableDescriptor, HighBit, NumberOfFrames, PhotometricInterpretation,
  PixelData, PixelRepresentation, PlanarConfiguration, RedPaletteColorLookupTableData, RedPaletteColorLookupTableDescriptor,
  Rows, SamplesPerPixel, SeriesInstanceUID, SOPClassUID, SOPInstanceUID, SpecificCharacterSet, StudyInstanceUID,
} from '../dicom/tags.generated.js';

const KEEP: Action = { type: 'keep' };
const REMAP: Action = { type: 'remapUid' };

export const PROTECTED_ATTRIBUTES: readonly ProtectedAttribute[] = [
  { tag: SOPClassUID, action: KEEP, why: 'SOP Class UID says what the instance is' },
  { tag: SOPInstanceUID, action: REMAP, why: 'SOP Instance UID identifies the instance (remapped instead)' },
  { tag: StudyInstanceUID, action: REMAP, why: 'Study Instance UID is Type 1 (remapped instead)' },
  { tag: SeriesInstanceUID, action: REMAP, why: 'Series Instance UID is Type 1 (remapped instead)' },
  { tag: SpecificCharacterSet, action: KEEP, why: 'Specific Character Set says how the remaining text is written' },
  ...[
    SamplesPerPixel, PhotometricInterpretation, Rows, Columns, BitsAllocated, BitsStored, HighBit, PixelRepresentation,
    PlanarConfiguration, NumberOfFrames, PixelData, RedPaletteColorLookupTableDescriptor, GreenPaletteColorLookupTableDescriptor,
    BluePaletteColorLookupTableDescriptor, RedPaletteColorLookupTableData, GreenPaletteColorLookupTableData, BluePaletteColorLookupTableData,
  ].map((tag) => ({ tag, action: KEEP, why: 'Image Pixel module attribute (the pixels cannot be read without it)' })),
];
