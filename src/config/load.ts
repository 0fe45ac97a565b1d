// Config text → the file's own rules and profile choice (a PlanBase; complete.ts expands it into the Plan).
// Everything is checked here, before any DICOM file is read; every error is a ConfigError that names the JSON path
// (and the line:column of the offending value when it exists in the text).
//
// Syntax: JSON with // and /* */ comments and trailing commas (jsonc-parser); a UTF-8 BOM is stripped; duplicate keys
// are an error (JSON parsers silently keep one of them), and so is a "__proto__" key.
//
// Format detection (one file = one format):
//   1. any of keepTags / removeTags / hashTags / replaceTags / removeAllPrivateTags → simple lists
//      (combining them with "rules", "defaultSettings" or "customSettings" is an error);
//   2. defaultSettings or customSettings, or a Microsoft-style "profile" array → Microsoft;
//   3. "rules": the first rule with a decisive sign decides — Microsoft: a `setting` or `params` field or a method among
//      redact, substitute, perturb, cryptoHash, encrypt, refreshUID (any case); simple: a value/days/scope/key/prefix
//      field or a method among replace, hash, empty, remapUid, uid, shiftDate, pseudonym. A later rule with the other
//      format's sign is an error. No sign at all (only keep/remove/dateShift) → simple rules (a Microsoft config
//      without defaultSettings could not run a dateShift in the Microsoft tool anyway; keep/remove mean the same).
//   4. only "profile" and/or "pixels" → profile only. A file with "pixels" alone means the Basic Profile (no options)
//      plus those pixel settings: "pixels" never switches the metadata profile off.
//   Nothing of the above ({}) → error.
// Our "profile" key ("basic" or {"name":"basic","options":[...]}) may be combined with any format: the config's rules
// come first in plan.rules (they take precedence) and plan.profile is set. Without it plan.profile = null. In every case
// plan.unmatched = 'keep' (elements no rule matches are left alone, as in the Microsoft tool).
// Our "pixels" key (burned-in policy, gate, rectangle rules; see pixel-rules/json.ts) may be combined with any format
// too; it sets base.pixels. Without it base.pixels is absent (the default pixel plan).

import { findNodeAtLocation, getLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { ConfigError, formatJsonPath, type ConfigWarning, type JsonPathSegment, type TextPosition } from './errors.js';
import type { DateShiftScope, Plan, ProfileChoice, Rule } from '../plan/plan.js';
import { completePlan, DEFAULT_DATE_SHIFT, type PlanBase } from './complete.js';
import {
  msTopLevelSchema, profileSchema, simpleListSchema, simpleTopLevelSchema, SIMPLE_LIST_KEYS, validate,
} from './schema.js';
import { convertMsConfig } from './ms-format.js';
import { convertSimpleLists, convertSimpleRules } from './simple-format.js';
import { readRulesText } from './text-file.js';
import { parsePixelSettings, pixelPlanFromSettings } from './pixel-rules/json.js';

export type ConfigFormat = 'microsoft' | 'simple-rules' | 'simple-lists' | 'profile';

export interface LoadedConfig {
  /** The file's own rules and profile choice; completePlan (build.ts) expands the profile. */
  base: PlanBase;
  format: ConfigFormat;
  /** Non-fatal remarks (ignored Microsoft keys, published keys); the CLI may print them. */
  warnings: ConfigWarning[];
}

// Internal callers (tests, scripts) that want the Basic Profile without a file, synchronously; not the public API.
export { basicProfilePlan, DEFAULT_DATE_SHIFT } from './complete.js';

/** The complete plan of a rules file (profile expanded, today as the reference date). */
export function loadConfigFile(path: string): Plan {
  return completePlan(loadConfigBase(path).base);
}

export function loadConfigBase(path: string): LoadedConfig {
  const text = readRulesText(path, 'config file');
  return parseConfigBase(text, path);
}

/** The complete plan of a rules file's text (profile expanded, today as the reference date). */
export function parseConfig(text: string, file?: string): Plan {
  return completePlan(parseConfigBase(text, file).base);
}

export function parseConfigBase(text: string, file?: string): LoadedConfig {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length > 0 || root === undefined) {
    const first = errors[0];
    const offset = first?.offset ?? 0;
    const reason = first ? `JSON syntax error: ${printParseErrorCode(first.error)}` : 'JSON syntax error: empty document';
    throw new ConfigError(reason, getLocation(text, offset).path, file, positionOf(text, offset));
  }
  try {
    checkDuplicateKeys(text, root, []);
    return build(getNodeValue(root) as unknown, file);
  } catch (e) {
    if (e instanceof ConfigError) throw e.locate(file, e.position ?? (e.path ? locatePath(text, root, e.path) : undefined));
    throw e;
  }
}

