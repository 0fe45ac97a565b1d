// A bounded, seeded run of the fuzz harness (scripts/fuzz.ts) so CI exercises hostile input on every change:
// ~50 s of mutated corpus files and synthetic bombs through read → anonymize → write, in a worker under the 5 s
// watchdog. Any untyped exception (crash) or input that runs past 5 s (hang) fails the test. Findings are not saved
// here; run `npm run fuzz -- --minutes N --seed S` to save them under test/fixtures/fuzz/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz } from '../../scripts/fuzz.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 50);
const SEED = Number(process.env.FUZZ_SEED ?? 20250101);

test(`fuzz for ${SECONDS} s (seed ${SEED}): no crashes, no hangs`, { timeout: (SECONDS + 90) * 1000 }, async (t) => {
  const report = await runFuzz({ seconds: SECONDS, seed: SEED, workers: 1, save: false });
  t.diagnostic(`${report.execs} executions (${report.execsPerSecond.toFixed(0)}/s) over ${report.seeds} seed files: ` +
    `${report.ok} ok, ${report.typed} typed errors, ${report.roundtrip.length} unreadable outputs; peak RSS ${report.peakRssMiB} MiB`);
  for (const f of [...report.crashes, ...report.hangs]) {
    t.diagnostic(`${f.kind} #${f.index} ${f.label}: ${f.message} (replay: npm run fuzz -- --seed ${SEED} --replay ${f.index})\n${f.stack ?? ''}`);
  }
  assert.ok(report.execs > 1000, `the harness ran (${report.execs} executions)`);
  assert.equal(report.crashes.length, 0, 'crashes');
  assert.equal(report.hangs.length, 0, 'hangs');
});
