// Clean Structured Content Option (PS3.15 E.3.4): SR content items, and the content items of Acquisition Context,
// Specimen Preparation and Waveform Annotation sequences, are de-identified by their concept name, using Table
// E.3.4-1, as resolved under the options into plan.structuredContent (src/profiles/structured-content.ts).
//
// What the table drives, for a content item whose Concept Name Code Sequence (0040,A043) names a listed concept
// (Code Value, or Long Code Value / URN Code Value, + Coding Scheme Designator; the row of the item's Value Type
// when the concept has several):
// - the item itself: a concept whose action resolves to X is removed from its sequence with everything under it (X =
//   "remove", and the template lists such items as optional, which is why the table says X rather than D). References
//   by position (Referenced Content Item Identifier (0040,DB73), by-reference relationships) in the document are
//   renumbered; an item that referenced a removed one is removed too. A Content Sequence left empty is removed (Type
//   1C: required only when the item has children).
// - its value attributes (Text Value, Person Name, DateTime, Date, Time, UID): K keeps, C cleans (dates shifted as
//   under Retain Longitudinal Modified Dates; text cleaned as under Clean Descriptors), D and X/D give a dummy (a UID
//   is remapped: a consistent dummy), and an X that survived (the document root) also gets a dummy. Options are read
//   like E.1-1: K wins over C, C over the basic code.
// - other attributes of the item (Observation DateTime, Observation UID, Referenced SOP Sequence, codes...) keep
//   their own E.1-1 rules, so references of an IMAGE/COMPOSITE/WAVEFORM item with D have their UIDs remapped (U).
// A content item whose concept is not listed: Text Value is cleaned (dropped when it contains an identifying value
// of the instance), and the other value attributes get their E.1-1 row under the active options (Person Name D,
// dates D / K / shifted, UID U).
//
// Retired concept codes (e.g. SNOMED-RT "SRT" designators) are not in the table and are handled as unlisted: no
// retired-to-current code mapping is available in the reference data.

import type { DataElement, DataSet } from '../dicom/dataset.js';
import type { ByteSource } from '../dicom/source.js';
import type { Tag } from '../dicom/tag.js';
import { encodeNumbers, getNumbers, getString, getStrings } from '../dicom/values.js';
import type { Action, StructuredContentPlan } from '../plan/plan.js';
import type { ActionContext, RunFacts } from './context.js';
import type { HeaderValue } from '../identifying/index.js';
import {
  CodeValue, CodingSchemeDesignator, ConceptNameCodeSequence, ContentSequence, Date as DateTag, DateTime, LongCodeValue,
  PersonName, ReferencedContentItemIdentifier, TextValue, URNCodeValue, ValueType,
} from '../dicom/tags.generated.js';

type Concept = StructuredContentPlan['concepts'][number];

/** The plan's concepts by code and scheme, built once per plan. */
const BY_CONCEPT = new WeakMap<StructuredContentPlan, Map<string, Concept[]>>();
function conceptsOf(sc: StructuredContentPlan): Map<string, Concept[]> {
  let map = BY_CONCEPT.get(sc);
  if (!map) {
    map = new Map();
    for (const row of sc.concepts) {
      const key = `${row.codeValue}|${row.codingSchemeDesignator}`;
      map.set(key, [...(map.get(key) ?? []), row]);
    }
    BY_CONCEPT.set(sc, map);
  }
  return map;
}

const text = (ds: DataSet, tag: Tag, source?: ByteSource): string => {
  const el = ds.get(tag);
  return el && el.items === null ? getString(ds, el, source).trim() : '';
};

/** The concept name of a content item: code (Code Value, else Long Code Value, else URN Code Value) and scheme. */
export function conceptNameOf(item: DataSet, source?: ByteSource): { code: string; scheme: string } | null {
  const seq = item.get(ConceptNameCodeSequence);
  const code = seq?.items?.[0];
  if (!code) return null;
  const value = text(code, CodeValue, source) || text(code, LongCodeValue, source) || text(code, URNCodeValue, source);
  const scheme = text(code, CodingSchemeDesignator, source);
  return value === '' ? null : { code: value, scheme };
}

