// Specific Character Set (0008,0005): PS3.5 section 6.1 and Annexes H-K, PS3.3 C.12.1.1.2 (Table C.12-2..C.12-5).
//
// One engine handles every single-byte set and the ISO 2022 code extension forms: a value is decoded with a small
// G0/G1 state machine (G0 = GL bytes 0x21-0x7E, G1 = GR bytes 0xA0-0xFF), initialised from value 1 of (0008,0005)
// and switched by designation escape sequences. UTF-8, GB18030 and GBK have no code extensions and are decoded whole.
//
// Decoding is lenient (escape sequences are honoured even for sets that were not declared, high bytes in the default
// repertoire read as ISO 8859-1 like pydicom and dcmtk, an unknown escape sequence is kept as text). Encoding is strict:
// only the declared terms are used, and a result is returned only if it decodes back to exactly the input.

import { allowsMultipleStrings, usesSpecificCharset } from './vr.js';
import iconv from 'iconv-lite';
import { trimPaddingEnd, trimPaddingStart } from './padding.js';

/** One graphic character set that can be designated into G0 or G1. Codes are the 7-bit positions (0x20-0x7F). */
interface CodeSet {
  readonly name: string;
  /** 1 for 94/96-character sets, 2 for 94x94 sets. */
  readonly width: 1 | 2;
  /** Bytes of the designation escape sequence (starting with ESC). */
  readonly escape: readonly number[];
  /** True for sets that hold ASCII in G0 (ISO 646 IRV, JIS X 0201 Roman). */
  readonly asciiLike: boolean;
  /** 7-bit code(s) -> text, undefined when unassigned. */
  decode(c1: number, c2: number): string | undefined;
  /** Character (one code point) -> 7-bit code(s), undefined when not in the set. */
  encode(ch: string): readonly number[] | undefined;
}

const ESC = 0x1b;

// ---------------------------------------------------------------------------------------------------------------
// Table construction (lazy, from iconv-lite).

/** Single-byte G1 set (96 positions, bytes 0xA0-0xFF) built from an 8-bit iconv-lite codec. */
function sb96(name: string, codec: string, finalByte: number): CodeSet {
  let dec: (string | undefined)[] | undefined;
  let enc: Map<string, number> | undefined;
  const build = (): void => {
    dec = [];
    enc = new Map();
    // Codes 0x00-0x1F stand for the C1 controls (bytes 0x80-0x9F), which every ISO 8859 part leaves as U+0080-U+009F.
    for (let c = 0; c < 0x20; c++) {
      dec[c] = String.fromCharCode(0x80 | c);
      enc.set(dec[c]!, c);
    }
    for (let c = 0x20; c < 0x80; c++) {
      const s = codec === 'latin1' ? String.fromCharCode(c | 0x80) : iconv.decode(Buffer.from([c | 0x80]), codec);
      if (s.length === 0 || s === '\ufffd') continue;
      dec[c] = s;
      if (!enc.has(s)) enc.set(s, c);
    }
  };
  return {
    name,
    width: 1,
    escape: [ESC, 0x2d, finalByte],
    asciiLike: false,
    decode(c1) {
      if (!dec) build();
      return dec![c1];
    },
    encode(ch) {
      if (!enc) build();
      const c = enc!.get(ch);
      return c === undefined ? undefined : [c];
    },
  };
}

/** True for a string of exactly one astral character (one surrogate pair). */
const isSurrogatePair = (s: string): boolean => s.length === 2 && s.charCodeAt(0) >= 0xd800 && s.charCodeAt(0) <= 0xdbff && s.charCodeAt(1) >= 0xdc00 && s.charCodeAt(1) <= 0xdfff;

