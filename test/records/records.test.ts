// The run-file records (src/records): each format written by its writer and read back by its reader; files of an
// older (unversioned) build read as version 1; an unknown version, or a malformed record, refused with an error that
// names the file (and the line for JSON lines and CSV) and never a value held by the file.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultQuarantineFolder, FORMAT_VERSIONS, readAudit, readAuditElements, readFindingsReport, readMappingCsv, readRunReport,
  type AuditLine, type ReportEntry,
} from '../../src/records/index.js';
import { pairOutputs } from '../../src/verify/pairing.js';
import { recordErrorOf, SUMMARY, writeAudit, writeFindings, writeMapping, writeReport } from './helpers.js';

let work = '';
before(() => { work = mkdtempSync(join(tmpdir(), 'dicomanon-records-')); });
after(() => rmSync(work, { recursive: true, force: true }));

/** A value a file could hold that an error must never repeat. */
const PHI = 'SMITH^JOHN-MRN55501';

const ENTRIES: ReportEntry[] = [
  { input: '/in/a.dcm', output: '/out/a.dcm', status: 'ok' },
  { input: '/in/b.dcm', output: null, status: 'failed', error: 'truncated at byte 132 in (0010,0010)' },
  { input: '/in/notes.txt', output: null, status: 'skipped', note: 'not DICOM' },
  {
    input: '/in/us.dcm', output: '/out-quarantine/us.dcm', status: 'quarantined', note: 'no pixel rule matched',
    burnedIn: { status: 'quarantine', atRisk: true, reasons: ['Modality US'], rulesMatched: [], reason: 'no pixel rule matched' },
  },
  {
    input: '/in/sc.dcm', output: '/out/sc.dcm', status: 'ok', warning: 'kept at risk',
    burnedIn: {
      status: 'redacted', atRisk: true, reasons: ['Burned In Annotation YES'], rulesMatched: ['rule 1'], framesRedacted: [0, 2],
      text: { boxes: 3, kept: 1, matched: ['PatientName'] }, rectangles: [{ x: 4, y: 2, width: 30, height: 8 }, { x: 0, y: 0, width: 1.5, height: 2, frames: [2] }],
    },
  },
];

test('report: written, read back whole, with its format version', () => {
  const path = join(work, 'report.json');
  writeReport(path, ENTRIES, { ...SUMMARY, untouchedByRules: { attributes: [{ tag: '(0010,0010)', keyword: 'PatientName', files: 2 }], suggestion: 'use the profile' } });
  const report = readRunReport(path);
  assert.equal(report.formatVersion, FORMAT_VERSIONS.report);
  assert.deepEqual(report.files, ENTRIES);
  assert.equal(report.summary.untouchedByRules?.attributes[0].keyword, 'PatientName');
  // An empty run is a valid report too.
  writeReport(join(work, 'empty.json'), [], SUMMARY);
  assert.deepEqual(readRunReport(join(work, 'empty.json')).files, []);
});

test('audit: a version line, element lines and burned-in lines, read back in order', () => {
  const path = join(work, 'audit.jsonl');
  const lines: AuditLine[] = [
    { file: '/in/a.dcm', path: '(0010,0010)', keyword: 'PatientName', action: 'replace', origin: 'basic profile' },
    { file: '/in/a.dcm', burnedIn: { status: 'not-at-risk', atRisk: false, reasons: [], rulesMatched: [] } },
    { file: '/in/a.dcm', path: '(0008,1140)[0].(0008,1155)', keyword: 'ReferencedSOPInstanceUID', action: 'remapUid', origin: 'basic profile' },
  ];
  writeAudit(path, lines);
  assert.deepEqual([...readAudit(path)], lines);
  assert.deepEqual([...readAuditElements(path)], [lines[0], lines[2]]);
});

test('findings: verify\'s report, read back; a kind this build does not know is kept by name', () => {
  const path = join(work, 'findings.json');
  const report = {
    files: [
      { output: '/out/a.dcm', input: '/in/a.dcm', findings: [{ severity: 'high' as const, tagPath: '(0010,0010)', kind: 'identifying-value', message: 'a name of the original', masked: 'S…(10)' }] },
      { output: '/out/b.dcm', input: null, findings: [{ severity: 'low' as const, tagPath: '', kind: 'some-later-kind', message: 'x', masked: null }] },
    ],
    summary: { files: 2, filesWithFindings: 2, findings: 2, high: 1, medium: 0, low: 1 },
  };
  writeFindings(path, report);
  assert.deepEqual(readFindingsReport(path), { formatVersion: FORMAT_VERSIONS.findings, ...report });
});

