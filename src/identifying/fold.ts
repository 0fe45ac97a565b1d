// How text is compared: upper case, accents dropped, and the letters NFD does not decompose written out (ß → SS,
// Ø → O, Æ → AE, Ł → L...), with a map from each folded character back to its place in the original text, so a span
// found in the folded form is a span of the original.

/** Letters NFD leaves whole, by their transliteration (upper case). */
const SPECIAL: Readonly<Record<string, string>> = {
  ß: 'SS', ẞ: 'SS', Ø: 'O', ø: 'O', Æ: 'AE', æ: 'AE', Œ: 'OE', œ: 'OE', Ł: 'L', ł: 'L', Đ: 'D', đ: 'D', Ð: 'D', ð: 'D',
  Þ: 'TH', þ: 'TH', ı: 'I', Ħ: 'H', ħ: 'H',
};

const MARK = /\p{M}/u;

/** Upper case, accents dropped, special letters written out. */
export function fold(text: string): string {
  let out = '';
  for (const ch of text) out += foldChar(ch);
  return out;
}

function foldChar(ch: string): string {
  if (ch.charCodeAt(0) < 0x80) return ch.toUpperCase();
  const special = SPECIAL[ch];
  if (special !== undefined) return special;
  let out = '';
  for (const c of ch.normalize('NFD')) if (!MARK.test(c)) out += c;
  return out.toUpperCase();
}

/** German umlauts written out (Ä → AE, Ö → OE, Ü → UE): the other usual transliteration of a name. */
export function foldUmlautsOut(text: string): string {
  return fold(text.replace(/[äÄ]/g, 'AE').replace(/[öÖ]/g, 'OE').replace(/[üÜ]/g, 'UE'));
}

/** A folded text and, for each of its UTF-16 units, the index in the original of the character it came from. */
export interface Folded {
  text: string;
  /** origin[i]: start in the original of the character that folded unit i came from; origin[text.length] = original length. */
  origin: Int32Array;
}

export function foldWithMap(text: string): Folded {
  // ASCII fast path: folding keeps every position.
  if (/^[\x00-\x7f]*$/.test(text)) {
    const origin = new Int32Array(text.length + 1);
    for (let i = 0; i <= text.length; i++) origin[i] = i;
    return { text: text.toUpperCase(), origin };
  }
  let out = '';
  const origin: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) origin.push(i);
    out += f;
    i += ch.length;
  }
  origin.push(text.length);
  return { text: out, origin: Int32Array.from(origin) };
}

/** Characters of scripts written without spaces between words: a name there has no word boundary to check. */
export const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** A letter or digit of a script that separates words. */
export function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c) && !CJK.test(c);
}
