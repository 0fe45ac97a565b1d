// The storage port over a DICOMweb server (PS3.18), so a DICOMweb input or output of the batch is opened, sharded,
// staged, skipped and reported like a bucket. Here in src/storage, not src/net: openStore (storage/open.ts) opens every
// adapter, the batch reaches stores only through it, and storage may not import net (test/architecture/layers.test.ts);
// the DICOMweb client below it (client.ts, stow.ts, multipart.ts) is plain HTTP and knows no anonymization, as the S3
// SDK. Loaded by openStore only for a dicomweb+http(s):// location.
//
// As an input: list() resolves the studies asked (--study UIDs and the studies a --qido query finds) to their
// instances by QIDO-RS (study → series → instances) and names them by position in UID order (names.ts: no UID in a
// name). read() streams one instance by WADO-RS (multipart/related, bytes as stored): the part's bytes flow through
// as they arrive, never a whole study or instance held; a 5xx, 408, 429 or network error is tried twice more with
// back-off, and an answer that breaks off (measured: Orthanc drops a few of 16 concurrent answers mid-body) is asked for
// again, the bytes already passed on skipped. QIDO-RS gives no size, so a listed size is null.
// As an output: write() STOWs one instance (one request; the server has it or not, so the write is atomic), retrying
// a 5xx, 408, 429 or network error twice with back-off, as the gateway's forward does. DICOMweb keeps no user metadata
// and a name does not say which instance the server holds for it (the output's UIDs are new), so head() is null: with
// --skip-existing every output is STOWed again (the server stores an instance once per SOP Instance UID).
// delete() is refused: PS3.18 has no delete.

import { Readable } from 'node:stream';
import { UsageError } from '../../files/usage-error.js';
import type { ObjectHead, ObjectStore, StoredObject } from '../port.js';
import { DicomwebError, get, isUid, queryInstances, querySeries, queryStudies, segment, WADO_ACCEPT, type DicomwebServer } from './client.js';
import { boundaryOf, firstPartBody, MultipartError } from './multipart.js';
import { compareUids, nameInstances, type InstancePlace } from './names.js';
import { networkReason, stowInstances } from './stow.js';

/** What a DICOMweb location is asked for, beside its URL (the anonymize command's --study, --qido, --http-header). */
export interface DicomwebRequest {
  /** Study Instance UIDs to read (an input). */
  studies?: readonly string[];
  /** A QIDO-RS query string; the studies it finds are read too (an input). */
  qido?: string;
  /** HTTP headers of every request (e.g. Authorization). */
  headers?: Record<string, string>;
}

/** Tries of one request worth retrying (a WADO-RS answer, a STOW-RS request), and the wait before each retry. */
const TRIES = 3;
const BACKOFF_MS = 1000;

export class DicomwebStore implements ObjectStore {
  private readonly server: DicomwebServer;
  private places: Promise<Map<string, InstancePlace>> | null = null;

  /** `root`: the location as printed (dicomweb+http(s)://…); `baseUrl`: the http(s) root of the requests. */
  constructor(readonly root: string, baseUrl: string, private readonly request: DicomwebRequest = {}) {
    this.server = { baseUrl, headers: { ...request.headers } };
  }

  locationOf(name: string): string {
    return `${this.root}/${name}`;
  }

  /**
   * Every instance of the studies asked, whatever `recursive` says: the folders of the names (study-N/series-N/) are
   * this store's own grouping, not folders a user chose to walk or not.
   */
  async *list(): AsyncIterable<StoredObject> {
    for (const name of (await this.resolve()).keys()) yield { name, size: null };
  }

  /** The run's instances by name (QIDO-RS, once per store). */
  private resolve(): Promise<Map<string, InstancePlace>> {
    this.places ??= this.query();
    return this.places;
  }

  private async query(): Promise<Map<string, InstancePlace>> {
    const asked = this.request.studies ?? [];
    if (asked.length === 0 && this.request.qido === undefined) throw new UsageError(`${this.root}: a DICOMweb input needs --study UID (repeatable) or --qido "QUERY"`);
    const bad = asked.findIndex((uid) => !isUid(uid));
    if (bad >= 0) throw new UsageError(`--study (the ${ordinal(bad + 1)}) takes a UID: digits and dots, at most 64 characters`);
    const studies = new Set(asked);
    if (this.request.qido !== undefined) for (const uid of await queryStudies(this.server, this.request.qido)) studies.add(uid);
    // In UID order, as the names count them: "study 3" in a message is study-0003.
    const tree = new Map<string, Map<string, string[]>>();
    for (const [s, study] of [...studies].sort(compareUids).entries()) {
      const series = new Map<string, string[]>();
      const seriesUids = [...new Set(await querySeries(this.server, study, `QIDO-RS series of study ${s + 1} of ${studies.size}`))].sort(compareUids);
      for (const [e, se] of seriesUids.entries()) {
        series.set(se, await queryInstances(this.server, study, se, `QIDO-RS instances of series ${e + 1} of study ${s + 1} of ${studies.size}`));
      }
      tree.set(study, series);
    }
    return new Map(nameInstances(tree).map(({ name, place }) => [name, place]));
  }

