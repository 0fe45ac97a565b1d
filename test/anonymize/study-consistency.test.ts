// A study spread over files, anonymized by two separate Anonymizer instances with the same key (as two workers or
// two runs would): one new Study UID per study, one Series UID per series, Frame of Reference UIDs consistent,
// every Referenced SOP Instance UID (at any depth) pointing at the new UID of the file it referenced, file meta in
// agreement with the dataset, and dcentvfy finding no inconsistency in the outputs that it did not find in the inputs.
// Sets: multi-series folders of dcm_qa_nih (Siemens, GE) and dcm_qa_philips from ../shared/corpus, and examples/
// (scripts/make-examples.ts: two patients, CT and MR series with cross references) when present.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { elementPath, type DataSet } from '../../src/dicom/dataset.js';
import { makeTag, type Tag } from '../../src/dicom/tag.js';
import { getString } from '../../src/dicom/values.js';
import { isStandardUid } from '../../src/dicom/uid-registry.js';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/load.js';
import { CORPUS_DIR, corpusSkip } from '../helpers/corpus.js';
import { requireTools, runTool, skipUnlessTools } from '../helpers/tools.js';
import { keyedUid } from '../helpers/keyed.js';

const KEY = 'study-consistency-test-key-0123456789';
const here = dirname(fileURLToPath(import.meta.url));
const EXAMPLES = resolve(here, '..', '..', 'examples');

const TAG = {
  sopInstance: makeTag(0x0008, 0x0018), study: makeTag(0x0020, 0x000d), series: makeTag(0x0020, 0x000e),
  frameOfReference: makeTag(0x0020, 0x0052), referencedSopInstance: makeTag(0x0008, 0x1155), mediaSopInstance: makeTag(0x0002, 0x0003),
};

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (!name.endsWith('.md')) out.push(path);
  }
  return out;
}

const text = (ds: DataSet, tag: Tag): string => {
  const el = ds.get(tag);
  return el && el.items === null ? getString(ds, el) : '';
};

/** Every Referenced SOP Instance UID value at any depth, by tag path (and value index). */
function references(ds: DataSet, into = new Map<string, string>()): Map<string, string> {
  for (const el of ds.elements) {
    if (el.items) el.items.forEach((item) => references(item, into));
    else if (el.tag === TAG.referencedSopInstance) {
      getString(ds, el).split('\\').forEach((v, i) => { if (v !== '') into.set(`${elementPath(ds, el)}#${i}`, v); });
    }
  }
  return into;
}

interface Facts { study: string; series: string; frame: string; sop: string; meta: string; refs: Map<string, string> }

function facts(file: DicomFile): Facts {
  const ds = file.dataset;
  return {
    study: text(ds, TAG.study), series: text(ds, TAG.series), frame: text(ds, TAG.frameOfReference), sop: text(ds, TAG.sopInstance),
    meta: file.meta ? text(file.meta, TAG.mediaSopInstance) : '', refs: references(ds),
  };
}

/**
 * dcentvfy messages with each file path replaced by its position in the list, so inputs and outputs compare.
 * dcentvfy prints nothing for a consistent set, so the probe in requireTools (a duplicated file must be reported)
 * is what shows that it works; here the exit status must be 0 (consistent) or 1 (messages).
 */
async function dcentvfy(paths: string[]): Promise<string[]> {
  const { stdout, stderr } = await runTool('dcentvfy', paths, { codes: [0, 1], output: null, timeoutMs: 120_000 });
  const index = new Map(paths.map((p, i) => [p, i]));
  return (stdout + '\n' + stderr).split('\n').filter((l) => /^(Error|Warning)/.test(l))
    .map((l) => l.replace(/<([^<>]+)>/g, (whole, p: string) => (index.has(p) ? `<#${index.get(p)}>` : whole)));
}

/** A one-to-one old → new mapping: each old value has one new value, distinct old values have distinct new ones. */
function assertBijection(label: string, pairs: Array<[string, string]>, setName: string): number {
  const forward = new Map<string, Set<string>>();
  for (const [a, b] of pairs) {
    if (a === '') continue;
    assert.notEqual(b, a, `${setName}: ${label} was not remapped`);
    (forward.get(a) ?? forward.set(a, new Set()).get(a)!).add(b);
  }
  const news = new Set<string>();
  for (const targets of forward.values()) {
    assert.equal(targets.size, 1, `${setName}: one ${label} became several`);
    news.add([...targets][0]);
  }
  assert.equal(news.size, forward.size, `${setName}: two ${label}s became one`);
  return forward.size;
}

