// Paths of the reference files copied into the repository (test/fixtures/reference/README.md says where each one
// comes from and under which licence). Relative to this file, so a fresh clone without ../shared has them.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES_DIR = resolve(here, '..', 'fixtures');
export const FIXTURE_REFERENCE_DIR = join(FIXTURES_DIR, 'reference');
/** Microsoft's shipped DICOM anonymizer configurations (MIT), laid out as in their repository. */
export const MS_CONFIGS_DIR = join(FIXTURE_REFERENCE_DIR, 'ms-dicom-configs');
/** Microsoft's default configuration (configuration.json of their CLI), 318 rules. */
export const MS_DEFAULT_CONFIG = join(FIXTURE_REFERENCE_DIR, 'ms-dicom-default-config.json');
/** PS3.15 2026c Table E.1-1 as published (raw cells, not normalized). */
export const E11_RAW = join(FIXTURE_REFERENCE_DIR, 'dicom-standard', 'ps3.15-E.1-1.raw.json');
