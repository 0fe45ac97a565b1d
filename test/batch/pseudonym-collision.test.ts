// Patient pseudonyms do not merge patients: 30,000 distinct generated Patient IDs give 30,000 distinct ANON + 20
// digit pseudonyms, and a collision forced by brute force at a truncated width fails the later file (in input
// order), removes its output and never names either original value.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVICE_PSEUDONYM_DIGITS, Keys, PATIENT_PSEUDONYM_DIGITS } from '../../src/anonymize/keys.js';
import { MappingCollector, PSEUDONYM_COLLISION } from '../../src/batch/mapping.js';
import { OutcomeLedger, type Slot } from '../../src/batch/ledger.js';
import type { ReportEntry } from '../../src/records/index.js';

const keys = Keys.fromSecret('pseudonym-collision-test-key-0123456789');

test('30,000 distinct Patient IDs give 30,000 distinct ANON + 20 digit pseudonyms', () => {
  const seen = new Map<string, string>();
  for (let i = 0; i < 30_000; i++) {
    const id = `MRN${String(i).padStart(7, '0')}`; // near-identical IDs: the worst case for a weak derivation
    const p = keys.pseudonym('patient', id, 'ANON');
    assert.match(p, /^ANON\d{20}$/);
    assert.equal(seen.get(p) ?? id, id, 'two patients got the same pseudonym');
    seen.set(p, id);
  }
  assert.equal(seen.size, 30_000);
  assert.equal(PATIENT_PSEUDONYM_DIGITS, 20);
  assert.equal(`DEV${'0'.repeat(DEVICE_PSEUDONYM_DIGITS)}`.length, 16, 'a device pseudonym fills AE (16) exactly');
  assert.match(keys.pseudonym('device', 'CT_SCANNER_1', 'DEV', DEVICE_PSEUDONYM_DIGITS), /^DEV\d{13}$/);
});

/** Two different IDs with one pseudonym at 3 digits (1,000 values: found within a few dozen tries). */
function collidingPair(): [string, string, string] {
  const byPseudonym = new Map<string, string>();
  for (let i = 0; ; i++) {
    const id = `PAT-${i}`;
    const p = keys.pseudonym('patient', id, 'ANON', 3);
    const other = byPseudonym.get(p);
    if (other !== undefined) return [other, id, p];
    byPseudonym.set(p, id);
  }
}

test('a forced collision fails the later file in input order, removes its output and names no value', () => {
  const [first, second, shared] = collidingPair();
  assert.notEqual(first, second);
  const dir = mkdtempSync(join(tmpdir(), 'collision-'));
  try {
    const outs = ['a.dcm', 'b.dcm', 'c.dcm'].map((n) => join(dir, n));
    for (const o of outs) writeFileSync(o, 'x');
    const slots: Slot[] = outs.map((o, index) => ({ kind: 'file', size: 1, task: { index, input: `/in/${index}.dcm`, relativePath: `${index}.dcm`, target: o } }));
    const report: ReportEntry[] = [];
    const logged: string[] = [];
    const mapping = new MappingCollector(false);
    const ledger = new OutcomeLedger(slots, { report: { add: (e) => report.push(e) }, mapping, log: (m) => logged.push(m) });
    const outcome = (index: number, old: string) => ({
      index, status: 'ok' as const, output: outs[index], bytesIn: 1, bytesOut: 1,
      ids: { patientIds: [{ old, issuer: '', new: shared }], study: null, series: null, sop: null },
    });
    // Finish order 2, 1, 0: the verdict still follows input order (0 first, then the same patient again, then 2).
    ledger.receive(outcome(2, second));
    ledger.receive(outcome(1, first));
    ledger.receive(outcome(0, first));
    assert.deepEqual(report.map((e) => e.status), ['ok', 'ok', 'failed']);
    assert.ok(report[2].error?.includes(PSEUDONYM_COLLISION));
    assert.ok(report[2].error?.includes('/in/0.dcm'), 'the message names the earlier file');
    for (const text of [report[2].error ?? '', ...logged]) {
      assert.ok(!text.includes(first) && !text.includes(second) && !text.includes(shared), 'no value in the message');
    }
    assert.ok(existsSync(outs[0]) && existsSync(outs[1]));
    assert.ok(!existsSync(outs[2]), 'the colliding output is removed');
    assert.deepEqual([...mapping.patientIds.values()], [{ old: first, issuer: '', new: shared }], 'the collision is not recorded');
    assert.equal(logged.length, 1);
    // Two originals on one pseudonym inside one file are a collision too.
    const inOne = new MappingCollector(false).collision({ patientIds: [{ old: first, issuer: '', new: shared }, { old: second, issuer: '', new: shared }], study: null, series: null, sop: null }, '/in/x.dcm');
    assert.ok(inOne?.includes('both in this file'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
