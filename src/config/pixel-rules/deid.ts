// Reader for pydicom/deid recipes (deid.dicom), the %filter sections only; every other section (%header, %values,
// %fields...) is metadata for deid and is skipped. Read as a format from deid's documentation; no recipe of theirs is
// copied here.
//
//   FORMAT dicom
//   %filter graylist
//   LABEL Acme scanner, top band      # a comment
//     contains Manufacturer Acme
//     + equals Rows 480 || equals Rows 600
//     coordinates 0,0,640,40          # xmin,ymin,xmax,ymax (deid's own convention)
//     ctpcoordinates 0,440,120,40     # x,y,width,height (CTP's convention)
//
// Predicates: contains F V (a case-insensitive regular expression search, as deid does), notcontains, equals F V,
// notequals, missing F, present F, empty F (missing or an empty value). A line may start with `+` (and) or `||` (or)
// and hold more predicates joined by ` + ` or ` || `; they combine left to right in the order written, as deid reads
// them; a later line with no operator is joined with and. OR and NOT are expanded into several PixelRules
// (conditions.ts). `coordinates all` blanks the whole frame. Fields: a DICOM keyword or (gggg,eeee).
// A LABEL without coordinates in a graylist (or any filter but whitelist / blacklist) flags the files it matches, as
// deid's own default recipe does ("Flags Only"): it becomes a rule that blanks nothing and puts the file at risk. In
// %filter whitelist / blacklist sections a LABEL flags files for deid's own triage and is skipped.
// A field name that is no DICOM keyword (deid's default recipe holds "Manfacturer") names an attribute no file has,
// as deid reads it: contains/equals/present never hold, notcontains/notequals/missing/empty always do.
// Not supported (ConfigError with file:line:column): keepcoordinates, coordinates taken from a field or
// "from:...", several rectangles on one line, other FORMATs.

import type { PixelRegion, PixelRule } from '../../plan/plan.js';
import { ConfigError, quote } from '../errors.js';
import { checkRegex, publicTag, toConjunctions, type Predicate } from './conditions.js';

const PREDICATES = ['contains', 'notcontains', 'equals', 'notequals', 'missing', 'present', 'empty'];
const INLINE_OPERATOR = new RegExp(`\\s+(\\+|\\|\\|)\\s*(?=(?:${PREDICATES.join('|')})\\s)`, 'i');
const SKIPPABLE_FILTERS = new Set(['whitelist', 'blacklist']);

interface Label { line: number; name: string; predicate: Predicate | null; regions: PixelRegion[]; skippable: boolean }

export function parseDeidRecipe(text: string, file: string): PixelRule[] {
  const lines = text.split(/\r?\n/);
  const rules: PixelRule[] = [];
  let section: string | null = null;
  let filterName = '';
  let label: Label | null = null;
  const fail = (reason: string, line: number, column: number, what: string): never => {
    throw new ConfigError(reason, what, file, { line, column });
  };
  const close = (): void => {
    if (label === null) return;
    const where = `LABEL ${quote(label.name)}`;
    if (label.regions.length === 0 && label.skippable) {
      label = null;
      return;
    }
    if (label.regions.length === 0 && label.predicate === null) fail('a LABEL needs a condition or at least one coordinates or ctpcoordinates line', label.line, 1, where);
    const conjunctions = label.predicate === null ? [[]] : toConjunctions(label.predicate, where);
    const origin = `${file} line ${label.line}`;
    for (const conditions of conjunctions) {
      rules.push(label.regions.length > 0 ? { conditions, regions: [...label.regions], origin } : { conditions, regions: [], flagsRisk: true, origin });
    }
    label = null;
  };

  lines.forEach((raw, index) => {
    const n = index + 1;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const col = indent + 1;
    if (/^format\b/i.test(line)) {
      const fmt = stripComment(line).replace(/^format\s*/i, '').trim().toLowerCase();
      if (fmt !== 'dicom') fail(`FORMAT ${quote(fmt)} is not supported (only FORMAT dicom)`, n, col, 'FORMAT');
      return;
    }
    if (line.startsWith('%')) {
      close();
      const parts = stripComment(line).slice(1).trim().split(/\s+/);
      section = (parts[0] ?? '').toLowerCase();
      filterName = (parts[1] ?? '').toLowerCase();
      if (section === 'filter' && filterName === '') fail('a %filter section needs a name (e.g. %filter graylist)', n, col, '%filter');
      return;
    }
    if (section !== 'filter') return; // %header, %values, ...: deid's metadata actions, not ours to read
    if (/^label\b/i.test(line)) {
      close();
      label = { line: n, name: stripComment(line).replace(/^label\s*/i, '').trim(), predicate: null, regions: [], skippable: SKIPPABLE_FILTERS.has(filterName) };
      return;
    }
    const current = label as Label | null;
    const where = current === null ? `%filter ${filterName}` : `LABEL ${quote(current.name)}`;
    if (current === null) { fail('a filter line before any LABEL', n, col, where); return; }
    const keyword = /^([A-Za-z]+)/.exec(line)?.[1]?.toLowerCase() ?? '';
    if (keyword === 'coordinates' || keyword === 'ctpcoordinates') {
      current.regions.push(parseCoordinates(keyword, stripComment(line).slice(keyword.length).trim(), (r) => fail(r, n, col, where)));
      return;
    }
    if (keyword === 'keepcoordinates') fail('keepcoordinates is not supported', n, col, where);
    let rest = line;
    let joiner: 'and' | 'or' = 'and';
    if (rest.startsWith('||')) { joiner = 'or'; rest = rest.slice(2).trim(); }
    else if (rest.startsWith('+')) { rest = rest.slice(1).trim(); }
    else if (current.predicate !== null) joiner = 'and';
    let p = current.predicate;
    // Split "a + b || c" on operators followed by a predicate word, then fold left to right.
    let op = joiner;
    for (;;) {
      const m = INLINE_OPERATOR.exec(rest);
      const head = m === null ? rest : rest.slice(0, m.index);
      const leaf = parsePredicate(head.trim(), (r) => fail(r, n, col, where));
      p = p === null ? leaf : { kind: op, items: [p, leaf] };
      if (m === null) break;
      op = m[1] === '+' ? 'and' : 'or';
      rest = rest.slice(m.index + m[0].length);
    }
    current.predicate = p;
  });
  close();
  return rules;
}

