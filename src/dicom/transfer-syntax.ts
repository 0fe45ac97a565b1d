// Transfer syntaxes: how a dataset is encoded (VR explicit or implicit, byte order, deflate, encapsulated pixels).

import { trimPaddingEnd } from './padding.js';
import { TS } from './uid-registry.generated.js';
export interface TransferSyntax {
  uid: string;
  explicitVR: boolean;
  littleEndian: boolean;
  /** The dataset after the file meta is a raw deflate stream (PS3.5 A.5). */
  deflated: boolean;
  /** Pixel Data is encapsulated (fragments in items), not native. */
  encapsulated: boolean;
}

export const IMPLICIT_VR_LITTLE_ENDIAN = TS.ImplicitVRLittleEndian;
export const EXPLICIT_VR_LITTLE_ENDIAN = TS.ExplicitVRLittleEndian;
export const EXPLICIT_VR_BIG_ENDIAN = TS.ExplicitVRBigEndian;
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = TS.DeflatedExplicitVRLittleEndian;

/** PS3.5 numbers every standard transfer syntax under Implicit VR Little Endian's UID. */
const DICOM_TS_ROOT = TS.ImplicitVRLittleEndian;

/**
 * Describes a transfer syntax from its UID. Unknown UIDs are classified by structure: anything under
 * 1.2.840.10008.1.2.4 / .5 / .6 / .7 (JPEG family, RLE, MPEG/HEVC, future ones) is explicit VR little endian
 * with encapsulated pixel data; a private UID is assumed to be explicit VR little endian, and the reader
 * still recognises encapsulated Pixel Data by its undefined length.
 */
export function transferSyntaxOf(uidText: string): TransferSyntax {
  const uid = trimPaddingEnd(uidText, true).trim();
  const base = { uid, explicitVR: true, littleEndian: true, deflated: false, encapsulated: false };
  if (uid === IMPLICIT_VR_LITTLE_ENDIAN) return { ...base, explicitVR: false };
  if (uid === EXPLICIT_VR_LITTLE_ENDIAN) return base;
  if (uid === EXPLICIT_VR_BIG_ENDIAN) return { ...base, littleEndian: false };
  if (uid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) return { ...base, deflated: true };
  if (uid.startsWith(DICOM_TS_ROOT + '.')) {
    const rest = uid.slice(DICOM_TS_ROOT.length + 1).split('.');
    // 1.2.840.10008.1.2.1.98 is Encapsulated Uncompressed Explicit VR LE; 1.2.840.10008.1.2.8.1 deflated image frames.
    if (rest[0] === '1' && rest[1] === '98') return { ...base, encapsulated: true };
    if (rest[0] === '1') return base;
    if (['4', '5', '6', '7', '8'].includes(rest[0] ?? '')) return { ...base, encapsulated: true };
  }
  return base;
}