// ---------------------------------------------------------------- building

type Doc = Record<string, unknown>;
const has = (doc: Doc, key: string): boolean => Object.hasOwn(doc, key) && doc[key] !== undefined;

function build(value: unknown, file?: string): LoadedConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('the configuration must be a JSON object', []);
  }
  const doc = value as Doc;
  const format = detectFormat(doc);
  const warnings: ConfigWarning[] = [];
  let rules: Rule[];
  let dateShift = { ...DEFAULT_DATE_SHIFT };
  let profile: ProfileChoice | null = null;
  let profileDateShift: Partial<{ scope: DateShiftScope; rangeDays: number }> = {};
  const takeProfile = (raw: unknown): void => {
    const p = profileOf(raw);
    profile = p.choice;
    profileDateShift = p.dateShift;
  };

  switch (format) {
    case 'microsoft': {
      const top = validate(msTopLevelSchema, doc, []);
      if (top.profile !== undefined && !Array.isArray(top.profile)) takeProfile(top.profile);
      if (top.rules === undefined && profile === null) {
        throw new ConfigError('missing required key "rules" (a Microsoft-format config needs rules, or a "profile")', ['rules']);
      }
      const conv = convertMsConfig(top);
      rules = conv.rules;
      warnings.push(...conv.warnings);
      if (conv.dateShift !== null) dateShift = conv.dateShift;
      break;
    }
    case 'simple-lists': {
      const top = validate(simpleListSchema, doc, []);
      if (top.profile !== undefined) takeProfile(top.profile);
      rules = convertSimpleLists(top);
      break;
    }
    case 'simple-rules':
    case 'profile': {
      const top = validate(simpleTopLevelSchema, doc, []);
      if (top.profile !== undefined) takeProfile(top.profile);
      else if (format === 'profile') profile = { name: 'basic', options: [] }; // "pixels" alone: the Basic Profile
      rules = convertSimpleRules(top.rules ?? [], dateShift);
      break;
    }
  }
  dateShift = { ...dateShift, ...profileDateShift };
  const base: PlanBase = { rules, profile, unmatched: 'keep', dateShift };
  if (has(doc, 'pixels')) base.pixels = pixelPlanFromSettings(parsePixelSettings(doc.pixels, file));
  return { base, format, warnings };
}

/** The profile choice, and the profile's own date-shift settings when the config gives them. */
function profileOf(raw: unknown): { choice: ProfileChoice; dateShift: Partial<{ scope: DateShiftScope; rangeDays: number }> } {
  const p = validate(profileSchema, raw, ['profile']);
  if (p === 'basic') return { choice: { name: 'basic', options: [] }, dateShift: {} };
  const dateShift: Partial<{ scope: DateShiftScope; rangeDays: number }> = {};
  if (p.dateShift?.scope !== undefined) dateShift.scope = p.dateShift.scope;
  if (p.dateShift?.days !== undefined) dateShift.rangeDays = p.dateShift.days;
  return { choice: { name: 'basic', options: [...new Set(p.options ?? [])] }, dateShift };
}

const MS_ONLY_METHODS = new Set(['redact', 'substitute', 'perturb', 'cryptohash', 'encrypt', 'refreshuid']);
const SIMPLE_ONLY_METHODS = new Set(['replace', 'hash', 'empty', 'remapuid', 'uid', 'shiftdate', 'pseudonym']);
const MS_ONLY_FIELDS = ['setting', 'params'];
const SIMPLE_ONLY_FIELDS = ['value', 'days', 'scope', 'key', 'prefix'];

