// Date shift: DA and DT moved by a keyed number of days, one offset per patient (or study/series/instance), so
// intervals within that scope are kept. DT keeps its time and offset; TM moves only when asked; ages are capped.
import type { ActionContext } from '../context.js';
import { AnonymizeError, pathOf } from '../context.js';
import type { DateShiftScope } from '../../config/plan.js';
import { getStrings, setString } from '../../dicom/values.js';
import { capAge, shiftDA, shiftDT, shiftTM } from '../dates.js';

export interface DateShiftSettings {
  key?: string;
  scope: DateShiftScope;
  rangeDays: number;
  shiftTime: boolean;
}

export function scopeValue(ctx: ActionContext, scope: DateShiftScope): string {
  const o = ctx.original;
  switch (scope) {
    case 'patient': return `patient:${o.patientId || o.patientName}`;
    case 'study': return `study:${o.studyUid}`;
    case 'series': return `series:${o.seriesUid}`;
    case 'instance': return `instance:${o.sopInstanceUid}`;
  }
}

export function shiftDates(ctx: ActionContext, settings: DateShiftSettings): 'walk' | void {
  const el = ctx.element;
  if (el.items !== null) return 'walk';
  const values = getStrings(ctx.dataset, el, ctx.source);
  if (values.length === 0) return;
  const days = ctx.keys.dayOffset(scopeValue(ctx, settings.scope), settings.rangeDays, settings.key);
  let shifted: Array<string | null>;
  switch (el.vr) {
    case 'DA': shifted = values.map((v) => shiftDA(v, days)); break;
    case 'DT': shifted = values.map((v) => shiftDT(v, days)); break;
    case 'TM': {
      if (!settings.shiftTime) return;
      const seconds = Math.floor(ctx.keys.fraction('time-shift', scopeValue(ctx, settings.scope)) * 86400);
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
  setString(ctx.dataset, el, shifted.join('\\'));
}
