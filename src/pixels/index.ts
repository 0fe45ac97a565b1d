// The pixel layer's public API: describe an image, read frames, fill rectangles, clear overlay bits, mark lossy
// re-encodes, show a frame in 8 bits. Knows nothing of anonymization: it is handed rectangles.

export { PixelDataError } from './errors.js';
export { describeImage, frameBytes, isMonochrome, pixelElementOf, type ImageDescription, type PaletteDescriptor, type PixelLayout } from './image.js';
export { readFrame, readFrames, type PixelFrame } from './frames.js';
export { defaultFill, fillRectangles, type Rectangle } from './fill.js';
export { redactPixelData, type RedactOptions, type RedactionResult } from './redact.js';
export { clearBits, type ClearBitsResult } from './overlay-bits.js';
export { canonicalizeUnusedBits, clearUnusedBits, hasUnusedBits, type UnusedBitsResult } from './unused-bits.js';
export { encapsulatedExcess, nativeExcessBytes, removeNativeExcess } from './shape.js';
export { markLossyCompression } from './lossy.js';
export {
  applyVoi, displayImage, greyDisplay, paletteEntry, readPalette, sampleIndexer, storedSamples, ybrToRgb,
  type DisplayImage, type GreyDisplay, type Palette, type Voi, type VoiLut,
} from './display.js';
export { SUPPORTED_ENCAPSULATED_SYNTAXES } from './codecs/index.js';
