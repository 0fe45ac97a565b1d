// PS3.15 Annex E Basic Application Level Confidentiality Profile (the generated Table E.1-1) and its options,
// turned into plan rules, with the profile's data for the engine (markers, safe private attributes, structured
// content): expandBasicProfile is what a plan builder calls. Compound codes: basic-codes.ts.

import type { CodedConcept, Markers, ProfileOption, Rule, SafePrivateAttribute, Selector, StructuredContentPlan } from '../plan/plan.js';
import { parseTagPattern } from '../plan/selector.js';
import { vrsWhere } from '../dicom/vr.js';
import { PS315_ATTRIBUTES, PS315_EDITION, type Ps315Action, type Ps315Attribute } from './ps315.generated.js';
import { GraphicAnnotationSequence, GraphicObjectSequence, PatientID, PatientName, PatientSpeciesCodeSequence, PatientSpeciesDescription, ReferencedRequestSequence, ReferencedStudySequence, SpecimenPreparationStepContentItemSequence, TextValue } from '../dicom/tags.generated.js';
import { actionFor, resolveBasicCode } from './basic-codes.js';
import { CONTENT_VALUE_TAGS, structuredContentPlan } from './structured-content.js';
import { CID7050, CID7050_FOR_OPTION } from './cid7050.generated.js';
import { SAFE_PRIVATE_ATTRIBUTES } from './safe-private.generated.js';
import { outsideTableRules } from './outside-e11.js';

export { actionFor, resolveBasicCode } from './basic-codes.js';

/**
 * Where the table's basic code, applied blindly, breaks the IOD of real files (dciodvfy over the corpus), the code
 * is resolved to another choice the code itself allows or to one that leaks no more, only where the IOD needs it:
 * - (0010,2297) Responsible Person and (0010,2299) Responsible Organization are X, but Type 2C in the Patient
 *   Module: required when the patient is an animal, which Patient Species Description (0010,2201) or Patient Species
 *   Code Sequence (0010,2202) says. In such a dataset they are emptied (Z: a zero-length value carries nothing, and
 *   veterinary instances stay conformant); everywhere else they are removed, as the table says.
 */
const CONFORMANCE_OVERRIDES: ReadonlyMap<string, { code: Ps315Action; why: string; ifPresent: readonly number[] }> = new Map([
  ['(0010,2297)', { code: 'Z', why: 'X → Z where a patient species is given (Type 2C in the Patient Module)', ifPresent: [PatientSpeciesDescription, PatientSpeciesCodeSequence] }],
  ['(0010,2299)', { code: 'Z', why: 'X → Z where a patient species is given (Type 2C in the Patient Module)', ifPresent: [PatientSpeciesDescription, PatientSpeciesCodeSequence] }],
]);

function selectorFor(row: Ps315Attribute): Selector {
  if (row.kind === 'private') return { kind: 'private', group: null, creator: null, elementByte: null };
  const pattern = parseTagPattern(row.tag.slice(1, 5) + row.tag.slice(6, 10));
  if (pattern === null) throw new Error(`PS3.15 table: unreadable tag ${row.tag}`);
  if (pattern.kind === 'tag') return pattern;
  let { mask, value } = pattern;
  // Repeating groups are the even groups gg00-gg1E only (PS3.5 7.6): the odd 50xx/60xx groups are private and
  // 6020+ are not overlays. Group mask 0xFFE1 selects exactly gg00, gg02, ..., gg1E.
  const range = row.groupRange;
  if (range && range.evenOnly && parseInt(range.last, 16) - parseInt(range.first, 16) === 0x1e && (parseInt(range.first, 16) & 0x1f) === 0) {
    mask = ((0xffe1 * 0x10000) + (mask & 0xffff)) >>> 0;
    value = ((parseInt(range.first, 16) * 0x10000) + (value & 0xffff)) >>> 0;
  }
  return { kind: 'mask', mask: mask >>> 0, value: value >>> 0 };
}

/**
 * Rules of the Basic Profile with `options`, in this order: the patient pseudonyms, every table row, then the
 * catch-alls the table implies but does not list (any other DA/DT/TM by VR, group 0004).
 */
