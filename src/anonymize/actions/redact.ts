// Microsoft "redact": the value emptied (a sequence loses its items); with the partial settings a date keeps its
// year (YYYY0101, dropped when over 89 years ago) and an age is kept when 89 years or less.
import type { ActionContext } from '../context.js';
import { getStrings, setString } from '../../dicom/values.js';
import { emptyElement } from './empty.js';

export interface RedactSettings { partialDates: boolean; partialAges: boolean }

function olderThan89Years(year: number, month: number, day: number, now: Date): boolean {
  return new Date(Date.UTC(year + 89, month - 1, day)) < now;
}

export function redactValue(ctx: ActionContext, settings: RedactSettings, now = new Date()): void {
  const el = ctx.element;
  const partial = (el.vr === 'DA' || el.vr === 'DT') ? settings.partialDates : el.vr === 'AS' ? settings.partialAges : false;
  if (!partial || el.items !== null) return emptyElement(ctx);
  const kept: string[] = [];
  for (const value of getStrings(ctx.dataset, el, ctx.source)) {
    if (el.vr === 'AS') {
      const m = /^(\d{3})([DWMY])$/.exec(value);
      if (!m) continue;
      const n = Number(m[1]);
      const years = m[2] === 'Y' ? n : Math.floor(n / (m[2] === 'M' ? 12 : m[2] === 'W' ? 52 : 365));
      if (years <= 89) kept.push(value);
      continue;
    }
    const m = /^(\d{4})(\d{2})(\d{2})/.exec(value);
    if (!m) continue;
    if (olderThan89Years(Number(m[1]), Number(m[2]), Number(m[3]), now)) continue;
    if (el.vr === 'DA') kept.push(`${m[1]}0101`);
    else {
      // DT: first instant of the year; the UTC offset, if any, kept (Microsoft's 12-hour "120000" bug not copied).
      const offset = /([+-]\d{4})$/.exec(value)?.[1] ?? '';
      kept.push(`${m[1]}0101000000.000000${offset}`);
    }
  }
  if (kept.length === 0) return emptyElement(ctx);
  setString(ctx.dataset, el, kept.join('\\'));
}