/** 94x94 set built from an EUC-style iconv-lite codec: pair (c1,c2) is the bytes [prefix, c1|0x80, c2|0x80]. */
function dbcs94(name: string, codec: string, escape: readonly number[], prefix: readonly number[]): CodeSet {
  let dec: (string | undefined)[] | undefined;
  let enc: Map<string, readonly number[]> | undefined;
  const build = (): void => {
    dec = [];
    enc = new Map();
    // One decoder and one buffer for the 8,836 pairs (a decoder per pair cost most of a table's build, each time a
    // thread first met the set); end() after each pair flushes and resets it, as iconv.decode does.
    const decoder = iconv.getDecoder(codec);
    const pair = Buffer.from([...prefix, 0, 0]);
    for (let c1 = 0x21; c1 <= 0x7e; c1++) {
      for (let c2 = 0x21; c2 <= 0x7e; c2++) {
        pair[prefix.length] = c1 | 0x80;
        pair[prefix.length + 1] = c2 | 0x80;
        const s = decoder.write(pair) + (decoder.end() ?? '');
        if (s.length === 0 || s.length > 2 || (s.length === 2 && !isSurrogatePair(s)) || s.includes('\ufffd')) continue;
        dec[c1 * 128 + c2] = s;
        if (!enc.has(s)) enc.set(s, [c1, c2]);
      }
    }
  };
  return {
    name,
    width: 2,
    escape,
    asciiLike: false,
    decode(c1, c2) {
      if (!dec) build();
      return dec![c1 * 128 + c2];
    },
    encode(ch) {
      if (!enc) build();
      return enc!.get(ch);
    },
  };
}

/** ISO 646 IRV (ASCII) or JIS X 0201 Roman in G0. The latter is treated as ASCII, as pydicom and dcmtk do, because
 * its 0x5C must stay the DICOM value delimiter. */
function asciiSet(name: string, escape: readonly number[]): CodeSet {
  return {
    name,
    width: 1,
    escape,
    asciiLike: true,
    decode: (c1) => (c1 >= 0x20 && c1 < 0x7f ? String.fromCharCode(c1) : undefined),
    encode: (ch) => {
      const c = ch.charCodeAt(0);
      return ch.length === 1 && c >= 0x20 && c < 0x7f ? [c] : undefined;
    },
  };
}

/** JIS X 0201 Katakana (half-width katakana U+FF61-U+FF9F at codes 0x21-0x5F). */
function katakanaSet(name: string, escape: readonly number[]): CodeSet {
  return {
    name,
    width: 1,
    escape,
    asciiLike: false,
    decode: (c1) => (c1 >= 0x21 && c1 <= 0x5f ? String.fromCharCode(0xff61 + c1 - 0x21) : undefined),
    encode: (ch) => {
      const c = ch.charCodeAt(0);
      return ch.length === 1 && c >= 0xff61 && c <= 0xff9f ? [c - 0xff61 + 0x21] : undefined;
    },
  };
}

const b = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

const SETS = {
  ascii: asciiSet('ISO 646', [ESC, ...b('(B')]),
  romaji: asciiSet('JIS X 0201 Roman', [ESC, ...b('(J')]),
  katakanaG1: katakanaSet('JIS X 0201 Katakana', [ESC, ...b(')I')]),
  katakanaG0: katakanaSet('JIS X 0201 Katakana (G0)', [ESC, ...b('(I')]),
  jisx0208: dbcs94('JIS X 0208', 'eucjp', [ESC, ...b('$B')], []),
  jisx0212: dbcs94('JIS X 0212', 'eucjp', [ESC, ...b('$(D')], [0x8f]),
  ksx1001: dbcs94('KS X 1001', 'euckr', [ESC, ...b('$)C')], []),
  gb2312: dbcs94('GB 2312', 'gbk', [ESC, ...b('$)A')], []),
  latin1: sb96('ISO 8859-1', 'latin1', 0x41),
  latin2: sb96('ISO 8859-2', 'iso88592', 0x42),
  latin3: sb96('ISO 8859-3', 'iso88593', 0x43),
  latin4: sb96('ISO 8859-4', 'iso88594', 0x44),
  cyrillic: sb96('ISO 8859-5', 'iso88595', 0x4c),
  arabic: sb96('ISO 8859-6', 'iso88596', 0x47),
  greek: sb96('ISO 8859-7', 'iso88597', 0x46),
  hebrew: sb96('ISO 8859-8', 'iso88598', 0x48),
  latin5: sb96('ISO 8859-9', 'iso88599', 0x4d),
  latin9: sb96('ISO 8859-15', 'iso885915', 0x62),
  thai: sb96('TIS 620', 'iso885911', 0x54),
} satisfies Record<string, CodeSet>;

