// The gateway's Storage SCP and Verification SCP over dcmjs-dimse's association machinery. A C-STORE's dataset is
// never parsed by the library: its P-DATA fragments go, as they arrive, to the store the caller gives (the spool),
// which writes them behind a file meta group exactly as they came, and the C-STORE is answered Success only once
// the store says the instance is on disk (fsynced). Associations from a calling AE that is not on the allow-list are
// refused and logged with the AE title and remote address only.

import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { Writable } from 'node:stream';
import type { Association, CEchoRequest, CEchoResponse, CStoreRequest, CStoreResponse, Dataset, PresentationContext } from './library.js';
import { ASSOCIATION_REJECT, CONTEXT_RESULT, DIMSE_STATUS, VERIFICATION_SOP_CLASS, dimseLibrary } from './library.js';
import { acceptsSopClass, chooseTransferSyntax, type AcceptPolicy } from './negotiation.js';
import { isAllowed, plainAddress, type AllowEntry } from './allow-list.js';

/** What the SCP knows of an incoming instance before its first byte (from the C-STORE command and the context). */
export interface IncomingInstanceInfo {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  callingAeTitle: string;
}

/** One instance being received: bytes in order, then commit (durable) or abort. */
export interface IncomingInstance {
  write(chunk: Uint8Array): void;
  /** Makes the instance durable; resolves to the DIMSE status to answer (Success only when it is on disk). */
  commit(): Promise<number>;
  /** Drops what was written (the association ended before the instance was complete). */
  abort(): void;
}

export interface InstanceStore {
  begin(info: IncomingInstanceInfo): IncomingInstance;
}

export interface StorageScpOptions extends AcceptPolicy {
  host: string;
  port: number;
  aeTitle: string;
  allow: readonly AllowEntry[];
  store: InstanceStore;
  /** One line per event worth a log (refusals, aborted instances); never a value of a data element. */
  log: (message: string) => void;
  /** DIMSE over TLS: the server's key and certificate (PEM), and a CA to require client certificates from. */
  tls?: Pick<TlsOptions, 'key' | 'cert' | 'ca'>;
  /** Seconds an association may stay silent (default 60). */
  idleSeconds?: number;
}

export interface RunningScp {
  /** The port it listens on (the one given, or the one the system chose for port 0). */
  port: number;
  close(): Promise<void>;
}

