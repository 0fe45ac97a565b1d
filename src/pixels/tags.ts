// Tags of the Image Pixel module and related attributes the pixel layer reads or writes.

import { makeTag } from '../dicom/tag.js';

export const PIXEL_TAGS = {
  samplesPerPixel: makeTag(0x0028, 0x0002),
  photometricInterpretation: makeTag(0x0028, 0x0004),
  planarConfiguration: makeTag(0x0028, 0x0006),
  numberOfFrames: makeTag(0x0028, 0x0008),
  rows: makeTag(0x0028, 0x0010),
  columns: makeTag(0x0028, 0x0011),
  bitsAllocated: makeTag(0x0028, 0x0100),
  bitsStored: makeTag(0x0028, 0x0101),
  highBit: makeTag(0x0028, 0x0102),
  pixelRepresentation: makeTag(0x0028, 0x0103),
  redPaletteDescriptor: makeTag(0x0028, 0x1101),
  greenPaletteDescriptor: makeTag(0x0028, 0x1102),
  bluePaletteDescriptor: makeTag(0x0028, 0x1103),
  redPaletteData: makeTag(0x0028, 0x1201),
  greenPaletteData: makeTag(0x0028, 0x1202),
  bluePaletteData: makeTag(0x0028, 0x1203),
  segmentedRedPaletteData: makeTag(0x0028, 0x1221),
  lossyImageCompression: makeTag(0x0028, 0x2110),
  lossyImageCompressionRatio: makeTag(0x0028, 0x2112),
  lossyImageCompressionMethod: makeTag(0x0028, 0x2114),
  extendedOffsetTable: makeTag(0x7fe0, 0x0001),
  extendedOffsetTableLengths: makeTag(0x7fe0, 0x0002),
  pixelData: makeTag(0x7fe0, 0x0010),
} as const;
