// verify --pixels and the CLI's --burned-in redact, spawned like a user would: an output delivered with its text
// (--burned-in keep) gets a high finding naming the file and the box with the text masked (low without originals);
// after redact none; the report and audit give the boxes and matched attribute keywords, never a value. Without
// --pixels verify never loads onnxruntime.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { drawTextImage } from '../helpers/text-image.js';
import { run } from '../helpers/corpus.js';
import { textDicom } from '../anonymize/text-dicom.js';
import { addPixelFindings, verifyTrees } from '../../src/verify/index.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(REPO, 'src', 'cli', 'main.ts');
const env = { ...process.env, DICOM_ANONYMIZER_KEY: 'verify-pixels-key-0123456789abcdef' };
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', MAIN, ...args], 120_000, { env, encoding: 'utf8' });

test('verify --pixels: text left by --burned-in keep is a high finding (file, box, masked text); after redact there is none', { timeout: 240_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'verify-pixels-'));
  try {
    const input = join(work, 'in');
    mkdirSync(input);
    const { image } = drawTextImage({
      width: 320, height: 240, background: { kind: 'flat', value: 20 }, items: [
        { text: 'SMITH^JOHN', font: 'Test Sans', size: 16, x: 6, y: 6, value: 230 },
        { text: 'ID 00123456', font: 'Test Mono', size: 14, x: 150, y: 120, value: 230 },
        { text: '1987-03-14', font: 'Test Serif', size: 14, x: 200, y: 215, value: 230 },
      ],
    });
    writeDicomFile(await textDicom({ n: 1, width: 320, height: 240, frames: [image.data] }), join(input, 'us.dcm'));

    const kept = join(work, 'kept');
    const keep = await cli('-i', input, '-o', kept, '--burned-in', 'keep', '-q');
    assert.equal(keep.code, 0, keep.stderr);
    const before = await cli('verify', '-i', input, '-o', kept, '--pixels', '--json');
    assert.equal(before.code, 3, before.stderr);
    const findings = (JSON.parse(before.stdout).files[0].findings as { severity: string; kind: string; message: string; masked: string }[]).filter((f) => f.kind.startsWith('pixel-text'));
    const high = findings.filter((f) => f.kind === 'pixel-text-identifying');
    assert.ok(high.length >= 2 && high.every((f) => f.severity === 'high'), JSON.stringify(findings));
    assert.ok(high.some((f) => /PatientName/.test(f.message)) && high.some((f) => /PatientBirthDate/.test(f.message)), JSON.stringify(high));
    assert.ok(high.every((f) => /frame 0, box x=\d+ y=\d+ \d+×\d+/.test(f.message) && /^.…\(\d+\)$/.test(f.masked)), JSON.stringify(high));
    assert.ok(!before.stdout.includes('SMITH') && !before.stdout.includes('00123456') && !before.stdout.includes('1987'), 'no text or value in the report');
    // Without originals there is nothing to match: every text is low (the library API, in this process).
    const alone = await addPixelFindings(verifyTrees({ output: kept }));
    const lows = alone.files[0].findings.filter((f) => f.kind.startsWith('pixel-text'));
    assert.ok(lows.length >= 3 && lows.every((f) => f.kind === 'pixel-text' && f.severity === 'low'), JSON.stringify(lows));

    const redacted = join(work, 'redacted');
    const report = join(work, 'run.json'), audit = join(work, 'audit.jsonl');
    const redact = await cli('-i', input, '-o', redacted, '--burned-in', 'redact', '-q', '--report', report, '--audit', audit);
    assert.equal(redact.code, 0, redact.stderr);
    const entry = JSON.parse(readFileSync(report, 'utf8')).files.find((f: { burnedIn?: unknown }) => f.burnedIn);
    assert.equal(entry.burnedIn.status, 'redacted');
    assert.ok(entry.burnedIn.text.boxes >= 3, JSON.stringify(entry.burnedIn));
    for (const keyword of ['PatientName', 'PatientID', 'PatientBirthDate']) assert.ok(entry.burnedIn.text.matched.includes(keyword), JSON.stringify(entry.burnedIn));
    const auditText = readFileSync(audit, 'utf8');
    assert.match(auditText, /"burnedIn":\{[^\n]*"text":\{"boxes":\d+,"kept":0,"matched":\[[^\]]*"PatientName"/);
    for (const leaked of ['SMITH', '00123456', '19870314']) assert.ok(!auditText.includes(leaked) && !readFileSync(report, 'utf8').includes(leaked), leaked);
    const after = await cli('verify', '-i', input, '-o', redacted, '--pixels', '--json');
    const left = (JSON.parse(after.stdout).files[0].findings as { kind: string }[]).filter((f) => f.kind.startsWith('pixel-text'));
    assert.deepEqual(left, [], 'no text left in the pixels');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

const probe = `
import { readFileSync } from 'node:fs';
const { verifyTrees } = await import(${JSON.stringify(join(REPO, 'src', 'verify', 'index.ts'))});
verifyTrees({ output: ${JSON.stringify(join(REPO, 'examples'))} });
console.log(JSON.stringify({ loaded: readFileSync('/proc/self/maps', 'utf8').includes('libonnxruntime') }));
`;

test('verify without --pixels never loads onnxruntime', { skip: process.platform !== 'linux' ? 'reads /proc/self/maps' : false }, () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), { loaded: false });
});
