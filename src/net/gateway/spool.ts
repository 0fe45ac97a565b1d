// The gateway's spool: a folder on disk that holds every instance between its C-STORE and its last forward, so a
// kill -9 at any moment loses nothing that was answered Success, and a disk that fills refuses instances (A700) while
// keeping the room to anonymize, hence forward, those it holds.
//
//   incoming/<id>.part    being received (removed at start: never answered Success)
//   received/<id>.dcm     on disk (fsynced, then renamed, then the folder fsynced) before Success is answered
//   anonymized/<id>.dcm   the anonymized instance, waiting for its destinations (written atomically by the batch's writer)
//   journal/<dest>.log    per destination, one fsynced line per new SOP Instance UID done (journal.ts)
//   failed/...            instances that could not be anonymized, or that a destination kept refusing, with the reason
//
// An id is the arrival time and a counter: listing a folder in name order is arrival order. Ids name nothing of the
// instance (the spool's names never hold a value).

import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSet, type Encoding } from '../../dicom/dataset.js';
import { createFileMeta } from '../../dicom/create.js';
import { encodeDicomFileToBuffer } from '../../dicom/writer.js';
import { BufferSource } from '../../dicom/source.js';
import { EXPLICIT_VR_LITTLE_ENDIAN, transferSyntaxOf } from '../../dicom/transfer-syntax.js';
import { writeFully } from '../../files/atomic-output.js';
import type { IncomingInstance, IncomingInstanceInfo, InstanceStore } from '../dimse/storage-scp.js';
import { DIMSE_STATUS } from '../dimse/library.js';

export const SPOOL_FOLDERS = ['incoming', 'received', 'anonymized', 'journal', 'failed'] as const;

/** Errors that mean the disk (or the quota) is full: the C-STORE is refused as out of resources. */
const FULL_DISK = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Our code for an instance refused, before a byte is written, because the disk has less free space than the reserve. */
const BELOW_RESERVE = 'BELOW_RESERVE';

/** Our code for an instance refused because what it leaves free could not hold an anonymized copy (see commit). */
const NO_ROOM_TO_ANONYMIZE = 'NO_ROOM_TO_ANONYMIZE';

/** What an anonymized copy may need beyond the received instance's size: markers, longer UIDs, a file system block. */
const ANONYMIZE_GROWTH = 1024 * 1024;

export class Spool {
  private counter = 0;
  /** Sizes of the instances in received/ (waiting to be anonymized): the largest is the room anonymizing needs. */
  private readonly waiting = new Map<string, number>();

  /**
   * `reserveBytes`: an instance is refused (out of resources) when the spool's file system has less free space than
   * this, before a byte is written.
   */
  constructor(readonly root: string, private readonly reserveBytes: number) {
    for (const folder of SPOOL_FOLDERS) mkdirSync(join(root, folder), { recursive: true });
    for (const name of this.list('received')) this.waiting.set(name, statSync(join(this.folder('received'), name)).size);
  }

  folder(name: (typeof SPOOL_FOLDERS)[number]): string {
    return join(this.root, name);
  }

  /** Removes what a killed gateway was receiving (never answered Success); returns how many. */
  removeIncomplete(): number {
    const incoming = this.folder('incoming');
    const names = readdirSync(incoming);
    for (const name of names) rmSync(join(incoming, name), { force: true });
    return names.length;
  }

  /** The .dcm names of a folder in arrival order (temporary files of the atomic writer left out). */
  list(folder: 'received' | 'anonymized'): string[] {
    return readdirSync(this.folder(folder)).filter((n) => /^[0-9a-z]+-[0-9a-z]+\.dcm$/.test(n)).sort();
  }

  /** Removes an instance from received/ (anonymized, quarantined or moved to failed/). */
  removeReceived(name: string): void {
    rmSync(join(this.folder('received'), name), { force: true });
    this.waiting.delete(name);
  }

  private largestWaiting(): number {
    let largest = 0;
    for (const size of this.waiting.values()) largest = Math.max(largest, size);
    return largest;
  }

  private nextId(): string {
    this.counter = (this.counter + 1) % 1_679_616;
    return `${Date.now().toString(36).padStart(9, '0')}-${this.counter.toString(36).padStart(4, '0')}`;
  }

