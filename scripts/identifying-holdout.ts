// The held-out share of faker's person names (issue #22): a deterministic split, by a hash of the folded name, of the
// non-CJK given and family names into the part scripts/generate-identifying-words.ts puts into the finder's lists
// and a part only the generated test set draws from (test/helpers/identifying-names.ts), so recall on names the
// finder has never seen is measured, not assumed. CJK family names are a small closed set and are not split.

/** One name in this many is held out of the lists. */
export const HOLD_OUT_ONE_IN = 10;

/** FNV-1a, 32 bits, over UTF-16 units: stable across runs and machines. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Whether a folded name (src/identifying/fold.ts) is held out of the finder's lists. */
export function heldOutName(folded: string): boolean {
  return fnv1a(folded) % HOLD_OUT_ONE_IN === 0;
}
