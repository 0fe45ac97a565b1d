// Whether bytes look like DICOM: "DICM" after a preamble (or at the start), or a plausible first data element.
// One decision for the reader (where to start, which encoding to guess) and for file listings (DICOM or not).

import { isVR } from './vr.js';

/** What the start of a file says it is. */
export type DicomKind = 'dicom' | 'dicomdir' | 'not-dicom';

/** How many leading bytes sniffDicom looks at. */
export const SNIFF_BYTES = 512;

/** Media Storage Directory Storage: a DICOMDIR names it in its file meta. */
export const MEDIA_STORAGE_DIRECTORY_STORAGE = '1.2.840.10008.1.3.10';

/** "DICM" at `at`. */
export function hasMagicAt(head: Uint8Array, at: number): boolean {
  return head.length >= at + 4 && head[at] === 0x44 && head[at + 1] === 0x49 && head[at + 2] === 0x43 && head[at + 3] === 0x4d;
}

const u16le = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8);

/**
 * A first element whose group is small and even, with a real VR or a sane implicit length: `element` holds the
 * element's first 8 bytes, `bytesFromElement` how many bytes the file has from the element on.
 */
export function plausibleFirstElement(element: Uint8Array, bytesFromElement: number): boolean {
  if (element.length < 8) return false;
  const group = u16le(element, 0);
  const explicitVR = isVR(String.fromCharCode(element[4], element[5]));
  if (group === 0 || group > 0x0100 || group % 2 === 1) {
    const beGroup = (element[0] << 8) | element[1];
    return beGroup > 0 && beGroup <= 0x0100 && beGroup % 2 === 0 && explicitVR;
  }
  if (explicitVR) return true;
  const length = (element[4] | (element[5] << 8) | (element[6] << 16)) + element[7] * 0x1000000;
  return 8 + length <= bytesFromElement;
}

/** True when a plausible first element is big endian (its group only makes sense read that way). */
export function firstElementIsBigEndian(element: Uint8Array): boolean {
  const group = u16le(element, 0);
  return group === 0 || group > 0x0100 || group % 2 === 1;
}

/**
 * What a file is, from its first SNIFF_BYTES bytes (`head`) and its size: DICOM, a DICOMDIR (which a batch does not
 * copy), or not DICOM at all.
 */
export function sniffDicom(head: Uint8Array, fileSize: number): DicomKind {
  const isDicomdir = (): boolean => Buffer.from(head.buffer, head.byteOffset, head.length).includes(MEDIA_STORAGE_DIRECTORY_STORAGE);
  if (hasMagicAt(head, 128)) return isDicomdir() ? 'dicomdir' : 'dicom';
  if (hasMagicAt(head, 0)) return 'dicom';
  if (!plausibleFirstElement(head.subarray(0, 8), fileSize)) return 'not-dicom';
  // A file meta group without the preamble.
  const metaFirst = u16le(head, 0) === 0x0002 && isVR(String.fromCharCode(head[4], head[5]));
  return metaFirst && isDicomdir() ? 'dicomdir' : 'dicom';
}
