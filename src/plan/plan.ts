// The one internal rule model. Every accepted input (PS3.15 profile, Microsoft rules, simple format, CLI flags)
// is normalized into a Plan (by src/config/build.ts); the engine sees nothing else. Types, and the value lists that
// some of them are derived from (profile options, burned-in policies...): no I/O, no tables.

import type { Tag } from '../dicom/tag.js';
import type { VR } from '../dicom/vr.js';

/** Which elements a rule applies to. Rules are tested against every element at every nesting depth. */
export type Selector =
  /** One exact tag (public, or an absolute private tag such as (0009,1001) when no creator is given). */
  | { kind: 'tag'; tag: Tag }
  /** `(tag & mask) === value`: the Microsoft "x" nibble wildcard, e.g. (50xx,xxxx) → mask 0xFF000000. */
  | { kind: 'mask'; value: number; mask: number }
  /** Every element whose VR (as read, or from the dictionary for implicit VR) is this one. */
  | { kind: 'vr'; vr: VR }
  /** Every element of one group, e.g. "group:0010". */
  | { kind: 'group'; group: number }
  /**
   * Private elements by identity, independent of block number: group (odd), private creator string and the
   * element's low byte. A null field matches anything; `{group:null, creator:null, elementByte:null}` = every
   * private element, creators included.
   */
  | { kind: 'private'; group: number | null; creator: string | null; elementByte: number | null };

/** What one date-shift offset is kept for: every date of the patient, or of the study, series or instance. */
export const DATE_SHIFT_SCOPES = ['patient', 'study', 'series', 'instance'] as const;
export type DateShiftScope = (typeof DATE_SHIFT_SCOPES)[number];

/** What a rule does to the elements it selects; each action has its own settings. */
export type Action =
  | { type: 'keep' }
  | { type: 'remove' }
  /** Zero-length value (PS3.15 Z). */
  | { type: 'empty' }
  /** A dummy value valid for the VR (PS3.15 D), or `value` when given. */
  | { type: 'dummy'; value?: string }
  /** Microsoft "redact": empty the value, or with partial settings keep the year of a date / age ≤ 89 / 3-digit zip. */
  /**
   * `referenceDate` (YYYYMMDD, optional): the "today" of the partial-date rule (a date more than 89 years before it
   * is dropped rather than reduced to its year). Absent → the plan's `referenceDate`, fixed once per run.
   */
  | { type: 'redact'; partialDates: boolean; partialAges: boolean; partialZipCodes: boolean; referenceDate?: string }
  /** Replace the value by fixed text (Microsoft "substitute", simple "replace"). */
  | { type: 'replace'; value: string }
  /** Keyed HMAC-SHA256 of the value, as hex, cut to the VR's maximum length. `key` overrides the run's key. */
  | { type: 'hash'; key?: string }
  /** Keyed UID remap: 2.25.<decimal of 128 bits of HMAC(key, uid)>; each value of a multi-valued UI mapped. */
  | { type: 'remapUid' }
  /**
   * Shift DA/DT (and TM when shiftTime) by a keyed offset in [-rangeDays, +rangeDays] days, per scope.
   * `offsetFormula: 'microsoft'` (set only for Microsoft configs that give a dateShiftKey) computes the offset as the
   * Microsoft tool does (ms-dicom-spec §5.6), so shifted dates match theirs; otherwise an HMAC-based offset is used.
   */
  | { type: 'shiftDate'; key?: string; scope: DateShiftScope; rangeDays: number; shiftTime: boolean; offsetFormula?: 'microsoft' }
  /** AES encryption of the value, base64 (Microsoft "encrypt"). */
  | { type: 'encrypt'; key?: string }
  /** Add noise to numeric values (Microsoft "perturb"). */
  | { type: 'perturb'; span: number; roundTo: number; rangeType: 'fixed' | 'proportional'; key?: string }
  /** Pseudonym for PatientID / PatientName style identifiers: prefix + digits from HMAC. */
  | { type: 'pseudonym'; prefix: string }
  /**
   * PS3.15 C (clean): `dates` = keyed shift (Retain Longitudinal Modified Dates), `descriptors` = drop free text
   * that repeats identifying values found elsewhere in the dataset, `safePrivate` = keep only E.3.10-1 listed
   * private elements, `structuredContent`/`graphics` = clean the content of SR items / graphic annotations.
   */
  | { type: 'clean'; what: 'dates' | 'descriptors' | 'safePrivate' | 'structuredContent' | 'graphics' | 'device' | 'patientCharacteristics' | 'prose' };

export type ActionType = Action['type'];

/**
 * Where a rule applies: only at the top level of the dataset (`nested: false`), only inside sequence items
 * (`nested: true`), only inside the items of given sequences (`within`: the sequence elements' tags), or only in a
 * dataset that holds one of some attributes (`ifPresent`: a conditional code of the profile). Rules from
 * config files never carry one; the PS3.15 profile uses it where a compound code resolves differently by context (an
 * attribute Type 3 at the top level but Type 2 inside the items of one sequence).
 */
