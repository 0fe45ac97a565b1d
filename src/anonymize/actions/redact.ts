// Microsoft "redact": the value emptied (a sequence loses its items); with the partial settings a date keeps its
// year (DA YYYY0101, DT YYYY0101000000.000000 plus its UTC offset) and an age is kept when 89 years or less.
//
// Differences from Microsoft, on purpose:
//   MS-13 every DA/DT precision is accepted ("2021", "202103", "2021.03.20", DT without seconds): the year is kept;
//         an unparsable value is dropped (they fail the whole file).
//   MS-14 a DT without offset gets midnight as "000000" (they print the 12-hour clock: "120000").
//   MS-18 the 89-years rule: a date more than 89 years before the reference date is dropped, because its year alone
//         would reveal an age over 89 (HIPAA Safe Harbor). They compare with the clock at the moment each value is
//         processed, so outputs change over time and two files of one run can disagree. We compare whole UTC
//         calendar dates with ONE reference date: the rule's `referenceDate` when given (reproducible output), else
//         the plan's referenceDate: the UTC date when the plan was built, once for the whole run and every worker
//         (so every file of a run agrees, even across midnight). A fixed date in the past would
//         be deterministic forever but would keep, years later, birth years that by then reveal an age over 89 —
//         so the default follows the run date and pinning is explicit. A partial date counts from its first day
//         (the oldest it could be), so the rule errs on the side of dropping.
import type { ActionContext } from '../context.js';
import { getStrings, setString } from '../../dicom/values.js';
import { emptyElement } from './empty.js';
import { ageInYears, parseAge } from '../dates.js';

export interface RedactSettings { partialDates: boolean; partialAges: boolean; referenceDate?: string }

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** True when year-month-day + 89 years is before `reference` (YYYYMMDD), comparing calendar dates. */
export function olderThan89Years(year: number, month: number, day: number, reference: string): boolean {
  const anniversary = pad(year + 89, 4) + pad(month, 2) + pad(day, 2);
  return anniversary < reference;
}

/** Year, month, day of a DA/DT value of any precision (missing parts = 1); null when unparsable. */
function dateParts(value: string, vr: 'DA' | 'DT'): { y: string; m: number; d: number; offset: string } | null {
  const v = vr === 'DA' && /^\d{4}\.\d{2}\.\d{2}$/.test(value) ? value.replace(/\./g, '') : value;
  const m = vr === 'DA'
    ? /^(\d{4})(?:(\d{2})(\d{2})?)?$/.exec(v)
    : /^(\d{4})(?:(\d{2})(?:(\d{2})(?:\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?)?)?([+-]\d{4})?$/.exec(v);
  if (!m) return null;
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { y: m[1], m: month, d: day, offset: vr === 'DT' ? m[4] ?? '' : '' };
}

export function redactValue(ctx: ActionContext, settings: RedactSettings): void {
  const el = ctx.element;
  const partial = (el.vr === 'DA' || el.vr === 'DT') ? settings.partialDates : el.vr === 'AS' ? settings.partialAges : false;
  if (!partial || el.items !== null) return emptyElement(ctx);
  const reference = settings.referenceDate ?? ctx.plan.referenceDate;
  const kept: string[] = [];
  for (const value of getStrings(ctx.dataset, el, ctx.source)) {
    if (el.vr === 'AS') {
      const age = parseAge(value);
      if (age !== null && ageInYears(age) <= 89) kept.push(value);
      continue;
    }
    const p = dateParts(value, el.vr as 'DA' | 'DT');
    if (p === null) continue;
    if (olderThan89Years(Number(p.y), p.m, p.d, reference)) continue;
    kept.push(el.vr === 'DA' ? `${p.y}0101` : `${p.y}0101000000.000000${p.offset}`);
  }
  if (kept.length === 0) return emptyElement(ctx);
  setString(ctx.dataset, el, kept.join('\\'));
}
