// The one way to a Plan, for the CLI and the library alike: a rules file (any format, read by load.ts), profile
// options and a preset (from the command line or a library call, merged here and nowhere else), pixel rule files, and
// the run's reference date. complete.ts expands the profile, so the engine only ever executes a Plan.

import {
  BURNED_IN_POLICIES, PROFILE_OPTIONS, REDACTED_SYNTAXES, type BurnedInPolicy, type PixelPlan, type Plan, type ProfileOption, type RedactedSyntax,
} from '../plan/plan.js';
import { PRESETS, presetNamed } from '../profiles/presets.js';
import { basicProfilePlan, completePlan, type PlanBase } from './complete.js';
import { ConfigError, type ConfigWarning } from './errors.js';

// Internal callers (tests, scripts) that want the Basic Profile without a file, synchronously; not the public API.
export { basicProfilePlan, completePlan } from './complete.js';

export interface PlanInputs {
  /** A rules file (any accepted format); absent = the Basic Profile. */
  configPath?: string;
  /**
   * Profile options added to the file's (or, without a file, to the Basic Profile). A file without a profile gets one.
   * Checked here, once (a library caller may pass any string); the CLI's commander choices come from PROFILE_OPTIONS.
   */
  options?: readonly ProfileOption[];
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
  redactedSyntax?: RedactedSyntax;
}

export interface BuiltPlan {
  plan: Plan;
  /** Non-fatal remarks about the rules file (ignored Microsoft keys, published keys), with their JSON paths. */
  warnings: ConfigWarning[];
}

/** The one way to build a plan, for the CLI and the library alike. The rules-file parser loads only when needed. */
export async function buildPlan(given: PlanInputs = {}): Promise<BuiltPlan> {
  checkChoices(given);
  const inputs = withPreset(given);
  const options = [...(inputs.options ?? [])];
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

/** The value-list inputs, checked once at run time (a library caller may pass any string). */
function checkChoices(inputs: PlanInputs): void {
  (inputs.options ?? []).forEach((option, i) => checkChoice(PROFILE_OPTIONS, option, 'profile option', `--option[${i}]`));
  if (inputs.burnedIn !== undefined) checkChoice(BURNED_IN_POLICIES, inputs.burnedIn, 'burned-in policy', '--burned-in');
  if (inputs.redactedSyntax !== undefined) checkChoice(REDACTED_SYNTAXES, inputs.redactedSyntax, 'redacted syntax', '--redacted-syntax');
}

function checkChoice(choices: readonly string[], value: string, what: string, flag: `--${string}`): void {
  if (!choices.includes(value)) throw new ConfigError(`unknown ${what} "${String(value)}"; expected one of ${choices.join(', ')}`, flag);
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