/** Escape sequences we recognise when decoding (the designation bytes after ESC). */
const DESIGNATIONS: ReadonlyArray<{ seq: readonly number[]; g: 0 | 1; set: CodeSet }> = [
  { seq: b('(B'), g: 0, set: SETS.ascii },
  { seq: b('(J'), g: 0, set: SETS.romaji },
  { seq: b('(I'), g: 0, set: SETS.katakanaG0 },
  { seq: b(')I'), g: 1, set: SETS.katakanaG1 },
  { seq: b('$B'), g: 0, set: SETS.jisx0208 },
  { seq: b('$@'), g: 0, set: SETS.jisx0208 }, // JIS C 6226-1978, decoded as JIS X 0208
  { seq: b('$(B'), g: 0, set: SETS.jisx0208 },
  { seq: b('$(D'), g: 0, set: SETS.jisx0212 },
  { seq: b('$)C'), g: 1, set: SETS.ksx1001 },
  { seq: b('$)A'), g: 1, set: SETS.gb2312 },
  ...(
    [
      ['A', SETS.latin1], ['B', SETS.latin2], ['C', SETS.latin3], ['D', SETS.latin4], ['L', SETS.cyrillic],
      ['G', SETS.arabic], ['F', SETS.greek], ['H', SETS.hebrew], ['M', SETS.latin5], ['b', SETS.latin9],
      ['T', SETS.thai],
    ] as const
  ).map(([f, set]) => ({ seq: b('-' + f), g: 1 as const, set })),
];

// ---------------------------------------------------------------------------------------------------------------
// Defined terms.

type Term =
  | { readonly kind: 'iso'; readonly g0?: CodeSet; readonly g1?: CodeSet }
  | { readonly kind: 'whole'; readonly codec: 'utf8' | 'gb18030' | 'gbk' };

const SINGLE_BYTE: ReadonlyArray<[number, CodeSet]> = [
  [100, SETS.latin1], [101, SETS.latin2], [109, SETS.latin3], [110, SETS.latin4], [144, SETS.cyrillic],
  [127, SETS.arabic], [126, SETS.greek], [138, SETS.hebrew], [148, SETS.latin5], [203, SETS.latin9],
  [166, SETS.thai],
];

const TERMS: ReadonlyMap<string, Term> = new Map<string, Term>([
  ['', { kind: 'iso', g0: SETS.ascii }],
  ['ISO_IR 6', { kind: 'iso', g0: SETS.ascii }],
  ['ISO 2022 IR 6', { kind: 'iso', g0: SETS.ascii }],
  ['ISO_IR 13', { kind: 'iso', g0: SETS.romaji, g1: SETS.katakanaG1 }],
  ['ISO 2022 IR 13', { kind: 'iso', g0: SETS.romaji, g1: SETS.katakanaG1 }],
  ['ISO 2022 IR 87', { kind: 'iso', g0: SETS.jisx0208 }],
  ['ISO 2022 IR 159', { kind: 'iso', g0: SETS.jisx0212 }],
  ['ISO 2022 IR 149', { kind: 'iso', g1: SETS.ksx1001 }],
  ['ISO 2022 IR 58', { kind: 'iso', g1: SETS.gb2312 }],
  ['ISO_IR 192', { kind: 'whole', codec: 'utf8' }],
  ['GB18030', { kind: 'whole', codec: 'gb18030' }],
  ['GBK', { kind: 'whole', codec: 'gbk' }],
  ...SINGLE_BYTE.flatMap(([ir, g1]): [string, Term][] => [
    [`ISO_IR ${ir}`, { kind: 'iso', g0: SETS.ascii, g1 }],
    [`ISO 2022 IR ${ir}`, { kind: 'iso', g0: SETS.ascii, g1 }],
  ]),
]);

