// dcmjs-dimse, loaded once with its logging silenced (its log lines name AE titles, and with dataset logging on,
// values), and the few of its classes the gateway uses. Only its association and PDU machinery is used: datasets go
// in and out as raw bytes (storage-scp.ts, storage-scu.ts), never through its dcmjs (de)naturalization, which is not
// lossless (drops private tags, rewrites the character set, converts implicit to explicit VR).

import { createRequire } from 'node:module';
import type * as DimseModule from 'dcmjs-dimse';

type Dimse = typeof DimseModule;

let loaded: Dimse | null = null;

/** The library, loaded on first use (metadata-only batch runs never load it). */
export function dimseLibrary(): Dimse {
  if (loaded) return loaded;
  const dimse = createRequire(import.meta.url)('dcmjs-dimse') as Dimse;
  dimse.log.setLevel('silent');
  loaded = dimse;
  return dimse;
}

/** DIMSE status codes (PS3.7 Annex C) the gateway answers or reads. */
export const DIMSE_STATUS = {
  success: 0x0000,
  /** C-STORE refused: out of resources (the spool could not hold the instance). */
  outOfResources: 0xa700,
  /** C-STORE error: cannot understand / processing failure. */
  processingFailure: 0x0110,
} as const;

/** A-ASSOCIATE-RJ fields (PS3.8 9.3.4): permanent, by the service user, and why. */
export const ASSOCIATION_REJECT = {
  permanent: 1,
  serviceUser: 1,
  noReasonGiven: 1,
  callingAeNotRecognized: 3,
  calledAeNotRecognized: 7,
} as const;

/** Presentation context results (PS3.8 9.3.3.2). */
export const CONTEXT_RESULT = { accept: 0, abstractSyntaxNotSupported: 3, transferSyntaxesNotSupported: 4 } as const;

export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';

export type Association = DimseModule.association.Association;
export type PresentationContext = DimseModule.association.PresentationContext;
export type CEchoRequest = DimseModule.requests.CEchoRequest;
export type CStoreRequest = DimseModule.requests.CStoreRequest;
export type CEchoResponse = DimseModule.responses.CEchoResponse;
export type CStoreResponse = DimseModule.responses.CStoreResponse;
export type Dataset = DimseModule.Dataset;
