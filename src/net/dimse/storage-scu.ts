// A Storage SCU over dcmjs-dimse's association machinery: each instance goes as the raw bytes of its dataset, in a
// presentation context whose accepted transfer syntax is the instance's own, so the library never transcodes (its
// fallback transcoding sent a 106-byte stub and reported Success). Each (SOP class, transfer syntax) pair gets its own
// context; an instance the peer accepts in no context of its syntax goes as its lossless Explicit VR Little Endian
// copy when the caller has one, else it is reported not accepted, with the reason.

import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Association, CStoreRequest, Dataset } from './library.js';
import { CONTEXT_RESULT, DIMSE_STATUS, dimseLibrary } from './library.js';
import { EXPLICIT_VR_LITTLE_ENDIAN } from '../../dicom/transfer-syntax.js';
import { uidName } from '../../dicom/uid-registry.js';

export interface PeerAddress {
  aeTitle: string;
  host: string;
  port: number;
  /** Our AE title as the calling AE. */
  callingAeTitle: string;
  /** DIMSE over TLS (node:tls options: ca, key, cert...). */
  tls?: ConnectionOptions;
}

export interface OutgoingInstance {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** The dataset's bytes after the file meta group, in transferSyntaxUid. */
  dataset: Uint8Array;
  /** The same dataset in Explicit VR Little Endian made losslessly, or why that cannot be done (made only when needed). */
  explicitLittleEndian: () => Uint8Array | { reason: string } | Promise<Uint8Array | { reason: string }>;
}

export type StoreResult =
  | { kind: 'stored'; status: number; transferSyntaxUid: string }
  | { kind: 'failed'; reason: string; status?: number }
  | { kind: 'not-accepted'; reason: string };

/** Most instances per association: two presentation contexts each stays far below the 128 allowed. */
export const INSTANCES_PER_ASSOCIATION = 48;

interface NetworkLike {
  on(event: string, listener: (...args: unknown[]) => void): void;
  sendAssociationRequest(association: Association): void;
  sendAssociationReleaseRequest(): void;
  sendRequests(requests: CStoreRequest[]): void;
  sendAbort(): void;
  association: Association;
}

