// The corpus's malformed/ files against what dcmtk and pydicom do with them (MANIFEST.md's table; pydicom is not
// installed here, so its column is taken as the MANIFEST states it): a file that either reads is read here too unless
// it is truncated inside a value. What we read has the same top-level elements as dcmdump's dump (of the input when
// dcmdump reads it, else of our output), names its repairs, and anonymizes into a file that needs none and that
// dcmdump and dciodvfy read to the end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/build.js';
import { DicomParseError } from '../../src/dicom/errors.js';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { formatTag } from '../../src/dicom/tag.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { CORPUS_DIR, corpusSkip } from '../helpers/corpus.js';
import { requireTools, runTool, skipUnlessTools } from '../helpers/tools.js';

interface ManifestRow { name: string; dcmdump: string; pydicom: string; note: string }

/** The malformed/ rows of MANIFEST.md's table of intentional quirks. */
function manifestRows(): ManifestRow[] {
  const rows: ManifestRow[] = [];
  for (const line of readFileSync(join(CORPUS_DIR, 'MANIFEST.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const m = /^`malformed\/(.+)`$/.exec(cells[1] ?? '');
    if (m && cells[2]?.startsWith('INTENTIONAL')) rows.push({ name: m[1], dcmdump: cells[3], pydicom: cells[5], note: cells[6] });
  }
  return rows;
}

/** Truncated inside a value (or a length runs past the end): still refused, as the issue says. */
const TRUNCATED_IN_A_VALUE = /truncated|runs past|beyond EOF|cut/;
/**
 * 2 KiB of random bytes after "DICM": the MANIFEST says pydicom reads it (as a run of junk elements, no meta, no SOP
 * class); there is no data set to anonymize, so it is refused here.
 */
const RANDOM_BYTES = new Set(['garbage_after_DICM.dcm']);
/** Which repair each file needs (one note must match). */
const EXPECTED_REPAIR: Record<string, RegExp> = {
  'bad_vr_code.dcm': /^unknown VR "ZZ" read as the dictionary's VR with a 16-bit length: \(0010,0010\)$/,
  'corrupt_item_tag.dcm': /^item delimiter \(FFFE,E00D\) in place of an item tag read as an item: \(0008,1111\)$/,
  'odd_length_PN.dcm': /^odd value length padded to even: \(0010,0010\)$/,
  'meta_group_length_wrong.dcm': /^\(0002,0000\) group length wrong by 40 byte\(s\): recomputed$/,
  'no_preamble_no_DICM.dcm': /^no 128-byte preamble and no "DICM" prefix$/,
  'no_preamble_starts_DICM.dcm': /^no 128-byte preamble before "DICM"$/,
};

/**
 * The top-level tags of a dcmdump but group 0002, in order. Taken from the meta section too: with a group length too
 * large (meta_group_length_wrong.dcm), dcmdump lists the data set's first elements there.
 */
function dumpedTags(dump: string): string[] {
  // Delimiters (the end of encapsulated Pixel Data) are framing, not elements.
  return [...dump.matchAll(/^\(([0-9a-f]{4}),([0-9a-f]{4})\) /gm)].filter((m) => m[1] !== 'fffe' && m[1] !== '0002').map((m) => `(${m[1]},${m[2]})`.toUpperCase());
}

const ourTags = (file: DicomFile): string[] => file.dataset.elements.map((el) => formatTag(el.tag));

test('malformed/: what dcmtk or pydicom reads is read, and matches dcmdump element for element', { skip: corpusSkip() || skipUnlessTools('dcmdump', 'dciodvfy') }, async () => {
  requireTools('dcmdump', 'dciodvfy');
  const rows = manifestRows();
  assert.ok(rows.length >= 16, `the MANIFEST lists the malformed files (${rows.length})`);
  const work = mkdtempSync(join(tmpdir(), 'malformed-'));
  const readHere: string[] = [];
  try {
    for (const row of rows) {
      const path = join(CORPUS_DIR, 'malformed', row.name);
      const othersRead = row.dcmdump !== 'FAIL' || row.pydicom === 'OK';
      const mustRead = othersRead && !TRUNCATED_IN_A_VALUE.test(row.note) && !RANDOM_BYTES.has(row.name);
      let file: DicomFile;
      try {
        file = readDicomFile(path);
      } catch (error) {
        assert.ok(error instanceof DicomParseError, `${row.name}: a DicomParseError, not ${(error as Error).name}`);
        assert.ok(!mustRead, `${row.name}: ${othersRead ? 'dcmtk or pydicom reads it' : ''} but we refused it: ${error.message}`);
        continue;
      }
      readHere.push(row.name);
      try {
        assert.ok(!TRUNCATED_IN_A_VALUE.test(row.note), `${row.name} is truncated inside a value, yet it was read`);
        const expected = EXPECTED_REPAIR[row.name];
        if (expected) assert.ok(file.repairs?.some((n) => expected.test(n)), `${row.name}: repairs ${JSON.stringify(file.repairs)}`);
        const tags = ourTags(file);
        new Anonymizer(basicProfilePlan([]), Keys.fromSecret('malformed-corpus-key-0123456789')).anonymizeFile(file);
        const out = join(work, row.name);
        writeDicomFile(file, out);
        const reread = readDicomFile(out);
        try {
          assert.deepEqual(reread.repairs, [], `${row.name}: the anonymized output needs no repair`);
        } finally {
          reread.close();
        }
        const outputDump = await runTool('dcmdump', ['-q', out], { output: /# Dicom-Data-Set/ });
        assert.doesNotMatch(outputDump.stderr, /^E: /m, `${row.name}: dcmdump reads the output`);
        // dciodvfy reads it to the end too (its IOD findings are the input's own: not judged here).
        const iod = await runTool('dciodvfy', ['-new', out], { codes: [0, 1] });
        assert.doesNotMatch(iod.stdout + iod.stderr, /dataset read failed|Bad Value Length|Seek failed/, `${row.name}: dciodvfy reads the output`);
        // The comparison: dcmdump's reading of the input when it has one, else of what we wrote (unchanged tags).
        const reference = row.dcmdump === 'FAIL' ? dumpedTags(outputDump.stdout) : dumpedTags((await runTool('dcmdump', ['-q', path])).stdout);
        const reading = row.dcmdump === 'FAIL' ? ourTags(file) : tags;
        assert.deepEqual([...new Set(reading)].sort(), [...new Set(reference)].sort(), `${row.name}: the same top-level elements as dcmdump`);
      } finally {
        file.close();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`malformed/: read ${readHere.length} of ${rows.length}: ${readHere.join(', ')}`);
  for (const name of Object.keys(EXPECTED_REPAIR)) assert.ok(readHere.includes(name), `${name} is read`);
});