const SETS: Array<{ name: string; dir: string }> = [
  { name: 'dcm_qa_nih/20180918Si', dir: join(CORPUS_DIR, 'dcm_qa_nih', '20180918Si') },
  { name: 'dcm_qa_nih/20180918GE', dir: join(CORPUS_DIR, 'dcm_qa_nih', '20180918GE') },
  { name: 'dcm_qa_philips/Magdeburg_2014', dir: join(CORPUS_DIR, 'dcm_qa_philips', 'Magdeburg_2014') },
  { name: 'dcm_qa_philips/Vanderbilt_2018', dir: join(CORPUS_DIR, 'dcm_qa_philips', 'Vanderbilt_2018') },
  { name: 'examples', dir: EXAMPLES },
];

for (const set of SETS) {
  const missing = set.name === 'examples'
    ? !existsSync(join(EXAMPLES, 'ct')) && `${EXAMPLES}/ct not present (npm run examples)`
    : corpusSkip() || (!existsSync(set.dir) && `${set.dir} not present in the corpus`);
  test(`study consistency over ${set.name}, two Anonymizer instances, one key`, { skip: missing || skipUnlessTools('dcentvfy') }, async () => {
    requireTools('dcentvfy');
    const inputs = filesUnder(set.dir);
    assert.ok(inputs.length >= 2);
    const out = mkdtempSync(join(tmpdir(), 'dicom-study-'));
    const workers = [0, 1].map(() => new Anonymizer(basicProfilePlan([]), Keys.fromSecret(KEY)));
    const outputs: string[] = [];
    const before: Facts[] = [], after: Facts[] = [];
    try {
      inputs.forEach((input, i) => {
        const file = readDicomFile(input);
        try {
          before.push(facts(file));
          workers[i % 2].anonymizeFile(file);
          const output = join(out, relative(set.dir, input).replace(/[\\/]/g, '__'));
          writeDicomFile(file, output);
          outputs.push(output);
        } finally {
          file.close();
        }
        const written = readDicomFile(outputs[i]);
        after.push(facts(written));
        written.close();
      });

      const zip = (k: 'study' | 'series' | 'frame' | 'sop'): Array<[string, string]> => before.map((b, i) => [b[k], after[i][k]]);
      const studies = assertBijection('Study Instance UID', zip('study'), set.name);
      const series = assertBijection('Series Instance UID', zip('series'), set.name);
      assertBijection('Frame of Reference UID', zip('frame'), set.name);
      assertBijection('SOP Instance UID', zip('sop'), set.name);
      assert.ok(studies >= 1 && series >= 1);

      const newSop = new Map(before.map((b, i) => [b.sop, after[i].sop]));
      let internal = 0, kept = 0;
      before.forEach((b, i) => {
        assert.equal(after[i].meta, after[i].sop, `${set.name}: (0002,0003) of ${relative(set.dir, inputs[i])} differs from (0008,0018)`);
        // A reference may go with its sequence (Referenced Study Sequence is X at the top level); those that stay
        // are at the same path.
        for (const [path, now] of after[i].refs) {
          const old = b.refs.get(path);
          assert.ok(old !== undefined, `${set.name}: a reference appeared at ${path}`);
          if (isStandardUid(old)) assert.equal(now, old);
          else if (newSop.has(old)) {
            internal++;
            assert.equal(now, newSop.get(old), `${set.name}: a reference in ${relative(set.dir, inputs[i])} does not point at the new UID of the file it referenced`);
          } else {
            assert.equal(now, keyedUid(KEY, old), 'a reference outside the set is remapped with the same key');
          }
          kept++;
        }
      });

      const [inputReport, outputReport] = [await dcentvfy(inputs), await dcentvfy(outputs)];
      const known = new Set(inputReport);
      const fresh = outputReport.filter((l) => !known.has(l));
      assert.deepEqual(fresh, [], `${set.name}: dcentvfy finds inconsistencies in the outputs that the inputs did not have`);
      console.log(`${set.name}: ${inputs.length} files, ${studies} studies, ${series} series, ${kept} references kept, ${internal} of them to files of the set; ` +
        `dcentvfy ${inputReport.length} messages before, ${outputReport.length} after`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}