/** Sends the instances in one association (at most INSTANCES_PER_ASSOCIATION); one result per instance, in order. */
export function storeInstances(peer: PeerAddress, instances: readonly OutgoingInstance[], timeoutMs = 60_000): Promise<StoreResult[]> {
  if (instances.length > INSTANCES_PER_ASSOCIATION) throw new Error(`at most ${INSTANCES_PER_ASSOCIATION} instances per association`);
  const dimse = dimseLibrary();
  const { Dataset: DatasetClass, association: { Association: AssociationClass }, requests: { CStoreRequest: StoreRequestClass } } = dimse;
  // The library's Network (the base of Scp; not exported): an association over a socket we open, so that we choose
  // the presentation contexts (its Client always adds Implicit and Explicit VR Little Endian and then transcodes).
  const Network = Object.getPrototypeOf(dimse.Scp) as new (socket: Socket, options: Record<string, unknown>) => NetworkLike;

  /** A dataset the library sends as it is: its bytes, never denaturalized. */
  class RawDataset extends DatasetClass {
    constructor(private readonly raw: Uint8Array, sopClassUid: string, sopInstanceUid: string, transferSyntaxUid: string) {
      super({ SOPClassUID: sopClassUid, SOPInstanceUID: sopInstanceUid }, transferSyntaxUid);
    }

    override getDenaturalizedDataset(): Buffer {
      return Buffer.from(this.raw.buffer, this.raw.byteOffset, this.raw.byteLength);
    }
  }

  return new Promise((resolve) => {
    const results: (StoreResult | undefined)[] = new Array(instances.length).fill(undefined);
    let settled = false;
    const socket = peer.tls ? tlsConnect({ host: peer.host, port: peer.port, ...peer.tls }) : tcpConnect({ host: peer.host, port: peer.port });
    socket.setNoDelay(true);
    // The library passes on only the socket error's message (for TLS, OpenSSL's multi-line text): its code is what the
    // reason names (UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED...). Listening before the
    // library does, the code is known when its networkError comes.
    let socketErrorCode: string | undefined;
    socket.on('error', (error: NodeJS.ErrnoException) => (socketErrorCode ??= error.code));
    const idle = Math.max(1000, timeoutMs);
    const network = new Network(socket, { connectTimeout: idle, associationTimeout: idle, pduTimeout: idle });
    const finish = (reason: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(results.map((r) => r ?? { kind: 'failed', reason }));
    };
    const timer = setTimeout(() => finish(`no answer from ${peer.aeTitle}@${peer.host}:${peer.port} within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);

    const association = new AssociationClass(peer.callingAeTitle, peer.aeTitle);
    const contexts = new Map<string, number>();
    const propose = (sopClass: string, ts: string): void => {
      const key = `${sopClass} ${ts}`;
      if (contexts.has(key)) return;
      const id = association.addPresentationContext(sopClass);
      association.addTransferSyntaxToPresentationContext(id, ts);
      contexts.set(key, id);
    };
    for (const instance of instances) {
      propose(instance.sopClassUid, instance.transferSyntaxUid);
      if (instance.transferSyntaxUid !== EXPLICIT_VR_LITTLE_ENDIAN) propose(instance.sopClassUid, EXPLICIT_VR_LITTLE_ENDIAN);
    }
    const accepted = (sopClass: string, ts: string): boolean => {
      const id = contexts.get(`${sopClass} ${ts}`);
      if (id === undefined) return false;
      const context = network.association.getPresentationContext(id);
      return context.getResult() === CONTEXT_RESULT.accept && (context.getAcceptedTransferSyntaxUid() ?? '').replace(/\0/g, '').trim() === ts;
    };

    network.on('connect', () => network.sendAssociationRequest(association));
    network.on('associationRejected', () => finish(`${peer.aeTitle}@${peer.host}:${peer.port} rejected the association`));
    network.on('networkError', (error) => finish(`network error with ${peer.aeTitle}@${peer.host}:${peer.port}: ${socketErrorCode ?? (error as Error).message.replace(/^.*-> /, '').split('\n')[0]}${peer.tls ? ' (TLS)' : ''}`));
    network.on('close', () => finish(`${peer.aeTitle}@${peer.host}:${peer.port} closed the connection`));
    network.on('associationReleaseResponse', () => finish('released'));
    // An A-ABORT from the peer (e.g. a dataset it cannot read): the instances not answered yet are worth another try.
    network.on('abort', () => finish(`${peer.aeTitle}@${peer.host}:${peer.port} aborted the association`));
    network.on('associationAccepted', () => {
      sendAll().catch((error: unknown) => {
        network.sendAbort();
        finish(`sending to ${peer.aeTitle}@${peer.host}:${peer.port} failed: ${(error as Error).message}`);
      });
    });
    /** Makes the requests (a copy is made only for an instance the peer takes in no context of its own syntax), then sends them. */
    const sendAll = async (): Promise<void> => {
      const requests: CStoreRequest[] = [];
      for (const [index, instance] of instances.entries()) {
        let bytes: Uint8Array;
        let ts = instance.transferSyntaxUid;
        if (accepted(instance.sopClassUid, ts)) bytes = instance.dataset;
        else if (accepted(instance.sopClassUid, EXPLICIT_VR_LITTLE_ENDIAN)) {
          let copy: Uint8Array | { reason: string };
          try {
            copy = await instance.explicitLittleEndian();
          } catch (error) {
            // Not the instance's fault (e.g. a codec that would not load): worth another try.
            results[index] = { kind: 'failed', reason: `making its Explicit VR Little Endian copy failed: ${(error as Error).message}` };
            continue;
          }
          if (settled) return;
          if (!(copy instanceof Uint8Array)) {
            results[index] = { kind: 'not-accepted', reason: `the peer does not accept ${syntaxName(ts)} and ${copy.reason}` };
            continue;
          }
          bytes = copy;
          ts = EXPLICIT_VR_LITTLE_ENDIAN;
        } else {
          results[index] = { kind: 'not-accepted', reason: `the peer accepts neither ${syntaxName(ts)} nor Explicit VR Little Endian for SOP class ${instance.sopClassUid}` };
          continue;
        }
        const dataset: Dataset = new RawDataset(bytes, instance.sopClassUid, instance.sopInstanceUid, ts);
        const request = new StoreRequestClass(dataset);
        const chosen = ts;
        request.on('response', (response: unknown) => {
          const status = (response as { getStatus(): number }).getStatus();
          // Warning statuses (0001, Bxxx) mean stored, as for every SCU.
          const stored = status === DIMSE_STATUS.success || status === 0x0001 || (status & 0xf000) === 0xb000;
          results[index] = stored ? { kind: 'stored', status, transferSyntaxUid: chosen } : { kind: 'failed', status, reason: `the peer answered status ${status.toString(16).padStart(4, '0').toUpperCase()}` };
        });
        requests.push(request);
      }
      if (settled) return;
      if (requests.length === 0) network.sendAssociationReleaseRequest();
      else {
        network.on('done', () => network.sendAssociationReleaseRequest());
        network.sendRequests(requests);
      }
    };
  });
}

const syntaxName = (uid: string): string => uidName(uid) ?? uid;
