// Technical text the span finder must leave alone, seen in real files (the corpus's --preset tcia run): a dose
// description's measurements are no street address, a "Region^Modality" attenuation method is no person's name.
// Through findSpans (verify's scan) and the engine's free-text cleaning alike, so the two keep one definition; and
// the names and addresses beside them are still found.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cleanFreeText } from '../../src/anonymize/actions/clean.js';
import { findSpans, HeaderTerms, type Span } from '../../src/identifying/index.js';
import { isImagingDescription, isMeasurement } from '../../src/identifying/not-identifying-shapes.js';

const found = (text: string, spans: Span[]): string[] => spans.map((s) => `${s.kind}:${text.slice(s.start, s.end)}`);
const clean = (text: string, vr = 'LT'): string => cleanFreeText(text, vr, () => HeaderTerms.EMPTY);

// (0018,7062) Exposure Control Mode Description of fo-dicom/GH133.dcm, as written.
const DOSE = 'AOP standard RECTANGLE 610 mm 1586 mm 180 mm 240 mm EXP DOSE 72407 nGy PRE-EXP DOSE 8277 nGy PRE-EXP THICK 57 mm '
  + 'PRE-EXP COMPO 50 % PRE-EXP KV 34 PRE-EXP TRACK Rh PRE-EXP FILTER Rh PADDLE 23 FLATFIELD no';
// (0054,1101) Attenuation Correction Method of suyashkumar-dicom/2.dcm.
const ATTENUATION = 'measured,/MAR^CT Breast  3.0  B30f';

describe('not identifying: measurements and imaging descriptions', () => {
  it('a mammography dose description has no address, and cleaning keeps it whole', () => {
    assert.deepEqual(found(DOSE, findSpans(DOSE)), []);
    assert.equal(clean(DOSE), DOSE);
  });

  it('a "Region^Modality" attenuation method has no name, and cleaning keeps it whole', () => {
    assert.deepEqual(found(ATTENUATION, findSpans(ATTENUATION)), []);
    assert.equal(clean(ATTENUATION, 'LO'), ATTENUATION);
    assert.equal(isImagingDescription('MAR^CT'), true);
    assert.equal(isImagingDescription('HEAD^MR'), true);
  });

  it('names and addresses beside them are still found', () => {
    const cases: Array<[string, string[]]> = [
      ['DOE^JOHN', ['name:DOE^JOHN']],
      ['SMITH^ANNA^^MRS', ['name:SMITH^ANNA^^MRS']],
      ['MARTINEZ^MARIA', ['name:MARTINEZ^MARIA']],
      ['lives at 34 Baker Street', ['address:34 Baker Street']],
      [`${DOSE}; lives at 12 Baker Street`, ['address:12 Baker Street']],
    ];
    for (const [text, expected] of cases) assert.deepEqual(found(text, findSpans(text)).filter((s) => !s.startsWith('date')), expected, text);
    assert.equal(isImagingDescription('DOE^JOHN'), false);
    assert.equal(isImagingDescription('DOE^JOHN^^MR'), false);
  });

  it('a number is a measurement with a unit right before or after it, not otherwise', () => {
    const at = (text: string, number: string): boolean => isMeasurement(text, text.indexOf(number), text.indexOf(number) + number.length);
    assert.equal(at('PRE-EXP KV 34 PRE-EXP TRACK', '34'), true);
    assert.equal(at('kVp: 120 Oak Road', '120'), true);
    assert.equal(at('15 MM MAIN STREET', '15'), true);
    assert.equal(at('lives at 34 Baker Street', '34'), false);
  });

  it('property: a house number and street after a measurement list is still an address', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9999 }), fc.constantFrom('mm', 'kV', 'mAs', 'nGy'), fc.integer({ min: 1, max: 999 }),
      fc.constantFrom('Baker Street', 'Oak Avenue', 'Mill Road'), (value, unit, house, street) => {
        const text = `${value} ${unit}, ${house} ${street}`;
        return found(text, findSpans(text)).includes(`address:${house} ${street}`);
      }), { numRuns: 100 });
  });
});
