// Public API of the text detector: find text boxes in 8-bit images, optionally read them. Knows nothing of DICOM.

export { loadTextDetector, detectText, type TextDetector } from './detector.js';
export { isEngineLoaded } from './engine.js';
export { missingTextDetectionPackages, textDetectionMissingMessage, TEXT_DETECTION_PACKAGES } from './installed.js';
export { MAX_TILE_SIZE, TILE_OVERLAP } from './tiling.js';
export { DEFAULT_MIN_SCORE, type PixelImage, type PixelRect, type TextBox, type RecognizedText, type DetectOptions, type LoadOptions } from './types.js';
