// verify's free-text scan (outputs alone, and beside the paired comparison) reads values as the engine does: a
// private UN value that the safe private table gives a numeric VR (GE's (0043,xx39) IS, as implicit VR files carry
// it), a file meta element misplaced in the dataset (an Implementation Version Name "DCF 3.3.12c"), a dose
// description's measurements and a "Region^Modality" attenuation method are no findings; a name in prose beside them
// still is. The values are those of the corpus files where the --preset tcia run found them.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createDicomFile } from '../../src/dicom/create.js';
import { DataElement, DataSet } from '../../src/dicom/dataset.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { newStringElement } from '../../src/dicom/values.js';
import {
  AttenuationCorrectionMethod, ExposureControlModeDescription, ImageComments, ImplementationVersionName, Modality, SOPClassUID, SOPInstanceUID,
} from '../../src/dicom/tags.generated.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { scanFile } from '../../src/verify/patterns.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const DOSE = 'AOP standard RECTANGLE 610 mm 1586 mm 180 mm 240 mm EXP DOSE 72407 nGy PRE-EXP DOSE 8277 nGy PRE-EXP THICK 57 mm '
  + 'PRE-EXP COMPO 50 % PRE-EXP KV 34 PRE-EXP TRACK Rh PRE-EXP FILTER Rh PADDLE 23 FLATFIELD no';

test('verify\'s scan: numeric safe private values, misplaced file meta and technical text are no findings; a name is', () => {
  const work = mkdtempSync(join(tmpdir(), 'verify-not-prose-'));
  try {
    const build = (comments: string | null): string => {
      const ds = new DataSet({ explicitVR: true, littleEndian: true });
      ds.put(newStringElement(ds, ImplementationVersionName, 'SH', 'DCF 3.3.12c'));
      ds.put(newStringElement(ds, SOPClassUID, 'UI', CT));
      ds.put(newStringElement(ds, SOPInstanceUID, 'UI', '2.25.4242'));
      ds.put(newStringElement(ds, Modality, 'CS', 'CT'));
      ds.put(newStringElement(ds, ExposureControlModeDescription, 'LT', DOSE));
      if (comments !== null) ds.put(newStringElement(ds, ImageComments, 'LT', comments));
      ds.put(newStringElement(ds, 0x00430010, 'LO', 'GEMS_PARM_01'));
      const slop = new DataElement(0x00431039, 'UN');
      slop.setValue(new TextEncoder().encode('0\\268435456\\0\\0'), 'UN');
      ds.put(slop);
      // A private UN value the table does not list: still scanned (the engine removes it; if it stayed, it is text).
      const other = new DataElement(0x00431099, 'UN');
      other.setValue(new TextEncoder().encode('MRN 12345678'), 'UN');
      ds.put(other);
      ds.put(newStringElement(ds, AttenuationCorrectionMethod, 'LO', 'measured,/MAR^CT Breast  3.0  B30f'));
      const path = join(work, `${comments === null ? 'plain' : 'named'}.dcm`);
      writeDicomFile(createDicomFile(ds, '1.2.840.10008.1.2.1', CT, '2.25.4242'), path);
      return path;
    };
    const scan = (path: string): string[] => {
      const file = readDicomFile(path);
      try {
        return scanFile(file).map((f) => `${f.tagPath} ${f.kind} ${f.severity}`);
      } finally {
        file.close();
      }
    };
    assert.equal(readDicomFile(build(null)).dataset.get(0x00431039)?.vr, 'UN', 'the GE value is read as UN, as in implicit VR files');
    assert.deepEqual(scan(build(null)), ['(0043,1099) pattern-id medium'], 'only the unlisted private value');
    const named = scan(build('discussed with Dr Raj Patel'));
    assert.ok(named.includes('(0020,4000) pattern-name medium'), named.join('; '));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
