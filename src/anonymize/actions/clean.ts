// C (clean), per PS3.15 option: dates shifted (Retain Longitudinal Modified Dates), free text cleaned of its
// identifying spans, clinical words kept (descriptors, patient characteristics; src/identifying/), device AE titles replaced by
// keyed pseudonyms, private elements kept only when Table E.3.10-1 lists them, graphics walked, SR content items
// decided by their concept name (Table E.3.4-1, see ../structured-content.ts).
import type { ActionContext } from '../context.js';
import type { Action } from '../../plan/plan.js';
import { getString, setString } from '../../dicom/values.js';
import { isPrivateCreatorTag, tagElement, tagGroup } from '../../dicom/tag.js';
import { isStringVR, isTemporalVR, maxValueLength, vrInfo } from '../../dicom/vr.js';
import { safePrivateIndex } from '../safe-private.js';
import { remapUidValues } from './remap-uid.js';
import { SHIFTABLE_VRS, shiftDates } from './shift-date.js';
import { capAge } from '../dates.js';
import { contentIdentifyingValues, contentValueAction, pruneContentItems } from '../structured-content.js';
import { dummyElement } from './dummy.js';
import { emptyElement } from './empty.js';
import { DUMMY_TEXT } from './dummy.js';
import { DEVICE_PSEUDONYM_DIGITS } from '../keys.js';
import { cleanPlain, cleanProse, findSpans, HeaderTerms } from '../../identifying/index.js';
import type { RunFacts } from '../context.js';
import { TextValue } from '../../dicom/tags.generated.js';

type CleanWhat = Extract<Action, { type: 'clean' }>['what'];

/** The finder's terms for an instance's values, built once per instance (and once more with the content items'). */
const TERMS = new WeakMap<RunFacts, { plain?: HeaderTerms; structured?: HeaderTerms }>();
function termsOf(ctx: ActionContext, structured: boolean): HeaderTerms {
  let cached = TERMS.get(ctx.facts);
  if (!cached) TERMS.set(ctx.facts, (cached = {}));
  if (structured) return (cached.structured ??= HeaderTerms.of([...ctx.identifyingValues(), ...contentIdentifyingValues(ctx)]));
  return (cached.plain ??= HeaderTerms.of(ctx.identifyingValues()));
}

/** VRs whose value is one text in which a backslash is a character, not a value separator. */
const SINGLE_TEXT_VRS = new Set(['ST', 'LT', 'UT']);

/**
 * Free text loses its identifying spans and keeps the rest (src/identifying/: the instance's own values in every
 * written form, and names, dates, phones, addresses... found without them). Under the Clean Structured Content
 * Option the instance's values include the names, dates and identifiers of content items, whose `clean` rule keeps
 * the engine from collecting them. A value left with nothing clinical is emptied; an SR Text Value, which its
 * content item needs, and prose outside E.1-1 (`prose`: Code Meaning is Type 1) get the dummy instead.
 */
function cleanText(ctx: ActionContext, structured = false, prose = false): 'walk' | void {
  const el = ctx.element;
  if (el.items !== null) return 'walk';
  if (!isStringVR(el.vr)) return;
  if (el.vr === 'UI') return remapUidValues(ctx);
  const text = getString(ctx.dataset, el, ctx.source);
  if (text === '') return;
  const terms = (): HeaderTerms => termsOf(ctx, structured || ctx.plan.structuredContent !== null);
  // Prose outside E.1-1 (every file has some Code Meaning) made only of known words needs no header look-up: a
  // patient named like an English word would be the only loss, and the patterns still run. Keeps the default profile cheap.
  const cleaned = cleanFreeText(text, el.vr, terms, prose);
  if (cleaned === text) return;
  // Prose outside E.1-1 (a Type 1 Code Meaning among them) and an SR Text Value keep a value: the dummy.
  if (cleaned === '' && (prose || (structured && el.tag === TextValue))) setString(ctx.dataset, el, DUMMY_TEXT[el.vr] ?? 'ANONYMIZED');
  else setString(ctx.dataset, el, cleaned);
}