type Sign = { format: 'microsoft' | 'simple-rules'; path: JsonPathSegment[]; what: string };

function signOf(rule: unknown, index: number): Sign | null {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return null;
  const r = rule as Doc;
  const method = typeof r.method === 'string' ? r.method.trim().toLowerCase() : undefined;
  if (method !== undefined && MS_ONLY_METHODS.has(method)) return { format: 'microsoft', path: ['rules', index, 'method'], what: `method "${r.method as string}"` };
  if (method !== undefined && SIMPLE_ONLY_METHODS.has(method)) return { format: 'simple-rules', path: ['rules', index, 'method'], what: `method "${r.method as string}"` };
  for (const f of MS_ONLY_FIELDS) if (has(r, f)) return { format: 'microsoft', path: ['rules', index, f], what: `field "${f}"` };
  for (const f of SIMPLE_ONLY_FIELDS) if (has(r, f)) return { format: 'simple-rules', path: ['rules', index, f], what: `field "${f}"` };
  return null;
}

const FORMAT_NAMES = { microsoft: 'Microsoft', 'simple-rules': 'simple' } as const;

/** Which format a parsed document is in (see the header); throws when it mixes formats or is empty. */
export function detectFormat(doc: Doc): ConfigFormat {
  const listKey = SIMPLE_LIST_KEYS.find((k) => has(doc, k));
  const msKey = ['defaultSettings', 'customSettings'].find((k) => has(doc, k));
  if (listKey !== undefined) {
    const other = ['rules', 'defaultSettings', 'customSettings'].find((k) => has(doc, k));
    if (other !== undefined) {
      throw new ConfigError(`"${other}" cannot be combined with the simple lists ("${listKey}"); use one format per file`, [other]);
    }
    return 'simple-lists';
  }
  if (msKey !== undefined || Array.isArray(doc.profile)) return 'microsoft';
  if (!has(doc, 'rules')) {
    if (has(doc, 'profile') || has(doc, 'pixels')) return 'profile';
    throw new ConfigError(
      'nothing to do: expected "rules", "profile", "pixels", or the lists keepTags / removeTags / hashTags / replaceTags / removeAllPrivateTags',
      [],
    );
  }
  if (!Array.isArray(doc.rules)) return 'simple-rules'; // the schema reports the error
  let first: Sign | null = null;
  doc.rules.forEach((rule, i) => {
    const sign = signOf(rule, i);
    if (sign === null) return;
    if (first === null) first = sign;
    else if (sign.format !== first.format) {
      throw new ConfigError(
        `${sign.what} belongs to the ${FORMAT_NAMES[sign.format]} rule format, but ${formatJsonPath(first.path)} (${first.what}) ` +
          `is in the ${FORMAT_NAMES[first.format]} format; use one format per file`,
        sign.path,
      );
    }
  });
  return (first as Sign | null)?.format ?? 'simple-rules';
}

// ---------------------------------------------------------------- text positions

function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Position of the value at `path`, or of its nearest existing ancestor (e.g. for a missing key). */
function locatePath(text: string, root: Node, path: readonly JsonPathSegment[]): TextPosition | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (node !== undefined) {
      // For an unknown key, point at the key itself rather than its value.
      const target = n === path.length && node.parent?.type === 'property' && node.parent.children?.[1] === node ? node.parent : node;
      return positionOf(text, target.offset);
    }
  }
  return undefined;
}

function checkDuplicateKeys(text: string, node: Node, path: JsonPathSegment[]): void {
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const prop of node.children ?? []) {
      const keyNode = prop.children?.[0];
      const valueNode = prop.children?.[1];
      if (keyNode === undefined) continue;
      const key = keyNode.value as string;
      if (key === '__proto__') throw new ConfigError('"__proto__" is not allowed as a key', [...path, key], undefined, positionOf(text, keyNode.offset));
      if (seen.has(key)) throw new ConfigError(`duplicate key "${key}"`, [...path, key], undefined, positionOf(text, keyNode.offset));
      seen.add(key);
      if (valueNode !== undefined) checkDuplicateKeys(text, valueNode, [...path, key]);
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((child, i) => checkDuplicateKeys(text, child, [...path, i]));
  }
}
