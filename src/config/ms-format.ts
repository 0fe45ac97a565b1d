// Microsoft "Tools-for-Health-Data-Anonymization" DICOM rules → our Rule[] (spec: ms-dicom-spec.md §3-5).
//
// Compatible: method names in any case; the four selector forms; settings resolution defaultSettings[method] or
// customSettings[setting] (case-sensitive name), then `params` over it; settings keys case-insensitive; strings
// accepted for numbers/booleans; load-time validation of perturb span/roundTo and the encrypt key size.
// Deliberately different (all fail at load, with the JSON path, instead of crashing or misbehaving at run time):
//   MS-5  missing `rules` (without a profile) → ConfigError; missing `defaultSettings` → documented defaults are used.
//   MS-6  array-shaped defaultSettings/customSettings → ConfigError that says so.
//   MS-7  unknown rule fields / setting names → ConfigError (strict), except the documented dead keys (schema.ts).
//   MS-8  `params` are merged into a COPY of the chosen settings: no leaks into later rules.
//   MS-9  "(0010, 0010)" is PatientName (selector.ts).
//   MS-11 (partly) a method the selected tag's dictionary VR / the selected VR cannot take → ConfigError at load.
//   MS-17 documented defaults where code and docs disagree: substitute "ANONYMOUS" (their code: "Anonymous");
//         a missing dateShiftKey / cryptoHashKey / encryptKey leaves `key` unset so the run's key is used (their
//         code: "" for dateShift, a random per-rule key for the others). dateShiftScope keeps THEIR code default
//         (SopInstance → 'instance'), range 50.
//   A configured dateShiftKey selects their day-offset formula (offsetFormula: 'microsoft', spec §5.6) so shifted
//   dates equal theirs. It is weak: offset = (a·c + d) mod (2×range+1) − range, with `a` computed from the public UID
//   and only c, d depending on the key, so two known true dates (two studies/series) reveal every other offset.
//   That is why only Microsoft configs with an explicit key get it; everything else uses the HMAC offset.
//   Unsupported here → ConfigError: custom (plug-in) methods, cryptoHashType other than Sha256,
//   matchInputStringLength: true. Settings in defaultSettings are validated even when no rule uses them.

import { ConfigError, formatJsonPath, quote, type ConfigWarning, type JsonPathSegment } from './errors.js';
import type { Action, ActionType, DateShiftScope, Rule, Selector } from '../plan/plan.js';
import {
  ALL_MS_SETTING_NAMES, MS_METHODS, MS_SETTING_SCHEMAS, MS_SETTINGS_KEYS, msDeadProfileSchema, msRuleSchema, validate,
  type MsMethod, type MsSettingsMethod,
} from './schema.js';
import { describeSelector, parseSelector, selectorVRs } from './selector.js';
import { vrsWhere } from '../dicom/vr.js';
import { refuseUnmakingRule } from './protected-rules.js';

// ---------------------------------------------------------------- VR applicability (shared with simple-format.ts)

const STRING_VRS = vrsWhere((vr) => vr.kind === 'text');
/** Which VRs each action can take (spec §5.10; absent = every VR). */
const ACTION_VRS: Partial<Record<ActionType, readonly string[]>> = {
  hash: [...STRING_VRS, 'OB', 'UN'],
  // base64(IV ‖ ciphertext) is at least 44 characters: only VRs that can hold it (LO/PN up to 31 bytes of text).
  encrypt: ['LO', 'LT', 'PN', 'ST', 'UC', 'UR', 'UT', 'OB', 'UN'],
  shiftDate: vrsWhere((vr) => vr.temporal),
  remapUid: ['UI'],
  perturb: ['AS', 'DS', 'IS', ...vrsWhere((vr) => vr.kind === 'number')],
  pseudonym: STRING_VRS.filter((vr) => vr !== 'UI'),
};

/**
 * Throws when the selector certainly selects elements the action cannot take: a VR selector, or an exact public tag
 * none of whose dictionary VRs fits ("OB or OW" pixel data may be hashed: OB fits). Masks, groups, private selectors
 * and unknown tags are not checked here (the engine decides per element).
 */
