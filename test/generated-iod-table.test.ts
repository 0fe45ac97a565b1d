// The IOD requirements table (src/profiles/iod-requirements.generated.ts) is what scripts/generate-iod-table.ts makes
// from GDCM's Part3.xml (Debian libgdcm3.0) and the reference UID registry: regenerated in memory and compared.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateIodTable, IOD_TABLE_PATH, part3Path } from '../scripts/generate-iod-table.js';
import { REPO_DIR, standardDir } from '../scripts/generate-tables.js';
import { sharedDataSkip } from './helpers/corpus.js';

const missing = !existsSync(part3Path()) ? `GDCM's Part3.xml is not here (${part3Path()}: apt-get install libgdcm3.0, or set GDCM_PART3_XML)`
  : !existsSync(join(standardDir(), 'ps3.6-uid-registry.json')) ? `the DICOM standard reference data is not here (${standardDir()}; set DICOM_STANDARD_DIR)` : false;

test('the IOD requirements table is up to date', { skip: sharedDataSkip(missing) }, () => {
  assert.equal(missing, false, `${missing} (CI=true: fails rather than skipping)`);
  const generated = generateIodTable();
  assert.ok((generated.match(/^ {2}"1\.2\.840\.10008\.5\.1\.4\.1\.1\./gm) ?? []).length >= 60, 'the storage SOP classes were found by name');
  assert.ok(readFileSync(join(REPO_DIR, IOD_TABLE_PATH), 'utf8') === generated,
    `${IOD_TABLE_PATH} differs from what scripts/generate-iod-table.ts produces: run \`tsx scripts/generate-iod-table.ts\` and commit the result`);
});
