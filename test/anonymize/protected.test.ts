// A rule never unmakes a DICOM instance (issue 14): broad rules (groups, masks, VRs) leave SOP Class / Instance UID,
// Study / Series UID, Specific Character Set and the Image Pixel module alone (UIDs are remapped instead), the audit
// says why, and a rule that names one of them explicitly and would break it is refused with its JSON path.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Anonymizer, type AuditEntry } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { getString } from '../../src/dicom/values.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { Modality, PatientName, PixelData, Rows, SOPClassUID, SOPInstanceUID, StudyDate, StudyInstanceUID } from '../../src/dicom/tags.generated.js';
import { PROBE_FILE, requireTools, runTool, skipUnlessTools } from '../helpers/tools.js';

const KEY = Keys.fromSecret('protected-attributes-test-key-0123');
/** The guide's "maximum privacy" config: whole groups 0010 and 0008 removed, Modality and StudyDate kept. */
const MAXIMUM_PRIVACY = '{"keepTags": ["Modality", "StudyDate"], "removeTags": ["group:0010", "group:0008"]}';

function anonymize(config: string, audit: AuditEntry[] = []) {
  const file = readDicomFile(PROBE_FILE);
  const before = (tag: number): string => getString(file.dataset, file.dataset.get(tag)!, file.datasetSource);
  const original = { sop: before(SOPInstanceUID), sopClass: before(SOPClassUID), study: before(StudyInstanceUID) };
  new Anonymizer(parseConfig(config), KEY).anonymizeFile(file, (e) => audit.push(e));
  return { file, original };
}

test('group rules keep what makes the file an instance; UIDs are remapped, not removed', () => {
  const audit: AuditEntry[] = [];
  const { file, original } = anonymize(MAXIMUM_PRIVACY, audit);
  try {
    const value = (tag: number): string | undefined => {
      const el = file.dataset.get(tag);
      return el ? getString(file.dataset, el, file.datasetSource) : undefined;
    };
    assert.equal(value(PatientName), undefined, 'group 0010 removed');
    assert.equal(value(SOPClassUID), original.sopClass, 'SOP Class UID kept');
    const sop = value(SOPInstanceUID);
    assert.ok(sop && sop !== original.sop && sop.startsWith('2.25.'), 'SOP Instance UID remapped');
    assert.ok(value(StudyInstanceUID)?.startsWith('2.25.'));
    assert.ok(value(Modality) && value(StudyDate), 'the keepTags survive');
    assert.ok(file.dataset.get(Rows) && file.dataset.get(PixelData));
    const sopAudit = audit.find((e) => e.path === '(0008,0018)');
    assert.equal(sopAudit?.action, 'remapUid');
    assert.match(sopAudit?.origin ?? '', /^protected: SOP Instance UID .*; not config\.removeTags\[1\]/);
  } finally {
    file.close();
  }
});

test('the maximum-privacy output is still an instance for dciodvfy', { skip: skipUnlessTools('dciodvfy') }, async () => {
  requireTools('dciodvfy');
  const dir = mkdtempSync(join(tmpdir(), 'protected-'));
  const { file } = anonymize(MAXIMUM_PRIVACY);
  try {
    const out = join(dir, 'out.dcm');
    writeDicomFile(file, out);
    const r = await runTool('dciodvfy', ['-new', out], { codes: [0, 1] });
    assert.doesNotMatch(r.stdout + r.stderr, /Information Object Not found/);
    assert.match(r.stdout + r.stderr, /CTImage/, 'the IOD is recognised');
  } finally {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a rule that names a protected attribute and would break it is refused, with its JSON path', () => {
  const refused = (config: string, path: string): void => assert.throws(() => parseConfig(config), (e: unknown) =>
    e instanceof ConfigError && e.jsonPath === path && /no longer be a valid DICOM instance/.test(e.reason));
  refused('{"rules": [{"tag": "SOPInstanceUID", "method": "remove"}]}', '$.rules[0]');
  refused('{"removeTags": ["Rows"]}', '$.removeTags[0]');
  refused('{"rules": [{"tag": "(0008,0016)", "method": "substitute"}], "defaultSettings": {}}', '$.rules[0]');
  // Keeping, remapping or hashing a UID under the run key leaves a valid instance.
  assert.doesNotThrow(() => parseConfig('{"rules": [{"tag": "SOPInstanceUID", "method": "remapUid"}, {"tag": "SOPClassUID", "method": "keep"}]}'));
  assert.doesNotThrow(() => parseConfig('{"hashTags": ["StudyInstanceUID"]}'));
});