export function checkActionVR(action: Action, selector: Selector, path: readonly JsonPathSegment[], methodName: string): void {
  const allowed = ACTION_VRS[action.type];
  if (allowed === undefined) return;
  const vrs = selectorVRs(selector);
  if (vrs === null || vrs.some((vr) => allowed.includes(vr))) return;
  throw new ConfigError(
    `method ${quote(methodName)} cannot be applied to ${describeSelector(selector)}${selector.kind === 'vr' ? '' : ` (VR ${vrs.join(' or ')})`}; ` +
      `it takes only ${allowed.join(', ')}`,
    path,
  );
}

// ---------------------------------------------------------------- settings

interface SettingEntry {
  /** As written in the config. */
  name: string;
  value: unknown;
  /** Where this value was written (defaultSettings, customSettings or the rule's params). */
  path: JsonPathSegment[];
}
/** Lower-case setting name → entry. A fresh Map per rule: resolving never mutates shared settings (MS-8 fixed). */
type SettingsBag = Map<string, SettingEntry>;

function bagOf(obj: Record<string, unknown>, path: JsonPathSegment[]): SettingsBag {
  const bag: SettingsBag = new Map();
  for (const [name, value] of Object.entries(obj)) {
    const lower = name.toLowerCase();
    const previous = bag.get(lower);
    if (previous !== undefined) {
      throw new ConfigError(`setting "${name}" duplicates "${previous.name}" (setting names are case-insensitive)`, [...path, name]);
    }
    bag.set(lower, { name, value, path: [...path, name] });
  }
  return bag;
}

const DEAD_SETTINGS = new Set(['distribution', 'cryptohashfunction', 'restrictedzipcodetabulationareas']);
/** Keys published in Microsoft's shipped configs (MS-23): anyone can recompute hashes/shifts made with them. */
const PUBLISHED_KEYS = new Set(['123', '456', '123456781234567812345678', '0000000000000000']);
const KEY_SETTINGS = new Set(['dateShiftKey', 'cryptoHashKey', 'encryptKey']);

type Typed = Record<string, unknown>;

class SettingsContext {
  readonly warnings = new Map<string, ConfigWarning>();
  /** defaultSettings by canonical method key (perturb, dateShift, ...). */
  private readonly defaults = new Map<MsSettingsMethod, SettingsBag>();
  private readonly custom = new Map<string, SettingsBag>();

