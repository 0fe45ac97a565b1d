// Person names in prose, without the header: a name after a title (Dr, Mrs, Prof, Herr, Mme...), after a cue
// ("seen by", "per", "wife"), a given name followed by a family name from the name lists (faker's locale data, every
// locale, folded so "Soren Jorgensen" is found as "Søren Jørgensen" is), a listed name standing alone in mixed-case
// text, "Family, Given", a DICOM PN written out (DOE^JOHN), and CJK names (a family name opening a short run, or
// beside an honorific such as 先生, 様, 씨). Words known not to identify (words.generated.ts) are never a name
// unless a title or strong cue says so.

import { fold } from './fold.js';
import type { Span } from './span.js';
import { FILLER, NAME_CUES, STRONG_CUES, TITLES, wordSets, type WordSets } from './words.js';

interface Token {
  start: number;
  end: number;
  /** Folded, without a final dot. */
  f: string;
  capital: boolean;
  initial: boolean;
}

/** Titles that are also clinical abbreviations (MR modality, MS sclerosis, PT patient/physiotherapy, SR report...). */
const AMBIGUOUS_TITLES = new Set(['MR', 'MS', 'PT', 'SR', 'RN', 'SIG', 'SISTER', 'NURSE', 'DRS']);
/** A listed name followed by one of these is an eponym (Crohn disease, Colles fracture), not a person. */
const EPONYM_NEXT = /^(?:DISEASE|SYNDROME|FRACTURE|CYST|SIGN|TUMOU?R|LESION|PROCEDURE|CLASSIFICATION|SCORE|GRADE|VIEW|POSITION|MANEUVRE|MANEUVER|TEST|REFLEX|ANGLE|LINE|TRIANGLE|NODE|DUCT|CANAL|ORGAN|OPERATION|PROTOCOL|METHOD|SEQUENCE|CELL|CELLS)$/;
/** Name particles, folded. */
const PARTICLE = new Set(['VAN', 'DER', 'DEN', 'DE', 'DA', 'DI', 'DO', 'DOS', 'DAS', 'DEL', 'DELLA', 'VON', 'ZU', 'LE', 'LA', 'DU', 'DES', 'TER', 'TEN', 'BIN', 'BINTI', 'AL', 'EL', 'Y', 'MAC', 'LO', 'LI']);
const TOKEN = /[\p{L}][\p{L}\p{M}'’-]*\.?/gu;
const CAPITAL = /^\p{Lu}/u;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}々]+/gu;
const HONORIFIC = /^(?:先生|女士|小姐|医生|医師|医师|大夫|教授|様|さま|さん|氏|君|ちゃん|씨|님|선생님|교수님|환자)/u;
const PREFIX_HONORIFIC = /(?:患者|病人|医生|医師|医师|主治医|担当医|환자|의사)$/u;
const PN_WRITTEN = /(?<![\p{L}\p{N}])[\p{L}'-]{2,}(?:\^[\p{L}'-]*)+/gu;

function tokensOf(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const raw = m[0];
    const bare = raw.endsWith('.') ? raw.slice(0, -1) : raw;
    const f = fold(bare).replace(/’/g, "'").replace(/'S$/, '');
    out.push({ start: m.index, end: m.index + raw.length, f, capital: CAPITAL.test(raw), initial: /^\p{Lu}\.?$/u.test(raw) });
  }
  return out;
}

export function personNameSpans(text: string): Span[] {
  const out: Span[] = [];
  PN_WRITTEN.lastIndex = 0;
  for (let m = PN_WRITTEN.exec(text); m; m = PN_WRITTEN.exec(text)) {
    // Not a Siemens "Region^Protocol" description (HEAD^Harms, WRIST^RIGHT): a name part is listed, or no part is a word.
    const parts = m[0].split('^').filter((p) => p !== '').map(fold);
    const w = wordSets();
    const word = (p: string): boolean => w.clinical.has(p) || w.common.has(p);
    if (parts.length >= 2 && (parts.some((p) => (w.given.has(p) || w.family.has(p)) && !word(p)) || !parts.some(word))) {
      out.push({ start: m.index, end: m.index + m[0].length, kind: 'name', by: 'pattern' });
    }
  }
  if (/[A-Za-z\u00C0-\u024F\u0370-\u04FF]/.test(text)) latinNames(text, out);
  if (/[\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF]/.test(text)) cjkNames(text, out);
  return out;
}

