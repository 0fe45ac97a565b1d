// The outcome ledger without worker threads: outcomes arriving in any order are recorded in input order, skipped
// inputs keep their place, failures are logged once, and files never processed (--fail-fast) are told as such.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutcomeLedger, type Slot } from '../../src/batch/ledger.js';
import type { FileOutcome } from '../../src/batch/protocol.js';
import type { ReportEntry } from '../../src/records/index.js';
import type { AuditEntry } from '../../src/anonymize/anonymizer.js';

function fileSlot(index: number, name: string): Slot {
  return { kind: 'file', size: 100, task: { index, input: `/in/${name}`, relativePath: name, target: `/out/${name}` } };
}

const ok = (index: number, name: string, audit?: AuditEntry[]): FileOutcome =>
  ({ index, status: 'ok', output: `/out/${name}`, bytesIn: 100, bytesOut: 90, audit });

function ledgerWith(slots: Slot[]) {
  const report: ReportEntry[] = [];
  const audited: string[] = [];
  const logged: string[] = [];
  const ledger = new OutcomeLedger(slots, {
    report: { add: (e) => report.push(e) },
    audit: { add: (input) => audited.push(input) },
    log: (m) => logged.push(m),
  });
  return { ledger, report, audited, logged };
}

test('outcomes that finish out of order are recorded in input order', () => {
  const slots = [fileSlot(0, 'a.dcm'), { kind: 'skipped', input: '/in/notes.txt', relativePath: 'notes.txt', reason: 'not a DICOM file' } as Slot, fileSlot(2, 'c.dcm'), fileSlot(3, 'd.dcm')];
  const { ledger, report, audited, logged } = ledgerWith(slots);
  const audit: AuditEntry[] = [{ path: '(0010,0010)', keyword: 'PatientName', action: 'pseudonym', origin: 'test' } as AuditEntry];
  ledger.receive(ok(3, 'd.dcm', audit));
  ledger.receive({ index: 2, status: 'failed', error: '/in/c.dcm: bad at byte 10', output: null, bytesIn: 0, bytesOut: 0 });
  assert.equal(report.length, 0, 'nothing is recorded before the first input is done');
  assert.ok(ledger.pendingOutcome(3), 'a received outcome is pending until recorded');
  ledger.receive(ok(0, 'a.dcm', audit));
  assert.deepEqual(report.map((e) => [e.input, e.status]), [
    ['/in/a.dcm', 'ok'], ['/in/notes.txt', 'skipped'], ['/in/c.dcm', 'failed'], ['/in/d.dcm', 'ok'],
  ]);
  assert.equal(ledger.pendingOutcome(3), undefined, 'recorded outcomes are released');
  assert.deepEqual(audited, ['/in/a.dcm', '/in/d.dcm'], 'audit entries in input order');
  assert.deepEqual(logged, ['failed: /in/c.dcm: bad at byte 10']);
  assert.deepEqual(ledger.counts, { ok: 2, failed: 1, skipped: 1, quarantined: 0, bytesIn: 200, bytesOut: 180 });
  assert.deepEqual(ledger.skippedInputs, [{ relativePath: 'notes.txt', reason: 'not a DICOM file' }]);
});

test('finish records files that were never processed as skipped by --fail-fast', () => {
  const { ledger, report } = ledgerWith([fileSlot(0, 'a.dcm'), fileSlot(1, 'b.dcm')]);
  ledger.receive({ index: 0, status: 'failed', error: 'x', output: null, bytesIn: 0, bytesOut: 0 });
  ledger.finish();
  assert.deepEqual(report.map((e) => [e.status, e.note]), [['failed', undefined], ['skipped', 'not processed: --fail-fast stopped the batch']]);
  assert.deepEqual(ledger.tasks().map((t) => t.relativePath), ['a.dcm', 'b.dcm']);
});
