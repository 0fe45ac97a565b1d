// Whether a word is English (issue #22): a capitalised word found in no name list may be a name nobody listed or a
// word of the language written in Title Case ("Ommaya Reservoir", "Sylvian Fissure"); the name heuristics take only
// the first kind. The ~130,000 base forms of an English word list (the npm package word-list, at generation time)
// are kept as a Bloom filter (english.generated.ts, ~300 KB instead of 1.3 MB of words): a word of the list is always
// known; a word not on it is taken for English with a probability of about 0.1% per form looked up.

import { ENGLISH_BLOOM, ENGLISH_BLOOM_BITS, ENGLISH_BLOOM_HASHES } from './english.generated.js';

/** The bit positions of a folded word in a filter of `bits` bits with `hashes` hashes (double hashing of two FNV-1a). */
export function bloomPositions(word: string, bits: number, hashes: number): number[] {
  let h1 = 0x811c9dc5, h2 = 0x2166136b;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
    h2 ^= h2 >>> 13;
  }
  h2 |= 1;
  const out: number[] = [];
  for (let k = 0; k < hashes; k++) out.push(((h1 + Math.imul(k, h2)) >>> 0) % bits);
  return out;
}

let filter: Uint8Array | null = null;

function inFilter(word: string): boolean {
  if (filter === null) filter = Uint8Array.from(atob(ENGLISH_BLOOM), (c) => c.charCodeAt(0));
  for (const p of bloomPositions(word, ENGLISH_BLOOM_BITS, ENGLISH_BLOOM_HASHES)) if ((filter[p >>> 3] & (1 << (p & 7))) === 0) return false;
  return true;
}

/** Endings of inflected forms and the base forms they come from (the list keeps base forms only). */
const ENDINGS: ReadonlyArray<[string, string]> = [
  ['IES', 'Y'], ['IED', 'Y'], ['ES', ''], ['S', ''], ['ED', ''], ['ED', 'E'], ['ING', ''], ['ING', 'E'], ['LY', ''], ['ERS', ''], ['ER', ''], ['ER', 'E'], ['NESS', ''],
];

/** Whether a folded word (fold.ts: upper case, no accents) is an English word or an inflected form of one. */
export function isEnglishWord(folded: string): boolean {
  if (inFilter(folded)) return true;
  for (const [end, base] of ENDINGS) {
    if (folded.length - end.length >= 4 && folded.endsWith(end) && inFilter(folded.slice(0, -end.length) + base)) return true;
  }
  return false;
}

/** Whether a lower case word is an inflected form of another word of `words` (the generator keeps base forms only). */
export function isInflectedForm(word: string, words: ReadonlySet<string>): boolean {
  for (const [end, base] of ENDINGS) {
    const e = end.toLowerCase();
    if (word.length - e.length >= 4 && word.endsWith(e) && words.has(word.slice(0, -e.length) + base.toLowerCase())) return true;
  }
  return false;
}
