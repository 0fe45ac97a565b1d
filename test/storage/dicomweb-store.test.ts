// The DICOMweb store's pure parts (src/storage/dicomweb/): the names it gives instances (positions in UID order, no
// UID, the same whatever order the server lists them in), the streaming reader of one WADO-RS part (the part's bytes
// whatever the chunking; a typed error for a truncated answer or a part that is not DICOM), the dicomweb+http(s)://
// location, and the batch's refusals for a DICOMweb side. The store against a real server: test/net/dicomweb.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runStoredBatch } from '../../src/batch/stored-run.js';
import { buildPlan } from '../../src/config/build.js';
import { UsageError } from '../../src/files/usage-error.js';
import { firstPartBody, MultipartError, boundaryOf } from '../../src/storage/dicomweb/multipart.js';
import { compareUids, nameInstances, type StudyTree } from '../../src/storage/dicomweb/names.js';
import { multipartDicom } from '../../src/storage/dicomweb/stow.js';
import { isStorageUrl, parseLocation } from '../../src/storage/location.js';

const uid = fc.array(fc.integer({ min: 0, max: 99_999 }), { minLength: 3, maxLength: 8 }).map((c) => ['1', '2', ...c.map(String)].join('.'));

/** study → series → instances, with repeats (a server may list one twice; --study and --qido may both name a study). */
const treeArbitrary = fc.array(fc.tuple(uid, fc.array(fc.tuple(uid, fc.array(uid, { minLength: 1, maxLength: 12 })), { minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 4 });

function toTree(entries: [string, [string, string[]][]][]): StudyTree {
  const tree = new Map<string, Map<string, string[]>>();
  for (const [study, series] of entries) {
    const s = tree.get(study) ?? new Map<string, string[]>();
    for (const [se, instances] of series) s.set(se, [...(s.get(se) ?? []), ...instances]);
    tree.set(study, s);
  }
  return tree;
}

/** The same tree listed in another order (each level reversed). */
const reversed = (tree: StudyTree): StudyTree => new Map([...tree].reverse().map(([s, series]) => [s, new Map([...series].reverse().map(([se, i]) => [se, [...i].reverse()]))]));

test('names: one per instance, in name order, positions in UID order, no UID, the same whatever the listing order', () => {
  fc.assert(fc.property(treeArbitrary, (entries) => {
    const tree = toTree(entries);
    const named = nameInstances(tree);
    const expected = [...tree].reduce((n, [, series]) => n + [...series].reduce((m, [, i]) => m + new Set(i).size, 0), 0);
    assert.equal(named.length, expected);
    const names = named.map((n) => n.name);
    assert.equal(new Set(names).size, names.length, 'names are unique');
    assert.deepEqual([...names].sort(), names, 'listed in name order');
    const uids = new Set(entries.flatMap(([s, series]) => [s, ...series.flatMap(([se, i]) => [se, ...i])]));
    for (const name of names) {
      assert.match(name, /^study-\d{4,}\/series-\d{4,}\/instance-\d{6,}\.dcm$/);
      for (const u of uids) assert.ok(!name.includes(u), 'a name holds a UID');
    }
    // The same instance gets the same name from another listing order (the shard rule and --skip-existing need it).
    assert.deepEqual(nameInstances(reversed(tree)), named);
    // Positions follow the UIDs' order within each series.
    const bySeries = new Map<string, string[]>();
    for (const n of named) bySeries.set(`${n.place.study}/${n.place.series}`, [...(bySeries.get(`${n.place.study}/${n.place.series}`) ?? []), n.place.instance]);
    for (const instances of bySeries.values()) assert.deepEqual(instances, [...instances].sort(compareUids));
  }), { numRuns: 150 });
});

test('UID order: numeric component by component, a total order', () => {
  assert.ok(compareUids('1.2.9', '1.2.10') < 0);
  assert.ok(compareUids('1.2', '1.2.0') < 0);
  assert.equal(compareUids('1.2.3', '1.2.3'), 0);
  // Also on values that are not UIDs (an archive may list such): still a total order, so names stay stable.
  const anyUid = fc.oneof(uid, fc.string({ maxLength: 20 }));
  fc.assert(fc.property(anyUid, anyUid, anyUid, (a, b, c) => {
    assert.equal(Math.sign(compareUids(a, b)) + Math.sign(compareUids(b, a)), 0, 'antisymmetric');
    assert.equal(compareUids(a, b) === 0, a === b);
    if (compareUids(a, b) <= 0 && compareUids(b, c) <= 0) assert.ok(compareUids(a, c) <= 0, 'transitive');
  }), { numRuns: 500 });
});

/** A Part 10 file's bytes: preamble, DICM, then anything. */
const part10 = fc.uint8Array({ minLength: 0, maxLength: 2000 }).map((rest) => Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), rest]));