function latinNames(text: string, out: Span[]): void {
  const w = wordSets();
  const tokens = tokensOf(text);
  const allCaps = !/\p{Ll}/u.test(text);
  /** A listed name, as written or with its umlauts written out (HAEMAELAEINEN for Hämäläinen). */
  const one = (set: ReadonlySet<string>, f: string): boolean => set.has(f) || (/[AOU]E/.test(f) && set.has(f.replace(/([AOU])E/g, '$1')));
  // A double name (BRITT-MARIE) is listed when each part is.
  const has = (set: ReadonlySet<string>, t: Token): boolean => one(set, t.f) || (t.f.includes('-') && t.f.split('-').every((p) => p !== '' && (one(w.given, p) || one(w.family, p))));
  /** A word of the language: the word, or every part of a hyphenated one (Follow-up), is a common or clinical word. */
  const common = (t: Token): boolean => w.common.has(t.f) || (t.f.includes('-') && t.f.split('-').every((p) => w.common.has(p) || w.clinical.has(p)));
  const listed = (t: Token): boolean => has(w.given, t) || has(w.family, t);
  const vocab = (t: Token): boolean => w.clinical.has(t.f) || w.common.has(t.f);
  // In mixed-case text a name is written Titlecase (an all-capitals word there is an acronym unless listed).
  const shaped = (t: Token): boolean => t.capital && (t.f.length >= 2 || t.initial) && (allCaps || t.initial || /\p{Ll}/u.test(text.slice(t.start, t.end)) || listed(t));
  /** Only spaces (or an initial's dot) between two tokens. */
  const adjacent = (a: Token, b: Token): boolean => /^[\s.]*$/.test(text.slice(a.end, b.start)) && b.start - a.end <= 3;
  const eponym = (i: number): boolean => i + 1 < tokens.length && EPONYM_NEXT.test(tokens[i + 1].f);
  /**
   * A further part of a name already begun: a capitalised word that is not clinical, filler or (unless listed) a
   * common word; after a title (`titled`) an all-capitals text's unlisted words count too (DR PAKDAL ROQUEN).
   */
  const more = (t: Token, titled: boolean): boolean => {
    if (t.initial) return text[t.end - 1] === '.';
    if (!shaped(t) || FILLER.has(t.f)) return false;
    if (w.clinical.has(t.f)) return !allCaps && has(w.family, t) && !w.common.has(t.f);
    return listed(t) ? !common(t) || has(w.family, t) : !common(t) && (!allCaps || titled);
  };
  /** A name particle (van der, de, da, von...) between name parts. */
  const particle = (j: number): boolean => PARTICLE.has(tokens[j].f) && j + 1 < tokens.length && adjacent(tokens[j], tokens[j + 1]) &&
    (tokens[j + 1].capital || particle(j + 1));
  /** Take name parts from token i on (up to 4, particles besides); returns the index after the last one taken. */
  const take = (i: number, first: (t: Token) => boolean, titled = false): number => {
    let j = i, parts = 0;
    while (j < tokens.length && parts < 4 && !eponym(j)) {
      if (j > i && !adjacent(tokens[j - 1], tokens[j])) break;
      if (j > i && particle(j)) {
        let k = j;
        while (k < tokens.length && particle(k)) k++;
        if (k < tokens.length && more(tokens[k], true)) { j = k; continue; }
        break;
      }
      if (!(j === i ? first(tokens[j]) : more(tokens[j], titled))) break;
      j++;
      parts++;
    }
    return j;
  };
  const push = (i: number, j: number): void => { out.push({ start: tokens[i].start, end: tokens[j - 1].end, kind: 'name', by: 'pattern' }); };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (TITLES.has(t.f) && next && adjacent(t, next)) {
      const ambiguous = AMBIGUOUS_TITLES.has(t.f) && (allCaps || !t.capital);
      // MR FRANK RASMUSSEN: a listed word that is also English counts when a listed name follows it.
      const after = tokens[i + 2];
      const pair = after !== undefined && adjacent(next, after) && listed(after) && !vocab(after);
      const first = ambiguous
        ? (n: Token): boolean => shaped(n) && listed(n) && !w.clinical.has(n.f) && (!w.common.has(n.f) || pair)
        : (n: Token): boolean => shaped(n) && !w.clinical.has(n.f) && !FILLER.has(n.f);
      const j = take(i + 1, first, !ambiguous);
      if (j > i + 1) { push(i, j); i = j - 1; continue; }
    }
    if (NAME_CUES.has(t.f) && next && /^[\s:,]*$/.test(text.slice(t.end, next.start))) {
      const strong = STRONG_CUES.has(t.f);
      const first = (n: Token): boolean => shaped(n) && !FILLER.has(n.f) && !w.clinical.has(n.f) &&
        ((listed(n) && !vocab(n)) || (strong && (!allCaps || listed(n) || !w.common.has(n.f))) || (!allCaps && !w.common.has(n.f) && (strong || listed(n))));
      const j = take(i + 1, first);
      if (j > i + 1) { push(i + 1, j); i = j - 1; continue; }
    }
    if (shaped(t) && listed(t) && !vocab(t) && !FILLER.has(t.f) && !eponym(i)) {
      // Family, Given
      if (next && /^,\s*$/.test(text.slice(t.end, next.start)) && shaped(next) && listed(next) && !vocab(next)) { push(i, i + 2); i++; continue; }
      // Given Family: a listed name and a further name part (a listed name alone may be a place or a product: Phoenix, Vida).
      const j = take(i, () => true);
      if (j > i + 1) { push(i, j); i = j - 1; continue; }
    }
    // A given name that is also a word, followed by a listed family name: "Grace Kelly", "Will Jorgensen".
    if (shaped(t) && has(w.given, t) && !w.clinical.has(t.f) && next && adjacent(t, next) && shaped(next) && has(w.family, next) && !w.common.has(next.f) &&
      (!w.clinical.has(next.f) || !allCaps) && !eponym(i + 1)) {
      push(i, i + 2);
      i++;
    }
  }
}

