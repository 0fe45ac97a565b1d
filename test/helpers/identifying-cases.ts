// A generated test set for the identifying-span finder (issue #22): sentences of clinical text (made from the usual
// words of imaging requests and series descriptions) with identifying spans inside them, each span's place and kind
// known: names from several locales (Latin, CJK, transliterated: "Soren Jorgensen" for Søren Jørgensen; drawn from
// the names the finder's lists hold: identifying-names.ts measures held-out and made-up ones) and names found in no
// list after "Dr", after titles and cues or standing bare; dates in sixteen written forms; times; phones; e-mail;
// URLs; IP addresses; street addresses and postal codes; MRN/accession/SSN-like IDs; ages over 89. Names, places and
// internet data come from @faker-js/faker (seeded: the same set every run), nothing is hand-written case by case.

import { allFakers, type Faker } from '@faker-js/faker';
import { fold, type HeaderValue, type SpanKind } from '../../src/identifying/index.js';
import { heldOutName } from '../../scripts/identifying-holdout.js';

export interface TruthSpan {
  start: number;
  end: number;
  kind: SpanKind;
  /** What made it ("name-cjk", "date-written", ...), for per-kind figures. */
  source: string;
}

export interface SpanCase {
  text: string;
  spans: TruthSpan[];
  /** The clinical words (offsets) that must survive cleaning. */
  clinical: Array<{ start: number; end: number }>;
  /** The instance's own values, when the case is about finding them (identifying-names.ts's header context). */
  header?: HeaderValue[];
}

/** A deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODALITIES = ['MR', 'CT', 'US', 'XR', 'PET/CT', 'NM', 'MRA', 'CTA', 'Mammo', 'DX'];
const PARTS = ['BRAIN', 'KNEE', 'CHEST', 'ABDOMEN', 'PELVIS', 'LUMBAR SPINE', 'CERVICAL SPINE', 'SHOULDER', 'HIP', 'LIVER', 'ORBITS', 'SINUSES',
  'WRIST', 'ANKLE', 'HEART', 'AORTA', 'KIDNEYS', 'PROSTATE', 'BREAST', 'THYROID'];
const LATERALITY = ['LEFT', 'RIGHT', 'BILATERAL', 'LT', 'RT', ''];
const CONTRAST = ['W/O CONTRAST', 'WITH CONTRAST', 'W AND W/O CONTRAST', 'WITHOUT CONTRAST', 'POST GAD', ''];
const SEQUENCES = ['SAG T2 FSE FS', 'AX T1 POST', 'COR STIR', 'AX DWI B1000', 'AX FLAIR', 'SAG T1 MPRAGE', 'AX SWI', 'COR PD FS', 'AX ADC', 'LOCALIZER'];
const FINDINGS = ['Follow-up LLL mass', 'r/o meniscal tear', 'history of stroke', 'known metastases, restaging', 'pain after trauma', 'suspected fracture',
  'nodule surveillance', 'baseline study', 'interval change of lesion', 'acute headache'];

/** Title- or upper-case, as the text around it is written. */
const casing = (s: string, upper: boolean): string => (upper ? s.toUpperCase() : s);

function clinicalPhrase(r: () => number, pick: <T>(xs: readonly T[]) => T): string {
  switch (Math.floor(r() * 3)) {
    case 0: return [pick(MODALITIES), pick(LATERALITY), pick(PARTS), pick(CONTRAST)].filter((x) => x !== '').join(' ');
    case 1: return pick(SEQUENCES);
    default: return `${pick(MODALITIES)} ${pick(PARTS).toLowerCase()}, ${pick(FINDINGS)}`;
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONATE = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];
const MOIS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const ord = (d: number): string => `${d}${d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th'}`;
const p2 = (n: number): string => String(n).padStart(2, '0');

/** One date in one of sixteen written forms. */
export const DATE_FORMS: ReadonlyArray<(y: number, m: number, d: number) => string> = [
  (y, m, d) => `${y}-${p2(m)}-${p2(d)}`,
  (y, m, d) => `${p2(d)}/${p2(m)}/${y}`,
  (y, m, d) => `${m}/${d}/${String(y).slice(2)}`,
  (y, m, d) => `${p2(d)}.${p2(m)}.${y}`,
  (y, m, d) => `${y}${p2(m)}${p2(d)}`,
  (y, m, d) => `${d} ${MONTHS[m - 1]} ${y}`,
  (y, m, d) => `${MONTHS[m - 1]} ${d}, ${y}`,
  (y, m, d) => `${MONTHS[m - 1].slice(0, 3)} ${ord(d)} ${y}`,
  (y, m, d) => `${ord(d)} of ${MONTHS[m - 1]}, ${y}`,
  (y, m, d) => `${p2(d)}-${MONTHS[m - 1].slice(0, 3)}-${y}`,
  (_y, m, d) => `${MONTHS[m - 1]} ${ord(d)}`,
  (y, m, d) => `${d}. ${MONATE[m - 1]} ${y}`,
  (y, m, d) => `${d} ${MOIS[m - 1]} ${y}`,
  (y, m, d) => `${y}年${m}月${d}日`,
  (y, m) => `${MONTHS[m - 1]} ${y}`,
  (y, m, d) => `${p2(m)}-${p2(d)}-${y}`,
];

const LATIN_LOCALES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'sv', 'da', 'nb_NO', 'tr', 'pt_BR', 'cs_CZ', 'hu', 'fi'] as const;
const US_STATES = ['MA', 'NY', 'CA', 'TX', 'IL', 'WA', 'OH', 'PA', 'FL', 'GA'];

