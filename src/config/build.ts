// Every accepted input → one complete Plan: a rules file (any format, read by load.ts), profile options (from the
// file, the command line or a library call, merged here and nowhere else), and the run's reference date. The PS3.15
// profile is expanded into plan rules and data here (src/profiles/), so the engine only ever executes a Plan.

import {
  PROFILE_OPTIONS, type BurnedInPolicy, type DateShiftScope, type PixelPlan, type Plan, type ProfileChoice, type ProfileOption, type Rule,
} from '../plan/plan.js';
import { defaultPixelPlan } from '../profiles/burned-in.js';
import { PROTECTED_ATTRIBUTES } from '../profiles/protected.js';
import { PRESETS, presetNamed } from '../profiles/presets.js';
import { basicProfileChangedTags, expandBasicProfile } from '../profiles/basic.js';
import { ConfigError, formatJsonPath, type ConfigWarning } from './errors.js';

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

/** Throws ConfigError naming `where` for an option that is not a PS3.15 option. */
export function checkProfileOptions(options: readonly string[], where: (index: number) => string): asserts options is ProfileOption[] {
  options.forEach((option, i) => {
    if (!(PROFILE_OPTIONS as readonly string[]).includes(option)) {
      throw new ConfigError(`unknown profile option "${String(option)}"; expected one of ${PROFILE_OPTIONS.join(', ')}`, where(i));
    }
  });
}

/**
 * The complete plan of `base`: its rules first (they take precedence), then the profile's rules, markers and data
 * when it names a profile. `referenceDate` defaults to today (UTC), fixed here once for the whole run.
 */
export function completePlan(base: PlanBase, referenceDate: string = utcDate()): Plan {
  if (!/^\d{8}$/.test(referenceDate)) throw new ConfigError(`the reference date must be YYYYMMDD, not "${referenceDate}"`, '$');
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

/** The plan when no config is given: the PS3.15 Basic Profile with these options, no rules of its own. */
export function basicProfilePlan(options: readonly ProfileOption[], referenceDate?: string): Plan {
  checkProfileOptions(options, (i) => formatJsonPath(['profile', 'options', i]));
  return completePlan({ rules: [], profile: { name: 'basic', options: [...options] }, unmatched: 'keep', dateShift: { ...DEFAULT_DATE_SHIFT } }, referenceDate);
}

export interface PlanInputs {
  /** A rules file (any accepted format); absent = the Basic Profile. */
  configPath?: string;
  /** Profile options added to the file's (or, without a file, to the Basic Profile). A file without a profile gets one. */
  options?: readonly string[];
  /** "Today" for date rules (YYYYMMDD); default the UTC date now. */
  referenceDate?: string;
  /**
   * `--preset NAME` (profiles/presets.ts): its options are added like `options` (a rules file without a profile gets
   * one), and its burned-in policy applies unless `burnedIn` is given.
   */
  preset?: string;
  /**
   * `--pixel-rules FILE` (repeatable): CTP DicomPixelAnonymizer.script or pydicom/deid recipe files; their rules come
   * after the rules file's own pixel rules (and the starter set), in the order given. Read only when given.
   */
  pixelRuleFiles?: readonly string[];
  /** `--burned-in`: overrides the rules file's "pixels.policy". */
  burnedIn?: BurnedInPolicy;
  /** `--redacted-syntax`: overrides the rules file's "pixels.redactedSyntax". */
  redactedSyntax?: 'same' | 'native';
}

export interface BuiltPlan {
  plan: Plan;
  /** Non-fatal remarks about the rules file (ignored Microsoft keys, published keys), with their JSON paths. */
  warnings: ConfigWarning[];
}

/** The one way to build a plan, for the CLI and the library alike. The rules-file parser loads only when needed. */
export async function buildPlan(given: PlanInputs = {}): Promise<BuiltPlan> {
  checkProfileOptions([...(given.options ?? [])], (i) => `--option[${i}]`);
  const inputs = withPreset(given);
  const options = [...(inputs.options ?? [])];
  checkProfileOptions(options, (i) => `--option[${i}]`);
  checkPixelFlags(inputs);
  let built: BuiltPlan;
  if (inputs.configPath === undefined) {
    built = { plan: basicProfilePlan(options, inputs.referenceDate), warnings: [] };
  } else {
    const { loadConfigBase } = await import('./load.js');
    const loaded = loadConfigBase(inputs.configPath);
    const base = loaded.base;
    const withOptions: PlanBase = options.length === 0
      ? base
      : { ...base, profile: { name: 'basic', options: [...new Set([...(base.profile?.options ?? []), ...options])] } };
    built = { plan: completePlan(withOptions, inputs.referenceDate), warnings: loaded.warnings };
  }
  built.plan.pixels = await withPixelInputs(built.plan.pixels, inputs);
  return built;
}

/** The inputs with the preset's options and burned-in policy merged in (the explicit flags win). */
function withPreset(inputs: PlanInputs): PlanInputs {
  if (inputs.preset === undefined) return inputs;
  const preset = presetNamed(inputs.preset);
  if (preset === undefined) {
    throw new ConfigError(`unknown preset "${String(inputs.preset)}"; expected one of ${PRESETS.map((p) => p.name).join(', ')}`, '--preset');
  }
  return {
    ...inputs,
    options: [...new Set([...preset.options, ...(inputs.options ?? [])])],
    burnedIn: inputs.burnedIn ?? preset.burnedIn,
  };
}

const POLICIES: readonly string[] = ['quarantine', 'redact', 'fail', 'keep'];
const SYNTAXES: readonly string[] = ['same', 'native'];

/** The CLI-style pixel inputs are checked at run time too (a library caller may pass any string). */
function checkPixelFlags(inputs: PlanInputs): void {
  if (inputs.burnedIn !== undefined && !POLICIES.includes(inputs.burnedIn)) {
    throw new ConfigError(`unknown burned-in policy "${String(inputs.burnedIn)}"; expected one of ${POLICIES.join(', ')}`, '--burned-in');
  }
  if (inputs.redactedSyntax !== undefined && !SYNTAXES.includes(inputs.redactedSyntax)) {
    throw new ConfigError(`unknown redacted syntax "${String(inputs.redactedSyntax)}"; expected one of ${SYNTAXES.join(', ')}`, '--redacted-syntax');
  }
}

/** The flags override the file's policy and syntax; the rule files' rules are appended. */
async function withPixelInputs(pixels: PixelPlan, inputs: PlanInputs): Promise<PixelPlan> {
  const out: PixelPlan = { ...pixels, detection: { ...pixels.detection, keepWords: [...pixels.detection.keepWords] }, gate: { ...pixels.gate }, rules: [...pixels.rules] };
  if (inputs.burnedIn !== undefined) out.policy = inputs.burnedIn;
  if (inputs.redactedSyntax !== undefined) out.redactedSyntax = inputs.redactedSyntax;
  const files = inputs.pixelRuleFiles ?? [];
  if (files.length > 0) {
    const { readPixelRuleFile } = await import('./pixel-rules/index.js');
    for (const file of files) out.rules.push(...readPixelRuleFile(file));
  }
  return out;
}
