// JPEG 2000 / HTJ2K codestream facts the dataset must agree with (the COD marker's colour transform and wavelet),
// and the wavelet levels an encoder may use for an image size.

export interface CodingStyle {
  colorTransform: boolean;
  reversible: boolean;
}

/** The COD marker's choices, or null when the main header has no COD (not a J2K codestream). */
export function codingStyle(codestream: Uint8Array): CodingStyle | null {
  // Main header markers follow SOC (FF4F); each has a 2-byte length, up to SOT (FF90) where tiles begin.
  let at = 2;
  while (at + 4 <= codestream.length) {
    if (codestream[at] !== 0xff) return null;
    const marker = codestream[at + 1];
    if (marker === 0x90 || marker === 0x93) return null;
    const length = (codestream[at + 2] << 8) | codestream[at + 3];
    if (marker === 0x52 && at + 13 < codestream.length) {
      return { colorTransform: codestream[at + 8] === 1, reversible: codestream[at + 13] === 1 };
    }
    at += 2 + length;
  }
  return null;
}

/** Wavelet levels for an image: the usual 5, fewer for small images (each level halves the smaller side). */
export function decompositionLevels(layout: { rows: number; columns: number }): number {
  return Math.max(0, Math.min(5, Math.floor(Math.log2(Math.min(layout.rows, layout.columns)))));
}

/** Photometric of a three-component codestream: YBR_RCT / YBR_ICT when it applies the colour transform, else RGB. */
export function colorPhotometric(style: CodingStyle | null): string {
  if (!style?.colorTransform) return 'RGB';
  return style.reversible ? 'YBR_RCT' : 'YBR_ICT';
}
