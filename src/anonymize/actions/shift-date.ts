// Date shift: DA and DT moved by a keyed number of days, one offset per patient (or study/series/instance), so
// intervals within that scope are kept. DT keeps its time and offset; TM moves only when asked; ages are capped.
//
// Offsets: by default an HMAC of the scope value under the run's (or the rule's) key, never 0. A Microsoft config
// with a dateShiftKey asks for `offsetFormula: 'microsoft'`: their polynomial formula over the ORIGINAL Study /
// Series / SOP Instance UID + key (spec §5.6, may be 0), so our shifted dates equal theirs.
// Deliberate differences from Microsoft (MS-13, MS-14, MS-18): every DA/DT precision is accepted and kept; a DT
// keeps its time of day (they reset it to 00:00 and print it as "12"); dates more than 89 years old are shifted
// like any other (they drop them, depending on today's date — outputs would change over time and the AS cap at
// 090Y already covers HIPAA's age rule); TM can be shifted (shiftTime) where they fail.
import type { ActionContext } from '../context.js';
import { AnonymizeError, pathOf, patientKey } from '../context.js';
import type { DateShiftScope } from '../../plan/plan.js';
import { getStrings, setString } from '../../dicom/values.js';
import { capAge, shiftDA, shiftDT, shiftTM } from '../dates.js';

export interface DateShiftSettings {
  key?: string;
  scope: DateShiftScope;
  rangeDays: number;
  shiftTime: boolean;
  offsetFormula?: 'microsoft';
}

export function scopeValue(ctx: ActionContext, scope: DateShiftScope): string {
  const o = ctx.original;
  switch (scope) {
    case 'patient': return `patient:${patientKey(o)}`;
    case 'study': return `study:${o.studyUid}`;
    case 'series': return `series:${o.seriesUid}`;
    case 'instance': return `instance:${o.sopInstanceUid}`;
  }
}

/** The original identifier Microsoft prefixes to the key for a scope ("" when absent). */
function microsoftPrefix(ctx: ActionContext, scope: DateShiftScope): string {
  const o = ctx.original;
  switch (scope) {
    case 'patient': return o.patientId || o.patientName; // no Microsoft equivalent; never produced by their configs
    case 'study': return o.studyUid;
    case 'series': return o.seriesUid;
    case 'instance': return o.sopInstanceUid;
  }
}

/**
 * Microsoft's day offset (spec §5.6): h = (h × 131 + b) mod (2 × range + 1) over the UTF-8 bytes of prefix + key,
 * days = h − range, in [−range, +range].
 */
export function microsoftDayOffset(prefix: string, key: string, rangeDays: number): number {
  const m = 2 * rangeDays + 1;
  let h = 0;
  for (const b of Buffer.from(prefix + key, 'utf8')) h = (h * 131 + b) % m;
  return h - rangeDays;
}

/** The whole-day offset of the element's scope. */
export function dayOffsetFor(ctx: ActionContext, settings: DateShiftSettings): number {
  if (settings.offsetFormula === 'microsoft') return microsoftDayOffset(microsoftPrefix(ctx, settings.scope), settings.key ?? '', settings.rangeDays);
  return ctx.keys.dayOffset(scopeValue(ctx, settings.scope), settings.rangeDays, settings.key);
}

/** The VRs a date shift applies to (AS: ages are capped, not shifted). */
export const SHIFTABLE_VRS: ReadonlySet<string> = new Set(['DA', 'DT', 'TM', 'AS']);

export function shiftDates(ctx: ActionContext, settings: DateShiftSettings): 'walk' | void {
  const el = ctx.element;
  if (el.items !== null) return 'walk';
  const values = getStrings(ctx.dataset, el, ctx.source);
  if (values.length === 0) return;
  let shifted: Array<string | null>;
  switch (el.vr) {
    case 'DA': {
      const days = dayOffsetFor(ctx, settings);
      shifted = values.map((v) => shiftDA(v, days));
      break;
    }
    case 'DT': {
      const days = dayOffsetFor(ctx, settings);
      shifted = values.map((v) => shiftDT(v, days));
      break;
    }
    case 'TM': {
      if (!settings.shiftTime) return;
      const key = settings.key === undefined ? undefined : Buffer.from(settings.key, 'utf8');
      const seconds = ctx.keys.mac('time-shift', scopeValue(ctx, settings.scope), key).readUInt32BE(0) % 86400;
      shifted = values.map((v) => shiftTM(v, seconds));
      break;
    }
    case 'AS': shifted = values.map((v) => capAge(v)); break;
    default:
      throw new AnonymizeError(`a date shift applies to DA, DT, TM or AS, not ${el.vr}`, pathOf(ctx));
  }
  if (shifted.some((v) => v === null)) {
    // A value we cannot parse cannot be shifted; removing it is the only choice that does not leak it.
    ctx.dataset.removeElement(el);
    ctx.facts.datesRemoved = true;
    return;
  }
  ctx.facts.datesShifted = true;
  const text = shifted.join('\\');
  if (text !== values.join('\\')) setString(ctx.dataset, el, text);
}