function cjkNames(text: string, out: Span[]): void {
  const w = wordSets();
  CJK_RUN.lastIndex = 0;
  for (let m = CJK_RUN.exec(text); m; m = CJK_RUN.exec(text)) {
    const run = m[0];
    const chars = [...run];
    const at = m.index;
    const familyLength = (from: number): number => {
      for (let n = Math.min(w.cjkFamilyMax, chars.length - from); n >= 1; n--) if (w.cjkFamily.has(chars.slice(from, from + n).join(''))) return n;
      return 0;
    };
    const offset = (k: number): number => at + chars.slice(0, k).join('').length;
    const hangul = /\p{Script=Hangul}/u.test(run);
    // A short run of its own opening with a family name: 王伟, 山田 太郎, 김민준.
    const honorific = chars.findIndex((_, k) => k >= 1 && HONORIFIC.test(chars.slice(k).join('')));
    if (chars.length >= 2 && chars.length <= Math.max(4, familyLength(0) + 3) && honorific < 0 && familyLength(0) > 0 && (!hangul || chars.length === 3 || standalone(text, at, run))) {
      let end = at + run.length;
      // A family name written apart from the given name: 山田 太郎.
      const after = /^\s([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]{1,3})(?![\p{L}\p{N}])/u.exec(text.slice(end));
      if (after && !hangul && chars.length <= 2 && (w.cjkGiven.has(after[1]) || !/[\p{L}\p{N}]/u.test(text[at - 1] ?? ''))) end += after[0].length;
      out.push({ start: at, end, kind: 'name', by: 'pattern' });
      continue;
    }
    // Inside a longer run: a family name and one or two characters before an honorific (王伟先生, 山田様), or after a cue (患者王伟).
    for (let k = 0; k < chars.length; k++) {
      const n = familyLength(k);
      if (n === 0) continue;
      for (let g = 2; g >= 1; g--) {
        const end = k + n + g;
        if (end > chars.length) continue;
        const rest = chars.slice(end).join('');
        const before = chars.slice(0, k).join('');
        const given = chars.slice(k + n, end).join('');
        if (HONORIFIC.test(rest) || (PREFIX_HONORIFIC.test(before) && (g === 2 || rest === '')) || w.cjkGiven.has(given)) {
          out.push({ start: offset(k), end: offset(end), kind: 'name', by: 'pattern' });
          k = end - 1;
          break;
        }
      }
    }
  }
}

/** A run with no letter or digit right before or after it (a word of its own in spaced text). */
function standalone(text: string, at: number, run: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text[at - 1] ?? '') && !/[\p{L}\p{N}]/u.test(text[at + run.length] ?? '');
}

export type { WordSets };