/** The plan's row for a content item, or null when its concept is not listed. */
export function lookupConcept(item: DataSet, sc: StructuredContentPlan, source?: ByteSource): Concept | null {
  const name = conceptNameOf(item, source);
  if (!name) return null;
  const rows = conceptsOf(sc).get(`${name.code}|${name.scheme}`);
  if (!rows) return null;
  const valueType = text(item, ValueType, source).toUpperCase();
  const exact = rows.find((r) => r.valueType === valueType);
  if (exact) return exact;
  // Value type not the table's (or absent): the strictest row of the concept.
  return rows.reduce((a, b) => (b.strictness > a.strictness ? b : a));
}

/**
 * What happens to one value attribute of a content item: the concept's action (a surviving X becomes a dummy),
 * 'text' for an unlisted concept's free text (cleaned against the identifying values), or the attribute's own
 * E.1-1 row. Null when the element is not a content value attribute (or the option is off).
 */
export function contentValueAction(item: DataSet, element: DataElement, source: ByteSource | undefined, sc: StructuredContentPlan | null):
  { action: Action; code: string; listed: boolean } | 'text' | null {
  if (sc === null || !sc.valueTags.includes(element.tag)) return null;
  const row = lookupConcept(item, sc, source);
  if (row) {
    const { action, code } = row;
    if (action.type === 'remove') return { action: { type: 'dummy' }, code: `${code} (item kept): D`, listed: true };
    return { action, code, listed: true };
  }
  if (element.tag === TextValue) return 'text';
  const unlisted = sc.unlistedValueActions.find((u) => u.tag === element.tag);
  if (!unlisted) return { action: { type: 'dummy' }, code: 'D', listed: false };
  return { action: unlisted.action, code: unlisted.code, listed: false };
}

/** Sets `items` as the items of `sequence`, renumbering their parent links. */
function setItems(sequence: DataElement, items: DataSet[]): void {
  items.forEach((item, index) => { if (item.parent) item.parent.index = index; });
  sequence.setItems(items);
}

const itemRemoved = (item: DataSet, source: ByteSource | undefined, sc: StructuredContentPlan): boolean =>
  lookupConcept(item, sc, source)?.action.type === 'remove';

/** Removes the items of one sequence whose concept resolves to X. */
function pruneLevel(holder: DataSet, sequence: DataElement, source: ByteSource | undefined, sc: StructuredContentPlan): void {
  if (!sequence.items) return;
  const kept = sequence.items.filter((item) => !itemRemoved(item, source, sc));
  if (kept.length === sequence.items.length) return;
  setItems(sequence, kept);
  if (kept.length === 0 && sequence.tag === ContentSequence) holder.removeElement(sequence);
}

/**
 * The SR document tree (the top-level Content Sequence and every nested one), pruned at once so that references by
 * position (Referenced Content Item Identifier: 1 = the root, then 1-based indices down Content Sequences) can be
 * renumbered. A referencing item whose target goes is removed as well, until nothing points at a removed item.
 */