/** Letters written out as an ASCII keyboard would: Søren Jørgensen → Soren Jorgensen, Müller → Mueller. */
function transliterate(name: string): string {
  return name.replace(/[äÄ]/g, (c) => (c === 'ä' ? 'ae' : 'Ae')).replace(/[öÖ]/g, (c) => (c === 'ö' ? 'oe' : 'Oe')).replace(/[üÜ]/g, (c) => (c === 'ü' ? 'ue' : 'Ue'))
    .replace(/ß/g, 'ss').replace(/[øØ]/g, (c) => (c === 'ø' ? 'o' : 'O')).replace(/[æÆ]/g, (c) => (c === 'æ' ? 'ae' : 'Ae')).replace(/ł/g, 'l')
    .normalize('NFD').replace(/\p{M}/gu, '');
}

/** A name found in no list: syllables. */
function inventedName(r: () => number): string {
  const syl = ['ka', 'ro', 'vel', 'mun', 'tra', 'bri', 'zo', 'quen', 'dal', 'fis', 'nor', 'pak', 'sti', 'wex'];
  const word = (): string => { let w = ''; for (let i = 0, n = 2 + Math.floor(r() * 2); i < n; i++) w += syl[Math.floor(r() * syl.length)]; return w[0].toUpperCase() + w.slice(1); };
  return `${word()} ${word()}`;
}

/** A name of `faker`'s locale none of whose parts is held out of the finder's lists (identifying-names.ts draws those). */
function listedName(faker: Faker): string {
  for (let i = 0; ; i++) {
    const name = `${faker.person.firstName()} ${faker.person.lastName()}`;
    if (i >= 50 || name.split(/[\s-]+/).every((p) => [...fold(p)].length < 3 || !heldOutName(fold(p)))) return name;
  }
}