/** Normalizes one term: case, '-'/'_'/missing space variants of ISO_IR n and ISO 2022 IR n, a few aliases. */
function normalizeTerm(raw: string): string {
  const t = trimPaddingStart(trimPaddingEnd(raw, true), true);
  if (t === '') return '';
  const u = t.toUpperCase();
  if (TERMS.has(u)) return u;
  let m = /^ISO[\s_-]*2022[\s_-]*IR[\s_-]*(\d+)$/.exec(u);
  if (m) return `ISO 2022 IR ${Number(m[1])}`;
  m = /^ISO[\s_-]*IR[\s_-]*(\d+)$/.exec(u);
  if (m) return `ISO_IR ${Number(m[1])}`;
  const compact = u.replace(/[\s_-]/g, '');
  if (compact === 'UTF8') return 'ISO_IR 192';
  if (compact === 'GB18030' || compact === 'GBK') return compact;
  m = /^ISO8859(\d+)$/.exec(compact);
  if (m) {
    const part = Number(m[1]);
    const ir: Record<number, number> = { 1: 100, 2: 101, 3: 109, 4: 110, 5: 144, 6: 127, 7: 126, 8: 138, 9: 148, 11: 166, 15: 203 };
    if (ir[part] !== undefined) return `ISO_IR ${ir[part]}`;
  }
  return t;
}

const parsedCharacterSets = new Map<string, readonly string[]>();
/** Bounds of the character-set caches: their keys come from the input. */
const MEMO_KEY_MAX = 256;
const MEMO_ENTRIES_MAX = 1024;

/** The terms of a (0008,0005) value: the first (possibly empty: the default repertoire), then the non-empty rest. */
export function parseSpecificCharacterSet(value: string): string[] {
  let terms = parsedCharacterSets.get(value);
  if (terms === undefined) {
    const parts = value.split('\\').map(normalizeTerm);
    const [first = '', ...rest] = parts;
    terms = Object.freeze([first, ...rest.filter((t) => t !== '')]);
    // Real values are a few short terms; hostile ones must not fill memory through the cache.
    if (value.length <= MEMO_KEY_MAX) {
      if (parsedCharacterSets.size >= MEMO_ENTRIES_MAX) parsedCharacterSets.clear();
      parsedCharacterSets.set(value, terms);
    }
  }
  return [...terms];
}

export function isSupportedCharacterSet(terms: readonly string[]): boolean {
  return terms.every((t) => TERMS.has(t));
}

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers.


/** Characters before which the initial character set must be active (PS3.5 6.1.2.5.3), and after which decoding
 * starts again from the initial set. Control characters (other than ESC) always count. */
function isDelimiter(c: number, vr: string): boolean {
  if (c < 0x20) return c !== ESC;
  if (c === 0x5c) return allowsMultipleStrings(vr);
  if (c === 0x5e || c === 0x3d) return vr === 'PN';
  return false;
}


function resolve(terms: readonly string[]): Term[] {
  const out: Term[] = [];
  for (const t of terms) {
    const term = TERMS.get(t) ?? TERMS.get(normalizeTerm(t));
    if (term) out.push(term);
  }
  if (out.length === 0) out.push(TERMS.get('')!);
  return out;
}

/** UTF-8 / GB18030 / GBK win over everything else if present (they allow no code extension). */
const wholeCodec = (ts: readonly Term[]): 'utf8' | 'gb18030' | 'gbk' | undefined => {
  for (const t of ts) if (t.kind === 'whole') return t.codec;
  return undefined;
};

function initialState(ts: readonly Term[]): { g0: CodeSet; g1: CodeSet | undefined } {
  const first = ts[0];
  let g0: CodeSet = SETS.ascii;
  let g1: CodeSet | undefined;
  if (first && first.kind === 'iso') {
    if (first.g0 && first.g0.width === 1) g0 = first.g0;
    g1 = first.g1;
  }
  return { g0, g1 };
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

// ---------------------------------------------------------------------------------------------------------------
// Decoding.

export function decodeText(bytes: Uint8Array, terms: readonly string[], vr: string): string {
  if (!usesSpecificCharset(vr)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const ts = resolve(terms);
  const whole = wholeCodec(ts);
  if (whole === 'utf8') return utf8Decoder.decode(bytes);
  if (whole) return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), whole);
  return decodeIso2022(bytes, ts, vr);
}

