// Property: any valid record, written by its writer, is read back by its reader as it was (report, audit, findings,
// mapping CSV, path components), whatever its strings hold: quotes, commas, newlines, controls, any Unicode.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  BURNED_IN_STATUSES, FILE_STATUSES, formatMappingCsv, PATIENT_ID_HEADER, patientIdRows, readAudit, readFindingsReport, readMappingCsv, readRunReport, SEVERITIES,
  type AuditLine, type BurnedInRecord, type ReportEntry, type RunSummary,
} from '../../src/records/index.js';
import type { Rectangle } from '../../src/geometry/rectangle.js';
import { recordErrorOf, writeAudit, writeFindings, writeMapping, writeReport } from './helpers.js';

let work = '';
before(() => { work = mkdtempSync(join(tmpdir(), 'dicomanon-records-prop-')); });
after(() => rmSync(work, { recursive: true, force: true }));

const RUNS = { numRuns: 60 };
/** What a generated value reads back as: fast-check may build objects without a prototype; a reader builds plain ones. */
const plain = <T>(value: T): T => structuredClone(value);
/** Any string of whole code points (lone surrogates cannot be written as UTF-8 text, and the tool never makes one). */
const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const anyText = fc.oneof(text, fc.string({ unit: 'binary-ascii', maxLength: 12 }));
const count = fc.nat({ max: 1_000_000 });
const amount = fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true });
const frames = fc.array(fc.nat({ max: 5000 }), { maxLength: 4 });

const rectangle: fc.Arbitrary<Rectangle> = fc.record(
  { x: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => (Object.is(v, -0) ? 0 : v)), y: fc.integer({ min: -10, max: 4096 }), width: amount, height: fc.nat(4096), frames },
  { requiredKeys: ['x', 'y', 'width', 'height'] },
);

const burnedIn: fc.Arbitrary<BurnedInRecord> = fc.record(
  {
    status: fc.constantFrom(...BURNED_IN_STATUSES), atRisk: fc.boolean(), reasons: fc.array(anyText, { maxLength: 3 }), rulesMatched: fc.array(anyText, { maxLength: 3 }),
    reason: anyText, framesRedacted: frames, text: fc.record({ boxes: count, kept: count, matched: fc.array(text, { maxLength: 3 }) }),
    rectangles: fc.array(rectangle, { maxLength: 3 }),
  },
  { requiredKeys: ['status', 'atRisk', 'reasons', 'rulesMatched'] },
);

const entry: fc.Arbitrary<ReportEntry> = fc.record(
  { input: anyText, output: fc.option(anyText, { nil: null }), status: fc.constantFrom(...FILE_STATUSES), error: anyText, note: anyText, warning: anyText, burnedIn },
  { requiredKeys: ['input', 'output', 'status'] },
);

const summary: fc.Arbitrary<RunSummary> = fc.record(
  {
    ok: count, failed: count, skipped: count, quarantined: count, quarantineReasons: fc.array(fc.record({ reason: anyText, files: count }), { maxLength: 3 }),
    quarantineFolder: fc.option(anyText, { nil: null }), bytesIn: amount, bytesOut: amount, seconds: amount, filesPerSecond: amount, megabytesPerSecond: amount,
    jobs: count, layout: fc.constantFrom('mirror', 'study'), dryRun: fc.boolean(), shard: fc.option(text, { nil: null }), stoppedEarly: fc.boolean(),
    untouchedByRules: fc.record({ attributes: fc.array(fc.record({ tag: text, keyword: text, files: count }), { maxLength: 3 }), suggestion: anyText }),
  },
  { requiredKeys: ['ok', 'failed', 'skipped', 'quarantined', 'quarantineReasons', 'quarantineFolder', 'bytesIn', 'bytesOut', 'seconds', 'filesPerSecond', 'megabytesPerSecond', 'jobs', 'layout', 'dryRun', 'shard', 'stoppedEarly'] },
);

test('any report round-trips through ReportWriter and readRunReport', () => {
  const path = join(work, 'report.json');
  fc.assert(fc.property(fc.array(entry, { maxLength: 5 }), summary, (entries, s) => {
    writeReport(path, entries, s);
    const read = readRunReport(path);
    assert.deepEqual(read.files, plain(entries));
    assert.deepEqual(read.summary, plain(s));
  }), RUNS);
});

