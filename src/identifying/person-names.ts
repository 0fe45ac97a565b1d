// Person names in prose, without the header: a name after a title (Dr, Mrs, Prof, Herr, Mme...), after a cue
// ("seen by", "per", "wife"), a given name followed by a family name from the name lists (faker's locale data, every
// locale, folded so "Soren Jorgensen" is found as "Søren Jørgensen" is), a listed name standing alone in mixed-case
// text, "Family, Given", a name before a role ("X, MD", "X (radiologist)"), a DICOM PN written out (DOE^JOHN), and
// CJK names (a family name opening a short run, or beside an honorific such as 先生, 様, 씨). Names on no list are
// found too where something says they are names: after a title or a cue, before a role, beside a listed name, and in
// mixed-case text as two capitalised words side by side that are neither clinical nor English (english.ts). Words
// known not to identify (words.generated.ts) are never a name unless a title or strong cue says so.

import { isEnglishWord } from './english.js';
import { fold } from './fold.js';
import type { Span } from './span.js';
import { FILLER, NAME_CUES, PERSON_CUES, STRONG_CUES, TITLES, wordSets, type WordSets } from './words.js';
import { isImagingDescription } from './not-identifying-shapes.js';

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
const PARTICLE = new Set(['VAN', 'DER', 'DEN', 'DE', 'DA', 'DI', 'DO', 'DOS', 'DAS', 'DEL', 'DELLA', 'VON', 'ZU', 'LE', 'LA', 'DU', 'DES', 'TER', 'TEN', 'BIN', 'BINTI', 'AL', 'EL', 'Y', 'MAC', 'LO', 'LI', 'IBN', 'BINT', 'ABU', 'BEN']);
/** A name written with a lower case prefix: al-Rashid, el-Masri, ibn-Saud, d'Alembert, o'Neill (not l-Dopa). */
const PREFIXED = /^(?:(?:al|el|ad|ar|as|at|az|ash|an|ibn|bin|di|de|da|du|della)['’-]|[dlo]['’])\p{Lu}/u;
/** A role after a name: "X, MD", "X RN", "X, D.O.", "X (radiologist)". */
const ROLE_AFTER = /(?:,\s*|\s+)(?:M\.D\.|MD|Ph\.?D\.?|PHD|D\.O\.|RN|NP|MBBS|FRCR|FRCPC|DDS|PA-C|CRNA)(?![\p{L}\p{N}])|,\s*DO(?![\p{L}\p{N}])|\s*\((?:[Rr]adiologist|[Rr]eferring|[Rr]eferrer|[Aa]ttending|[Tt]echnologist|[Tt]ech|[Rr]esident|[Ff]ellow|[Ss]urgeon|[Pp]hysician|[Nn]urse|RN|MD|NP|RADIOLOGIST|REFERRING|ATTENDING|TECHNOLOGIST|RESIDENT|FELLOW|SURGEON|PHYSICIAN|NURSE)\)/gu;
/** Cheap test before ROLE_AFTER: a credential or an opening bracket. */
const ROLE_HINT = /[(]|D\.|DO|MD|RN|NP|PHD|PhD|MBBS|FRC|DDS|PA-C|CRNA/;
/** Folded word → whether it is a word of the language (wordLike), across values: the same words come back. */
const WORD_LIKE = new Map<string, boolean>();
/** A cue word that introduces a person after one of these verbs: "discussed with", "spoke to", "sent to". */
const CUE_VERBS = new Set(['DISCUSSED', 'SPOKE', 'SPOKEN', 'TALKED', 'CONSULTED', 'SENT', 'FAXED', 'REPORTED', 'COMMUNICATED', 'CONFIRMED', 'GIVEN', 'CALLED']);
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
    out.push({ start: m.index, end: m.index + raw.length, f, capital: CAPITAL.test(raw) || PREFIXED.test(raw), initial: /^\p{Lu}\.?$/u.test(raw) });
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
    if (parts.length >= 2 && !isImagingDescription(m[0]) && (parts.some((p) => (w.given.has(p) || w.family.has(p)) && !word(p)) || !parts.some(word))) {
      out.push({ start: m.index, end: m.index + m[0].length, kind: 'name', by: 'pattern' });
    }
  }
  if (/[A-Za-z\u00C0-\u024F\u0370-\u04FF]/.test(text)) latinNames(text, out);
  if (/[\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF]/.test(text)) cjkNames(text, out);
  return out;
}

/** Always true: the first part of a name some other rule has already decided on. */
const ANY = (): boolean => true;

function latinNames(text: string, out: Span[]): void {
  new LatinNameScan(text, out).run();
}

/**
 * One text's Latin-script name scan. A class rather than closures: its predicates are made once, not on every value
 * (most values are scanned and found to hold no name).
 */
