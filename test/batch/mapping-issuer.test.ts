// The --mapping patient_id.csv keyed by Patient ID and its issuer (issue #22 item 5): two sites' 12345 are two rows
// with two pseudonyms, each the one in its output (verify --mapping checks it); a version-1 file (no issuer column)
// is still read; merging two shards' mappings keeps both rows; the files are readable by the owner only.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicProfilePlan } from '../../src/config/load.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { getString, newItem, newSequenceElement, newStringElement } from '../../src/dicom/values.js';
import {
  IssuerOfPatientID, IssuerOfPatientIDQualifiersSequence, PatientID, UniversalEntityID, UniversalEntityIDType,
} from '../../src/dicom/tags.generated.js';
import { runBatch, type BatchOptions } from '../../src/batch/run.js';
import { mergeShards } from '../../src/batch/merge.js';
import { shardOf } from '../../src/batch/shard.js';
import { UsageError } from '../../src/files/usage-error.js';
import { parseMappingCsv, patientIdRows, readMappingCsv, RecordError, type PatientIdRow } from '../../src/records/index.js';
import { verifyTrees } from '../../src/verify/index.js';
import { rewrite } from '../helpers/rewrite.js';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'ct', 'slice-001.dcm');
const SECRET = { kind: 'text', text: 'mapping-issuer-key-0123456789' } as const;
const PLAN = ((plan) => ({ ...plan, pixels: { ...plan.pixels, policy: 'keep' as const } }))(basicProfilePlan([]));
const QUALIFIED = 'SITE-A&2.16.840.1.113883.3.72&ISO';

/** The first name of the form `${stem}-N.dcm` that falls in shard `index` of 2 (bounded: one in two names does). */
function nameInShard(stem: string, index: number): string {
  for (let n = 0; n < 64; n++) if (shardOf(`${stem}-${n}.dcm`, 2) === index) return `${stem}-${n}.dcm`;
  throw new Error('no name in the shard');
}

let work: string;
let input: string;
/** Input name → the issuer (with qualifiers) its Patient ID 12345 comes with. */
const files = new Map<string, string>();

before(() => {
  work = mkdtempSync(join(tmpdir(), 'mapping-issuer-'));
  input = join(work, 'in');
  // SITE-A's and SITE-B's files in different shards of 2; one with SITE-A's qualifiers; one without an issuer.
  files.set(nameInShard('site-a', 0), 'SITE-A');
  files.set(nameInShard('site-b', 1), 'SITE-B');
  files.set('qualified.dcm', QUALIFIED);
  files.set('no-issuer.dcm', '');
  let uid = 0;
  for (const [name, issuer] of files) {
    rewrite(EXAMPLE, join(input, name), (file) => {
      const ds = file.dataset;
      ds.put(newStringElement(ds, PatientID, 'LO', '12345'));
      // A distinct instance each (the mapping's UID tables stay one row per file).
      ds.put(newStringElement(ds, 0x00080018, 'UI', `1.2.826.0.1.3680043.10.1337.${++uid}`));
      const [site, entity, type] = issuer.split('&');
      ds.remove(IssuerOfPatientID);
      if (site) ds.put(newStringElement(ds, IssuerOfPatientID, 'LO', site));
      if (entity) {
        const seq = newSequenceElement(IssuerOfPatientIDQualifiersSequence);
        ds.put(seq);
        const item = newItem(ds, seq);
        item.put(newStringElement(item, UniversalEntityID, 'UT', entity));
        item.put(newStringElement(item, UniversalEntityIDType, 'CS', type));
        seq.setItems([item]);
      }
    });
  }
});

after(() => rmSync(work, { recursive: true, force: true }));

const options = (name: string, extra: Partial<BatchOptions> = {}): BatchOptions => ({
  input, output: join(work, `${name}-out`), mappingDir: join(work, `${name}-map`), recursive: true, plan: PLAN, secret: SECRET, jobs: 1, log: () => {}, ...extra,
});

const patientRows = (dir: string): PatientIdRow[] => patientIdRows(readMappingCsv(join(dir, 'patient_id.csv')));

function outputPatientId(path: string): string {
  const file = readDicomFile(path);
  try {
    return getString(file.dataset, file.dataset.get(PatientID)!, file.datasetSource);
  } finally {
    file.close();
  }
}

test('one Patient ID under four issuers: four rows, four pseudonyms, each the one in its output; written 0600', async () => {
  const summary = await runBatch(options('all'));
  assert.equal(summary.failed, 0);
  const dir = join(work, 'all-map');
  assert.ok(readFileSync(join(dir, 'patient_id.csv'), 'utf8').startsWith('id_old,id_new,issuer_old\n'), 'version 2 header');
  assert.ok(readFileSync(join(dir, 'sop_uid.csv'), 'utf8').startsWith('id_old,id_new\n'), 'the UID files keep two columns');
  const rows = patientRows(dir);
  assert.deepEqual(rows.map((r) => r.old), ['12345', '12345', '12345', '12345']);
  assert.deepEqual(rows.map((r) => r.issuer).sort(), ['', 'SITE-A', QUALIFIED, 'SITE-B']);
  assert.equal(new Set(rows.map((r) => r.new)).size, 4, 'four pseudonyms');
  for (const [name, issuer] of files) {
    const row = rows.find((r) => r.issuer === issuer);
    assert.equal(outputPatientId(join(work, 'all-out', name)), row?.new, `${name}: its output carries its row's pseudonym`);
  }
  for (const name of ['patient_id.csv', 'sop_uid.csv']) assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, `${name} is the owner's only`);
});