function matchEscape(bytes: Uint8Array, i: number): { len: number; g: 0 | 1; set: CodeSet } | undefined {
  for (const d of DESIGNATIONS) {
    if (i + d.seq.length >= bytes.length) continue;
    let ok = true;
    for (let k = 0; k < d.seq.length; k++) {
      if (bytes[i + 1 + k] !== d.seq[k]) {
        ok = false;
        break;
      }
    }
    if (ok) return { len: 1 + d.seq.length, g: d.g, set: d.set };
  }
  return undefined;
}

function decodeIso2022(bytes: Uint8Array, ts: readonly Term[], vr: string): string {
  const init = initialState(ts);
  let g0 = init.g0;
  let g1 = init.g1;
  /** Last G1 set designated in this value: used (leniently) for GR bytes after a delimiter reset G1 to nothing. */
  let lastG1: CodeSet | undefined = g1;
  let out = '';
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i];
    if (c === ESC) {
      const m = matchEscape(bytes, i);
      if (m) {
        if (m.g === 0) g0 = m.set;
        else g1 = lastG1 = m.set;
        i += m.len;
      } else {
        out += '\x1b';
        i++;
      }
      continue;
    }
    if (c < 0x80) {
      if (c < 0x21 || c === 0x7f) {
        // Space and control characters are the same in every G0 set.
        out += String.fromCharCode(c);
        i++;
        if (isDelimiter(c, vr)) {
          g0 = init.g0;
          g1 = init.g1;
        }
        continue;
      }
      if (g0.width === 2) {
        const c2 = i + 1 < n ? bytes[i + 1] : -1;
        if (c2 >= 0x21 && c2 <= 0x7e) {
          out += g0.decode(c, c2) ?? '\ufffd';
          i += 2;
        } else {
          out += '\ufffd';
          i++;
        }
        continue;
      }
      const s = g0.decode(c, 0);
      out += s ?? '\ufffd';
      i++;
      if (g0.asciiLike && isDelimiter(c, vr)) {
        g0 = init.g0;
        g1 = init.g1;
      }
      continue;
    }
    // GR byte.
    const set = g1 ?? lastG1;
    if (!set) {
      // Default repertoire with 8-bit data: read as ISO 8859-1 (what pydicom and dcmtk do).
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    if (set.width === 2) {
      const c2 = i + 1 < n ? bytes[i + 1] : -1;
      if (c >= 0xa1 && c <= 0xfe && c2 >= 0xa1 && c2 <= 0xfe) {
        out += set.decode(c & 0x7f, c2 & 0x7f) ?? '\ufffd';
        i += 2;
      } else {
        out += '\ufffd';
        i++;
      }
      continue;
    }
    const s = set.decode(c & 0x7f, 0);
    if (s !== undefined) {
      out += s;
      i++;
      continue;
    }
    if (set === SETS.katakanaG1 && ((c >= 0x81 && c <= 0x9f) || (c >= 0xe0 && c <= 0xfc)) && i + 1 < n) {
      // Shift_JIS double-byte data in an ISO_IR 13 dataset (seen in the wild).
      const t = iconv.decode(Buffer.from([c, bytes[i + 1]]), 'shiftjis');
      if ([...t].length === 1 && t !== '\ufffd') {
        out += t;
        i += 2;
        continue;
      }
    }
    out += '\ufffd';
    i++;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding.

function toWellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Printable ASCII except backslash (which some sets, e.g. JIS X 0201 Roman, read otherwise): no escapes, no controls. */
function isPlainAscii(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x20 || c > 0x7e || c === 0x5c) return false;
  }
  return true;
}

const PLAIN_ASCII_PROBE = Array.from({ length: 0x7f - 0x20 }, (_, k) => String.fromCharCode(0x20 + k)).filter((c) => c !== '\\').join('');
const plainAsciiSafe = new Map<string, boolean>();