/** A value of `vr` with the identifying spans of each of its values removed; '' when none has anything clinical left. */
export function cleanFreeText(text: string, vr: string, header: () => HeaderTerms, plainWithoutHeader = false): string {
  const values = SINGLE_TEXT_VRS.has(vr) ? [text] : text.split('\\');
  // An input value already over its VR's length (real files hold some) is cut to it: what is written stays valid.
  const max = maxValueLength(vr);
  const fit = (v: string): string => (max === undefined || v.length <= max || [...v].length <= max ? v : [...v].slice(0, max).join('').trimEnd());
  const cleaned = values.map((v) => fit((plainWithoutHeader ? cleanPlain(v) : null) ?? cleanProse(v, findSpans(v, { header: header() }))));
  return cleaned.every((v) => v === '') ? '' : cleaned.join('\\');
}

/** VRs of prose, whose safe private values go through the span cleaner. */
const PROSE_VRS = new Set(['LO', 'SH', 'ST', 'LT', 'UT', 'UC']);

/** Bytes that read as text: printable Latin-1 and the usual white space, padding at the end allowed. */
function looksLikeText(bytes: Uint8Array): boolean {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0 || bytes[end - 1] === 0x20)) end--;
  for (let i = 0; i < end; i++) {
    const b = bytes[i];
    if (b < 0x20 ? b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b : b === 0x7f) return false;
  }
  return true;
}

/**
 * Retain Safe Private (E.3.10): the table vouches for what an attribute means, not for what a site typed into it.
 * A text value goes through the span cleaner like any free text (a patient's name or an address inside is removed);
 * a value that does not fit the table's VR (text the table calls binary, bytes that are not text where it says text,
 * a length that is no whole number of its binary values, longer than the VR allows) is removed; so is every OB, OW
 * and UN value the table does not make text or numbers of (a JPEG preview of the screen under a safe creator).
 */
function cleanSafePrivateValue(ctx: ActionContext, tableVR: string): void {
  const el = ctx.element;
  const table = vrInfo(tableVR);
  const own = vrInfo(el.vr);
  const remove = (): void => void ctx.dataset.removeElement(el);
  if (el.valueLength === 0) return; // an empty value holds nothing (an empty safe sequence read as UN among them)
  if (table === undefined || table.kind === 'bytes' || table.kind === 'sequence') {
    // Not given, OB, UN or "OW/OB": nothing to check a value against. Numbers of the element's own VR are kept.
    if (own?.kind === 'number' && tableVR === '') return;
    if (own?.kind === 'text' && tableVR === '') return cleanSafeText(ctx, el.vr);
    return remove();
  }
  const bytes = el.bytes(ctx.source);
  if (table.kind === 'number' || table.kind === 'tag') {
    if ((own?.kind === 'number' || own?.kind === 'bytes' || own?.kind === 'tag') && table.binarySize && bytes.length % table.binarySize === 0) return;
    return remove();
  }
  // The table says text.
  if (own?.kind !== 'text') {
    if (!looksLikeText(bytes)) return remove();
    const text = Buffer.from(bytes).toString('latin1').replace(/[\0 ]+$/, '');
    if (table.maxLength !== undefined && text.split('\\').some((v) => [...v].length > table.maxLength!)) return remove();
    setString(ctx.dataset, el, text, tableVR);
  }
  return cleanSafeText(ctx, tableVR);
}

function cleanSafeText(ctx: ActionContext, vr: string): void {
  const el = ctx.element;
  if (vr === 'PN') return void ctx.dataset.removeElement(el); // a person's name is never safe
  if (!PROSE_VRS.has(vr)) return;
  const text = getString(ctx.dataset, el, ctx.source);
  if (text === '') return;
  const cleaned = cleanFreeText(text, vr, () => termsOf(ctx, ctx.plan.structuredContent !== null));
  if (cleaned !== text) setString(ctx.dataset, el, cleaned, vr);
}

/** A UTC offset as in (0008,0201) Timezone Offset From UTC: &ZZXX. */
const UTC_OFFSET = /^[+-]\d{4}$/;