class LatinNameScan {
  private readonly w = wordSets();
  private readonly tokens: Token[];
  private readonly allCaps: boolean;

  constructor(private readonly text: string, private readonly out: Span[]) {
    this.tokens = tokensOf(text);
    this.allCaps = !/\p{Ll}/u.test(text);
  }

  /** A listed name, as written or with its umlauts written out (HAEMAELAEINEN for Hämäläinen). */
  private one(set: ReadonlySet<string>, f: string): boolean {
    return set.has(f) || (/[AOU]E/.test(f) && set.has(f.replace(/([AOU])E/g, '$1')));
  }

  /** In `set`; a double name (BRITT-MARIE) is listed when each part is. */
  private has(set: ReadonlySet<string>, t: Token): boolean {
    return this.one(set, t.f) || (t.f.includes('-') && t.f.split('-').every((p) => p !== '' && (this.one(this.w.given, p) || this.one(this.w.family, p))));
  }

  /** A word of the language: the word, or every part of a hyphenated one (Follow-up), is a common or clinical word. */
  private common(t: Token): boolean {
    const w = this.w;
    return w.common.has(t.f) || (t.f.includes('-') && t.f.split('-').every((p) => w.common.has(p) || w.clinical.has(p)));
  }

  private listed(t: Token): boolean {
    return this.has(this.w.given, t) || this.has(this.w.family, t);
  }

  private vocab(t: Token): boolean {
    return this.w.clinical.has(t.f) || this.w.common.has(t.f);
  }

