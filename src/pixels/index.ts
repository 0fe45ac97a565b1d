// The pixel layer's public API: describe an image, read frames, fill rectangles, clear overlay bits, mark lossy
// re-encodes. Knows nothing of anonymization: it is handed rectangles.

export { PixelDataError } from './errors.js';
export { describeImage, frameBytes, isMonochrome, type ImageDescription, type PaletteDescriptor, type PixelLayout } from './image.js';
export { readFrame, readFrames, type PixelFrame } from './frames.js';
export { defaultFill, fillRectangles, type Rectangle } from './fill.js';
export { redactPixelData, type RedactOptions, type RedactionResult } from './redact.js';
export { clearBits, type ClearBitsResult } from './overlay-bits.js';
export { markLossyCompression } from './lossy.js';
export { displayImage, type DisplayImage } from './display.js';
export { SUPPORTED_ENCAPSULATED_SYNTAXES } from './codecs/index.js';