/** Starts the SCP on options.host:options.port; resolves once it listens. */
export function startStorageScp(options: StorageScpOptions): Promise<RunningScp> {
  const { Scp, Dataset, responses } = dimseLibrary();
  const sockets = new Set<Socket>();

  class GatewayScp extends Scp {
    private readonly pending = new WeakMap<Dataset, IncomingInstance>();
    private receiving: IncomingInstance | null = null;
    private callingAe = '';

    constructor(socket: Socket, libraryOptions: Record<string, unknown>) {
      super(socket, libraryOptions);
      // The library marks server-side sockets connected itself only in its own Server (which cannot bind a host).
      (this as unknown as { connected: boolean }).connected = true;
      (this as unknown as { connectedTime: number }).connectedTime = Date.now();
      this.on('close', () => this.dropReceiving());
      this.on('networkError', () => {
        this.dropReceiving();
        socket.destroy();
      });
    }

    private dropReceiving(): void {
      if (this.receiving) {
        this.receiving.abort();
        this.receiving = null;
      }
    }

    override associationRequested(association: Association): void {
      const socket = (this as unknown as { socket: Socket }).socket;
      const address = plainAddress(socket.remoteAddress);
      this.callingAe = association.getCallingAeTitle().trim();
      const called = association.getCalledAeTitle().trim();
      if (!isAllowed(options.allow, this.callingAe, address)) {
        options.log(`refused an association: calling AE "${this.callingAe}" from ${address} is not on the allow-list`);
        this.sendAssociationReject(ASSOCIATION_REJECT.permanent, ASSOCIATION_REJECT.serviceUser, ASSOCIATION_REJECT.callingAeNotRecognized);
        return;
      }
      if (called !== options.aeTitle) {
        options.log(`refused an association: calling AE "${this.callingAe}" from ${address} called AE "${called}", not ours`);
        this.sendAssociationReject(ASSOCIATION_REJECT.permanent, ASSOCIATION_REJECT.serviceUser, ASSOCIATION_REJECT.calledAeNotRecognized);
        return;
      }
      for (const { context } of association.getPresentationContexts() as { id: number; context: PresentationContext }[]) {
        const abstract = context.getAbstractSyntaxUid().replace(/\0/g, '').trim();
        if (abstract !== VERIFICATION_SOP_CLASS && !acceptsSopClass(abstract, options)) {
          context.setResult(CONTEXT_RESULT.abstractSyntaxNotSupported);
          continue;
        }
        const ts = chooseTransferSyntax(context.getTransferSyntaxUids());
        if (ts === null) context.setResult(CONTEXT_RESULT.transferSyntaxesNotSupported);
        else context.setResult(CONTEXT_RESULT.accept, ts);
      }
      this.sendAssociationAccept();
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }

    override cEchoRequest(request: CEchoRequest, callback: (response: CEchoResponse) => void): void {
      const response = responses.CEchoResponse.fromRequest(request);
      response.setStatus(DIMSE_STATUS.success);
      callback(response);
    }

    /** Called by the library when a C-STORE's dataset begins: its fragments go straight to the store. */
    override createStoreWritableStream(context: PresentationContext, request: CStoreRequest): Writable {
      this.dropReceiving();
      const incoming = options.store.begin({
        sopClassUid: clean(request.getAffectedSopClassUid()),
        sopInstanceUid: clean(request.getAffectedSopInstanceUid()),
        transferSyntaxUid: clean(context.getAcceptedTransferSyntaxUid() ?? ''),
        callingAeTitle: this.callingAe,
      });
      this.receiving = incoming;
      // write() always calls back at once: the library awaits 'drain' only after a false return.
      return new Writable({
        highWaterMark: 1 << 30,
        write(chunk: Buffer, _encoding, done) {
          incoming.write(chunk);
          done();
        },
      });
    }

    /** Called when the last fragment came: a placeholder dataset, never parsed, that names the instance being stored. */
    override createDatasetFromStoreWritableStream(_writable: Writable, context: PresentationContext, callback: (dataset: Dataset) => void): void {
      const placeholder = new Dataset({}, context.getAcceptedTransferSyntaxUid());
      if (this.receiving) this.pending.set(placeholder, this.receiving);
      this.receiving = null;
      callback(placeholder);
    }

    override cStoreRequest(request: CStoreRequest, callback: (response: CStoreResponse) => void): void {
      const response = responses.CStoreResponse.fromRequest(request);
      const dataset = request.getDataset();
      const incoming = dataset ? this.pending.get(dataset) : undefined;
      if (!incoming) {
        response.setStatus(DIMSE_STATUS.processingFailure);
        callback(response);
        return;
      }
      incoming.commit().then(
        (status) => {
          response.setStatus(status);
          callback(response);
        },
        () => {
          response.setStatus(DIMSE_STATUS.outOfResources);
          callback(response);
        },
      );
    }

    override abort(): void {
      this.dropReceiving();
    }
  }

  const idle = (options.idleSeconds ?? 60) * 1000;
  const libraryOptions = { associationTimeout: idle, pduTimeout: idle, connectTimeout: idle };
  const onConnection = (socket: Socket): void => {
    // Without it, a bulk C-STORE waits on Nagle's algorithm at every PDU (measured: 15 s instead of 2 s).
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    new GatewayScp(socket, libraryOptions);
  };
  const server: TcpServer = options.tls ? createTlsServer({ ...options.tls, requestCert: options.tls.ca !== undefined, rejectUnauthorized: options.tls.ca !== undefined }, onConnection) : createTcpServer(onConnection);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      resolve({
        port,
        close: () => new Promise<void>((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}

/** A UID from a command or context, without DICOM's NUL/space padding. */
const clean = (uid: string | undefined): string => (uid ?? '').replace(/\0/g, '').trim();
