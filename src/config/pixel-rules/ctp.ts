// Reader for CTP's DicomPixelAnonymizer.script (the format as documented on the RSNA MIRC wiki; no rule file of theirs
// is copied here). A script is a list of sections, each a signature in braces followed by one or more regions in
// parentheses; text outside braces and parentheses is a comment:
//
//   Comment text.   { Modality.equals("US") * [0008,0070].containsIgnoreCase("acme") }   (0,0,640,48) (0,440,120,40)
//
// Signature language (CTP's filter language): terms `identifier.method("string")`, `true.`, `false.`; operators by
// increasing precedence `+` (or), `*` (and), `!` (not); parentheses group. Identifiers: a DICOM keyword (e.g.
// Modality, Manufacturer) or a tag in square brackets [gggg,eeee]. Methods: equals, equalsIgnoreCase, contains,
// containsIgnoreCase (→ equals / contains, which are case-insensitive here), matches (→ regex, anchored at both ends as
// Java's String.matches), startsWith, startsWithIgnoreCase, endsWith, endsWithIgnoreCase (→ anchored regexes).
// Regions: (x,y,w,h) in pixels, whole numbers. Every region of a matching signature is blanked on every frame.
// OR and NOT are expanded (conditions.ts): a signature may give several PixelRules, all with its regions and origin.
// Not supported (ConfigError with file:line:column): sequence chains (A::B), other methods (isLessThan, ...),
// element names that are not DICOM keywords, private tags.

import type { PixelRegion, PixelRule } from '../../plan/plan.js';
import { ConfigError, quote, type TextPosition } from '../errors.js';
import { checkRegex, escapeRegex, publicTag, toConjunctions, type Predicate } from './conditions.js';

type Token =
  | { t: 'op'; v: '!' | '*' | '+' | '(' | ')' | '.'; at: number }
  | { t: 'word'; v: string; at: number }
  | { t: 'tag'; v: string; at: number }
  | { t: 'string'; v: string; at: number };

const METHODS: Readonly<Record<string, (v: string) => { op: 'equals' | 'contains' | 'regex'; value: string }>> = {
  equals: (v) => ({ op: 'equals', value: v }),
  equalsignorecase: (v) => ({ op: 'equals', value: v }),
  contains: (v) => ({ op: 'contains', value: v }),
  containsignorecase: (v) => ({ op: 'contains', value: v }),
  matches: (v) => ({ op: 'regex', value: `^(?:${v})$` }),
  startswith: (v) => ({ op: 'regex', value: `^${escapeRegex(v)}` }),
  startswithignorecase: (v) => ({ op: 'regex', value: `^${escapeRegex(v)}` }),
  endswith: (v) => ({ op: 'regex', value: `${escapeRegex(v)}$` }),
  endswithignorecase: (v) => ({ op: 'regex', value: `${escapeRegex(v)}$` }),
};

export function parseCtpScript(text: string, file: string): PixelRule[] {
  const pos = positions(text);
  const fail = (reason: string, offset: number, what: string): never => {
    throw new ConfigError(reason, what, file, pos(offset));
  };
  const rules: PixelRule[] = [];
  let current: { predicate: Predicate; line: number; offset: number; index: number; regions: PixelRegion[] } | null = null;
  let count = 0;
  const close = (): void => {
    if (current === null) return;
    const where = `signature ${current.index}`;
    if (current.regions.length === 0) fail('a signature needs at least one region (x,y,w,h) after it', current.offset, where);
    for (const conditions of toConjunctions(current.predicate, where)) {
      rules.push({ conditions, regions: [...current.regions], origin: `${file} line ${current.line}` });
    }
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '{') {
      close();
      const end = findClosing(text, i, '{', '}');
      if (end < 0) fail('"{" without its closing "}"', i, `signature ${count + 1}`);
      count++;
      const where = `signature ${count}`;
      const tokens = tokenize(text, i + 1, end, (r, o) => fail(r, o, where));
      const predicate = parseExpression(tokens, end, (r, o) => fail(r, o, where));
      current = { predicate, line: pos(i).line, offset: i, index: count, regions: [] };
      i = end + 1;
    } else if (ch === '(') {
      const end = text.indexOf(')', i);
      if (end < 0) fail('"(" without its closing ")"', i, 'region');
      if (current === null) fail('a region (x,y,w,h) before any signature { ... }', i, 'region');
      current!.regions.push(parseRectangle(text.slice(i + 1, end), (r) => fail(r, i, `signature ${current!.index} region`)));
      i = end + 1;
    } else if (ch === '}' || ch === ')') {
      fail(`"${ch}" without its opening "${ch === '}' ? '{' : '('}"`, i, 'script');
    } else {
      i++;
    }
  }
  close();
  return rules;
}