test('mapping: header, rows sorted and deduplicated, fields with commas, quotes and newlines read back exactly', () => {
  const path = join(work, 'sop_uid.csv');
  writeMapping(path, [['1.2.3', '2.25.9'], ['a,"b"', 'x\ny'], ['1.2.3', '2.25.9'], [' spaced ', 'z']]);
  assert.deepEqual(readMappingCsv(path), [{ old: ' spaced ', new: 'z' }, { old: '1.2.3', new: '2.25.9' }, { old: 'a,"b"', new: 'x\ny' }]);
  writeMapping(join(work, 'empty.csv'), []);
  assert.deepEqual(readMappingCsv(join(work, 'empty.csv')), []);
});

test('files from before format versions (no formatVersion, no version line) are read as version 1', () => {
  const report = join(work, 'old-report.json');
  writeFileSync(report, `{"files": [\n  {"input":"/in/a.dcm","output":"/out/a.dcm","status":"ok"}],\n"summary": ${JSON.stringify(SUMMARY)}}\n`);
  assert.equal(readRunReport(report).formatVersion, 1);
  const audit = join(work, 'old-audit.jsonl');
  writeFileSync(audit, '{"file":"/in/a.dcm","path":"(0010,0010)","keyword":"PatientName","action":"replace","origin":"basic"}\n');
  assert.equal([...readAudit(audit)].length, 1);
  const findings = join(work, 'old-findings.json');
  writeFileSync(findings, JSON.stringify({ files: [], summary: { files: 0, filesWithFindings: 0, findings: 0, high: 0, medium: 0, low: 0 } }));
  assert.equal(readFindingsReport(findings).formatVersion, 1);
});

test('a newer or unknown format version is refused, naming the file (and line) and the versions', () => {
  const report = join(work, 'v2-report.json');
  writeFileSync(report, JSON.stringify({ formatVersion: 2, files: [], summary: SUMMARY }));
  const e1 = recordErrorOf(() => readRunReport(report));
  assert.equal(e1.file, report);
  assert.match(e1.message, /report .*format version 2, which this build does not read \(it reads version 1\): use a newer dicom-anonymizer/);
  const audit = join(work, 'v2-audit.jsonl');
  writeFileSync(audit, '{"formatVersion":2}\n{"file":"a","path":"(0010,0010)","keyword":"PatientName","action":"remove","origin":"x"}\n');
  const e2 = recordErrorOf(() => [...readAudit(audit)]);
  assert.deepEqual([e2.file, e2.line], [audit, 1]);
  assert.match(e2.message, /v2-audit\.jsonl:1: .*audit.*format version 2/);
  const findings = join(work, 'v0-findings.json');
  writeFileSync(findings, JSON.stringify({ formatVersion: 'one', files: [], summary: {} }));
  assert.match(recordErrorOf(() => readFindingsReport(findings)).message, /formatVersion is not a positive whole number/);
  const mapping = join(work, 'v2.csv');
  writeFileSync(mapping, 'id_old,id_new,kind\n1.2,2.25.1,sop\n');
  const e3 = recordErrorOf(() => readMappingCsv(mapping));
  assert.deepEqual([e3.file, e3.line], [mapping, 1]);
  assert.match(e3.message, /not a mapping CSV .* of format version 1 or 2: the first line is not the header id_old,id_new or id_old,id_new,issuer_old/);
});