  /** A word of the language: clinical, common or English, or (hyphenated) every part of 3+ letters is. */
  private wordLike(t: Token): boolean {
    let known = WORD_LIKE.get(t.f);
    if (known === undefined) {
      const w = this.w;
      const parts = t.f.split(/[-']/).filter((p) => p.length >= 3);
      known = parts.length > 0 && parts.every((p) => w.clinical.has(p) || w.common.has(p) || isEnglishWord(p));
      if (WORD_LIKE.size >= 8192) WORD_LIKE.clear();
      WORD_LIKE.set(t.f, known);
    }
    return known;
  }

  /** A capitalised word on no list that is no word of the language either: a name nobody listed (Szabo, McQuenpak). */
  private unlisted(t: Token): boolean {
    return this.shaped(t) && !t.initial && !FILLER.has(t.f) && !TITLES.has(t.f) && !this.listed(t) && !this.wordLike(t);
  }

  /** A name part by itself: a listed name that is no word of the language, or an unlisted one. */
  private nameLike(t: Token): boolean {
    return this.shaped(t) && !t.initial && !FILLER.has(t.f) && !this.w.clinical.has(t.f) && ((this.listed(t) && !this.vocab(t)) || this.unlisted(t));
  }

  /** Token k is a listed name that is also a clinical word, followed by a name part: Arnold Mielczarek, Max Dupont (not Arnold Chiari). */
  private listedBeforeName(k: number): boolean {
    const t = this.tokens[k], next = this.tokens[k + 1];
    return this.listed(t) && this.w.clinical.has(t.f) && next !== undefined && this.adjacent(t, next) && this.nameLike(next) && !this.eponym(k + 1);
  }

  /** Token k is followed by a name part or an initial. */
  private beforeNamePart(k: number): boolean {
    const next = this.tokens[k + 1];
    return next !== undefined && this.adjacent(this.tokens[k], next) && (this.nameLike(next) || next.initial);
  }

  /** Title Case as written (not an all-capitals acronym or a lower case word). */
  private titleCase(t: Token): boolean {
    return /\p{Ll}/u.test(this.text.slice(t.start, t.end));
  }

  /** Name-shaped: in mixed-case text a name is written Titlecase (an all-capitals word there is an acronym unless listed). */
  private shaped(t: Token): boolean {
    return t.capital && (t.f.length >= 2 || t.initial) && (this.allCaps || t.initial || this.titleCase(t) || this.listed(t));
  }

  /** Only spaces (or an initial's dot) between two tokens. */
  private adjacent(a: Token, b: Token): boolean {
    return b.start - a.end <= 3 && /^[\s.]*$/.test(this.text.slice(a.end, b.start));
  }

  private eponym(i: number): boolean {
    return i + 1 < this.tokens.length && EPONYM_NEXT.test(this.tokens[i + 1].f);
  }

  /** An initial written with its dot (J.). */
  private dotted(t: Token): boolean {
    return t.initial && this.text[t.end - 1] === '.';
  }

  /**
   * A further part of a name already begun: a capitalised word that is not clinical, filler or (unless listed) a
   * common word; after a title (`titled`) an all-capitals text's unlisted words count too (DR PAKDAL ROQUEN).
   */
  private more(t: Token, titled: boolean): boolean {
    if (t.initial) return this.dotted(t);
    if (!this.shaped(t) || FILLER.has(t.f)) return false;
    if (this.w.clinical.has(t.f)) return !this.allCaps && this.has(this.w.family, t) && !this.w.common.has(t.f);
    // Unless a title or cue said so, an unlisted word of the language ends the name (Achilles Tendon, Vena Cava).
    return this.listed(t) ? !this.common(t) || this.has(this.w.family, t) : !this.common(t) && (!this.allCaps || titled) && (titled || !this.wordLike(t));
  }

  /** A capitalised word that is not clinical or filler. */
  private plainWord(t: Token): boolean {
    return this.shaped(t) && !t.initial && !FILLER.has(t.f) && !this.w.clinical.has(t.f);
  }

  /** A name particle (van der, de, da, von...) between name parts. */
  private particle(j: number): boolean {
    const tokens = this.tokens;
    return PARTICLE.has(tokens[j].f) && j + 1 < tokens.length && this.adjacent(tokens[j], tokens[j + 1]) && (tokens[j + 1].capital || this.particle(j + 1));
  }

  /** Take name parts from token i on (up to 4, particles besides); returns the index after the last one taken. */
  private take(i: number, first: (k: number) => boolean, titled = false): number {
    const tokens = this.tokens;
    let j = i, parts = 0;
    while (j < tokens.length && parts < 4 && !this.eponym(j)) {
      if (j > i && !this.adjacent(tokens[j - 1], tokens[j])) break;
      if (j > i && this.particle(j)) {
        let k = j;
        while (k < tokens.length && this.particle(k)) k++;
        if (k < tokens.length && this.more(tokens[k], true)) { j = k; continue; }
        break;
      }
      if (!(j === i ? first(j) : this.more(tokens[j], titled))) {
        // After a title or cue, a word of the language may be a name part too: the last one (Trevion White, Alexander
        // Major), or one with a further name part after it (Mộng Liễu Trương).
        if (titled && j > i && this.plainWord(tokens[j])) {
          const after = tokens[j + 1];
          if (after === undefined || !this.adjacent(tokens[j], after)) j++;
          else if (this.more(after, titled)) { j++; parts++; continue; }
        }
        break;
      }
      j++;
      parts++;
    }
    return j;
  }

  private push(i: number, j: number): void {
    this.out.push({ start: this.tokens[i].start, end: this.tokens[j - 1].end, kind: 'name', by: 'pattern' });
  }

  run(): void {
    const { text, tokens, allCaps, w } = this;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      const next = tokens[i + 1];
      if (TITLES.has(t.f) && next && this.adjacent(t, next)) {
        // MR, MS, PT written in capitals are the modality, sclerosis, patient more often than a title, even in
        // mixed-case text; with a dot and a space (MR. X, SR. X) it is a title.
        const ambiguous = AMBIGUOUS_TITLES.has(t.f) && !(text[t.end - 1] === '.' && /\s/.test(text[t.end] ?? '')) && (allCaps || !t.capital || !this.titleCase(t));
        // MR FRANK RASMUSSEN: a listed word that is also English counts when a listed name follows it.
        const after = tokens[i + 2];
        const pair = after !== undefined && this.adjacent(next, after) && this.listed(after) && !this.vocab(after);
        // MS GAWATI FARIDA: two name parts on no list and in no vocabulary make the clinical reading (MS LESION) unlikely.
        let k = i + 2;
        while (k < tokens.length && this.adjacent(tokens[k - 1], tokens[k]) && (PARTICLE.has(tokens[k].f) || this.dotted(tokens[k]))) k++;
        const later = tokens[k];
        const unlistedPair = later !== undefined && this.adjacent(tokens[k - 1], later) && this.unlisted(next) && (this.unlisted(later) || this.nameLike(later));
        const first = ambiguous
          ? (n: number): boolean => this.shaped(tokens[n]) && ((this.listed(tokens[n]) && !w.clinical.has(tokens[n].f) && (!w.common.has(tokens[n].f) || pair)) || unlistedPair)
          : (n: number): boolean => this.shaped(tokens[n]) && ((!w.clinical.has(tokens[n].f) && !FILLER.has(tokens[n].f)) || this.listedBeforeName(n));
        const j = this.take(i + 1, first, !ambiguous || unlistedPair);
        if (j > i + 1) { this.push(i, j); i = j - 1; continue; }
      }
      if (NAME_CUES.has(t.f) && next && /^[\s:,]*$/.test(text.slice(t.end, next.start))) {
        const strong = STRONG_CUES.has(t.f);
        // "radiologist X", "informed X", "discussed with X": a cue for a person, but also a word before clinical ones
        // (Informed Consent), so the first part must be a name by itself; the parts after it are taken as after a title.
        const person = PERSON_CUES.has(t.f) || (i > 0 && CUE_VERBS.has(tokens[i - 1].f) && this.adjacent(tokens[i - 1], t));
        const first = (k: number): boolean => {
          const n = tokens[k];
          return (this.shaped(n) && !FILLER.has(n.f) && !w.clinical.has(n.f) &&
            ((this.listed(n) && !this.vocab(n)) || (strong && (!allCaps || this.listed(n) || !w.common.has(n.f))) ||
              (!allCaps && !w.common.has(n.f) && (strong || this.listed(n))) ||
              (person && (this.nameLike(n) || (!this.vocab(n) && this.beforeNamePart(k)))) || (this.unlisted(n) && this.beforeNamePart(k)))) ||
            ((strong || person) && this.listedBeforeName(k));
        };
        const j = this.take(i + 1, first, strong || person);
        if (j > i + 1) { this.push(i + 1, j); i = j - 1; continue; }
      }
      // Family, Given (and initials or middle names): one part listed, the other a name by itself.
      if (next && /^,\s*$/.test(text.slice(t.end, next.start)) && this.nameLike(t) && this.nameLike(next) && (this.listed(t) || this.listed(next)) && !this.eponym(i + 1)) {
        const j = this.take(i + 1, ANY, true);
        this.push(i, j);
        i = j - 1;
        continue;
      }
      // Two Title Case words side by side in mixed-case text, each a listed name that is no word or on no list and no
      // word of the language: "Adam Szabo", "Bodratra Yanrosen" (not "Sylvian Fissure", "Ommaya Reservoir").
      // Initials and particles may stand between them: "Agustín D. Barraza", "Gusquen von Lufis".
      if (!allCaps && next && this.titleCase(t)) {
        let k = i + 1;
        while (k < tokens.length && this.adjacent(tokens[k - 1], tokens[k]) && (this.dotted(tokens[k]) || (PARTICLE.has(tokens[k].f) && !tokens[k].capital))) k++;
        const second = tokens[k];
        if (second && this.adjacent(tokens[k - 1], second) && this.titleCase(second) && this.nameLike(t) && this.nameLike(second) && !this.eponym(k)) {
          const j = this.take(i, ANY, true);
          this.push(i, j);
          i = j - 1;
          continue;
        }
      }
      if (this.shaped(t) && this.listed(t) && !this.vocab(t) && !FILLER.has(t.f) && !this.eponym(i)) {
        // Family, Given
        if (next && /^,\s*$/.test(text.slice(t.end, next.start)) && this.shaped(next) && this.listed(next) && !this.vocab(next)) { this.push(i, i + 2); i++; continue; }
        // Given Family: a listed name and a further name part (a listed name alone may be a place or a product: Phoenix, Vida).
        const j = this.take(i, ANY);
        if (j > i + 1) { this.push(i, j); i = j - 1; continue; }
      }
      // A given name that is also a word, followed by a listed family name: "Grace Kelly", "Will Jorgensen".
      if (this.shaped(t) && this.has(w.given, t) && !w.clinical.has(t.f) && next && this.adjacent(t, next) && this.shaped(next) && this.has(w.family, next) &&
        !w.common.has(next.f) && (!w.clinical.has(next.f) || !allCaps) && !this.eponym(i + 1)) {
        this.push(i, i + 2);
        i++;
      }
    }
    this.roles();
  }

  /** A name before a role: the capitalised words (not clinical, filler or titles) right before "MD", "RN", "(radiologist)". */
  private roles(): void {
    const { text, tokens } = this;
    if (!ROLE_HINT.test(text)) return;
    ROLE_AFTER.lastIndex = 0;
    for (let m = ROLE_AFTER.exec(text); m; m = ROLE_AFTER.exec(text)) {
      const at = m.index;
      let k = tokens.findIndex((t) => t.end === at);
      if (k < 0) continue;
      let start = -1;
      for (let parts = 0, prev = -1; k >= 0 && parts < 4; prev = k, k--) {
        const t = tokens[k];
        if (prev >= 0 && !this.adjacent(t, tokens[prev])) break;
        if (start >= 0 && PARTICLE.has(t.f)) continue;
        // The role says it is a name: common words count too (Jed Swift, MD).
        const part = t.initial ? this.dotted(t) : this.shaped(t) && !FILLER.has(t.f) && !TITLES.has(t.f) && !this.w.clinical.has(t.f);
        if (!part) break;
        start = k;
        parts++;
      }
      if (start >= 0) this.out.push({ start: tokens[start].start, end: at, kind: 'name', by: 'pattern' });
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
