// Our own pixel rule format: the top-level "pixels" key of a rules file (any format, like "profile").
//
//   "pixels": {
//     "policy": "quarantine" | "redact" | "fail" | "keep",          absent = quarantine (or the --burned-in flag)
//     "redactedSyntax": "same" | "native",                          absent = same (or --redacted-syntax)
//     "gate": { "modalities": [...], "sopClasses": [...], "imageTypes": [["DERIVED"], ...], "missingImageType": true,
//               "descriptions": ["\\bdose report"], "waveforms": true },
//                                                                   each list given replaces the default one
//     "starter": true,                                              adds the starter rules (profiles/pixel-rules-starter.ts)
//     "detection": { "minScore": 0.5, "margin": 3, "keepWords": ["R", "L", ...], "keepMinTextScore": 0.9 },
//                                                                   text detection under policy redact; each key given
//                                                                   replaces the default (profiles/burned-in.ts)
//     "rules": [ { "when": [ {"tag": "Manufacturer", "equals": "ACME"}, {"tag": "(0008,1090)", "contains": "Vivid"},
//                            {"tag": "SeriesDescription", "regex": "^DOSE"}, {"tag": "Rows", "equals": 480},
//                            {"tag": "SequenceOfUltrasoundRegions", "present": true}, {"tag": "X", "absent": true} ],
//                  "blank": [ {"x": 0, "y": 0, "width": 640, "height": 40},
//                             {"x": 0, "y": 0, "width": 1, "height": 0.08, "units": "fraction"},
//                             "outsideUltrasoundRegions" ],
//                  "frames": [0] } ]                                 absent = every frame
//   }
// "when" is required; every condition must hold ([] = every image the burned-in step looks at). One operator per
// condition. Tags: one public attribute by keyword or (gggg,eeee) (selector.ts forms naming one tag). Regexes are
// compiled here. Pixel rectangles: whole numbers, x/y ≥ 0, width/height ≥ 1; fractions: 0..1, x + width ≤ 1,
// y + height ≤ 1, width/height > 0. Every error is a ConfigError with the JSON path ($.pixels.rules[0].blank[1].x).

import { z } from 'zod';
import { BURNED_IN_POLICIES, REDACTED_SYNTAXES, type AttributeCondition, type PixelPlan, type PixelRegion, type PixelRule, type RiskGate, type TextDetectionPlan } from '../../plan/plan.js';
import { ConfigError, formatJsonPath, type JsonPathSegment } from '../errors.js';
import { validate } from '../schema.js';
import { checkRegex, publicTag } from './conditions.js';
import { defaultPixelPlan } from '../../profiles/burned-in.js';
import { starterPixelRules } from '../../profiles/pixel-rules-starter.js';

const UID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

const stringList = (what: string) =>
  z.array(z.string({ error: `expected ${what}` }).trim().min(1, `${what} must not be empty`), { error: `expected an array of ${what}s` });

export const pixelsSchema = z.strictObject(
  {
    policy: z.enum(BURNED_IN_POLICIES, { error: `"policy" must be one of ${BURNED_IN_POLICIES.join(', ')}` }).optional(),
    redactedSyntax: z.enum(REDACTED_SYNTAXES, { error: `"redactedSyntax" must be one of ${REDACTED_SYNTAXES.join(', ')}` }).optional(),
    gate: z.strictObject({
      modalities: stringList('a modality code').optional(),
      sopClasses: z.array(
        z.string({ error: 'expected a SOP Class UID' }).refine((s) => UID.test(s) && s.length <= 64, 'not a valid UID (digits and dots, at most 64 characters)'),
        { error: 'expected an array of SOP Class UIDs' },
      ).optional(),
      imageTypes: z.array(stringList('an Image Type value').min(1, 'an Image Type entry needs at least one value'), {
        error: 'expected an array of Image Type value lists, e.g. [["DERIVED","SECONDARY"]]',
      }).optional(),
      missingImageType: z.boolean({ error: '"missingImageType" must be true or false' }).optional(),
      descriptions: z.array(
        z.string({ error: 'expected a regular expression' }).refine((p) => {
          try {
            new RegExp(p, 'i');
            return true;
          } catch {
            return false;
          }
        }, 'not a valid regular expression'),
        { error: 'expected an array of regular expressions' },
      ).optional(),
      waveforms: z.boolean({ error: '"waveforms" must be true or false' }).optional(),
    }, { error: '"gate" must be an object' }).optional(),
    starter: z.boolean({ error: '"starter" must be true or false' }).optional(),
    detection: z.strictObject({
      minScore: z.number({ error: '"minScore" must be a number' }).min(0.05, '"minScore" must be at least 0.05').max(1, '"minScore" must be at most 1').optional(),
      margin: z.number({ error: '"margin" must be a number' }).int('"margin" must be a whole number of pixels').min(0, '"margin" must not be negative').max(64, '"margin" must be at most 64').optional(),
      keepWords: z.array(
        z.string({ error: 'expected a word' }).trim().regex(/^[A-Za-z0-9]{1,16}$/, 'a keep-list word is 1 to 16 letters or digits'),
        { error: '"keepWords" must be an array of words' },
      ).optional(),
      keepMinTextScore: z.number({ error: '"keepMinTextScore" must be a number' }).min(0, '"keepMinTextScore" must be within 0..1').max(1, '"keepMinTextScore" must be within 0..1').optional(),
    }, { error: '"detection" must be an object' }).optional(),
    rules: z.array(z.unknown(), { error: '"rules" must be an array' }).optional(),
  },
  { error: '"pixels" must be an object' },
);