/** `body` cut into chunks at the given points. */
function* chunked(body: Buffer, cuts: number[]): Generator<Buffer> {
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b)) {
    yield body.subarray(at, cut);
    at = cut;
  }
  yield body.subarray(at);
}

async function collect(parts: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const p of parts) out.push(p);
  return Buffer.concat(out);
}

test('one WADO-RS part, streamed: its bytes whatever the chunking; a typed error when cut short or not DICOM', async () => {
  await fc.assert(fc.asyncProperty(part10, fc.array(fc.nat(), { maxLength: 12 }), async (instance, cuts) => {
    const { body, contentType } = multipartDicom([instance]);
    const boundary = boundaryOf(contentType)!;
    const got = await collect(firstPartBody(chunked(body, cuts), boundary));
    assert.ok(got.equals(instance));
    // Cut anywhere before the closing delimiter: MultipartError, never a short part passed on as whole.
    const end = body.length - `\r\n--${boundary}--\r\n`.length;
    const at = cuts.length > 0 ? cuts[0] % end : end >> 1;
    await assert.rejects(collect(firstPartBody(chunked(body.subarray(0, at), cuts), boundary)), MultipartError);
  }), { numRuns: 150 });
  const notDicom = multipartDicom([Buffer.from('<html>no such instance</html>'.padEnd(300, ' '))]);
  await assert.rejects(collect(firstPartBody([notDicom.body], boundaryOf(notDicom.contentType)!)), /not a DICOM Part 10 file/);
  const empty = Buffer.from('--b--\r\n');
  await assert.rejects(collect(firstPartBody([empty], 'b')), /no part/);
  const html = Buffer.from(`--b\r\nContent-Type: text/html\r\n\r\n${'x'.repeat(200)}\r\n--b--\r\n`);
  await assert.rejects(collect(firstPartBody([html], 'b')), /not application\/dicom/);
});

test('dicomweb+http(s):// locations: a store, its http(s) root; user info and queries refused', () => {
  assert.ok(isStorageUrl('dicomweb+https://pacs.example.org/dicom-web'));
  assert.deepEqual(parseLocation('dicomweb+http://127.0.0.1:8042/dicom-web/'), { kind: 'dicomweb', baseUrl: 'http://127.0.0.1:8042/dicom-web', url: 'dicomweb+http://127.0.0.1:8042/dicom-web' });
  assert.throws(() => parseLocation('dicomweb+https://user:secret@pacs.example.org/dicom-web'), (e: Error) => e instanceof UsageError && !e.message.includes('secret'));
  assert.throws(() => parseLocation('dicomweb+http://127.0.0.1:8042/dicom-web?StudyDate=2024'), /--qido/);
});

test('the batch refuses, before any request: a DICOMweb output without --quarantine, a run file to DICOMweb, --study without a DICOMweb input, one root in and out', async () => {
  const { plan } = await buildPlan({ options: [], pixelRuleFiles: [] });
  const base = { recursive: true, plan, secret: { kind: 'bytes' as const, bytes: Buffer.alloc(32, 7) }, jobs: 1 };
  // Port 9 (discard) on loopback is never asked: each refusal comes first.
  const web = 'dicomweb+http://127.0.0.1:9/dicom-web';
  await assert.rejects(runStoredBatch({ ...base, input: 'examples', output: web }), /DICOMweb output needs --quarantine/);
  await assert.rejects(runStoredBatch({ ...base, input: web, output: 's3://bucket/out', dicomweb: { studies: ['1.2.3'] } }), /DICOMweb input needs --quarantine/);
  await assert.rejects(runStoredBatch({ ...base, input: 'examples', output: 'out', reportPath: web }), /--report cannot be a DICOMweb location/);
  await assert.rejects(runStoredBatch({ ...base, input: 'examples', output: 'out', dicomweb: { studies: ['1.2.3'] } }), /--study and --qido need a DICOMweb input/);
  // The same DICOMweb root in and out: refused, as the output folder may not be the input folder.
  await assert.rejects(runStoredBatch({ ...base, input: web, output: `${web}/`, quarantine: 'q', dicomweb: { studies: ['1.2.3'] } }), /must not be the input/);
});
