// zod schemas for every accepted config format, and the conversion of zod issues into ConfigError.
//
// Strictness: every object is strict — an unknown key is a ConfigError naming its JSON path (this fixes MS-7, where a
// misspelled rule field such as "settings" is silently ignored and the default setting applies). The exceptions, all
// for Microsoft-format compatibility, are exactly these keys, which the Microsoft tool reads but ignores (or which
// appear in its own shipped/annotated configs); we accept them, ignore them, and emit a warning:
//   - top level `"profile": [ ...strings... ]` (Sample-Configuration-WithNote.md has ["MINIMAL_KEEP_LIST_PROFILE"]).
//     Our own `profile` key is a string ("basic") or an object ({name, options}); only the array form is ignored.
//   - perturb setting `distribution` (annotated sample: "Uniform"; dead in Microsoft's code, noise is always uniform).
//   - cryptoHash setting `cryptoHashFunction` (annotated sample: "hmacsha256"; dead in Microsoft's code).
//   - redact settings `enablePartialZipCodesForRedact` / `restrictedZipCodeTabulationAreas` (exist in Microsoft's shared
//     setting class, never used for DICOM; we pass the first through to the action, ignore the second).
// Also accepted in every format: a top-level "$schema" string (for editors), ignored, and our "pixels" key
// (burned-in text settings, validated by pixel-rules/json.ts).
// Microsoft settings keys (inside defaultSettings / customSettings / params) and the defaultSettings method names are
// matched case-insensitively like Newtonsoft does; rule fields and top-level keys are case-sensitive.

import { z } from 'zod';
import { ConfigError, type JsonPathSegment } from './errors.js';
import { DATE_SHIFT_SCOPES, PROFILE_OPTIONS } from '../plan/plan.js';

// ---------------------------------------------------------------- shared

const requiredString = (key: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `missing required key "${key}"` : `"${key}" must be a string`) });

/** Our profile key: "basic" or {name: "basic", options: [...]}. */
export const profileSchema = z.union([
  z.literal('basic', { error: 'unknown profile (the only profile is "basic")' }),
  z.strictObject({
    name: z.literal('basic', { error: 'unknown profile name (the only profile is "basic")' }),
    options: z.array(z.enum(PROFILE_OPTIONS, { error: `unknown profile option; expected one of ${PROFILE_OPTIONS.join(', ')}` })).optional(),
    /** The keyed shift of Retain Longitudinal Modified Dates: one offset per scope value, within ±days. */
    dateShift: z.strictObject({
      scope: z.enum(DATE_SHIFT_SCOPES, { error: `"scope" must be one of ${DATE_SHIFT_SCOPES.join(', ')}` }).optional(),
      days: z.number({ error: '"days" must be a number' }).int('"days" must be a whole number').min(1, '"days" must be at least 1').max(36500, '"days" must be at most 36500').optional(),
    }).optional(),
  }),
]);
export type ProfileInput = z.infer<typeof profileSchema>;

/** Microsoft's dead top-level "profile": an array of strings, ignored. */
export const msDeadProfileSchema = z.array(z.string());

const tagList = z.array(z.string({ error: 'expected a tag string' }), { error: 'expected an array of tag strings' });

// ---------------------------------------------------------------- Microsoft format

export const MS_METHODS = ['keep', 'remove', 'redact', 'substitute', 'perturb', 'dateshift', 'cryptohash', 'encrypt', 'refreshuid'] as const;
export type MsMethod = (typeof MS_METHODS)[number];
/** The methods that take settings, by their lower-case method name, with the canonical defaultSettings key. */
export const MS_SETTINGS_KEYS: Readonly<Record<string, string>> = {
  perturb: 'perturb', substitute: 'substitute', dateshift: 'dateShift', encrypt: 'encrypt', cryptohash: 'cryptoHash', redact: 'redact',
};