const EQUALS_TYPE = '"equals" must be a string or a number';
const OPS = ['equals', 'contains', 'regex', 'present', 'absent'] as const;

const conditionSchema = z.strictObject(
  {
    tag: z.string({ error: (iss) => (iss.input === undefined ? 'missing required key "tag"' : '"tag" must be a string') }),
    equals: z.union([z.string({ error: EQUALS_TYPE }), z.number({ error: EQUALS_TYPE }).finite()], { error: EQUALS_TYPE }).optional(),
    contains: z.string({ error: '"contains" must be a string' }).optional(),
    regex: z.string({ error: '"regex" must be a string' }).optional(),
    present: z.literal(true, { error: '"present" must be true' }).optional(),
    absent: z.literal(true, { error: '"absent" must be true' }).optional(),
  },
  { error: 'a condition must be an object such as {"tag": "Modality", "equals": "US"}' },
);

const finite = (key: string) => z.number({ error: `"${key}" must be a number` }).finite();
const rectangleSchema = z.strictObject({
  x: finite('x'), y: finite('y'), width: finite('width'), height: finite('height'),
  units: z.enum(['pixels', 'fraction'], { error: '"units" must be "pixels" or "fraction"' }).optional(),
}, { error: 'a region must be a rectangle {"x","y","width","height"} or "outsideUltrasoundRegions"' });

const ruleSchema = z.strictObject(
  {
    when: z.array(z.unknown(), { error: (iss) => (iss.input === undefined ? 'missing required key "when" (use [] for every image)' : '"when" must be an array of conditions') }),
    blank: z.array(z.unknown(), { error: (iss) => (iss.input === undefined ? 'missing required key "blank"' : '"blank" must be an array of regions') })
      .min(1, 'a rule needs at least one region in "blank"'),
    frames: z.array(z.number({ error: 'a frame must be a number' }).int('a frame must be a whole number').min(0, 'frames are counted from 0'), { error: '"frames" must be an array of frame numbers' })
      .min(1, '"frames" must not be empty (leave it out for every frame)').optional(),
  },
  { error: 'a rule must be an object with "when" and "blank"' },
);

export function parseCondition(raw: unknown, path: JsonPathSegment[]): AttributeCondition {
  const c = validate(conditionSchema, raw, path);
  const given = OPS.filter((op) => c[op] !== undefined);
  if (given.length !== 1) {
    throw new ConfigError(`a condition needs exactly one of ${OPS.join(', ')}${given.length > 1 ? ` (it has ${given.join(' and ')})` : ''}`, path);
  }
  const tag = publicTag(c.tag, [...path, 'tag']);
  const op = given[0];
  if (op === 'present' || op === 'absent') return { tag, op };
  const value = String(c[op]);
  if (op === 'regex') checkRegex(value, [...path, 'regex']);
  return { tag, op, value };
}

