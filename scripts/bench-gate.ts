// What the burned-in risk gate costs per file on small CT/MR slices (the 10,000-small-file workload of bench-batch):
// CPU µs per file of reading alone, reading plus the gate and rule evaluation, and the whole metadata anonymization
// (which includes the gate), in one process, so the gate's share is measured without disk and worker noise.
// A measurement script, not a test. Run: npx tsx scripts/bench-gate.ts [--files N]

import { assessRisk } from '../src/anonymize/burned-in/gate.js';
import { evaluatePixelRules } from '../src/anonymize/burned-in/rules.js';
import { Anonymizer } from '../src/anonymize/anonymizer.js';
import { Keys } from '../src/anonymize/keys.js';
import { basicProfilePlan } from '../src/config/build.js';
import { readDicomBuffer } from '../src/dicom/part10.js';
import { encodeDicomFileToBuffer } from '../src/dicom/writer.js';
import { buildSlice, CT_STUDY, exampleUid, MR_STUDY, PATIENT_1, PATIENT_2 } from './make-examples.js';
import { isMain } from './is-main.js';

function cpuMicros(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const used = process.cpuUsage(t0);
  return used.user + used.system;
}

export function measureGate(files = 200, rounds = 30): { read: number; gate: number; anonymize: number } {
  const buffers = Array.from({ length: files }, (_, i) => {
    const ct = i % 2 === 0;
    return encodeDicomFileToBuffer(buildSlice({
      patient: ct ? PATIENT_1 : PATIENT_2, study: ct ? CT_STUDY : MR_STUDY, modality: ct ? 'CT' : 'MR', index: (i % 50) + 1,
      firstSopInstanceUid: exampleUid('bench-gate/first'), sopInstanceUid: exampleUid(`bench-gate/${i}`), rows: 64, columns: 64, seed: i,
    }));
  });
  const plan = basicProfilePlan([]);
  const anonymizer = new Anonymizer(plan, Keys.fromSecret('bench-gate-key-0123456789abcdef'));
  const each = (label: string, fn: (b: Buffer) => void): number => {
    for (let r = 0; r < 3; r++) for (const b of buffers) fn(b); // warm-up
    const micros = cpuMicros(() => { for (let r = 0; r < rounds; r++) for (const b of buffers) fn(b); });
    const perFile = micros / (rounds * buffers.length);
    console.log(`${label.padEnd(40)} ${perFile.toFixed(1)} µs CPU per file`);
    return perFile;
  };
  const read = each('read', (b) => readDicomBuffer(b).close());
  const gate = each('read + risk gate + pixel rules', (b) => {
    const f = readDicomBuffer(b);
    assessRisk(f.dataset, f.datasetSource, plan.pixels.gate);
    evaluatePixelRules(f.dataset, f.datasetSource, plan.pixels.rules);
    f.close();
  });
  const anonymize = each('read + anonymizeFile (gate included)', (b) => {
    const f = readDicomBuffer(b);
    anonymizer.anonymizeFile(f);
    f.close();
  });
  console.log(`gate: ${(gate - read).toFixed(1)} µs per file = ${((100 * (gate - read)) / anonymize).toFixed(1)}% of read + anonymize ` +
    `(before disk and messaging, which bench-batch adds: the share of a whole run is smaller still)`);
  return { read, gate, anonymize };
}

if (isMain(import.meta.url)) {
  const at = process.argv.indexOf('--files');
  measureGate(at > 0 ? Number(process.argv[at + 1]) : 200);
}