  private freeBytes(): number {
    const s = statfsSync(this.root);
    return s.bavail * s.bsize;
  }

  /** The Storage SCP's store: each instance into incoming/, then received/ once durable. */
  store(onReceived: (name: string, info: IncomingInstanceInfo) => void, log: (message: string) => void): InstanceStore {
    return { begin: (info) => this.begin(info, onReceived, log) };
  }

  private begin(info: IncomingInstanceInfo, onReceived: (name: string, info: IncomingInstanceInfo) => void, log: (message: string) => void): IncomingInstance {
    const name = `${this.nextId()}.dcm`;
    const partial = join(this.folder('incoming'), `${name}.part`);
    let fd: number | null = null;
    let failure: NodeJS.ErrnoException | null = null;
    const fail = (error: unknown): void => {
      failure ??= error as NodeJS.ErrnoException;
      if (fd !== null) {
        try { closeSync(fd); } catch { /* closed */ }
        fd = null;
      }
      rmSync(partial, { force: true });
    };
    try {
      if (this.freeBytes() < this.reserveBytes) throw Object.assign(new Error('spool below its free-space reserve'), { code: BELOW_RESERVE });
      fd = openSync(partial, 'wx', 0o600);
      const meta = fileMetaBytes(info);
      writeFully(fd, meta, meta.length);
    } catch (error) {
      fail(error);
    }
    return {
      write: (chunk) => {
        if (fd === null) return;
        try {
          writeFully(fd, chunk, chunk.length);
        } catch (error) {
          fail(error);
        }
      },
      commit: async () => {
        if (fd !== null) {
          try {
            fsyncSync(fd);
            const size = fstatSync(fd).size;
            closeSync(fd);
            fd = null;
            // Each received instance is anonymized into a new file before it is removed: an instance that leaves less
            // free space than the largest one waiting needs (plus growth) could fill the disk with received instances
            // that can never be anonymized, hence never forwarded. It is refused instead, while the sender still has it.
            if (this.freeBytes() < Math.max(this.largestWaiting(), size) + ANONYMIZE_GROWTH) {
              throw Object.assign(new Error('no room left to anonymize it'), { code: NO_ROOM_TO_ANONYMIZE });
            }
            renameSync(partial, join(this.folder('received'), name));
            this.waiting.set(name, size);
            fsyncFolder(this.folder('received'));
          } catch (error) {
            fail(error);
          }
        }
        if (failure) {
          const code = failure.code ?? 'error';
          const why = FULL_DISK.has(code) ? `the spool is full (${code})`
            : code === BELOW_RESERVE ? 'the spool is full (below its free-space reserve)'
            : code === NO_ROOM_TO_ANONYMIZE ? 'the spool is nearly full (what it would leave free could not hold an anonymized copy)'
              : `the spool could not be written (${code})`;
          log(`refused an instance from "${info.callingAeTitle}": ${why}`);
          // Any write failure of the spool is a lack of resources to the sender (A700): it may send again later.
          return DIMSE_STATUS.outOfResources;
        }
        onReceived(name, info);
        return DIMSE_STATUS.success;
      },
      abort: () => {
        fail(new Error('aborted'));
      },
    };
  }
}

/** fsync of a folder, so a rename into it survives a crash. */
export function fsyncFolder(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const EXPLICIT_LE: Encoding = { explicitVR: true, littleEndian: true };

/** Preamble, DICM and a file meta group for the instance, as the C-STORE command and the context name it. */
export function fileMetaBytes(info: Pick<IncomingInstanceInfo, 'sopClassUid' | 'sopInstanceUid' | 'transferSyntaxUid'>): Buffer {
  const empty = new BufferSource(new Uint8Array(0));
  // The meta is encoded alone (an empty dataset in explicit VR): the dataset's bytes follow as they came.
  return encodeDicomFileToBuffer({
    name: '<meta>', hadPreamble: true, meta: createFileMeta(info.sopClassUid, info.sopInstanceUid, info.transferSyntaxUid),
    dataset: new DataSet(EXPLICIT_LE), transferSyntax: transferSyntaxOf(EXPLICIT_VR_LITTLE_ENDIAN), source: empty, datasetSource: empty, close: () => {},
  });
}