  async read(name: string, range?: { start: number; end: number }): Promise<Readable> {
    const place = (await this.resolve()).get(name);
    if (place === undefined) throw new DicomwebError(`${this.locationOf(name)}: no such instance among the studies asked`);
    if (range && range.end <= range.start) return Readable.from([]);
    const path = `/studies/${segment(place.study)}/series/${segment(place.series)}/instances/${segment(place.instance)}`;
    const location = this.locationOf(name);
    const open = async (): Promise<WadoAnswer> => {
      const abort = new AbortController();
      const response = await withRetries(() => get(this.server, path, WADO_ACCEPT, `WADO-RS of ${name}`, abort.signal));
      const boundary = boundaryOf(response.headers.get('content-type'));
      if (response.body === null || boundary === null) {
        abort.abort();
        throw new DicomwebError(`${location}: the WADO-RS answer is not multipart/related`);
      }
      return { part: firstPartBody(response.body, boundary), abort };
    };
    // The first answer here, so an HTTP error fails the read itself; a later one only if the first breaks off.
    const first = await open();
    return Readable.from(partBytes(first, open, range, location), { objectMode: false });
  }

  async write(name: string, body: Readable): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    const instance = Buffer.concat(chunks);
    let result = await stowInstances(this.server, [instance]);
    for (let attempt = 1; result.kind === 'retry' && attempt < TRIES; attempt++) {
      await new Promise((r) => setTimeout(r, BACKOFF_MS * attempt));
      result = await stowInstances(this.server, [instance]);
    }
    if (result.kind !== 'stored') throw new DicomwebError(`${this.locationOf(name)}: ${result.reason}${result.kind === 'retry' ? ` (after ${TRIES} tries)` : ''}`);
  }

  async head(): Promise<ObjectHead | null> {
    return null;
  }

  async delete(name: string): Promise<void> {
    throw new DicomwebError(`${this.locationOf(name)}: DICOMweb (PS3.18) has no delete; remove the instance on the server`);
  }

  async cleanAbandonedWrites(): Promise<number> {
    return 0; // a STOW-RS request leaves nothing behind when it fails
  }
}

const ordinal = (n: number): string => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

/** One WADO-RS answer: its part's bytes, and the abort of its request. */
interface WadoAnswer {
  part: AsyncGenerator<Buffer>;
  abort: AbortController;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs a request again after a retryable DicomwebError (5xx, 408, 429, network), TRIES times in all. */
async function withRetries<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof DicomwebError && error.retryable) || attempt >= TRIES) throw error;
      await sleep(BACKOFF_MS * attempt);
    }
  }
}

/**
 * The part's bytes, or [start, end) of them, from `first`; when an answer breaks off (a network error, or the stream
 * ends inside the part), the instance is asked for again and the bytes already passed on are skipped: WADO-RS sends
 * an instance's bytes as stored, the same each time. TRIES answers in all. Each request is aborted as soon as no more
 * of it is wanted.
 */
async function* partBytes(first: WadoAnswer, open: () => Promise<WadoAnswer>, range: { start: number; end: number } | undefined, location: string): AsyncGenerator<Buffer> {
  const end = range?.end ?? Number.POSITIVE_INFINITY;
  let next = range?.start ?? 0; // the next byte of the part to pass on
  let answer: WadoAnswer | null = first;
  for (let attempt = 1; ; attempt++) {
    try {
      answer ??= await open();
      let seen = 0;
      for await (const bytes of answer.part) {
        const chunkStart = seen;
        seen += bytes.length;
        const from = Math.max(next, chunkStart) - chunkStart;
        const to = Math.min(end, seen) - chunkStart;
        if (to > from) {
          yield bytes.subarray(from, to);
          next = chunkStart + to;
        }
        if (seen >= end) return;
      }
      return;
    } catch (error) {
      const brokenOff = error instanceof MultipartError ? error.truncated : !(error instanceof DicomwebError);
      if (!brokenOff || attempt >= TRIES) throw described(error, location, attempt);
      await sleep(BACKOFF_MS * attempt);
    } finally {
      answer?.abort.abort();
      answer = null;
    }
  }
}

/** A read's failure as a DicomwebError naming the instance's place (never what the server sent). */
function described(error: unknown, location: string, answers: number): DicomwebError {
  if (error instanceof DicomwebError) return error;
  const tries = answers > 1 ? ` (${answers} answers)` : '';
  if (error instanceof MultipartError) return new DicomwebError(`${location}: WADO-RS: ${error.message}${tries}`);
  return new DicomwebError(`${location}: WADO-RS: the answer broke off (${networkReason(error)})${tries}`);
}