export interface RuleScope {
  nested?: boolean;
  within?: readonly Tag[];
  /** Only in a dataset (the top level or an item) that holds at least one of these attributes. */
  ifPresent?: readonly Tag[];
}

export interface Rule {
  selector: Selector;
  action: Action;
  /** Where the rule came from, for the audit log and errors: e.g. "config.rules[3]" or "PS3.15 E.1-1 (0010,0010) Z". */
  origin: string;
  /** Absent: everywhere. */
  scope?: RuleScope;
}

/** PS3.15 Annex E options (Table E.1-1 columns). */
export const PROFILE_OPTIONS = [
  'retainSafePrivate', 'retainUIDs', 'retainDeviceIdentity', 'retainInstitutionIdentity', 'retainPatientCharacteristics',
  'retainLongitudinalFullDates', 'retainLongitudinalModifiedDates', 'cleanDescriptors', 'cleanStructuredContent', 'cleanGraphics',
] as const;
export type ProfileOption = (typeof PROFILE_OPTIONS)[number];

export interface ProfileChoice {
  name: 'basic';
  options: ProfileOption[];
}

/** One code of De-identification Method Code Sequence (0012,0064). */
export interface CodedConcept {
  codeValue: string;
  codingSchemeDesignator: string;
  codeMeaning: string;
}

/** The de-identification markers (PS3.15 E.1.1) a profile writes, as data. */
export interface Markers {
  /** Appended to De-identification Method (0012,0063). */
  methodText: string;
  /** Appended to De-identification Method Code Sequence (0012,0064) unless already there. */
  codes: CodedConcept[];
  /**
   * Longitudinal Temporal Information Modified (0028,0303): UNMODIFIED, REMOVED, or `MODIFIED-IF-SHIFTED`: MODIFIED
   * when a date was shifted in the instance, else REMOVED.
   */
  temporal: 'UNMODIFIED' | 'REMOVED' | 'MODIFIED-IF-SHIFTED';
  /**
   * Appended to (0012,0064) when the burned-in step cleaned the pixels (CID 7050 113101 Clean Pixel Data Option).
   * Absent: no code is added after a redaction (Patient Identity Removed still follows what was done).
   */
  cleanPixelCode?: CodedConcept;
  /**
   * Appended to (0012,0064) when the burned-in step blanked faces (CID 7050 113102 Clean Recognizable Visual
   * Features Option); never on a file where no face was removed.
   */
  cleanFacesCode?: CodedConcept;
}

/** One row of the safe private attributes (PS3.15 E.3.10-1): group, creator and element low byte, never a tag. */
export interface SafePrivateAttribute {
  group: number;
  creator: string;
  element: number;
  /** As the table gives it ("" when not given). */
  vr: string;
}

/**
 * The Clean Structured Content Option resolved under the plan's options: what each listed content item concept
 * (Table E.3.4-1) does, and what the value attributes of unlisted concepts do (their own E.1-1 rows).
 */
export interface StructuredContentPlan {
  /** Value attributes of a content item (DateTime, Date, Time, Person Name, UID, Text Value). */
  valueTags: readonly Tag[];
  /** One entry per table row; `remove` = the item goes (X). `strictness` orders rows of one concept. */
  concepts: readonly {
    codeValue: string; codingSchemeDesignator: string; valueType: string; codeMeaning: string;
    /** The table's basic code; `action` and `code` are what it resolves to under the options. */
    basic: string; action: Action; code: string; strictness: number;
  }[];
  /** For concepts the table does not list: the action of each value attribute by its E.1-1 row. */
  unlistedValueActions: readonly { tag: Tag; action: Action; code: string }[];
}

/**
 * An attribute that makes a file a DICOM instance: a rule that selects it only by group, mask, VR or private identity
 * (or the `unmatched` fallback) never removes or changes it at the top level; `action` is what happens to it instead.
 */
export interface ProtectedAttribute {
  tag: Tag;
  action: Action;
  why: string;
}

/**
 * What happens to an image that may carry burned-in text (`--burned-in`). quarantine (the default): an at-risk file
 * that no rule (or detection) cleaned goes, metadata de-identified, to the quarantine folder. redact: clean by rules
 * and by detected text and deliver; what cannot be cleaned (undecodable pixels, documents) is quarantined. fail: an
 * at-risk file that nothing cleaned fails. keep: deliver as is, with a warning per file; such files never say Patient
 * Identity Removed YES.
 */
export const BURNED_IN_POLICIES = ['quarantine', 'redact', 'fail', 'keep'] as const;
export type BurnedInPolicy = (typeof BURNED_IN_POLICIES)[number];

/** The transfer syntax of a redacted file (`--redacted-syntax`): its own ('same'), or Explicit VR Little Endian. */
export const REDACTED_SYNTAXES = ['same', 'native'] as const;
export type RedactedSyntax = (typeof REDACTED_SYNTAXES)[number];

/** A test on one top-level attribute of the ORIGINAL dataset (rules are evaluated before metadata is changed). */
export interface AttributeCondition {
  tag: Tag;
  /** equals / contains: case-insensitive, on the decoded text (numbers as written); regex: a JavaScript pattern, flag i. */
  op: 'equals' | 'contains' | 'regex' | 'present' | 'absent';
  value?: string;
}