function pruneDocument(root: DataSet, source: ByteSource | undefined, sc: StructuredContentPlan): void {
  const forced = new Set<DataSet>();
  for (;;) {
    const removed = new Set<DataSet>();
    const removedPaths: string[] = [];
    const paths = new Map<string, number[]>([['1', [1]]]);
    const refs: Array<{ item: DataSet; el: DataElement }> = [];
    const visit = (holder: DataSet, oldPath: number[], newPath: number[]): void => {
      const seq = holder.get(ContentSequence);
      if (!seq?.items) return;
      let n = 0;
      seq.items.forEach((item, i) => {
        const old = [...oldPath, i + 1];
        if (forced.has(item) || itemRemoved(item, source, sc)) {
          removed.add(item);
          removedPaths.push(old.join('.'));
          return;
        }
        const fresh = [...newPath, ++n];
        paths.set(old.join('.'), fresh);
        const ref = item.get(ReferencedContentItemIdentifier);
        if (ref && ref.items === null) refs.push({ item, el: ref });
        visit(item, old, fresh);
      });
    };
    visit(root, [1], [1]);
    let again = false;
    const updates: Array<{ item: DataSet; el: DataElement; to: number[] }> = [];
    for (const { item, el } of refs) {
      const target = getNumbers(item, el, source);
      if (target.length === 0) continue;
      const key = target.join('.');
      const mapped = paths.get(key);
      if (mapped) {
        if (mapped.join('.') !== key) updates.push({ item, el, to: mapped });
      } else if (removedPaths.some((p) => key === p || key.startsWith(`${p}.`))) {
        forced.add(item);
        again = true;
      }
    }
    if (again) continue;
    if (removed.size === 0) return;
    for (const { item, el, to } of updates) el.setValue(encodeNumbers(item, 'UL', to), 'UL');
    const apply = (holder: DataSet): void => {
      const seq = holder.get(ContentSequence);
      if (!seq?.items) return;
      const kept = seq.items.filter((item) => !removed.has(item));
      if (kept.length !== seq.items.length) setItems(seq, kept);
      if (kept.length === 0) holder.removeElement(seq);
      kept.forEach(apply);
    };
    apply(root);
    return;
  }
}

/**
 * C on a content-item sequence: items whose concept resolves to X are removed (for the document's top-level
 * Content Sequence, the whole tree at once with references renumbered); the engine then walks what is left.
 */
export function pruneContentItems(ctx: ActionContext): void {
  const el = ctx.element;
  if (!el.items) return;
  const sc = ctx.plan.structuredContent;
  if (sc === null) return;
  if (el.tag === ContentSequence && ctx.dataset.parent === null) pruneDocument(ctx.dataset, ctx.source, sc);
  else pruneLevel(ctx.dataset, el, ctx.source, sc);
}

const CACHE = new WeakMap<RunFacts, readonly HeaderValue[]>();

/**
 * Identifying values carried by content items, which the engine does not collect because their rule is `clean`:
 * every Person Name, dates and listed identifiers (e.g. Subject ID, Accession Number: listed TEXT concepts that get a
 * dummy or are removed, up to 64 characters) that do not survive. Computed once per instance, on the first
 * structured-content action (clean.ts calls this first), which comes before any content item is changed: the
 * content sequences are visited before their items.
 */
export function contentIdentifyingValues(ctx: ActionContext): readonly HeaderValue[] {
  const cached = CACHE.get(ctx.facts);
  if (cached) return cached;
  let root = ctx.dataset;
  while (root.parent) root = root.parent.dataset;
  const sc = ctx.plan.structuredContent;
  const found: HeaderValue[] = [];
  const add = (value: string, kind: HeaderValue['kind'], label: string): void => {
    if (value.trim() !== '') found.push({ value, kind, label });
  };
  const visit = (ds: DataSet): void => {
    for (const el of ds.elements) {
      if (el.items) {
        el.items.forEach(visit);
        continue;
      }
      if (ds.parent === null) continue;
      const decided = contentValueAction(ds, el, ctx.source, sc);
      if (decided === null || decided === 'text') continue;
      const { type } = decided.action;
      if (type === 'keep' || type === 'clean') continue;
      const values = getStrings(ds, el, ctx.source);
      if (el.tag === PersonName) values.forEach((v) => add(v, 'name', 'PersonName'));
      else if (el.tag === DateTime || el.tag === DateTag) values.forEach((v) => add(v, 'date', 'DateTime'));
      else if (el.tag === TextValue && decided.listed) values.filter((v) => v.trim().length <= 64).forEach((v) => add(v, 'id', 'TextValue'));
    }
  };
  visit(root);
  CACHE.set(ctx.facts, found);
  return found;
}