/** `count` cases from `seed`. */
export function generateSpanCases(count: number, seed = 22): SpanCase[] {
  const r = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const fakers = allFakers as unknown as Record<string, Faker>;
  for (const name of [...LATIN_LOCALES, 'ja', 'zh_CN', 'ko']) fakers[name].seed(seed);
  const en = fakers.en;
  const cases: SpanCase[] = [];
  for (let n = 0; n < count; n++) {
    const upper = r() < 0.3;
    let text = '';
    const spans: TruthSpan[] = [];
    const clinical: SpanCase['clinical'] = [];
    const put = (s: string): void => { text += s; };
    const clin = (s: string): void => {
      const t = casing(s, upper);
      for (const m of t.matchAll(/[\p{L}\p{N}][\p{L}\p{N}/]*/gu)) clinical.push({ start: text.length + m.index, end: text.length + m.index + m[0].length });
      text += t;
    };
    const ident = (s: string, kind: SpanKind, source: string, keepCase = false): void => {
      const t = keepCase ? s : casing(s, upper);
      spans.push({ start: text.length, end: text.length + t.length, kind, source });
      text += t;
    };
    const latin = fakers[pick(LATIN_LOCALES)];
    const date = (): [number, number, number] => [1930 + Math.floor(r() * 95), 1 + Math.floor(r() * 12), 1 + Math.floor(r() * 28)];
    clin(clinicalPhrase(r, pick));
    switch (n % 14) {
      case 0: { put(casing(' ordered by ', upper)); ident(`${pick(['Dr', 'Dr.', 'Prof.', 'Mrs', 'Mr'])} ${listedName(latin)}`, 'name', 'name-title');
        put(casing(' on ', upper)); const [y, m, d] = date(); ident(pick(DATE_FORMS)(y, m, d), 'date', 'date-written'); break; }
      case 1: put(casing(', seen by ', upper)); ident(listedName(latin), 'name', 'name-cue'); break;
      case 2: put(casing('; wife ', upper)); ident(transliterate(listedName(latin)), 'name', 'name-transliterated'); put(casing(' informed', upper)); break;
      case 3: { put(' '); const family = fakers[pick(['ja', 'zh_CN', 'ko'] as const)]; ident(`${family.person.lastName()}${family.person.firstName()}`, 'name', 'name-cjk', true); put(' '); clin(pick(PARTS)); break; }
      case 4: put(casing(', referred by Dr ', upper)); ident(inventedName(r), 'name', 'name-unlisted'); break;
      case 5: put(casing(' - call ', upper)); ident(pick([
        () => `${200 + Math.floor(r() * 700)}-${100 + Math.floor(r() * 900)}-${1000 + Math.floor(r() * 9000)}`,
        () => `(${200 + Math.floor(r() * 700)}) ${100 + Math.floor(r() * 900)}-${1000 + Math.floor(r() * 9000)}`,
        () => `+44 20 ${7000 + Math.floor(r() * 2000)} ${1000 + Math.floor(r() * 9000)}`,
        () => `+49 30 ${1000000 + Math.floor(r() * 8999999)}`,
        () => `0${1 + Math.floor(r() * 9)} ${10 + Math.floor(r() * 89)} ${10 + Math.floor(r() * 89)} ${10 + Math.floor(r() * 89)} ${10 + Math.floor(r() * 89)}`,
      ])(), 'phone', 'phone'); break;
      case 6: put(casing('; results to ', upper)); ident(en.internet.email(), 'email', 'email', true); break;
      case 7: put(casing(' see ', upper)); ident(`${en.internet.url()}/study/${Math.floor(r() * 1e6)}`, 'url', 'url', true); put(casing(' from ', upper)); ident(en.internet.ipv4(), 'ip', 'ip'); break;
      case 8: put(casing(', pt lives at ', upper)); ident(pick([
        () => `${en.location.buildingNumber()} ${en.location.street()}`,
        () => `${fakers.de.location.street()} ${1 + Math.floor(r() * 200)}`,
        () => `${1 + Math.floor(r() * 120)} rue ${fakers.fr.person.lastName()}`,
        () => `Via ${fakers.it.person.lastName()} ${1 + Math.floor(r() * 90)}`,
      ])(), 'address', 'address');
        put(', '); ident(pick([() => `${pick(US_STATES)} ${en.location.zipCode('#####')}`, () => `${10000 + Math.floor(r() * 89999)} ${fakers.de.location.city()}`])(), 'postal', 'postal'); break;
      case 9: put(casing(pick([' MRN: ', ' acc# ', ' ID ', ' SSN ']), upper)); ident(pick([
        () => String(1000000 + Math.floor(r() * 8999999)), () => `A${100000 + Math.floor(r() * 899999)}`, () => `${100 + Math.floor(r() * 899)}-${10 + Math.floor(r() * 89)}-${1000 + Math.floor(r() * 8999)}`,
      ])(), 'id', 'id'); break;
      case 10: { const text0 = text; text = ''; clinical.length = 0; ident(`${90 + Math.floor(r() * 15)}-year-old`, 'age', 'age'); put(' '); clin(pick(['female', 'male', 'patient']) + ', ' + text0.toLowerCase()); break; }
      case 11: { put(' ('); const [y, m, d] = date(); ident(pick(DATE_FORMS)(y, m, d), 'date', 'date-written'); put(')'); break; }
      case 12: { put(casing(' at ', upper)); ident(`${Math.floor(r() * 24)}:${p2(Math.floor(r() * 60))}`, 'time', 'time'); break; }
      default: put(' '); ident(listedName(latin), 'name', 'name-bare'); put(' '); clin(pick(FINDINGS)); break;
    }
    cases.push({ text, spans, clinical });
  }
  return cases;
}

/** Per source: truth spans covered entirely by found spans, and clinical words kept (not inside a found span). */
export interface SpanScore {
  bySource: Map<string, { total: number; found: number }>;
  spans: { total: number; found: number };
  clinical: { total: number; kept: number };
  misses: Array<{ text: string; source: string; span: string }>;
  lost: Array<{ text: string; word: string }>;
}

export function scoreSpans(cases: readonly SpanCase[], find: (text: string, c: SpanCase) => ReadonlyArray<{ start: number; end: number }>): SpanScore {
  const score: SpanScore = { bySource: new Map(), spans: { total: 0, found: 0 }, clinical: { total: 0, kept: 0 }, misses: [], lost: [] };
  for (const c of cases) {
    const found = find(c.text, c);
    const covered = new Uint8Array(c.text.length);
    for (const s of found) covered.fill(1, s.start, s.end);
    for (const t of c.spans) {
      const entry = score.bySource.get(t.source) ?? { total: 0, found: 0 };
      score.bySource.set(t.source, entry);
      entry.total++;
      score.spans.total++;
      // Every letter and digit of the span covered (spaces and punctuation inside may stay).
      let ok = true;
      for (let i = t.start; i < t.end; i++) if (/[\p{L}\p{N}]/u.test(c.text[i]) && !covered[i]) { ok = false; break; }
      if (ok) { entry.found++; score.spans.found++; } else score.misses.push({ text: c.text, source: t.source, span: c.text.slice(t.start, t.end) });
    }
    for (const w of c.clinical) {
      score.clinical.total++;
      let hit = false;
      for (let i = w.start; i < w.end; i++) if (covered[i]) { hit = true; break; }
      if (!hit) score.clinical.kept++; else score.lost.push({ text: c.text, word: c.text.slice(w.start, w.end) });
    }
  }
  return score;
}