export function basicProfileRules(options: readonly ProfileOption[]): Rule[] {
  const origin = (what: string): string => `PS3.15 ${PS315_EDITION} ${what}`;
  const rules: Rule[] = [];
  rules.push({ selector: { kind: 'tag', tag: PatientName }, action: { type: 'pseudonym', prefix: 'ANON' }, origin: origin('(0010,0010) Z → pseudonym') });
  rules.push({ selector: { kind: 'tag', tag: PatientID }, action: { type: 'pseudonym', prefix: 'ANON' }, origin: origin('(0010,0020) Z → pseudonym') });
  // Content Sequence (0040,A730) is D. Its items are walked rather than replaced (a literal dummy sequence would
  // break the SR tree, codes and references), so the table's rows for content items apply (Person Name D, Date D,
  // UID U...). Text Value (0040,A160) has no row, yet it is the free text of SR content: it gets the same D as its
  // sequence, so no free text survives by default.
  //
  // Clean Structured Content Option: the content sequences are C in E.1-1, and Table E.3.4-1 decides each content
  // item by its concept name (src/anonymize/structured-content.ts): items whose concept is X are removed, the value
  // attributes of the others get the concept's action (unlisted concepts: text cleaned, other values by their E.1-1
  // row). These rules come before the table rows so they win over the E.1-1 rows of those attributes.
  //
  // Without the option, Table E.3.4-1 is not applied, its Basic column included. PS3.15 E.3.4 makes the table part
  // of the option ("When this Option is specified in addition to the Basic Application Level Confidentiality
  // Profile, any information encoded in SR Content Items ... shall also be removed"; the table is titled "Clean
  // Structured Content Option Content Item Concept Name Codes"), and without it the Basic Profile's own action for
  // the whole Content Sequence is D. Today's walk with D on every free text, name and date (U on UIDs) leaks no
  // more than the table's Basic column for any listed concept (its X, D and X/D become dummies here too; only the item
  // itself stays). Caveat kept as is: with Retain Longitudinal Full Dates, content dates keep their value by the
  // (0040,A120-A122) rows whatever the concept (e.g. Subject Birth Date), as before.
  if (options.includes('cleanStructuredContent')) {
    const csc = origin('E.3.4-1 by content item concept name (cleanStructuredContent)');
    for (const tag of [...CONTENT_VALUE_TAGS, SpecimenPreparationStepContentItemSequence]) {
      rules.push({ selector: { kind: 'tag', tag }, action: { type: 'clean', what: 'structuredContent' }, origin: csc });
    }
  } else {
    rules.push({ selector: { kind: 'tag', tag: TextValue }, action: { type: 'dummy' }, origin: origin('(0040,A160) as (0040,A730): D') });
  }
  for (const row of PS315_ATTRIBUTES) {
    const override = CONFORMANCE_OVERRIDES.get(row.tag);
    const { action, code } = actionFor(row, options);
    const selector = selectorFor(row);
    if (override && code === row.basic) {
      rules.push({
        selector, action: resolveBasicCode(override.code), origin: origin(`E.1-1 ${row.tag} ${row.basic}: ${override.why}`),
        scope: { ifPresent: override.ifPresent },
      });
      rules.push({ selector, action, origin: origin(`E.1-1 ${row.tag} ${code}`) });
      continue;
    }
    if (row.tag === '(60xx,3000)' && (action.type === 'remove' || action.type === 'clean')) {
      // Overlay Data is Type 1 in the Overlay Plane Module (a U module): removing only the data leaves a broken
      // overlay, so the whole overlay group goes (even groups 6000-601E, PS3.5 7.6; odd 60xx groups are private).
      // Its other attributes (rows, columns, origin...) describe nothing once the bitmap is gone.
      // Under Clean Graphics (C) too: an overlay bitmap can carry burned-in text, and cleaning it would take reading
      // the pixels, which this tool does not do; keeping it unchecked would not be "cleaned". A rules file that
      // keeps an overlay group, e.g. (6000,xxxx), before the profile keeps that overlay on purpose.
      const why = action.type === 'clean' ? ': a bitmap cannot be cleaned without reading its pixels, so' : ':';
      rules.push({
        selector: { kind: 'mask', mask: 0xffe10000, value: 0x60000000 }, action: { type: 'remove' },
        origin: origin(`E.1-1 ${row.tag} ${code}${why} whole overlay group removed`),
      });
      continue;
    }
    if (selector.kind === 'tag' && selector.tag === GraphicAnnotationSequence) {
      // Presentation-state graphic annotations are drawn over the image: their text objects write, and their graphic
      // objects (polylines) can draw, a name. D would keep the items; the Basic Profile removes the sequence. Under
      // Clean Graphics the text objects stay with their text cleaned ((0070,0006) C), and the graphic objects go: no
      // check reads the shapes a polyline draws.
      if (action.type !== 'clean') {
        rules.push({ selector, action: { type: 'remove' }, origin: origin(`E.1-1 ${row.tag} ${code}: graphic annotations can write or draw anything, removed`) });
        continue;
      }
      rules.push({
        selector: { kind: 'tag', tag: GraphicObjectSequence }, action: { type: 'remove' }, scope: { within: [GraphicAnnotationSequence] },
        origin: origin(`E.1-1 ${row.tag} ${code}: graphic objects (polylines can draw a name; nothing reads them) removed`),
      });
      rules.push({ selector, action: { type: 'dummy' }, origin: origin(`E.1-1 ${row.tag} ${code}: items kept and cleaned`) });
      continue;
    }
    if (selector.kind === 'tag' && selector.tag === ReferencedStudySequence && action.type === 'empty') {
      // X/Z: Type 2 in the items of the SR Referenced Request Sequence (0040,A370), so Z (empty) there; Type 3
      // elsewhere, where an empty sequence is invalid (General Study Module at the top level, Request Attributes
      // Sequence (0040,0275) items of the Request Attributes Macro), so X there.
      rules.push({ selector, action, origin: origin(`E.1-1 ${row.tag} ${code}: Z in Referenced Request Sequence items (Type 2)`), scope: { within: [ReferencedRequestSequence] } });
      rules.push({ selector, action: { type: 'remove' }, origin: origin(`E.1-1 ${row.tag} ${code}: X elsewhere (Type 3)`) });
      continue;
    }
    rules.push({ selector, action, origin: origin(`E.1-1 ${row.tag} ${code}`) });
  }
  const dates = options.includes('retainLongitudinalFullDates')
    ? ({ type: 'keep' } as const)
    : options.includes('retainLongitudinalModifiedDates')
      ? ({ type: 'clean', what: 'dates' } as const)
      : ({ type: 'remove' } as const);
  for (const vr of vrsWhere((info) => info.temporal)) {
    rules.push({ selector: { kind: 'vr', vr }, action: dates, origin: origin(`every ${vr} not in E.1-1`) });
  }
  rules.push({ selector: { kind: 'group', group: 0x0004 }, action: { type: 'remove' }, origin: origin('group 0004 (directory records)') });
  rules.push(...outsideTableRules());
  return rules;
}

