// What the gateway's Storage SCP accepts: the storage SOP classes of the PS3.6 registry (and, by option, private
// SOP classes), Verification, and every transfer syntax of the registry (the reader reads them all, and the spool
// keeps an instance's bytes in the syntax it came in).

import { TRANSFER_SYNTAX_NAMES, UID_REGISTRY } from '../../dicom/uid-registry.generated.js';
import { DICOM_UID_ROOT } from '../../dicom/uid-registry.js';
import { VERIFICATION_SOP_CLASS } from './library.js';

/** Registry SOP classes whose name says they store instances (not Storage Commitment, not the DICOMDIR class). */
const STORAGE_NAME = /Storage( SOP Class| - For (Presentation|Processing)| - Trial)?$/;

export const STORAGE_SOP_CLASSES: ReadonlySet<string> = new Set(
  UID_REGISTRY.filter(([uid, name, type]) => type === 'SOP Class' && STORAGE_NAME.test(name) && !/Commitment|Media Storage Directory/.test(name) && uid !== VERIFICATION_SOP_CLASS)
    .map(([uid]) => uid),
);

export const ACCEPTED_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set(TRANSFER_SYNTAX_NAMES.keys());

export interface AcceptPolicy {
  /** Accept SOP classes outside the DICOM root (a vendor's private storage classes). */
  privateSopClasses: boolean;
}

/** Whether the SCP takes C-STOREs of `sopClassUid`. */
export function acceptsSopClass(sopClassUid: string, policy: AcceptPolicy): boolean {
  if (STORAGE_SOP_CLASSES.has(sopClassUid)) return true;
  return policy.privateSopClasses && !sopClassUid.startsWith(DICOM_UID_ROOT) && /^[0-9.]+$/.test(sopClassUid);
}

/** The proposer's first transfer syntax that the SCP accepts (the proposer's order is its preference), or null. */
export function chooseTransferSyntax(proposed: readonly string[]): string | null {
  for (const ts of proposed) if (ACCEPTED_TRANSFER_SYNTAXES.has(ts.replace(/\0/g, '').trim())) return ts.replace(/\0/g, '').trim();
  return null;
}
