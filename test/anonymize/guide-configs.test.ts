// The guide's four example configs (issue 14), each run as a batch over the bundled examples and a few corpus files:
// every output (delivered or quarantined) parses for dcmdump and for our reader, and keeps what makes it an instance
// (SOP Class UID unchanged, a SOP Instance UID that the file meta repeats, the Image Pixel module beside Pixel Data);
// where a group rule's mask matched a protected attribute, the audit says why it was left alone.
// The four: "AI training" and "Maximum privacy" as the issue quotes them, the profile config of the README, and
// Microsoft's default configuration.json (the configs users start from).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBatch } from '../../src/batch/run.js';
import { parseConfig } from '../../src/config/load.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { getString } from '../../src/dicom/values.js';
import { Columns, MediaStorageSOPInstanceUID, PixelData, Rows, SOPClassUID, SOPInstanceUID } from '../../src/dicom/tags.generated.js';
import { CORPUS_DIR, corpusWanted, corpusEntries, mapLimit } from '../helpers/corpus.js';
import { MS_DEFAULT_CONFIG } from '../helpers/fixtures.js';
import { requireTools, runTool, skipUnlessTools } from '../helpers/tools.js';
import { readAuditElements } from '../../src/records/index.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SECRET = { kind: 'text', text: 'guide-configs-test-key-0123456789' } as const;

const GUIDE_CONFIGS: Record<string, string> = {
  'AI training': JSON.stringify({
    rules: [
      { tag: '(0010,0010)', method: 'replace', value: 'TRAINING_CASE' },
      { tag: '(0010,0020)', method: 'hash' },
      { tag: '(0008,0080)', method: 'remove' },
    ],
  }),
  'Maximum privacy': JSON.stringify({ keepTags: ['Modality', 'StudyDate'], removeTags: ['group:0010', 'group:0008'] }),
  'PS3.15 profile with options': JSON.stringify({ profile: { name: 'basic', options: ['retainLongitudinalModifiedDates', 'retainSafePrivate'] } }),
  'Microsoft default configuration.json': readFileSync(MS_DEFAULT_CONFIG, 'utf8'),
};

let work: string;
let input: string;
/** Relative path → the original's SOP Class UID, whether it has a SOP Instance UID and Pixel Data. */
const originals = new Map<string, { sopClass: string; sop: boolean; pixels: boolean }>();

before(() => {
  work = mkdtempSync(join(tmpdir(), 'guide-configs-'));
  input = join(work, 'in');
  const add = (from: string, rel: string): void => {
    mkdirSync(dirname(join(input, rel)), { recursive: true });
    copyFileSync(from, join(input, rel));
  };
  for (const sub of ['ct', 'mr']) for (const f of readdirSync(join(REPO, 'examples', sub))) add(join(REPO, 'examples', sub, f), join('examples', sub, f));
  if (corpusWanted()) {
    // One small, cleanly readable file per corpus folder, ultrasound and secondary captures included (they are quarantined).
    const byDir = new Map<string, string>();
    for (const e of corpusEntries()) {
      const dir = e.path.split('/')[0];
      if (e.dcmdump === 'OK' && e.size < 150_000 && dir !== 'malformed' && e.meta && !byDir.has(dir)) byDir.set(dir, e.path);
    }
    for (const p of [...byDir.values()].slice(0, 10)) add(join(CORPUS_DIR, p), join('corpus', p));
  }
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const f = readDicomFile(p);
        try {
          const el = f.dataset.get(SOPClassUID);
          originals.set(relative(input, p), {
            sopClass: el ? getString(f.dataset, el, f.datasetSource) : '', sop: f.dataset.get(SOPInstanceUID) !== undefined, pixels: f.dataset.get(PixelData) !== undefined,
          });
        } finally {
          f.close();
        }
      }
    }
  };
  walk(input);
});
after(() => rmSync(work, { recursive: true, force: true }));

function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

for (const [name, config] of Object.entries(GUIDE_CONFIGS)) {
  test(`the guide's "${name}" config: every output parses and is still an instance`, { skip: skipUnlessTools('dcmdump') }, async () => {
    requireTools('dcmdump');
    const slug = name.replace(/[^A-Za-z0-9]+/g, '-');
    const output = join(work, `out-${slug}`);
    const quarantine = join(work, `q-${slug}`);
    const audit = join(work, `audit-${slug}.jsonl`);
    const summary = await runBatch({ input, output, quarantine, recursive: true, plan: parseConfig(config), secret: SECRET, jobs: 1, log: () => {}, auditPath: audit });
    assert.equal(summary.failed, 0, `${name}: no file fails`);
    const written = [...filesUnder(output).map((p) => [p, relative(output, p)]), ...filesUnder(quarantine).map((p) => [p, relative(quarantine, p)])];
    assert.equal(written.length, originals.size, 'every input is written, to the output or the quarantine');
    await mapLimit(written, 2, async ([path, rel]) => {
      const original = originals.get(rel);
      assert.ok(original, `${rel} is an input's path`);
      const dump = await runTool('dcmdump', ['-q', '-Un', path], { output: /\(0008,0016\) UI \[/ });
      // (One corpus SR has no SOP Instance UID at all: nothing to keep there.)
      if (original.sop) assert.match(dump.stdout, /\(0008,0018\) UI \[[0-9.]+\]/, `${rel}: SOP Instance UID present for dcmdump`);
      const file = readDicomFile(path);
      try {
        const text = (tag: number): string => {
          const el = file.dataset.get(tag);
          return el ? getString(file.dataset, el, file.datasetSource) : '';
        };
        assert.equal(text(SOPClassUID), original.sopClass, `${rel}: SOP Class UID kept`);
        const sop = text(SOPInstanceUID);
        assert.ok(sop !== '' || !original.sop, `${rel}: SOP Instance UID present`);
        const metaSop = file.meta?.get(MediaStorageSOPInstanceUID);
        assert.equal(metaSop ? getString(file.meta!, metaSop, file.source) : sop, sop, `${rel}: (0002,0003) = (0008,0018)`);
        if (original.pixels) assert.ok(file.dataset.get(PixelData) && file.dataset.get(Rows) && file.dataset.get(Columns), `${rel}: Image Pixel module kept`);
      } finally {
        file.close();
      }
    });
    if (name === 'Maximum privacy') {
      // group:0008 matched SOP Class and Instance UID: the audit names the attribute, why, and the rule it overrode.
      const lines = [...readAuditElements(audit)];
      const why = (path: string) => lines.filter((l) => l.path === path);
      assert.ok(why('(0008,0016)').length === originals.size && why('(0008,0016)').every((l) => l.action === 'keep' && /^protected: SOP Class UID .*; not config\.removeTags\[1\]/.test(l.origin)));
      assert.ok(why('(0008,0018)').length > 0 && why('(0008,0018)').every((l) => l.action === 'remapUid' && /^protected: .*remapped instead.*; not config\.removeTags\[1\]/.test(l.origin)));
    }
  });
}