test('malformed records are refused with the file, the line and the field, and never the value they hold', () => {
  const cases: { name: string; text: string; read: (path: string) => unknown; line: number | null; reason: RegExp }[] = [
    { name: 'not-json.json', text: `{"files": [${PHI}`, read: readRunReport, line: null, reason: /not a .*report.*: not JSON$/ },
    { name: 'status.json', text: JSON.stringify({ formatVersion: 1, files: [{ input: 'a', output: null, status: PHI }], summary: SUMMARY }), read: readRunReport, line: null, reason: /files\[0\]\.status: expected "ok" or "failed" or "skipped" or "quarantined"$/ },
    { name: 'summary.json', text: JSON.stringify({ files: [], summary: { ...SUMMARY, ok: PHI } }), read: readRunReport, line: null, reason: /summary\.ok: expected number$/ },
    { name: 'rect.json', text: JSON.stringify({ files: [{ input: 'a', output: null, status: 'ok', burnedIn: { status: 'redacted', atRisk: true, reasons: [], rulesMatched: [], rectangles: [{ x: 1, y: 1, width: -3, height: 1 }] } }], summary: SUMMARY }), read: readRunReport, line: null, reason: /files\[0\]\.burnedIn\.rectangles\[0\]\.width: too small/ },
    { name: 'audit.jsonl', text: `{"formatVersion":1}\n{"file":"a","path":"(0010,0010)","keyword":"PatientName","action":"remove","origin":"x"}\n\n{"file":"a","path":"(0010,0020)","keyword":["${PHI}"],"action":"remove","origin":"x"}\n`, read: (p) => [...readAudit(p)], line: 4, reason: /not a line of .*audit.*: keyword: expected string$/ },
    { name: 'audit-json.jsonl', text: `{"file":"a","path":"(0010,0010)","keyword":"PatientName","action":"remove","origin":"x"}\n${PHI}\n`, read: (p) => [...readAudit(p)], line: 2, reason: /: not JSON$/ },
    { name: 'findings.json', text: JSON.stringify({ files: [{ output: 'a', input: null, findings: [{ severity: PHI, tagPath: '', kind: 'x', message: '', masked: null }] }], summary: { files: 1, filesWithFindings: 1, findings: 1, high: 1, medium: 0, low: 0 } }), read: readFindingsReport, line: null, reason: /files\[0\]\.findings\[0\]\.severity: expected "high" or "medium" or "low"$/ },
    { name: 'fields.csv', text: `id_old,id_new\n1.2.3,2.25.1\n"multi\nline",2.25.2\n${PHI},2.25.3,extra\n`, read: (p) => readMappingCsv(p), line: 5, reason: /not a mapping CSV .*: 3 field\(s\), expected 2$/ },
    { name: 'empty-field.csv', text: `id_old,id_new\n${PHI},\n`, read: (p) => readMappingCsv(p), line: 2, reason: /new: too small/ },
    { name: 'headerless.csv', text: `${PHI},2.25.1\n`, read: (p) => readMappingCsv(p), line: 1, reason: /not the header id_old,id_new/ },
    { name: 'path_component.csv', text: `id_old,id_new\n${PHI},../up\n`, read: (p) => readMappingCsv(p, { pathComponents: true }), line: 2, reason: /new: not a single folder or file name$/ },
  ];
  for (const c of cases) {
    const path = join(work, c.name);
    writeFileSync(path, c.text);
    const error = recordErrorOf(() => c.read(path));
    assert.deepEqual([error.file, error.line], [path, c.line], c.name);
    assert.ok(error.message.startsWith(`${path}${c.line === null ? '' : `:${c.line}`}: `), error.message);
    assert.match(error.reason, c.reason, c.name);
    assert.ok(!error.message.includes(PHI) && !error.message.includes('SMITH'), `${c.name}: the error repeats a value: ${error.message}`);
  }
  const missing = recordErrorOf(() => readRunReport(join(work, 'absent.json')));
  assert.match(missing.message, /absent\.json: cannot be read \(ENOENT\)/);
});

test('verify reads --mapping through records: a malformed sop_uid.csv or path_component.csv is refused with file and line', () => {
  const input = join(work, 'verify-in'), output = join(work, 'verify-out'), mapping = join(work, 'verify-map');
  for (const dir of [input, output, mapping]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(mapping, 'path_component.csv'), `id_old,id_new\n${PHI},ok-name\n${PHI},../escape\n`);
  const renamed = recordErrorOf(() => pairOutputs(input, output, mapping));
  assert.deepEqual([renamed.file, renamed.line], [join(mapping, 'path_component.csv'), 3]);
  assert.ok(!renamed.message.includes(PHI));
  writeFileSync(join(mapping, 'path_component.csv'), 'id_old,id_new\n');
  writeFileSync(join(mapping, 'sop_uid.csv'), `id_old,id_new\n1.2.3,2.25.1\n${PHI}\n`);
  const sop = recordErrorOf(() => pairOutputs(input, output, mapping));
  assert.deepEqual([sop.file, sop.line], [join(mapping, 'sop_uid.csv'), 3]);
  assert.match(sop.reason, /1 field\(s\), expected 2/);
  assert.ok(!sop.message.includes(PHI));
});

test('the quarantine folder name: <input>-quarantine beside the input, trailing separators dropped; none beside a root', () => {
  assert.equal(defaultQuarantineFolder('/runs/in'), '/runs/in-quarantine');
  assert.equal(defaultQuarantineFolder('/runs/in//'), '/runs/in-quarantine');
  assert.equal(defaultQuarantineFolder('/'), null);
});