export const msTopLevelSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Array form = Microsoft's dead key (validated with msDeadProfileSchema), else ours (profileSchema); see load.ts. */
  profile: z.unknown().optional(),
  /** Our burned-in pixel settings (pixel-rules/json.ts), allowed in every format. */
  pixels: z.unknown().optional(),
  rules: z.array(z.unknown(), { error: '"rules" must be an array' }).optional(),
  defaultSettings: z.record(z.string(), z.unknown(), { error: '"defaultSettings" must be an object keyed by method name (not an array, MS-6)' }).optional(),
  customSettings: z
    .record(z.string(), z.record(z.string(), z.unknown(), { error: 'a custom setting must be an object' }), {
      error: '"customSettings" must be an object keyed by setting name (not an array, MS-6)',
    })
    .optional(),
});

export const msRuleSchema = z.strictObject(
  {
    tag: requiredString('tag'),
    method: requiredString('method'),
    setting: z.string({ error: '"setting" must be the name of a customSettings entry' }).optional(),
    params: z.record(z.string(), z.unknown(), { error: '"params" must be an object' }).optional(),
  },
  { error: 'a rule must be an object' },
);
export type MsRuleInput = z.infer<typeof msRuleSchema>;

// Setting values: Newtonsoft converts strings to numbers/booleans and numbers to strings; enums match any case.
const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const msNumber = z.preprocess(
  (v) => (typeof v === 'string' && NUMERIC.test(v) ? Number(v) : v),
  z.number({ error: 'expected a number (or a string holding one)' }).finite(),
);
const msBool = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v) ? v.trim().toLowerCase() === 'true' : v),
  z.boolean({ error: 'expected true or false' }),
);
const msString = z.preprocess(
  (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v),
  z.string({ error: 'expected a string' }),
);
function msEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? (values.find((x) => x.toLowerCase() === v.trim().toLowerCase()) ?? v) : v),
    z.enum(values, { error: `expected one of ${values.join(', ')}` }),
  );
}

