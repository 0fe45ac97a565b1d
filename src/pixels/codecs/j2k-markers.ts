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

/**
 * True when a JPEG 2000 / HTJ2K codestream is coded reversibly: every COD and COC (main and tile-part headers) says the
 * 5-3 integer wavelet and every QCD and QCC says no quantization, so decoding it gives the same samples in any
 * conforming decoder. False for anything else, a JP2-wrapped stream, or a header it cannot walk.
 */
export function isReversibleCodestream(codestream: Uint8Array): boolean {
  const at16 = (at: number): number => (codestream[at] << 8) | codestream[at + 1];
  const at32 = (at: number): number => ((codestream[at] << 24) | (codestream[at + 1] << 16) | (codestream[at + 2] << 8) | codestream[at + 3]) >>> 0;
  if (codestream.length < 4 || at16(0) !== 0xff4f) return false;
  let componentBytes = 1;
  let codingMarkers = 0;
  let quantizationMarkers = 0;
  /** Checks the markers of one header from `at` to SOT (main header) or SOD (tile-part header); the next offset, or -1. */
  const header = (start: number): number => {
    let at = start;
    while (at + 4 <= codestream.length) {
      const marker = at16(at);
      if (marker === 0xff90 || marker === 0xff93) return at;
      if ((marker & 0xff00) !== 0xff00) return -1;
      const length = at16(at + 2);
      if (length < 2 || at + 2 + length > codestream.length) return -1;
      const body = at + 4;
      if (marker === 0xff51 && length >= 38) componentBytes = at16(body + 34) < 257 ? 1 : 2;
      if (marker === 0xff52) {
        codingMarkers++;
        if (length < 12 || codestream[body + 9] !== 1) return -1;
      }
      if (marker === 0xff53 && codestream[body + componentBytes + 5] !== 1) return -1;
      if (marker === 0xff5c) {
        quantizationMarkers++;
        if ((codestream[body] & 0x1f) !== 0) return -1;
      }
      if (marker === 0xff5d && (codestream[body + componentBytes] & 0x1f) !== 0) return -1;
      at += 2 + length;
    }
    return -1;
  };
  let at = header(2);
  if (at < 0 || codingMarkers === 0 || quantizationMarkers === 0) return false;
  // Tile-parts: SOT (with Psot, the tile-part's length from SOT; 0 for the last one) then its header up to SOD.
  while (at + 12 <= codestream.length && at16(at) === 0xff90) {
    const length = at32(at + 6);
    if (header(at + 12) < 0) return false;
    if (length === 0) return true;
    at += length;
  }
  return at + 2 <= codestream.length && (at16(at) === 0xffd9 || at === codestream.length);
}
