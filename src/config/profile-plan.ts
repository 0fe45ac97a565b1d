// The plan when no rules file is given: the PS3.15 Basic Profile with the chosen options. Kept apart from the
// rules-file loader (load.ts) so that a run on the built-in profile does not load the config parser and schema.

import { ConfigError, formatJsonPath } from './errors.js';
import { PROFILE_OPTIONS, type DateShiftScope, type Plan, type ProfileOption } from './plan.js';

/** Date-shift defaults when the config gives none (Microsoft format: its defaultSettings.dateShift is used instead). */
export const DEFAULT_DATE_SHIFT: Readonly<{ scope: DateShiftScope; rangeDays: number }> = Object.freeze({ scope: 'patient', rangeDays: 50 });

/** The plan when no config is given: the PS3.15 Basic Profile with these options, no rules of its own. */
export function basicProfilePlan(options: readonly ProfileOption[]): Plan {
  options.forEach((option, i) => {
    if (!(PROFILE_OPTIONS as readonly string[]).includes(option)) {
      throw new ConfigError(`unknown profile option "${String(option)}"; expected one of ${PROFILE_OPTIONS.join(', ')}`, formatJsonPath(['profile', 'options', i]));
    }
  });
  return { rules: [], profile: { name: 'basic', options: [...new Set(options)] }, unmatched: 'keep', dateShift: { ...DEFAULT_DATE_SHIFT } };
}