/** True when plain ASCII text is encoded as itself in `terms` (checked once per character set and VR by a round trip). */
function plainAsciiIsIdentity(terms: readonly string[], vr: string): boolean {
  const key = `${vr}:${terms.join('\\')}`;
  let safe = plainAsciiSafe.get(key);
  if (safe === undefined) {
    safe = decodeText(new Uint8Array(Buffer.from(PLAIN_ASCII_PROBE, 'latin1')), terms, vr) === PLAIN_ASCII_PROBE;
    if (key.length <= MEMO_KEY_MAX) {
      if (plainAsciiSafe.size >= MEMO_ENTRIES_MAX) plainAsciiSafe.clear();
      plainAsciiSafe.set(key, safe);
    }
  }
  return safe;
}

export function encodeText(text: string, terms: readonly string[], vr: string): Uint8Array | null {
  if (!usesSpecificCharset(vr)) {
    for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) > 0xff) return null;
    return new Uint8Array(Buffer.from(text, 'latin1'));
  }
  // Most new values (UIDs, dates, pseudonyms, dummies) are plain ASCII: every DICOM character set starts out as
  // ASCII, so they need no code extension and no round-trip check.
  if (isPlainAscii(text) && plainAsciiIsIdentity(terms, vr)) return new Uint8Array(Buffer.from(text, 'latin1'));
  const ts = resolve(terms);
  const whole = wholeCodec(ts);
  if (whole === 'utf8') {
    // Lone surrogates cannot exist in UTF-8: they become U+FFFD (never null, since UTF-8 is the fallback).
    return new Uint8Array(Buffer.from(toWellFormed(text), 'utf8'));
  }
  let out: Uint8Array | null;
  if (whole) {
    const buf = iconv.encode(text, whole);
    out = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } else {
    out = encodeIso2022(text, ts, vr);
  }
  // Strict: only return bytes that decode back to exactly the input.
  if (out === null || decodeText(out, terms, vr) !== text) return null;
  return out;
}

function encodeIso2022(text: string, ts: readonly Term[], vr: string): Uint8Array | null {
  const init = initialState(ts);
  /** Sets we may designate, in the order of the terms (value 1 first). */
  const candidates: { g: 0 | 1; set: CodeSet }[] = [];
  for (const t of ts) {
    if (t.kind !== 'iso') continue;
    if (t.g0 && t.g0.width === 2) candidates.push({ g: 0, set: t.g0 });
    if (t.g1) candidates.push({ g: 1, set: t.g1 });
  }
  const asciiG0 = init.g0.asciiLike ? init.g0 : SETS.ascii;
  let g0 = init.g0;
  let g1 = init.g1;
  const out: number[] = [];
  const designate = (g: 0 | 1, set: CodeSet): void => {
    if (g === 0) {
      if (g0 === set) return;
      g0 = set;
    } else {
      if (g1 === set) return;
      g1 = set;
    }
    out.push(...set.escape);
  };
  /** Back to the initial set before a delimiter / control character / end of value. G1 needs no escape when value 1
   * designates nothing into G1 (the state is simply reset, Annex I and K). */
  const reset = (): void => {
    if (g0 !== init.g0) designate(0, init.g0);
    if (init.g1 && g1 !== init.g1) designate(1, init.g1);
    g0 = init.g0;
    g1 = init.g1;
  };
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      if (isDelimiter(c, vr)) {
        reset();
        out.push(c);
        g0 = init.g0;
        g1 = init.g1;
        continue;
      }
      if (c < 0x20 || c === 0x7f) {
        out.push(c);
        continue;
      }
      if (!g0.asciiLike) designate(0, asciiG0);
      out.push(c);
      continue;
    }
    // Prefer a set that is already active, then the declared sets in order.
    let pick: { g: 0 | 1; set: CodeSet; codes: readonly number[] } | undefined;
    if (g0.width === 2) {
      const codes = g0.encode(ch);
      if (codes) pick = { g: 0, set: g0, codes };
    }
    if (!pick && g1) {
      const codes = g1.encode(ch);
      if (codes) pick = { g: 1, set: g1, codes };
    }
    if (!pick) {
      for (const cand of candidates) {
        const codes = cand.set.encode(ch);
        if (codes) {
          pick = { ...cand, codes };
          break;
        }
      }
    }
    if (!pick) return null;
    designate(pick.g, pick.set);
    for (const code of pick.codes) out.push(pick.g === 1 ? code | 0x80 : code);
  }
  reset();
  return Uint8Array.from(out);
}
