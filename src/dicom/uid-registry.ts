// Hand-written lookups over the generated PS3.6 UID registry (src/dicom/uid-registry.generated.ts).

import { STANDARD_UIDS, TRANSFER_SYNTAX_NAMES, UID_REGISTRY } from './uid-registry.generated.js';

export { STANDARD_UIDS, TRANSFER_SYNTAX_NAMES };

/** The DICOM UID root; PS3.5 9.1: UIDs under it are assigned by the standard itself, never to instances. */
export const DICOM_UID_ROOT = '1.2.840.10008.';

/**
 * True for UIDs defined by the standard (SOP classes, transfer syntaxes, coding schemes, well-known frames of
 * reference and SOP instances, ...), which identify nothing about a patient and must never be replaced.
 *
 * Decision: registry membership OR the "1.2.840.10008." prefix. Every UID under the DICOM root is assigned by the
 * standard (no instance UID may be created under it), so a UID from a newer edition than our registry still counts
 * as standard. Every registry UID carries the prefix, so the registry check only documents intent. The cost: a
 * (non-conformant) instance UID minted under the DICOM root would be kept; we accept that.
 */
export function isStandardUid(uid: string): boolean {
  return STANDARD_UIDS.has(uid) || uid.startsWith(DICOM_UID_ROOT);
}

const NAMES = new Map<string, string>(UID_REGISTRY.map((r) => [r[0], r[1]]));

/** Registry name ("CT Image Storage", "Explicit VR Little Endian"...) or undefined. */
export const uidName = (uid: string): string | undefined => NAMES.get(uid);

/** True for a transfer syntax UID listed in PS3.6. */
export const isKnownTransferSyntax = (uid: string): boolean => TRANSFER_SYNTAX_NAMES.has(uid);