const auditLine: fc.Arbitrary<AuditLine> = fc.oneof(
  fc.record({ file: anyText, path: anyText, keyword: anyText, action: anyText, origin: anyText }),
  fc.record({ file: anyText, burnedIn }),
);

test('any audit round-trips through AuditWriter and readAudit', () => {
  const path = join(work, 'audit.jsonl');
  fc.assert(fc.property(fc.array(auditLine, { maxLength: 6 }), (lines) => {
    writeAudit(path, lines);
    assert.deepEqual([...readAudit(path)], plain(lines));
  }), RUNS);
});

const finding = fc.record({ severity: fc.constantFrom(...SEVERITIES), tagPath: anyText, kind: anyText, message: anyText, masked: fc.option(anyText, { nil: null }) });
const findingsReport = fc.record({
  files: fc.array(fc.record({ output: anyText, input: fc.option(anyText, { nil: null }), findings: fc.array(finding, { maxLength: 3 }) }), { maxLength: 4 }),
  summary: fc.record({ files: count, filesWithFindings: count, findings: count, high: count, medium: count, low: count }),
});

test('any findings report round-trips through formatFindingsReport and readFindingsReport', () => {
  const path = join(work, 'findings.json');
  fc.assert(fc.property(findingsReport, (report) => {
    writeFindings(path, report);
    const { formatVersion, ...read } = readFindingsReport(path);
    assert.equal(formatVersion, 1);
    assert.deepEqual(read, plain(report));
  }), RUNS);
});

/** Sorted by old then new value, each distinct row once: what a mapping CSV holds. */
const canonical = (rows: readonly (readonly [string, string])[]): { old: string; new: string }[] =>
  [...new Map(rows.map(([o, n]) => [`${o}\0${n}`, { old: o, new: n }])).values()].sort((a, b) => (a.old < b.old ? -1 : a.old > b.old ? 1 : a.new < b.new ? -1 : a.new > b.new ? 1 : 0));

test('any mapping round-trips through formatMappingCsv and readMappingCsv (sorted, deduplicated)', () => {
  const path = join(work, 'mapping.csv');
  const value = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }), fc.constantFrom('a,b', '"q"', 'x\r\ny', '\r', ' '));
  fc.assert(fc.property(fc.array(fc.tuple(value, value), { maxLength: 8 }), (rows) => {
    writeMapping(path, rows);
    assert.deepEqual(readMappingCsv(path), canonical(rows));
  }), RUNS);
});

test('any patient_id.csv (version 2: ID, pseudonym, issuer, the issuer possibly empty) round-trips, one row per ID and issuer', () => {
  const path = join(work, 'patient_id.csv');
  const value = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }), fc.constantFrom('a,b', '"q"', 'x\r\ny', ' '));
  const issuer = fc.oneof(fc.constant(''), value, fc.constant('SITE-A&2.16.840.1.113883.3.72&ISO'));
  fc.assert(fc.property(fc.array(fc.tuple(value, value, issuer), { maxLength: 8 }), (rows) => {
    writeFileSync(path, formatMappingCsv(rows, false, PATIENT_ID_HEADER));
    // Sorted by ID, then pseudonym, then issuer; each distinct row once.
    const byFields = (a: readonly string[], b: readonly string[]): number => {
      const i = a.findIndex((f, k) => f !== b[k]);
      return i < 0 ? 0 : a[i] < b[i] ? -1 : 1;
    };
    const expected = [...new Map(rows.map((r) => [r.join('\0'), r])).values()].sort(byFields);
    assert.deepEqual(patientIdRows(readMappingCsv(path)), expected.map(([old, fresh, who]) => ({ old, issuer: who, new: fresh })));
  }), RUNS);
});

test('path components: any single name round-trips; a name with a separator, "." or ".." is refused with its line', () => {
  const path = join(work, 'path_component.csv');
  const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).filter((n) => n !== '.' && n !== '..' && !/[/\\\0]/.test(n));
  fc.assert(fc.property(fc.array(fc.tuple(name, name), { maxLength: 6 }), (rows) => {
    writeMapping(path, rows);
    assert.deepEqual(readMappingCsv(path, { pathComponents: true }), canonical(rows));
  }), RUNS);
  fc.assert(fc.property(name, fc.constantFrom('.', '..', 'a/b', 'a\\b', '/'), (good, bad) => {
    writeMapping(path, [[good, bad]]);
    const error = recordErrorOf(() => readMappingCsv(path, { pathComponents: true }));
    assert.equal(error.line, 2);
  }), { numRuns: 20 });
});
