// Public entry `dicom-anonymizer/plan`: the one way to a Plan (buildPlan), the value lists its inputs choose from
// (each declared once, in src/plan/), the presets, and the Plan model the engine executes.

/** Build a Plan from a rules file, profile options, a preset, pixel rule files and flags; errors are ConfigError. */
export { buildPlan, type PlanInputs, type BuiltPlan } from '../config/build.js';
export { ConfigError, type ConfigWarning, type JsonPathSegment, type ConfigPlace } from '../config/errors.js';
/** The value lists (and their types): what commander's choices and the rules-file schemas accept. */
export {
  PROFILE_OPTIONS, BURNED_IN_POLICIES, REDACTED_SYNTAXES, DATE_SHIFT_SCOPES,
  type ProfileOption, type BurnedInPolicy, type RedactedSyntax, type DateShiftScope,
} from '../plan/plan.js';
export { OUTPUT_LAYOUTS, type OutputLayout } from '../plan/output-layout.js';
export { THUMBNAIL_MODES, type ThumbnailMode } from '../plan/thumbnail-modes.js';
export { PRESETS, type Preset } from '../profiles/presets.js';
/** The Plan model: an ordered list of rules (first match wins), the burned-in settings, the markers. */
export type { Plan, Rule, RuleScope, Selector, Action, PixelPlan, TextDetectionPlan } from '../plan/plan.js';
