// The identifying-span finder (src/identifying/): header values in their written forms, patterns without a header,
// span-level cleaning, and the generated word lists being up to date.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { cleanProse, findSpans, HeaderTerms, type Span } from '../../src/identifying/index.js';
import { CLINICAL_WORDS } from '../../src/identifying/words.generated.js';
import { REPO_DIR, standardDir } from '../../scripts/generate-tables.js';

const found = (text: string, spans: Span[]): string[] => spans.map((s) => `${s.kind}:${text.slice(s.start, s.end)}`);

describe('findSpans', () => {
  it('finds the name and the date and cleaning keeps the request (the issue\'s example)', () => {
    const text = 'MR BRAIN W/O CONTRAST ordered by Dr Raj Patel on 4 March 2024';
    const spans = findSpans(text);
    assert.deepEqual(found(text, spans), ['name:Dr Raj Patel', 'date:4 March 2024']);
    assert.equal(cleanProse(text, spans), 'MR BRAIN W/O CONTRAST ordered by');
  });

  it('finds nothing in clinical text', () => {
    for (const text of ['MR KNEE W/O CONTRAST', 'SAG T2 FSE FS', 'Follow-up LLL mass', 'AX T1 POST GAD 3mm', 'Requested by Neurology',
      'History of Crohn disease', 'CT CHEST ABDOMEN PELVIS WITH CONTRAST', 'Sagittal STIR', 'DWI b1000 ADC']) {
      assert.deepEqual(found(text, findSpans(text)), [], text);
    }
  });

  it('finds header values in their transliterations, IDs without leading zeros and numeric date forms', () => {
    const header = HeaderTerms.of([
      { value: 'Müller^Jürgen', kind: 'name', label: 'PatientName' },
      { value: '0012345', kind: 'id', label: 'PatientID' },
      { value: '19580712', kind: 'date', label: 'PatientBirthDate' },
    ]);
    const text = 'lesion in mueller juergen, chart 12345, dob 12.07.1958';
    const spans = findSpans(text, { header, patterns: false });
    assert.deepEqual(found(text, spans), ['name:mueller juergen', 'id:12345', 'date:12.07.1958']);
    assert.ok(spans.every((s) => s.by === 'header' && s.label !== undefined));
    assert.deepEqual(header.labels('MULLER J'), ['PatientName']);
    // A header value is not found inside a longer word.
    assert.deepEqual(findSpans('MULLERIAN duct', { header, patterns: false }), []);
  });

  it('finds patterns with no header: phones, e-mail, URL, IP, address, postal code, IDs, ages over 89, CJK names', () => {
    const cases: Array<[string, string[]]> = [
      ['call 555-123-4567 or +44 20 7946 0958', ['phone:555-123-4567', 'phone:+44 20 7946 0958']],
      ['mail j.doe@example.org', ['email:j.doe@example.org']],
      ['see https://pacs.example.org/x?id=1 from 10.1.2.3', ['url:https://pacs.example.org/x?id=1', 'ip:10.1.2.3']],
      ['lives at 12 Baker Street, Springfield, IL 62704', ['address:12 Baker Street', 'postal:IL 62704']],
      ['MRN: A1234567 acc# 99887766', ['id:A1234567', 'id:99887766']],
      ['SSN 123-45-6789', ['id:123-45-6789']],
      ['92-year-old female', ['age:92-year-old']],
      ['65-year-old female', []],
      ['王伟先生 头部CT', ['name:王伟']],
      ['seen by Soren Jorgensen', ['name:Soren Jorgensen']],
      ['DOE^JOHN', ['name:DOE^JOHN']],
    ];
    for (const [text, expected] of cases) assert.deepEqual(found(text, findSpans(text)), expected, text);
  });

  it('finds dates in ten and more written forms', () => {
    for (const d of ['2024-03-04', '04/03/2024', '3/4/24', '04.03.2024', '20240304', '4 March 2024', 'March 4, 2024', 'Mar 4th 2024',
      '4th of March, 2024', '04-Mar-2024', 'May 3rd', '4. März 2024', '4 mars 2024', '2024年3月4日', 'March 2024']) {
      const text = `exam on ${d} follow-up`;
      assert.deepEqual(found(text, findSpans(text)).filter((s) => s.startsWith('date:')), [`date:${d}`], text);
      assert.equal(cleanProse(text, findSpans(text)), 'exam follow-up', text);
    }
  });

  it('cleaning empties a value with nothing clinical left and never lengthens one', () => {
    assert.equal(cleanProse('seen by Dr Raj Patel', findSpans('seen by Dr Raj Patel')), '');
    assert.equal(cleanProse('MRN: 12345678', findSpans('MRN: 12345678')), '');
    const clinical = CLINICAL_WORDS.split('|').filter((w) => /^[A-Z]{2,}$/.test(w));
    fc.assert(fc.property(fc.array(fc.constantFrom(...clinical), { minLength: 1, maxLength: 8 }), fc.string({ maxLength: 30 }), (words, noise) => {
      const text = words.join(' ');
      // Clinical words alone: nothing found, nothing lost.
      assert.deepEqual(findSpans(text), []);
      const mixed = `${text} ${noise}`;
      assert.ok(cleanProse(mixed, findSpans(mixed)).length <= mixed.length);
    }), { numRuns: 200 });
  });
});

const standardMissing = !existsSync(join(standardDir(), 'ps3.6-data-dictionary.json')) &&
  `the DICOM standard reference data is not here (${standardDir()}; set DICOM_STANDARD_DIR), so the word lists cannot be regenerated`;

it('the generated word lists are up to date', { skip: standardMissing }, async () => {
  const { generateIdentifyingWords } = await import('../../scripts/generate-identifying-words.js');
  for (const [path, content] of generateIdentifyingWords()) {
    assert.ok(readFileSync(join(REPO_DIR, path), 'utf8') === content, `${path} is stale: run npx tsx scripts/generate-identifying-words.ts`);
  }
});
