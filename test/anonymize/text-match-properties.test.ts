// Properties of matching text read in the pixels against the original's header (text-match.ts through the span
// finder's strict terms), over generated headers: names with middle initials, particles, umlauts and CJK, IDs with
// leading zeros, birth dates. A form of a value in the OCR text is found; a keep-list word that is an initial or a
// short ID is refused; keep-list words that hold no header form are kept.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DataSet } from '../../src/dicom/dataset.js';
import { newStringElement } from '../../src/dicom/values.js';
import { identifyingHeaderValues, isKeepListText, matchHeaderValues } from '../../src/anonymize/burned-in/text-match.js';
import { DEFAULT_KEEP_WORDS } from '../../src/profiles/burned-in.js';
import { GENERIC, PARTICLES } from '../../src/identifying/index.js';
import { PatientBirthDate, PatientID, PatientName, SpecificCharacterSet } from '../../src/dicom/tags.generated.js';

/** A UTF-8 header of the patient's name, ID and birth date, as the burned-in step reads it. */
function header(name: string, id: string, birthDate: string): DataSet {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  ds.put(newStringElement(ds, SpecificCharacterSet, 'CS', 'ISO_IR 192'));
  ds.put(newStringElement(ds, PatientName, 'PN', name));
  ds.put(newStringElement(ds, PatientID, 'LO', id));
  ds.put(newStringElement(ds, PatientBirthDate, 'DA', birthDate));
  return ds;
}

const KEEP = new Set(DEFAULT_KEEP_WORDS);
const upper = (s: string): string => s.toUpperCase();
const latinName = fc.array(fc.constantFrom(...'ABDEGHKMNRSTUZÄÖÜäöüß'), { minLength: 3, maxLength: 9 }).map((a) => a.join(''))
  .filter((n) => !GENERIC.has(upper(n)) && !PARTICLES.has(upper(n)) && !KEEP.has(upper(n)));
const cjkName = fc.array(fc.constantFrom(...'山田太郎李王張陳林美花子'), { minLength: 1, maxLength: 3 }).map((a) => a.join(''));
const particle = fc.constantFrom('', 'VAN DER ', 'DE LA ', 'VON ');
const initial = fc.constantFrom(...'ABCDEFGHJKMNPQRSTUVWXZ');
const date = fc.record({ y: fc.integer({ min: 1920, max: 2024 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
  .map(({ y, m, d }) => ({ y: String(y), mo: String(m).padStart(2, '0'), d: String(d).padStart(2, '0') }));
const leadingZeroId = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.stringMatching(/^[1-9][0-9]{2,6}$/)).map(([zeros, digits]) => ({ id: `${'0'.repeat(zeros)}${digits}`, bare: digits }));
/** Letters and spaces the recogniser may read beside a value. */
const noise = fc.stringMatching(/^[a-z ]{0,5}$/);
/** How the recogniser may read a value: any case, O read for 0, ^ as ~. */
const read = (s: string, lower: boolean): string => (lower ? s.toLowerCase() : s).replace(/0/g, 'O').replace(/\^/g, '~');

test('property: every written form of a generated name, ID or birth date read in the pixels is matched to its attribute', () => {
  fc.assert(fc.property(
    fc.oneof(latinName, cjkName), fc.oneof(latinName, cjkName), particle, initial, leadingZeroId, date, noise, fc.boolean(), fc.nat(),
    (family, given, prefix, middle, { id, bare }, { y, mo, d }, around, lower, pick) => {
      const cjk = /[^\x00-\xff]/.test(family) && !/[ÄÖÜäöüß]/.test(family);
      const fullFamily = cjk ? family : `${prefix}${family}`;
      const terms = identifyingHeaderValues(header(`${fullFamily}^${given}^${middle}`, id, `${y}${mo}${d}`));
      const umlautsOut = family.replace(/[äÄ]/g, 'AE').replace(/[öÖ]/g, 'OE').replace(/[üÜ]/g, 'UE');
      const names = [family, umlautsOut, given, `${fullFamily}^${given}`, `${given} ${fullFamily}`];
      const dates = [`${y}${mo}${d}`, `${y}-${mo}-${d}`, `${d}.${mo}.${y}`, `${mo}/${d}/${y}`, `${d}/${mo}/${y.slice(2)}`, `${mo}-${d}-${y.slice(2)}`, `${d}${mo}${y.slice(2)}`];
      const name = names[pick % names.length], when = dates[pick % dates.length];
      assert.ok(matchHeaderValues(`${around}${read(name, lower)}${around}`, terms).includes('PatientName'), 'a name form');
      assert.ok(matchHeaderValues(`${read(middle, lower)} ${around}`, terms).includes('PatientName'), 'the middle initial as a word');
      assert.ok(matchHeaderValues(`ID ${read(pick % 2 === 0 ? id : bare, lower)}`, terms).includes('PatientID'), 'the ID, with or without its zeros');
      assert.ok(matchHeaderValues(`DOB ${read(when, lower)} 10:22`, terms).includes('PatientBirthDate'), 'the birth date');
    },
  ), { numRuns: 150 });
});

test('property: a keep-list word that is the middle initial or a short Patient ID refuses the keep-list', () => {
  const letters = DEFAULT_KEEP_WORDS.filter((w) => w.length === 1);
  const short = DEFAULT_KEEP_WORDS.filter((w) => w.length === 2);
  fc.assert(fc.property(
    latinName, latinName, fc.constantFrom(...letters), fc.constantFrom(...short), fc.constantFrom(...DEFAULT_KEEP_WORDS), date, fc.boolean(),
    (family, given, middle, id, other, { y, mo, d }, lower) => {
      const terms = identifyingHeaderValues(header(`${family}^${given}^${middle}`, id, `${y}${mo}${d}`));
      const text = (word: string): string => (lower ? `${word} ${other}`.toLowerCase() : `${other} ${word}`);
      assert.equal(isKeepListText(text(middle), KEEP, terms), false, 'the initial');
      assert.equal(isKeepListText(text(id), KEEP, terms), false, 'the ID');
      assert.ok(matchHeaderValues(id, terms, 2).includes('PatientID'), 'verify (minimum 2) still finds a 2-letter ID');
      assert.deepEqual(matchHeaderValues(middle, terms, 2), [], 'verify ignores a one-character reading');
    },
  ), { numRuns: 100 });
});

test('property: a text of clinical keep-list words holding no header form stays unblanked', () => {
  // Every name word holds Z, J, W or Y, which no keep-list word has; IDs and dates are digits, which none has either.
  const foreign = fc.tuple(latinName, fc.constantFrom('Z', 'J', 'W', 'Y')).map(([n, c]) => `${c}${n}`);
  fc.assert(fc.property(
    foreign, foreign, fc.constantFrom(...'ZJWY'), leadingZeroId, date, fc.array(fc.constantFrom(...DEFAULT_KEEP_WORDS), { minLength: 1, maxLength: 4 }), fc.boolean(),
    (family, given, middle, { id }, { y, mo, d }, words, lower) => {
      const terms = identifyingHeaderValues(header(`${family}^${given}^${middle}`, id, `${y}${mo}${d}`));
      const text = words.join(' ');
      assert.equal(isKeepListText(lower ? text.toLowerCase() : text, KEEP, terms), true, text);
    },
  ), { numRuns: 150 });
});