  constructor(defaultSettings: Record<string, unknown> | undefined, customSettings: Record<string, Record<string, unknown>> | undefined) {
    const seen = new Map<string, string>();
    for (const [name, value] of Object.entries(defaultSettings ?? {})) {
      const path: JsonPathSegment[] = ['defaultSettings', name];
      const method = MS_SETTINGS_KEYS[name.toLowerCase()] as MsSettingsMethod | undefined;
      if (method === undefined) {
        throw new ConfigError(
          `unknown method "${name}" in defaultSettings; expected one of ${Object.values(MS_SETTINGS_KEYS).join(', ')}`,
          path,
        );
      }
      if (seen.has(method)) throw new ConfigError(`"${name}" duplicates "${seen.get(method)}" (method names are case-insensitive)`, path);
      seen.set(method, name);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ConfigError(`the default settings of ${method} must be an object`, path);
      }
      const bag = bagOf(value as Record<string, unknown>, path);
      this.typed(method, bag); // validate now, even when no rule uses it
      this.defaults.set(method, bag);
    }
    for (const [name, value] of Object.entries(customSettings ?? {})) {
      const path: JsonPathSegment[] = ['customSettings', name];
      const bag = bagOf(value, path);
      for (const entry of bag.values()) {
        if (!ALL_MS_SETTING_NAMES.has(entry.name.toLowerCase())) {
          throw new ConfigError(`unknown setting "${entry.name}"`, entry.path);
        }
      }
      this.custom.set(name, bag);
    }
  }

  /** The resolved settings of one rule: a copy of the default or custom setting, with params over it. */
  resolve(method: MsSettingsMethod, rulePath: JsonPathSegment[], setting: string | undefined, params: Record<string, unknown> | undefined): Typed {
    let base: SettingsBag | undefined;
    if (setting !== undefined) {
      base = this.custom.get(setting);
      if (base === undefined) {
        throw new ConfigError(`custom setting ${quote(setting)} is not defined in customSettings (names are case-sensitive)`, [...rulePath, 'setting']);
      }
    } else {
      base = this.defaults.get(method);
    }
    const merged: SettingsBag = new Map(base);
    if (params !== undefined) for (const [lower, entry] of bagOf(params, [...rulePath, 'params'])) merged.set(lower, entry);
    return this.typed(method, merged);
  }

  /** Validates every entry against the method's setting schemas; returns canonical name → parsed value. */
  private typed(method: MsSettingsMethod, bag: SettingsBag): Typed {
    const schemas: Record<string, import('zod').ZodType> = MS_SETTING_SCHEMAS[method];
    const canonical = new Map(Object.keys(schemas).map((k) => [k.toLowerCase(), k]));
    const out: Typed = {};
    for (const [lower, entry] of bag) {
      const name = canonical.get(lower);
      if (name === undefined) {
        throw new ConfigError(`"${entry.name}" is not a setting of ${method}; expected ${[...canonical.values()].join(', ')}`, entry.path);
      }
      const jsonPath = formatJsonPath(entry.path);
      if (DEAD_SETTINGS.has(lower)) {
        this.warn(jsonPath, `"${entry.name}" is ignored (as by the Microsoft tool)`);
        continue;
      }
      if (entry.value === null) continue; // null = absent, as with Newtonsoft
      const value = validate(schemas[name], entry.value, entry.path);
      if (KEY_SETTINGS.has(name) && typeof value === 'string' && PUBLISHED_KEYS.has(value)) {
        this.warn(jsonPath, 'this key is published in the Microsoft sample configurations (MS-23); use a secret key');
      }
      out[name] = value;
    }
    return out;
  }

  warn(jsonPath: string, message: string): void {
    if (!this.warnings.has(jsonPath)) this.warnings.set(jsonPath, { jsonPath, message });
  }

  /** The default settings' date shift, for plan.dateShift; null when defaultSettings has no dateShift entry. */
  defaultDateShift(): { scope: DateShiftScope; rangeDays: number } | null {
    const bag = this.defaults.get('dateShift');
    if (bag === undefined) return null;
    const s = this.typed('dateShift', bag);
    return { scope: scopeOf(s.dateShiftScope), rangeDays: (s.dateShiftRange as number | undefined) ?? 50 };
  }
}

const SCOPES: Record<string, DateShiftScope> = { StudyInstance: 'study', SeriesInstance: 'series', SopInstance: 'instance' };
/** Absent → SopInstance, the Microsoft code default (their docs say SeriesInstance; MS-17). */
const scopeOf = (value: unknown): DateShiftScope => SCOPES[(value as string | undefined) ?? 'SopInstance'];

// ---------------------------------------------------------------- rules

export interface MsConfigInput {
  rules?: unknown[];
  defaultSettings?: Record<string, unknown>;
  customSettings?: Record<string, Record<string, unknown>>;
  profile?: unknown;
}

export interface MsConversion {
  rules: Rule[];
  /** From defaultSettings.dateShift, or null when absent. */
  dateShift: { scope: DateShiftScope; rangeDays: number } | null;
  warnings: ConfigWarning[];
}

const METHOD_LIST = 'keep, remove, redact, substitute, perturb, dateShift, cryptoHash, encrypt, refreshUID';