test('merging two shards\' mappings keeps each (ID, issuer) row; the merged files are the owner\'s only', async () => {
  const reports = [0, 1].map((k) => join(work, `shard-${k}.json`));
  for (const k of [0, 1]) {
    const s = await runBatch(options(`shard-${k}`, { output: join(work, 'shards-out'), shard: { index: k, count: 2 }, reportPath: reports[k] }));
    assert.equal(s.failed, 0);
  }
  // The shards hold different patients under the one ID: SITE-A's in shard 0, SITE-B's in shard 1.
  assert.ok(patientRows(join(work, 'shard-0-map')).some((r) => r.issuer === 'SITE-A'));
  assert.ok(!patientRows(join(work, 'shard-0-map')).some((r) => r.issuer === 'SITE-B'));
  assert.ok(patientRows(join(work, 'shard-1-map')).some((r) => r.issuer === 'SITE-B'));
  const merged = join(work, 'merged-map');
  await mergeShards({ reports, mappings: [0, 1].map((k) => join(work, `shard-${k}-map`)), mappingOut: merged });
  assert.equal(readFileSync(join(merged, 'patient_id.csv'), 'utf8'), readFileSync(join(work, 'all-map', 'patient_id.csv'), 'utf8'), 'as the unsharded run');
  assert.equal(patientRows(merged).length, 4);
  assert.equal(statSync(join(merged, 'patient_id.csv')).mode & 0o777, 0o600);

  // A shard's row giving one (ID, issuer) another pseudonym is refused; the same ID under another issuer is not.
  const forged = join(work, 'forged-map');
  const siteA = patientRows(join(work, 'shard-0-map')).find((r) => r.issuer === 'SITE-A')!;
  const shard1 = join(work, 'shard-1-map', 'patient_id.csv');
  const kept = readFileSync(shard1, 'utf8');
  writeFileSync(shard1, `${kept}12345,OTHER-PSEUDONYM,SITE-A\n`);
  await assert.rejects(
    mergeShards({ reports, mappings: [0, 1].map((k) => join(work, `shard-${k}-map`)), mappingOut: forged }),
    (e: unknown) => e instanceof UsageError && /two different new values/.test(e.message) && !e.message.includes(siteA.new) && !e.message.includes('12345'),
  );
  assert.ok(!existsSync(forged), 'nothing written');
  writeFileSync(shard1, kept);
});

test('verify --mapping: every output\'s Patient ID is its (ID, issuer) row\'s pseudonym; a version-1 mapping\'s one row for 12345 is not', () => {
  const notMapped = (mapping: string): string[] => verifyTrees({ input, output: join(work, 'all-out'), mapping }).files
    .filter((f) => f.findings.some((x) => x.kind === 'patient-id-not-mapped')).map((f) => f.output).sort();
  assert.deepEqual(notMapped(join(work, 'all-map')), []);
  // What a version-1 mapping held: one row for the ID (the last pseudonym written), the others lost.
  const v1 = join(work, 'v1-map');
  mkdirSync(v1, { recursive: true });
  copyFileSync(join(work, 'all-map', 'sop_uid.csv'), join(v1, 'sop_uid.csv'));
  const kept = patientRows(join(work, 'all-map')).find((r) => r.issuer === 'SITE-B')!;
  writeFileSync(join(v1, 'patient_id.csv'), `id_old,id_new\n${kept.old},${kept.new}\n`);
  const flagged = notMapped(v1);
  assert.equal(flagged.length, 3, 'the three patients whose pseudonym the version-1 row lost');
  assert.ok(!flagged.some((f) => f.endsWith(nameInShard('site-b', 1))));
});

test('a version-1 patient_id.csv (no issuer column) is still read, as rows without an issuer; another header is refused', () => {
  const v1 = join(work, 'v1.csv');
  writeFileSync(v1, 'id_old,id_new\n12345,ANON1\n"a,b",ANON2\n');
  assert.deepEqual(patientIdRows(readMappingCsv(v1)), [{ old: '12345', issuer: '', new: 'ANON1' }, { old: 'a,b', issuer: '', new: 'ANON2' }]);
  assert.deepEqual(readMappingCsv(v1).map((r) => r.issuer), [undefined, undefined]);
  assert.throws(() => parseMappingCsv('id_old,id_new,site\n1,2,3\n', 'x.csv'), (e: unknown) => e instanceof RecordError && /x\.csv:1/.test(e.message));
  assert.throws(() => parseMappingCsv('id_old,id_new,issuer_old\n1,2\n', 'x.csv'), /x\.csv:2: .*2 field\(s\), expected 3/);
  assert.throws(() => parseMappingCsv('id_old,id_new,issuer_old\na,b,c\n', 'p.csv', { pathComponents: true }), RecordError, 'path_component.csv has two columns');
});