function parseRectangle(inner: string, fail: (reason: string) => never): PixelRegion {
  const parts = inner.split(',').map((p) => p.trim());
  if (parts.length !== 4 || parts.some((p) => !/^\d+$/.test(p))) {
    fail('a region must be (x,y,w,h): four whole, non-negative numbers of pixels');
  }
  const [x, y, width, height] = parts.map(Number);
  if (width === 0 || height === 0) fail('a region\'s width and height must be at least 1');
  return { kind: 'rectangle', units: 'pixels', x, y, width, height };
}

function findClosing(text: string, start: number, open: string, closeCh: string): number {
  let inString = false;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === closeCh) return i;
    else if (c === open) return -1;
  }
  return -1;
}

function tokenize(text: string, from: number, to: number, fail: (reason: string, offset: number) => never): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < to) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '!' || c === '*' || c === '+' || c === '(' || c === ')' || c === '.') { out.push({ t: 'op', v: c, at: i }); i++; continue; }
    if (c === ':' ) fail('sequence chains (A::B) are not supported', i);
    if (c === '[') {
      const end = text.indexOf(']', i);
      if (end < 0 || end > to) fail('"[" without its closing "]"', i);
      out.push({ t: 'tag', v: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let v = '';
      let j = i + 1;
      for (; j < to && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < to) { j++; v += text[j]; } else v += text[j];
      }
      if (j >= to) fail('unterminated string', i);
      out.push({ t: 'string', v, at: i });
      i = j + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, to));
    if (m === null) fail(`unexpected character ${quote(c)}`, i);
    out.push({ t: 'word', v: m![0], at: i });
    i += m![0].length;
  }
  return out;
}

/** Recursive descent: or := and ('+' and)*; and := unary ('*' unary)*; unary := '!' unary | '(' or ')' | term. */
function parseExpression(tokens: Token[], endOffset: number, fail: (reason: string, offset: number) => never): Predicate {
  let k = 0;
  const peek = (): Token | undefined => tokens[k];
  const at = (): number => peek()?.at ?? endOffset;
  const isOp = (v: string): boolean => { const t = peek(); return t !== undefined && t.t === 'op' && t.v === v; };
  const expect = (v: string, what: string): void => {
    if (!isOp(v)) fail(`expected ${what}`, at());
    k++;
  };
  const or = (): Predicate => {
    const items = [and()];
    while (isOp('+')) { k++; items.push(and()); }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  };
  const and = (): Predicate => {
    const items = [unary()];
    while (isOp('*')) { k++; items.push(unary()); }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  };
  const unary = (): Predicate => {
    if (isOp('!')) { k++; return { kind: 'not', item: unary() }; }
    if (isOp('(')) { k++; const p = or(); expect(')', '")"'); return p; }
    return term();
  };
  const term = (): Predicate => {
    const t = peek();
    if (t === undefined) return fail('expected a term such as Modality.equals("US")', endOffset);
    if (t.t === 'word' && (t.v === 'true' || t.v === 'false')) {
      k++;
      expect('.', `"${t.v}." (with its period)`);
      return { kind: 'const', value: t.v === 'true' };
    }
    if (t.t !== 'word' && t.t !== 'tag') return fail('expected an attribute name or [gggg,eeee]', t.at);
    k++;
    const tagText = t.t === 'tag' ? `(${t.v})` : t.v;
    let tag: number;
    try {
      tag = publicTag(tagText, 'signature');
    } catch (e) {
      return fail(`unknown or unsupported attribute ${quote(t.t === 'tag' ? `[${t.v}]` : t.v)} (${(e as ConfigError).reason})`, t.at);
    }
    expect('.', '"." and a method after the attribute');
    const m = peek();
    if (m === undefined || m.t !== 'word') return fail('expected a method name such as equals or contains', at());
    const method = METHODS[m.v.toLowerCase()];
    if (method === undefined) return fail(`unsupported method ${quote(m.v)}; supported: equals, equalsIgnoreCase, contains, containsIgnoreCase, matches, startsWith(IgnoreCase), endsWith(IgnoreCase)`, m.at);
    k++;
    expect('(', '"(" after the method name');
    const s = peek();
    if (s === undefined || s.t !== 'string') return fail('expected a "quoted string" argument', at());
    k++;
    expect(')', '")" after the argument');
    const c = method(s.v);
    if (c.op === 'regex') {
      try { checkRegex(c.value, 'signature'); } catch (e) { return fail((e as ConfigError).reason, s.at); }
    }
    return { kind: 'leaf', condition: { tag, op: c.op, value: c.value } };
  };
  const result = or();
  if (k < tokens.length) fail('unexpected text in the signature (operators are + or, * and, ! not)', at());
  return result;
}

/** offset → 1-based line and column. */
export function positions(text: string): (offset: number) => TextPosition {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x0a) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  };
}