/** Converts a Microsoft-format document (already checked against msTopLevelSchema) into rules. */
export function convertMsConfig(doc: MsConfigInput): MsConversion {
  const ctx = new SettingsContext(doc.defaultSettings, doc.customSettings);
  if (Array.isArray(doc.profile)) {
    validate(msDeadProfileSchema, doc.profile, ['profile']);
    ctx.warn('$.profile', 'the Microsoft-style "profile" array is ignored (as by the Microsoft tool); use "profile": "basic" for the PS3.15 profile');
  }
  const rules = (doc.rules ?? []).map((raw, i) => convertMsRule(raw, i, ctx));
  return { rules, dateShift: ctx.defaultDateShift(), warnings: [...ctx.warnings.values()] };
}

function convertMsRule(raw: unknown, index: number, ctx: SettingsContext): Rule {
  const rulePath: JsonPathSegment[] = ['rules', index];
  const rule = validate(msRuleSchema, raw, rulePath);
  const selector = parseSelector(rule.tag, [...rulePath, 'tag']);
  const methodPath = [...rulePath, 'method'];
  const method = rule.method.trim().toLowerCase() as MsMethod;
  if (!(MS_METHODS as readonly string[]).includes(method)) {
    throw new ConfigError(`unsupported method ${quote(rule.method)}; expected one of ${METHOD_LIST} (any case)`, methodPath);
  }

  let action: Action;
  const settingsKey = MS_SETTINGS_KEYS[method] as MsSettingsMethod | undefined;
  if (settingsKey === undefined) {
    // keep, remove, refreshUID take no settings.
    for (const field of ['setting', 'params'] as const) {
      if (rule[field] !== undefined) throw new ConfigError(`method ${quote(rule.method)} takes no settings`, [...rulePath, field]);
    }
    action = method === 'keep' ? { type: 'keep' } : method === 'remove' ? { type: 'remove' } : { type: 'remapUid' };
  } else {
    const s = ctx.resolve(settingsKey, rulePath, rule.setting, rule.params);
    action = buildAction(settingsKey, s);
  }
  checkActionVR(action, selector, methodPath, rule.method);
  return refuseUnmakingRule({ selector, action, origin: `config.rules[${index}]` }, rulePath);
}

function buildAction(method: MsSettingsMethod, s: Typed): Action {
  const key = (name: string): string | undefined => s[name] as string | undefined;
  switch (method) {
    case 'redact':
      return {
        type: 'redact',
        partialDates: (s.enablePartialDatesForRedact as boolean | undefined) ?? false,
        partialAges: (s.enablePartialAgesForRedact as boolean | undefined) ?? false,
        partialZipCodes: (s.enablePartialZipCodesForRedact as boolean | undefined) ?? false,
      };
    case 'substitute':
      return { type: 'replace', value: (s.replaceWith as string | undefined) ?? 'ANONYMOUS' };
    case 'perturb':
      return {
        type: 'perturb',
        span: (s.span as number | undefined) ?? 1,
        roundTo: (s.roundTo as number | undefined) ?? 2,
        rangeType: ((s.rangeType as string | undefined) ?? 'Proportional') === 'Fixed' ? 'fixed' : 'proportional',
      };
    case 'dateShift': {
      const a: Action = { type: 'shiftDate', scope: scopeOf(s.dateShiftScope), rangeDays: (s.dateShiftRange as number | undefined) ?? 50, shiftTime: false };
      // With a configured key, their day-offset formula (spec §5.6) so our shifted dates equal theirs. Without one
      // (their code would use ""), the run's key and our HMAC offset apply (MS-17).
      const k = key('dateShiftKey');
      return k === undefined ? a : { ...a, key: k, offsetFormula: 'microsoft' };
    }
    case 'cryptoHash': {
      // cryptoHashType (Sha256 only) and matchInputStringLength (false only) are checked by their schemas.
      const k = key('cryptoHashKey');
      return k === undefined ? { type: 'hash' } : { type: 'hash', key: k };
    }
    case 'encrypt': {
      // The key size is checked by its schema, at the path where the key is written.
      const k = key('encryptKey');
      return k === undefined ? { type: 'encrypt' } : { type: 'encrypt', key: k };
    }
  }
}