/** Per method: canonical setting name → schema of its value. Keys are matched case-insensitively. */
export const MS_SETTING_SCHEMAS = {
  perturb: {
    span: msNumber.refine((n) => n >= 0, 'span must be ≥ 0'),
    roundTo: msNumber.refine((n) => Number.isInteger(n) && n >= 0 && n <= 28, 'roundTo must be an integer in [0, 28]'),
    rangeType: msEnum(['Fixed', 'Proportional']),
    distribution: msString, // dead key, see header
  },
  substitute: {
    replaceWith: msString,
  },
  dateShift: {
    dateShiftKey: msString,
    dateShiftScope: msEnum(['StudyInstance', 'SeriesInstance', 'SopInstance']),
    dateShiftRange: msNumber.refine((n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff, 'dateShiftRange must be a non-negative integer'),
  },
  cryptoHash: {
    cryptoHashKey: msString,
    // Microsoft also has Sha384/Sha512; our hash action is HMAC-SHA256 only, so anything else fails loudly.
    cryptoHashType: msEnum(['Sha256', 'Sha384', 'Sha512']).refine((v) => v === 'Sha256', 'only Sha256 is supported by this tool'),
    // MS-19: float32-based, collides, crashes over 18 characters; not implemented.
    matchInputStringLength: msBool.refine((v) => !v, 'matchInputStringLength: true is not supported by this tool (MS-19)'),
    cryptoHashFunction: msString, // dead key, see header
  },
  encrypt: {
    // AES-128/192/256: the key's UTF-8 bytes must be 16, 24 or 32 long (checked at load, like Microsoft).
    encryptKey: msString.superRefine((v, ctx) => {
      const n = Buffer.byteLength(v, 'utf8');
      if (n !== 16 && n !== 24 && n !== 32) {
        ctx.addIssue({ code: 'custom', message: `invalid encrypt key size: must be 16, 24 or 32 bytes of UTF-8 (it has ${n})` });
      }
    }),
  },
  redact: {
    enablePartialAgesForRedact: msBool,
    enablePartialDatesForRedact: msBool,
    enablePartialZipCodesForRedact: msBool,
    restrictedZipCodeTabulationAreas: z.array(msString), // unused for DICOM, see header
  },
} as const satisfies Record<string, Record<string, z.ZodType>>;
export type MsSettingsMethod = keyof typeof MS_SETTING_SCHEMAS;

/** Every known setting name, lower-case → canonical (for checking customSettings entries no rule uses). */
export const ALL_MS_SETTING_NAMES: ReadonlyMap<string, string> = new Map(
  Object.values(MS_SETTING_SCHEMAS).flatMap((s) => Object.keys(s).map((k) => [k.toLowerCase(), k] as const)),
);

// ---------------------------------------------------------------- simple rules format

export const simpleTopLevelSchema = z.strictObject({
  $schema: z.string().optional(),
  profile: profileSchema.optional(),
  pixels: z.unknown().optional(),
  rules: z.array(z.unknown(), { error: '"rules" must be an array' }).optional(),
});

export const simpleRuleSchema = z.strictObject(
  {
    tag: requiredString('tag'),
    method: requiredString('method'),
    /** replace: the new value. */
    value: z.string({ error: '"value" must be a string' }).optional(),
    /** shiftDate: maximum shift in days (the shift is in [-days, +days]). */
    days: z.number({ error: '"days" must be a number' }).int('"days" must be an integer').min(0, '"days" must be ≥ 0').optional(),
    /** shiftDate: which UID the shift is derived from. */
    scope: z.enum(DATE_SHIFT_SCOPES, { error: `"scope" must be one of ${DATE_SHIFT_SCOPES.join(', ')}` }).optional(),
    /** hash / shiftDate: key overriding the run's key. */
    key: z.string({ error: '"key" must be a string' }).optional(),
    /** pseudonym: text before the digits. */
    prefix: z.string({ error: '"prefix" must be a string' }).optional(),
  },
  { error: 'a rule must be an object' },
);
export type SimpleRuleInput = z.infer<typeof simpleRuleSchema>;

// ---------------------------------------------------------------- simple lists format

export const SIMPLE_LIST_KEYS = ['keepTags', 'removeTags', 'hashTags', 'replaceTags', 'removeAllPrivateTags'] as const;

export const simpleListSchema = z.strictObject({
  $schema: z.string().optional(),
  profile: profileSchema.optional(),
  pixels: z.unknown().optional(),
  keepTags: tagList.optional(),
  hashTags: tagList.optional(),
  /** {"PatientName": "ANONYMOUS", "(0008,0080)": "HOSPITAL"}: selector → replacement value. */
  replaceTags: z.record(z.string(), z.string({ error: 'a replacement value must be a string' }), { error: '"replaceTags" must be an object of tag → value' }).optional(),
  removeTags: tagList.optional(),
  removeAllPrivateTags: z.boolean({ error: '"removeAllPrivateTags" must be true or false' }).optional(),
});
export type SimpleListInput = z.infer<typeof simpleListSchema>;

// ---------------------------------------------------------------- zod → ConfigError

const KNOWN_KEYS = [
  'rules', 'defaultSettings', 'customSettings', 'profile', 'tag', 'method', 'setting', 'params', 'value', 'days', 'scope', 'key',
  'prefix', 'name', 'options', 'pixels', 'when', 'blank', 'frames', 'gate', 'policy', 'redactedSyntax', 'starter', 'detection', 'minScore', 'margin', 'keepWords', 'keepMinTextScore', ...SIMPLE_LIST_KEYS,
];

function suggestion(key: string): string {
  const k = key.toLowerCase();
  const hit = KNOWN_KEYS.find((known) => {
    const kn = known.toLowerCase();
    return kn === k || kn + 's' === k || kn === k + 's';
  });
  return hit !== undefined && hit !== key ? ` (did you mean "${hit}"?)` : '';
}

/** Validates `value` with `schema`; on failure throws a ConfigError for the first issue, with its full JSON path. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, basePath: readonly JsonPathSegment[]): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw issueToError(result.error.issues[0], basePath);
}

function issueToError(issue: z.core.$ZodIssue, basePath: readonly JsonPathSegment[]): ConfigError {
  const path = [...basePath, ...(issue.path as JsonPathSegment[])];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    return new ConfigError(`unknown key "${key}"${suggestion(key)}`, [...path, key]);
  }
  if (issue.code === 'invalid_union') {
    // Report the branch that got furthest (deepest path), which is the most specific complaint.
    const branches = issue.errors.map((b) => b[0]).filter((b): b is z.core.$ZodIssue => b !== undefined);
    const best = branches.sort((a, b) => b.path.length - a.path.length)[0];
    if (best !== undefined) return issueToError(best, path);
  }
  return new ConfigError(issue.message, path);
}