/**
 * The attributes (exact tags) that the Basic Profile without options changes in some way (removes, empties, replaces,
 * remaps, cleans): what a rules file that does not use the profile is checked against (the untouched-PHI warning).
 * Masks (overlay groups, curves), private elements and the DA/DT/TM catch-alls are not listed: only named attributes.
 */
export function basicProfileChangedTags(): number[] {
  const tags = new Set<number>();
  for (const rule of basicProfileRules([])) {
    if (rule.selector.kind === 'tag' && rule.action.type !== 'keep') tags.add(rule.selector.tag);
  }
  return [...tags].sort((a, b) => a - b);
}

/** The profile's method text for De-identification Method (0012,0063). */
export const METHOD_TEXT = `dicom-anonymizer: PS3.15 ${PS315_EDITION} Basic Profile`;

/** Everything the Basic Profile with `options` puts into a plan. */
export interface ProfileExpansion {
  rules: Rule[];
  markers: Markers;
  safePrivate: SafePrivateAttribute[] | null;
  structuredContent: StructuredContentPlan | null;
}

/** CID 7050's Clean Pixel Data Option code (113101) and Clean Recognizable Visual Features code (113102), from the generated table. */
function cleanPixelCode(): { cleanPixelCode?: CodedConcept; cleanFacesCode?: CodedConcept } {
  const code = CID7050.find((c) => c.codeMeaning === 'Clean Pixel Data Option');
  const faces = CID7050.find((c) => c.codeMeaning === 'Clean Recognizable Visual Features Option');
  return { ...(code ? { cleanPixelCode: { ...code } } : {}), ...(faces ? { cleanFacesCode: { ...faces } } : {}) };
}

export function expandBasicProfile(options: readonly ProfileOption[]): ProfileExpansion {
  const wanted = new Set(['basic' as const, ...options].map((o) => CID7050_FOR_OPTION[o]));
  const temporal = options.includes('retainLongitudinalFullDates')
    ? 'UNMODIFIED' as const
    : options.includes('retainLongitudinalModifiedDates') ? 'MODIFIED-IF-SHIFTED' as const : 'REMOVED' as const;
  return {
    rules: basicProfileRules(options),
    markers: {
      methodText: METHOD_TEXT,
      // In the order of the options (basic first), as CID 7050 lists them.
      codes: [...wanted].flatMap((codeValue) => CID7050.filter((c) => c.codeValue === codeValue).map((c) => ({ ...c }))),
      temporal,
      // Written only by the burned-in step, after it blanked the pixels (never for the profile alone).
      ...cleanPixelCode(),
    },
    safePrivate: options.includes('retainSafePrivate')
      ? SAFE_PRIVATE_ATTRIBUTES.map((a) => ({ group: a.group, creator: a.creator.trim(), element: a.element, vr: a.vr }))
      : null,
    structuredContent: options.includes('cleanStructuredContent') ? structuredContentPlan(options) : null,
  };
}