export function parseRegion(raw: unknown, path: JsonPathSegment[]): PixelRegion {
  if (raw === 'outsideUltrasoundRegions') return { kind: 'outsideUltrasoundRegions' };
  if (typeof raw === 'string') throw new ConfigError(`unknown region "${raw.slice(0, 40)}"; the named region is "outsideUltrasoundRegions"`, path);
  const r = validate(rectangleSchema, raw, path);
  const units = r.units ?? 'pixels';
  const at = (key: string): JsonPathSegment[] => [...path, key];
  for (const key of ['x', 'y', 'width', 'height'] as const) {
    if (r[key] < 0) throw new ConfigError(`"${key}" must not be negative`, at(key));
    if (units === 'pixels' && !Number.isInteger(r[key])) throw new ConfigError(`"${key}" must be a whole number of pixels (or set "units": "fraction")`, at(key));
    if (units === 'fraction' && r[key] > 1) throw new ConfigError(`"${key}" is a fraction of the image and must be within 0..1`, at(key));
  }
  for (const key of ['width', 'height'] as const) if (r[key] === 0) throw new ConfigError(`"${key}" must be greater than 0`, at(key));
  if (units === 'fraction') {
    if (r.x + r.width > 1 + 1e-9) throw new ConfigError('x + width must not exceed 1 (the whole width)', at('width'));
    if (r.y + r.height > 1 + 1e-9) throw new ConfigError('y + height must not exceed 1 (the whole height)', at('height'));
  }
  return { kind: 'rectangle', units, x: r.x, y: r.y, width: r.width, height: r.height };
}

/** What a rules file's "pixels" key says; absent fields stay absent (build.ts fills defaults and CLI overrides). */
export interface PixelSettings {
  policy?: PixelPlan['policy'];
  redactedSyntax?: PixelPlan['redactedSyntax'];
  gate?: Partial<RiskGate>;
  starter?: boolean;
  detection?: Partial<TextDetectionPlan>;
  rules: PixelRule[];
}

/** Parses the value of the top-level "pixels" key; `file` names the origin of each rule. */
export function parsePixelSettings(raw: unknown, file?: string): PixelSettings {
  const base: JsonPathSegment[] = ['pixels'];
  const p = validate(pixelsSchema, raw, base);
  const rules = (p.rules ?? []).map((rawRule, i): PixelRule => {
    const path: JsonPathSegment[] = [...base, 'rules', i];
    const r = validate(ruleSchema, rawRule, path);
    const rule: PixelRule = {
      conditions: r.when.map((c, j) => parseCondition(c, [...path, 'when', j])),
      regions: r.blank.map((b, j) => parseRegion(b, [...path, 'blank', j])),
      origin: `${file ?? 'config'} ${formatJsonPath(path).slice(2)}`,
    };
    if (r.frames !== undefined) rule.frames = [...new Set(r.frames)].sort((a, b) => a - b);
    return rule;
  });
  const out: PixelSettings = { rules };
  if (p.policy !== undefined) out.policy = p.policy;
  if (p.redactedSyntax !== undefined) out.redactedSyntax = p.redactedSyntax;
  if (p.starter !== undefined) out.starter = p.starter;
  if (p.detection !== undefined) {
    const detection: Partial<TextDetectionPlan> = {};
    if (p.detection.minScore !== undefined) detection.minScore = p.detection.minScore;
    if (p.detection.margin !== undefined) detection.margin = p.detection.margin;
    if (p.detection.keepWords !== undefined) detection.keepWords = [...new Set(p.detection.keepWords.map((w) => w.toUpperCase()))];
    if (p.detection.keepMinTextScore !== undefined) detection.keepMinTextScore = p.detection.keepMinTextScore;
    out.detection = detection;
  }
  if (p.gate !== undefined) {
    const gate: Partial<RiskGate> = {};
    if (p.gate.modalities !== undefined) gate.modalities = p.gate.modalities.map((m) => m.toUpperCase());
    if (p.gate.sopClasses !== undefined) gate.sopClasses = [...p.gate.sopClasses];
    if (p.gate.imageTypes !== undefined) gate.imageTypes = p.gate.imageTypes.map((words) => words.map((w) => w.toUpperCase()));
    if (p.gate.missingImageType !== undefined) gate.missingImageType = p.gate.missingImageType;
    if (p.gate.descriptions !== undefined) gate.descriptions = [...p.gate.descriptions];
    if (p.gate.waveforms !== undefined) gate.waveforms = p.gate.waveforms;
    out.gate = gate;
  }
  return out;
}

/** The complete pixel plan a rules file's settings give: defaults for what they leave out, then the starter rules. */
export function pixelPlanFromSettings(s: PixelSettings): PixelPlan {
  const plan = defaultPixelPlan();
  return {
    policy: s.policy ?? plan.policy,
    detection: { ...plan.detection, ...s.detection },
    redactedSyntax: s.redactedSyntax ?? plan.redactedSyntax,
    gate: { ...plan.gate, ...s.gate },
    rules: [...s.rules, ...(s.starter === true ? starterPixelRules() : [])],
  };
}