/** A region to blank: a rectangle in pixels or in fractions (0..1) of the image, or everything outside the US regions. */
export type PixelRegion =
  | { kind: 'rectangle'; units: 'pixels' | 'fraction'; x: number; y: number; width: number; height: number }
  /** Blank everything outside the Sequence of Ultrasound Regions (0018,6011); nothing when the image has none. */
  | { kind: 'outsideUltrasoundRegions' };

/** A rectangle rule: when every condition holds, its regions are blanked (on `frames`, 0-based, or all). */
export interface PixelRule {
  conditions: AttributeCondition[];
  regions: PixelRegion[];
  frames?: number[];
  /**
   * A rule with no regions that marks a file it matches at risk instead of blanking anything (a deid graylist LABEL
   * without coordinates: deid flags such files for review).
   */
  flagsRisk?: boolean;
  /** Where it came from: "pixel-rules.json rules[2]", "DicomPixelAnonymizer.script line 14", "starter: ...". */
  origin: string;
}

/** Which images may carry burned-in text (the risk gate); lists are data, overridable in a rules file. */
export interface RiskGate {
  /** Modality (0008,0060) values at risk, e.g. US, XA, CR, OT... */
  modalities: string[];
  /** SOP Class UIDs at risk (secondary capture family, photos, encapsulated documents...). */
  sopClasses: string[];
  /**
   * Image Type (0008,0008) words at risk: a file is at risk when its Image Type holds every word of one entry, each
   * as a whole value or as a space-separated word of a value (SAVE is a word of "SCREEN SAVE").
   */
  imageTypes: string[][];
  /** An image without Image Type (or with an empty one) is at risk: nothing says it is an original acquisition. */
  missingImageType: boolean;
  /** Patterns (JavaScript, flag i) that put an image at risk when Series Description or Study Description matches. */
  descriptions: string[];
  /**
   * Waveform SOP classes and any Waveform Sequence (5400,0100) delivered are at risk: audio can speak a name and ECG
   * leads plotted one against another can draw one, and nothing here reads them, so they are quarantined.
   */
  waveforms: boolean;
}

/** Text detection under policy redact: which boxes count, how far blanking reaches past them, which words may stay. */
export interface TextDetectionPlan {
  /** Detected boxes with a score (mean text probability, 0..1) below this are ignored. */
  minScore: number;
  /** Pixels blanked past every side of a detected box (clipped to the image). */
  margin: number;
  /**
   * Words that identify no one (laterality and position markers such as R, L, AP, PA, LAT, SUPINE), upper case: a box
   * whose recognised text is only such words stays unblanked, unless that text matches an identifying header value.
   */
  keepWords: string[];
  /** A box is kept by the keep-list only when the recogniser's confidence in its text is at least this (0..1). */
  keepMinTextScore: number;
}

export interface PixelPlan {
  policy: BurnedInPolicy;
  /** Text detection settings (used by policy redact). */
  detection: TextDetectionPlan;
  gate: RiskGate;
  rules: PixelRule[];
  /** 'same' (default): a redacted file keeps its transfer syntax; 'native': Explicit VR Little Endian. */
  redactedSyntax: RedactedSyntax;
  /**
   * Series Instance UIDs whose sample showed text (policy redact, decided by the batch before the run: see
   * anonymize/burned-in/series-sample.ts): every image of them is at risk, whatever else the gate says.
   */
  atRiskSeries?: string[];
}

export interface Plan {
  /**
   * Ordered, complete: a config's own rules first, then (when a profile is used) the profile's, already expanded. The
   * first rule whose selector matches an element (in scope) decides what happens to it.
   */
  rules: Rule[];
  /** Which profile and options the rules came from (for verify, reports and the audit); the engine never reads it. */
  profile: ProfileChoice | null;
  /** What happens to an element that no rule matches. Microsoft and simple formats: keep. */
  unmatched: 'keep' | 'remove';
  /** Defaults used by actions created without explicit settings (e.g. the profile's date shift). */
  dateShift: { scope: DateShiftScope; rangeDays: number };
  /** "Today" (YYYYMMDD, UTC) for rules that compare with the current date, fixed once when the plan is built. */
  referenceDate: string;
  /** Markers to write; null when the plan has no profile (a Microsoft or simple config alone writes none). */
  markers: Markers | null;
  /** Retain Safe Private Option: the attributes that may stay; null when the option is off. */
  safePrivate: readonly SafePrivateAttribute[] | null;
  /** Clean Structured Content Option; null when off. */
  structuredContent: StructuredContentPlan | null;
  /** Burned-in text: the gate, the rectangle rules and the policy (every plan has one; the default quarantines). */
  pixels: PixelPlan;
  /** Attributes no broad rule may unmake (src/profiles/protected.ts). */
  protected: readonly ProtectedAttribute[];
  /**
   * A plan without a profile: the tags the Basic Profile (no options) would change, so that the engine can report those
   * a file holds and the plan left untouched (the untouched-PHI warning). Null when the plan uses the profile.
   */
  profileWouldChange: readonly Tag[] | null;
}