/**
 * The time-related attributes that E.1-1 marks C under Retain Longitudinal Modified Dates without being dates:
 * (0008,0201) Timezone Offset From UTC (SH) is kept when it is a well-formed offset (a whole-day shift leaves it
 * right, and DT values keep theirs) and removed otherwise; binary timestamps such as (0034,0007) Frame Origin
 * Timestamp and (0400,0310) Certified Timestamp (OB) cannot be shifted without knowing their format, so they go,
 * as in the Basic Profile.
 */
function cleanTimeRelated(ctx: ActionContext): void {
  const el = ctx.element;
  if (isStringVR(el.vr)) {
    const value = getString(ctx.dataset, el, ctx.source);
    if (value === '' || UTC_OFFSET.test(value)) return;
  }
  ctx.dataset.removeElement(el);
}

export function cleanElement(ctx: ActionContext, what: CleanWhat): 'walk' | void {
  const el = ctx.element;
  switch (what) {
    case 'dates':
      if (el.items !== null || SHIFTABLE_VRS.has(el.vr)) {
        return shiftDates(ctx, { scope: ctx.plan.dateShift.scope, rangeDays: ctx.plan.dateShift.rangeDays, shiftTime: false });
      }
      return cleanTimeRelated(ctx);
    case 'patientCharacteristics':
      if (el.vr === 'AS') {
        const raw = getString(ctx.dataset, el, ctx.source);
        if (raw === '') return;
        const age = capAge(raw);
        if (age === null) ctx.dataset.removeElement(el);
        else if (age !== raw) setString(ctx.dataset, el, age);
        return;
      }
      return cleanText(ctx);
    case 'structuredContent': {
      // Collected (once per instance) before this action changes any content item.
      contentIdentifyingValues(ctx);
      // A content-item sequence: items whose concept is X in Table E.3.4-1 go, the rest is walked.
      if (el.items !== null) {
        pruneContentItems(ctx);
        return 'walk';
      }
      const decided = contentValueAction(ctx.dataset, el, ctx.source, ctx.plan.structuredContent);
      if (decided === null || decided === 'text') return cleanText(ctx, true);
      const action = decided.action;
      switch (action.type) {
        case 'keep': return;
        case 'remove': ctx.dataset.removeElement(el); return;
        case 'empty': return emptyElement(ctx);
        case 'dummy': return dummyElement(ctx, action.value);
        case 'remapUid': return remapUidValues(ctx);
        case 'clean':
          if (action.what === 'dates' && !isTemporalVR(el.vr)) return cleanText(ctx, true);
          if (action.what === 'descriptors') return cleanText(ctx, true);
          return cleanElement(ctx, action.what);
        default: return dummyElement(ctx);
      }
    }
    case 'descriptors':
    case 'graphics':
      return cleanText(ctx);
    case 'prose':
      return cleanText(ctx, false, true);
    case 'device':
      if (el.vr === 'UI') return remapUidValues(ctx);
      if (el.vr === 'AE') {
        const value = getString(ctx.dataset, el, ctx.source);
        if (value !== '') setString(ctx.dataset, el, ctx.keys.pseudonym('device', value, 'DEV', DEVICE_PSEUDONYM_DIGITS));
        return;
      }
      return cleanText(ctx);
    case 'safePrivate': {
      // No list (a rule that asks for it without the option): nothing private is known to be safe.
      const safe = safePrivateIndex(ctx.plan.safePrivate ?? []);
      const group = tagGroup(el.tag);
      if (isPrivateCreatorTag(el.tag)) {
        if (!safe.isSafeCreator(group, getString(ctx.dataset, el, ctx.source))) ctx.dataset.removeElement(el);
        return;
      }
      const tableVR = safe.vrOf(group, el.privateCreator, tagElement(el.tag) & 0xff);
      if (tableVR === undefined) {
        ctx.dataset.removeElement(el);
        return;
      }
      // A safe sequence whose items could not be read (opaque UN bytes, e.g. a vendor's embedded dataset with a
      // stray delimiter) would carry its nested identifiers through unchecked: the table vouches for the
      // attribute, not for bytes we cannot walk.
      if (tableVR === 'SQ' && el.items === null && el.valueLength > 0) {
        ctx.dataset.removeElement(el);
        return;
      }
      if (el.items !== null) return 'walk';
      return cleanSafePrivateValue(ctx, tableVR);
    }
  }
}