function stripComment(line: string): string {
  const i = line.search(/\s#/);
  return i < 0 ? line : line.slice(0, i);
}

function parsePredicate(text: string, fail: (reason: string) => never): Predicate {
  const m = /^(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(text) ?? /^(\S+)\s*()$/.exec(text);
  const action = m?.[1]?.toLowerCase() ?? '';
  if (!PREDICATES.includes(action)) {
    return fail(`unsupported filter line ${quote(text)}; expected one of ${PREDICATES.join(', ')}, coordinates, ctpcoordinates`);
  }
  const field = m?.[2] ?? '';
  if (field === '') return fail(`"${action}" needs a field name`);
  const value = (m?.[3] ?? '').trim();
  const needsValue = ['contains', 'notcontains', 'equals', 'notequals'].includes(action);
  if (needsValue && value === '') return fail(`"${action}" needs a field and a value`);
  if (!needsValue && value !== '') return fail(`"${action}" takes only a field name`);
  let tag: number;
  try { tag = publicTag(field, 'field'); } catch (e) {
    // Not a keyword at all: an attribute no file holds (a private tag or a pattern stays an error).
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(field) || !/not a DICOM keyword/.test((e as ConfigError).reason)) return fail((e as ConfigError).reason);
    return { kind: 'const', value: ['notcontains', 'notequals', 'missing', 'empty'].includes(action) };
  }
  const leaf = (condition: Predicate & { kind: 'leaf' }): Predicate => condition;
  switch (action) {
    case 'contains':
    case 'notcontains': {
      try { checkRegex(value, 'value'); } catch (e) { return fail((e as ConfigError).reason); }
      const p = leaf({ kind: 'leaf', condition: { tag, op: 'regex', value } });
      return action === 'contains' ? p : { kind: 'not', item: p };
    }
    case 'equals':
    case 'notequals': {
      const p = leaf({ kind: 'leaf', condition: { tag, op: 'equals', value } });
      return action === 'equals' ? p : { kind: 'not', item: p };
    }
    case 'missing': return { kind: 'leaf', condition: { tag, op: 'absent' } };
    case 'present': return { kind: 'leaf', condition: { tag, op: 'present' } };
    default: // empty: missing, or present with an empty (or blank) value
      return { kind: 'or', items: [{ kind: 'leaf', condition: { tag, op: 'absent' } }, { kind: 'leaf', condition: { tag, op: 'regex', value: '^\\s*$' } }] };
  }
}

function parseCoordinates(keyword: string, text: string, fail: (reason: string) => never): PixelRegion {
  if (keyword === 'coordinates' && /^all$/i.test(text)) return { kind: 'rectangle', units: 'fraction', x: 0, y: 0, width: 1, height: 1 };
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length !== 4 || parts.some((s) => !/^\d+$/.test(s))) {
    return fail(keyword === 'coordinates'
      ? 'coordinates must be xmin,ymin,xmax,ymax (four whole, non-negative pixel numbers) or all; coordinates from a field are not supported'
      : 'ctpcoordinates must be x,y,width,height (four whole, non-negative pixel numbers)');
  }
  const [a, b, c, d] = parts.map(Number);
  if (keyword === 'ctpcoordinates') {
    if (c === 0 || d === 0) return fail('ctpcoordinates width and height must be at least 1');
    return { kind: 'rectangle', units: 'pixels', x: a, y: b, width: c, height: d };
  }
  if (c <= a || d <= b) return fail('coordinates xmin,ymin,xmax,ymax need xmax > xmin and ymax > ymin');
  return { kind: 'rectangle', units: 'pixels', x: a, y: b, width: c - a, height: d - b };
}
