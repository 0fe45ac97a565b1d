// A rules file's own rules and profile choice (a PlanBase) → the complete Plan: the PS3.15 profile expanded into
// plan rules and data (src/profiles/), so the engine only ever executes a Plan. Used by build.ts and load.ts.

import type { DateShiftScope, PixelPlan, Plan, ProfileChoice, ProfileOption, Rule } from '../plan/plan.js';
import { defaultPixelPlan } from '../profiles/burned-in.js';
import { PROTECTED_ATTRIBUTES } from '../profiles/protected.js';
import { basicProfileChangedTags, expandBasicProfile } from '../profiles/basic.js';
import { ConfigError } from './errors.js';

/** Date-shift defaults when the config gives none (Microsoft format: its defaultSettings.dateShift is used instead). */
export const DEFAULT_DATE_SHIFT: Readonly<{ scope: DateShiftScope; rangeDays: number }> = Object.freeze({ scope: 'patient', rangeDays: 50 });

/** What a rules file says, before the profile is expanded: its own rules and its profile choice. */
export interface PlanBase {
  rules: Rule[];
  profile: ProfileChoice | null;
  unmatched: 'keep' | 'remove';
  dateShift: { scope: DateShiftScope; rangeDays: number };
  /** Burned-in text handling; absent = the default (profiles/burned-in.ts: default gate, no rules, quarantine). */
  pixels?: PixelPlan;
}

/** The UTC calendar date of `now`, YYYYMMDD. */
export function utcDate(now: Date = new Date()): string {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return pad(now.getUTCFullYear(), 4) + pad(now.getUTCMonth() + 1, 2) + pad(now.getUTCDate(), 2);
}

/**
 * The complete plan of `base`: its rules first (they take precedence), then the profile's rules, markers and data
 * when it names a profile. `referenceDate` defaults to today (UTC), fixed here once for the whole run.
 */
export function completePlan(base: PlanBase, referenceDate: string = utcDate()): Plan {
  if (!/^\d{8}$/.test(referenceDate)) throw new ConfigError(`the reference date must be YYYYMMDD, not "${referenceDate}"`, []);
  const pixels = base.pixels ?? defaultPixelPlan();
  if (base.profile === null) {
    return {
      rules: [...base.rules], profile: null, unmatched: base.unmatched, dateShift: base.dateShift, referenceDate,
      markers: null, safePrivate: null, structuredContent: null, pixels, protected: PROTECTED_ATTRIBUTES,
      profileWouldChange: basicProfileChangedTags(),
    };
  }
  const profile: ProfileChoice = { name: 'basic', options: [...new Set(base.profile.options)] };
  const expansion = expandBasicProfile(profile.options);
  return {
    rules: [...base.rules, ...expansion.rules],
    profile,
    unmatched: base.unmatched,
    dateShift: base.dateShift,
    referenceDate,
    markers: expansion.markers,
    safePrivate: expansion.safePrivate,
    structuredContent: expansion.structuredContent,
    pixels,
    protected: PROTECTED_ATTRIBUTES,
    profileWouldChange: null,
  };
}

/**
 * The plan when no rules file is given: the PS3.15 Basic Profile with these options, no rules of its own. The options
 * are typed, not checked: buildPlan checks what a caller gives.
 */
export function basicProfilePlan(options: readonly ProfileOption[], referenceDate?: string): Plan {
  return completePlan({ rules: [], profile: { name: 'basic', options: [...options] }, unmatched: 'keep', dateShift: { ...DEFAULT_DATE_SHIFT } }, referenceDate);
}
