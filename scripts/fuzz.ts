// Fuzz harness for hostile and broken input: mutations of corpus files and synthetic bombs, each fed through
// read → anonymize (default profile, fixed key) → write (in memory, 1 in 20 through a temp file and the windowed
// reader) → read back.
//
//   npm run fuzz -- --minutes N [--seed S] [--workers W] [--execs MAX] [--heavy] [--no-save] [--report FILE]
//   npm run fuzz -- --seed S --replay INDEX [--out FILE]      (re-run / extract one input)
//
// Inputs run in worker threads under a watchdog: an input that takes more than 5 s is a hang, the worker is killed
// and restarted after it. An exception that is not one of our typed errors (DicomParseError, DicomWriteError,
// AnonymizeError, ConfigError) is a crash. Findings are saved, minimized, to test/fixtures/fuzz/ (unless --no-save).
// Every input is a pure function of (seed, index, corpus): see docs/limits.md.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '..');
export const FIXTURE_DIR = join(ROOT, 'test', 'fixtures', 'fuzz');
const HANG_MS = 5_000;

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness: every input is a pure function of (seed, index).

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

function mix(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Seeds: corpus files (with the positions of their element headers, so mutations hit length and VR fields).

interface HeaderPos {
  /** Offset of the element/item header. */
  at: number;
  /** Offset and width of its length field. */
  lengthAt: number;
  lengthBytes: 2 | 4;
  /** Offset of the VR code, for explicit VR elements. */
  vrAt: number | null;
  little: boolean;
}

export interface Seed {
  /** Saved findings (test/fixtures/fuzz) are picked apart from corpus files, so replays survive new findings. */
  fixture?: boolean;
  name: string;
  bytes: Buffer;
  headers: HeaderPos[];
}

const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

export async function loadSeeds(maxBytes: number, limit: number): Promise<Seed[]> {
  const { corpusAvailable, corpusEntries, corpusPath } = await import('../test/helpers/corpus.js');
  const { readDicomBuffer } = await import('../src/dicom/part10.js');
  const paths: { name: string; path: string }[] = [];
  if (corpusAvailable()) {
    for (const entry of corpusEntries()) if (entry.size > 0 && entry.size <= maxBytes) paths.push({ name: entry.path, path: corpusPath(entry) });
  }
  try {
    for (const f of readdirSync(FIXTURE_DIR)) if (!f.endsWith('.md')) paths.push({ name: `fixtures/${f}`, path: join(FIXTURE_DIR, f) });
  } catch { /* no fixtures yet */ }
  paths.sort((a, b) => (a.name < b.name ? -1 : 1));
  // A deterministic spread when limited.
  const chosen = limit >= paths.length ? paths : paths.filter((_, i) => i % Math.ceil(paths.length / limit) === 0);
  const seeds: Seed[] = [];
  for (const { name, path } of chosen) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      continue;
    }
    const headers: HeaderPos[] = [];
    try {
      const file = readDicomBuffer(bytes, name);
      const visit = (ds: import('../src/dicom/dataset.js').DataSet): void => {
        const little = ds.encoding.littleEndian;
        for (const el of ds.elements) {
          if (!el.span) continue;
          const at = el.span.offset;
          if (ds.encoding.explicitVR && (el.tag >>> 16) !== 0xfffe) {
            const code = bytes.toString('latin1', at + 4, at + 6);
            if (LONG.has(code)) headers.push({ at, lengthAt: at + 8, lengthBytes: 4, vrAt: at + 4, little });
            else headers.push({ at, lengthAt: at + 6, lengthBytes: 2, vrAt: at + 4, little });
          } else {
            headers.push({ at, lengthAt: at + 4, lengthBytes: 4, vrAt: null, little });
          }
          for (const item of el.items ?? []) {
            if (item.span) headers.push({ at: item.span.offset, lengthAt: item.span.offset + 4, lengthBytes: 4, vrAt: null, little: item.encoding.littleEndian });
            visit(item);
          }
        }
      };
      if (file.meta) visit(file.meta);
      if (file.datasetSource === file.source) visit(file.dataset);
      file.close();
    } catch { /* malformed seeds are fine: they get the blind mutations */ }
    seeds.push({ name, bytes, headers, fixture: name.startsWith('fixtures/') });
  }
  return seeds;
}

// ---------------------------------------------------------------------------------------------------------------
// Synthetic inputs.

const le16 = (v: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
const le32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };

/** Explicit VR little endian element. */
export function explicitElement(group: number, element: number, vr: string, value: Buffer | string): Buffer {
  let v = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  if (v.length % 2) v = Buffer.concat([v, Buffer.from([vr === 'UI' ? 0 : 0x20])]);
  const head = LONG.has(vr)
    ? Buffer.concat([le16(group), le16(element), Buffer.from(vr, 'latin1'), Buffer.alloc(2), le32(v.length)])
    : Buffer.concat([le16(group), le16(element), Buffer.from(vr, 'latin1'), le16(v.length)]);
  return Buffer.concat([head, v]);
}

/** Preamble, "DICM" and a file meta group for `transferSyntax`. */
export function part10Header(transferSyntax: string): Buffer {
  const rest = Buffer.concat([
    explicitElement(2, 1, 'OB', Buffer.from([0, 1])),
    explicitElement(2, 2, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    explicitElement(2, 3, 'UI', '1.2.3.4.5.6.7.8.9'),
    explicitElement(2, 0x10, 'UI', transferSyntax),
  ]);
  const preamble = Buffer.alloc(132);
  preamble.write('DICM', 128, 'latin1');
  return Buffer.concat([preamble, explicitElement(2, 0, 'UL', le32(rest.length)), rest]);
}

/** A small valid dataset (explicit VR LE) with identifying values, to wrap around the bombs. */
export function smallDataset(patientName = 'FUZZ^PATIENT'): Buffer {
  return Buffer.concat([
    explicitElement(8, 5, 'CS', 'ISO_IR 100'),
    explicitElement(8, 0x16, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    explicitElement(8, 0x18, 'UI', '1.2.3.4.5.6.7.8.9'),
    explicitElement(0x10, 0x10, 'PN', patientName),
    explicitElement(0x10, 0x20, 'LO', 'FUZZ-ID-1'),
  ]);
}

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const DEFLATED = '1.2.840.10008.1.2.1.99';

/**
 * Sequences nested `depth` deep. kind: 'undefined' (explicit VR, undefined lengths), 'defined' (explicit VR,
 * exact lengths), 'implicit' (implicit VR, undefined lengths), 'un' (private UN elements hiding implicit VR
 * sequences with defined lengths: the reader's hidden-sequence probe).
 */
export function nestingBomb(depth: number, kind: 'undefined' | 'defined' | 'implicit' | 'un'): Buffer {
  const ts = kind === 'implicit' ? IMPLICIT_LE : EXPLICIT_LE;
  const head = part10Header(ts);
  const leaf = kind === 'implicit' ? Buffer.alloc(0) : explicitElement(0x10, 0x10, 'PN', 'DEEP^NAME');
  if (kind === 'undefined' || kind === 'implicit') {
    const open = kind === 'undefined'
      ? Buffer.from([0x40, 0x00, 0x30, 0xa7, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff])
      : Buffer.from([0x40, 0x00, 0x30, 0xa7, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]);
    const close = Buffer.from([0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
    const out = Buffer.alloc(head.length + depth * (open.length + close.length) + leaf.length);
    let at = head.copy(out, 0);
    for (let i = 0; i < depth; i++) at += open.copy(out, at);
    at += leaf.copy(out, at);
    for (let i = 0; i < depth; i++) at += close.copy(out, at);
    return out;
  }
  // Defined lengths: each level is a 12-byte element header + 8-byte item header around the next level.
  const creator = kind === 'un' ? explicitElement(0x09, 0x10, 'LO', 'FUZZ') : Buffer.alloc(0);
  const per = kind === 'un' ? 20 : 20; // explicit UN/SQ header 12 + item 8 (inner UN levels are implicit: 8 + 8 = 16)
  const innerPer = kind === 'un' ? 16 : per;
  const innerLeaf = kind === 'un' ? Buffer.concat([le16(0x10), le16(0x20), le32(4), Buffer.from('ABCD')]) : leaf;
  const total = head.length + creator.length + per + (depth - 1) * innerPer + innerLeaf.length;
  const out = Buffer.alloc(total);
  let at = head.copy(out, 0);
  at += creator.copy(out, at);
  for (let i = 0; i < depth; i++) {
    const remaining = (depth - i - 1) * innerPer + innerLeaf.length; // bytes inside this level's item
    if (i === 0) {
      out.writeUInt16LE(kind === 'un' ? 0x09 : 0x40, at); out.writeUInt16LE(kind === 'un' ? 0x1010 : 0xa730, at + 2);
      out.write(kind === 'un' ? 'UN' : 'SQ', at + 4, 'latin1'); out.writeUInt16LE(0, at + 6);
      out.writeUInt32LE(remaining + 8, at + 8);
      at += 12;
    } else if (kind === 'un') {
      out.writeUInt16LE(0x09, at); out.writeUInt16LE(0x1010, at + 2); out.writeUInt32LE(remaining + 8, at + 4);
      at += 8;
    } else {
      out.writeUInt16LE(0x40, at); out.writeUInt16LE(0xa730, at + 2); out.write('SQ', at + 4, 'latin1'); out.writeUInt16LE(0, at + 6);
      out.writeUInt32LE(remaining + 8, at + 8);
      at += 12;
    }
    out.writeUInt16LE(0xfffe, at); out.writeUInt16LE(0xe000, at + 2); out.writeUInt32LE(remaining, at + 4);
    at += 8;
  }
  innerLeaf.copy(out, at);
  return out;
}

let deflateBombCache: Buffer | null = null;
/** A Deflated Explicit VR LE file whose dataset inflates to `inflatedMiB` MiB of zeros. */
export function deflateBomb(inflatedMiB = 256): Buffer {
  if (inflatedMiB === 256 && deflateBombCache) return deflateBombCache;
  const zeros = Buffer.alloc(inflatedMiB * 1024 * 1024);
  const body = deflateRawSync(Buffer.concat([smallDataset(), zeros]), { level: 9 });
  const out = Buffer.concat([part10Header(DEFLATED), body]);
  if (inflatedMiB === 256) deflateBombCache = out;
  return out;
}

/** A sequence with `count` empty items (undefined-length sequence, zero-length items). */
export function itemCountBomb(count: number): Buffer {
  const head = Buffer.concat([part10Header(EXPLICIT_LE), smallDataset()]);
  const seq = Buffer.from([0x08, 0x00, 0x15, 0x11, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  const out = Buffer.alloc(head.length + seq.length + count * 8 + 8);
  let at = head.copy(out, 0);
  at += seq.copy(out, at);
  for (let i = 0; i < count; i++) {
    out.writeUInt16LE(0xfffe, at); out.writeUInt16LE(0xe000, at + 2); out.writeUInt32LE(0, at + 4);
    at += 8;
  }
  out.writeUInt16LE(0xfffe, at); out.writeUInt16LE(0xe0dd, at + 2);
  return out;
}

/** `count` zero-length private elements in one dataset (what a run of zero bytes in an explicit VR file becomes). */
export function elementCountBomb(count: number, kind: 'private' | 'zeros'): Buffer {
  const head = Buffer.concat([part10Header(EXPLICIT_LE), smallDataset()]);
  if (kind === 'zeros') return Buffer.concat([head, Buffer.alloc(count * 8)]);
  const creator = explicitElement(0x0011, 0x0010, 'LO', 'FUZZ');
  const out = Buffer.alloc(head.length + creator.length + count * 12);
  let at = head.copy(out, 0);
  at += creator.copy(out, at);
  for (let i = 0; i < count; i++) {
    out.writeUInt16LE(0x0011, at); out.writeUInt16LE(0x1000 + (i & 0xff), at + 2); out.write('UN', at + 4, 'latin1');
    at += 12;
  }
  return out;
}

/**
 * `items` items of one sequence, each holding `perItem` elements: zero-length group length elements ('zeros', the
 * writer recomputes group lengths) or private elements ('private', the profile removes them one by one).
 */
export function wideItemsBomb(items: number, perItem: number, kind: 'zeros' | 'private'): Buffer {
  const head = Buffer.concat([part10Header(EXPLICIT_LE), smallDataset()]);
  const seq = Buffer.from([0x08, 0x00, 0x15, 0x11, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  const creator = kind === 'private' ? explicitElement(0x0011, 0x0010, 'LO', 'FUZZ') : Buffer.alloc(0);
  const per = kind === 'zeros' ? 8 : 12;
  const itemBody = creator.length + perItem * per;
  const out = Buffer.alloc(head.length + seq.length + items * (8 + itemBody) + 8);
  let at = head.copy(out, 0);
  at += seq.copy(out, at);
  for (let i = 0; i < items; i++) {
    out.writeUInt16LE(0xfffe, at); out.writeUInt16LE(0xe000, at + 2); out.writeUInt32LE(itemBody, at + 4);
    at += 8;
    at += creator.copy(out, at);
    for (let j = 0; j < perItem; j++) {
      if (kind === 'private') {
        out.writeUInt16LE(0x0011, at); out.writeUInt16LE(0x1000 + (j & 0xff), at + 2); out.write('UN', at + 4, 'latin1');
      } else {
        out.writeUInt16LE(0x0010 + 2 * (j % 8), at);
      }
      at += per;
    }
  }
  out.writeUInt16LE(0xfffe, at); out.writeUInt16LE(0xe0dd, at + 2);
  return out;
}

/**
 * Long runs of padding that do not reach the end of a value, where code strips trailing padding with a regular
 * expression (`/[\0 ]+$/` is quadratic in V8). `where`: a private creator, the Transfer Syntax UID, PatientID
 * (read by the anonymizer), Specific Character Set.
 */
export function paddingBomb(where: 'creator' | 'transferSyntax' | 'patientId' | 'charset', run = 64_000): Buffer {
  const pad = (fill: string): string => fill.repeat(run) + 'X';
  if (where === 'transferSyntax') return Buffer.concat([part10Header(EXPLICIT_LE + '\0'.repeat(run) + '9'), smallDataset()]);
  const head = part10Header(EXPLICIT_LE);
  if (where === 'creator') return Buffer.concat([head, smallDataset(), explicitElement(0x0009, 0x0010, 'LO', pad(' ')), explicitElement(0x0009, 0x1001, 'LO', 'V')]);
  const sop = Buffer.concat([explicitElement(8, 0x16, 'UI', '1.2.840.10008.5.1.4.1.1.7'), explicitElement(8, 0x18, 'UI', '1.2.3.4.5.6.7.8.9')]);
  if (where === 'patientId') {
    return Buffer.concat([head, explicitElement(8, 5, 'CS', 'ISO_IR 100'), sop, explicitElement(0x10, 0x10, 'PN', 'PAD^NAME'), explicitElement(0x10, 0x20, 'LO', pad(' '))]);
  }
  return Buffer.concat([head, explicitElement(8, 5, 'CS', pad('\0')), sop, explicitElement(0x10, 0x10, 'PN', 'PAD^NAME')]);
}

/** Encapsulated Pixel Data with `count` empty fragments. */
export function fragmentBomb(count: number): Buffer {
  const head = Buffer.concat([part10Header('1.2.840.10008.1.2.4.50'), smallDataset()]);
  const px = Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  const out = Buffer.alloc(head.length + px.length + count * 8 + 8);
  let at = head.copy(out, 0);
  at += px.copy(out, at);
  for (let i = 0; i < count; i++) {
    out.writeUInt16LE(0xfffe, at); out.writeUInt16LE(0xe000, at + 2);
    at += 8;
  }
  out.writeUInt16LE(0xfffe, at); out.writeUInt16LE(0xe0dd, at + 2);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations.

const VR_CODES = ['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV', 'ZZ', '\0\0', '  ', 'sq'];
const SPECIAL_TAGS = [[0xfffe, 0xe000], [0xfffe, 0xe00d], [0xfffe, 0xe0dd], [0x7fe0, 0x0010], [0x0002, 0x0010], [0x0008, 0x0005], [0x0010, 0x0010], [0x0009, 0x0010], [0x0009, 0x1010], [0x0000, 0x0000], [0x0008, 0x0000]];
const TS_UIDS = [IMPLICIT_LE, EXPLICIT_LE, '1.2.840.10008.1.2.2', DEFLATED, '1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.5', '1.2.3.private', ''];
const CHARSETS = ['ISO_IR 192', '\\ISO 2022 IR 87', 'ISO 2022 IR 6\\ISO 2022 IR 87', 'GB18030', 'ISO_IR 13', 'BOGUS', '\\\\\\', 'ISO_IR 100\\ISO 2022 IR 149'];

function lengthValue(rng: Rng, bytes: Buffer, h: HeaderPos): number {
  switch (rng.int(7)) {
    case 0: return 0xffffffff;
    case 1: return 0xfffffffe;
    case 2: return bytes.length - h.at + rng.int(64); // just past the end
    case 3: return 0;
    case 4: return rng.int(16) + 1; // odd/small
    case 5: return 0x7ffffff0;
    default: return rng.int(0x10000);
  }
}

function setLength(buf: Buffer, h: HeaderPos, value: number): void {
  if (h.lengthAt + h.lengthBytes > buf.length) return;
  if (h.lengthBytes === 2) {
    if (h.little) buf.writeUInt16LE(value & 0xffff, h.lengthAt); else buf.writeUInt16BE(value & 0xffff, h.lengthAt);
  } else if (h.little) buf.writeUInt32LE(value >>> 0, h.lengthAt);
  else buf.writeUInt32BE(value >>> 0, h.lengthAt);
}

function findAll(buf: Buffer, needle: Buffer, max = 64): number[] {
  const out: number[] = [];
  for (let at = buf.indexOf(needle); at >= 0 && out.length < max; at = buf.indexOf(needle, at + 1)) out.push(at);
  return out;
}

/** Replaces the value of the first element with `tag` (explicit VR LE, short VR) when the seed has it. */
function replaceShortValue(buf: Buffer, headers: HeaderPos[], group: number, element: number, text: string): Buffer {
  const h = headers.find((x) => x.lengthBytes === 2 && x.lengthAt + 2 <= buf.length && buf.readUInt16LE(x.at) === group && buf.readUInt16LE(x.at + 2) === element);
  if (!h) return buf;
  const oldLength = buf.readUInt16LE(h.lengthAt);
  let v = Buffer.from(text, 'latin1');
  if (v.length % 2) v = Buffer.concat([v, Buffer.from([0x20])]);
  const out = Buffer.concat([buf.subarray(0, h.lengthAt), le16(v.length), v, buf.subarray(h.lengthAt + 2 + oldLength)]);
  return out;
}

type Mutator = (rng: Rng, buf: Buffer, seed: Seed) => Buffer;

const headerPos = (rng: Rng, seed: Seed, buf: Buffer): HeaderPos | null => {
  const candidates = seed.headers.filter((h) => h.lengthAt + h.lengthBytes <= buf.length);
  return candidates.length ? rng.pick(candidates) : null;
};

export const MUTATORS: Record<string, Mutator> = {
  bitflipHeader: (rng, buf) => {
    const region = Math.min(buf.length, rng.chance(0.5) ? 512 : 4096);
    if (region === 0) return buf;
    for (let n = 1 + rng.int(4); n > 0; n--) buf[rng.int(region)] ^= 1 << rng.int(8);
    return buf;
  },
  bitflipAnywhere: (rng, buf) => {
    if (buf.length === 0) return buf;
    for (let n = 1 + rng.int(8); n > 0; n--) buf[rng.int(buf.length)] ^= 1 << rng.int(8);
    return buf;
  },
  truncate: (rng, buf, seed) => {
    const h = headerPos(rng, seed, buf);
    const at = h && rng.chance(0.5) ? h.at + rng.int(16) : rng.int(buf.length + 1);
    return buf.subarray(0, Math.min(at, buf.length));
  },
  lengthField: (rng, buf, seed) => {
    const h = headerPos(rng, seed, buf);
    if (h) setLength(buf, h, lengthValue(rng, buf, h));
    return buf;
  },
  vrSwap: (rng, buf, seed) => {
    const candidates = seed.headers.filter((h) => h.vrAt !== null && h.vrAt + 2 <= buf.length);
    if (!candidates.length) return buf;
    const h = rng.pick(candidates);
    buf.write(rng.pick(VR_CODES), h.vrAt!, 'latin1');
    return buf;
  },
  tagSwap: (rng, buf, seed) => {
    const h = headerPos(rng, seed, buf);
    if (!h || h.at + 4 > buf.length) return buf;
    const [g, e] = rng.chance(0.7) ? rng.pick(SPECIAL_TAGS) : [rng.int(0x10000), rng.int(0x10000)];
    if (h.little) { buf.writeUInt16LE(g, h.at); buf.writeUInt16LE(e, h.at + 2); } else { buf.writeUInt16BE(g, h.at); buf.writeUInt16BE(e, h.at + 2); }
    return buf;
  },
  dropDelimiter: (rng, buf) => {
    const spots = [...findAll(buf, Buffer.from([0xfe, 0xff, 0x0d, 0xe0])), ...findAll(buf, Buffer.from([0xfe, 0xff, 0xdd, 0xe0]))];
    if (!spots.length) return buf;
    const at = rng.pick(spots);
    return Buffer.concat([buf.subarray(0, at), buf.subarray(at + 8)]);
  },
  undefineItemLengths: (rng, buf) => {
    // Items (and sequences) switched to undefined length without adding delimiters.
    const spots = findAll(buf, Buffer.from([0xfe, 0xff, 0x00, 0xe0]));
    for (let n = 1 + rng.int(3); n > 0 && spots.length; n--) {
      const at = rng.pick(spots);
      if (at + 8 <= buf.length) buf.writeUInt32LE(0xffffffff, at + 4);
    }
    return buf;
  },
  garbageAfterDicm: (rng, buf) => {
    if (buf.length < 140) return buf;
    const n = 1 + rng.int(Math.min(256, buf.length - 132));
    for (let i = 0; i < n; i++) buf[132 + rng.int(Math.min(2048, buf.length - 132))] = rng.int(256);
    return buf;
  },
  spliceChunk: (rng, buf) => {
    if (buf.length < 16) return buf;
    const from = rng.int(buf.length), len = 1 + rng.int(Math.min(512, buf.length - from));
    const to = rng.int(buf.length);
    return Buffer.concat([buf.subarray(0, to), buf.subarray(from, from + len), buf.subarray(to)]);
  },
  deleteChunk: (rng, buf) => {
    if (buf.length < 16) return buf;
    const from = rng.int(buf.length), len = 1 + rng.int(Math.min(256, buf.length - from));
    return Buffer.concat([buf.subarray(0, from), buf.subarray(from + len)]);
  },
  interestingBytes: (rng, buf) => {
    if (buf.length < 8) return buf;
    const at = rng.int(buf.length - 4);
    buf.writeUInt32LE(rng.pick([0xffffffff, 0x80000000, 0x7fffffff, 0, 0xfffee000, 0xfffee0dd, 0xe000fffe, 0xe0ddfffe, 0x00010000]), at);
    return buf;
  },
  transferSyntax: (rng, buf, seed) => replaceShortValue(buf, seed.headers, 0x0002, 0x0010, rng.pick(TS_UIDS)),
  charset: (rng, buf, seed) => replaceShortValue(buf, seed.headers, 0x0008, 0x0005, rng.pick(CHARSETS)),
};
const MUTATOR_NAMES = Object.keys(MUTATORS);

export interface FuzzInput {
  index: number;
  label: string;
  bytes: Buffer;
  /** Read through a temp file and the windowed reader, and write to a temp file. */
  viaFile: boolean;
}

/**
 * Synthetic inputs. `heavy` ones (about a million elements, 1 to 3 s each) are only generated with `--heavy` /
 * `includeHeavy`: they would dominate a bounded run's time; test/robustness/fuzz-regressions.test.ts covers them.
 */
const SYNTHETIC: { name: string; weight: number; heavy?: boolean; make: (rng: Rng) => Buffer }[] = [
  { name: 'nest-undefined-100000', weight: 3, make: () => nestingBomb(100_000, 'undefined') },
  { name: 'nest-defined-100000', weight: 2, make: () => nestingBomb(100_000, 'defined') },
  { name: 'nest-implicit-100000', weight: 2, make: () => nestingBomb(100_000, 'implicit') },
  { name: 'nest-un-100000', weight: 2, make: () => nestingBomb(100_000, 'un') },
  { name: 'nest-at-limit', weight: 3, make: (rng) => nestingBomb(127 + rng.int(3), rng.pick(['undefined', 'defined', 'implicit', 'un'] as const)) },
  { name: 'deflate-bomb-256MiB', weight: 1, make: () => deflateBomb(256) },
  { name: 'items-2M', weight: 1, make: () => itemCountBomb(2_000_000) },
  { name: 'items-100k', weight: 1, make: () => itemCountBomb(100_000) },
  { name: 'elements-private-1M', weight: 1, make: () => elementCountBomb(1_000_000, 'private') },
  { name: 'elements-private-10k', weight: 1, make: () => elementCountBomb(9_990, 'private') },
  { name: 'elements-zeros-2M', weight: 1, make: () => elementCountBomb(2_000_000, 'zeros') },
  { name: 'elements-zeros-10k', weight: 1, make: () => elementCountBomb(9_990, 'zeros') },
  { name: 'fragments-2M', weight: 1, make: () => fragmentBomb(2_000_000) },
  { name: 'fragments-300k', weight: 1, make: () => fragmentBomb(300_000) },
  { name: 'padding-creator', weight: 1, make: () => paddingBomb('creator') },
  { name: 'padding-transfer-syntax', weight: 1, make: () => paddingBomb('transferSyntax') },
  { name: 'padding-patient-id', weight: 1, make: () => paddingBomb('patientId') },
  { name: 'padding-charset', weight: 1, make: () => paddingBomb('charset') },
  { name: 'wide-zeros-99x9990', weight: 1, heavy: true, make: () => wideItemsBomb(99, 9_990, 'zeros') },
  { name: 'wide-private-99x9990', weight: 1, heavy: true, make: () => wideItemsBomb(99, 9_990, 'private') },
];

const split = new WeakMap<Seed[], { corpus: Seed[]; fixtures: Seed[] }>();
function splitSeeds(seeds: Seed[]): { corpus: Seed[]; fixtures: Seed[] } {
  let parts = split.get(seeds);
  if (!parts) {
    parts = { corpus: seeds.filter((x) => !x.fixture), fixtures: seeds.filter((x) => x.fixture) };
    split.set(seeds, parts);
  }
  return parts;
}

/** The input number `index` of a run with `seed` (stable as long as the corpus and the generators are). */
export function makeInput(seed: number, index: number, seeds: Seed[], includeHeavy = false): FuzzInput {
  const rng = new Rng(mix(seed, index));
  // 1 in 400: a synthetic bomb (some are slow on purpose: they must still be rejected quickly).
  if (rng.int(400) === 0) {
    const synthetic = SYNTHETIC.filter((x) => includeHeavy || !x.heavy);
    let w = rng.int(synthetic.reduce((sum, x) => sum + x.weight, 0));
    const s = synthetic.find((x) => (w -= x.weight) < 0)!;
    let bytes = s.make(rng);
    let label = `synthetic:${s.name}`;
    if (rng.chance(0.3)) {
      const name = rng.pick(MUTATOR_NAMES);
      bytes = MUTATORS[name](rng, Buffer.from(bytes), { name: s.name, bytes, headers: [] });
      label += `+${name}`;
    }
    return { index, label, bytes, viaFile: false };
  }
  const { corpus, fixtures } = splitSeeds(seeds);
  const fromFixtures = rng.chance(0.02); // always drawn, so that the stream does not depend on the fixtures present
  const seedFile = rng.pick((fromFixtures && fixtures.length > 0) || corpus.length === 0 ? fixtures : corpus);
  let buf: Buffer = Buffer.from(seedFile.bytes);
  const names: string[] = [];
  for (let n = 1 + (rng.chance(0.3) ? rng.int(4) : 0); n > 0; n--) {
    const name = rng.pick(MUTATOR_NAMES);
    buf = MUTATORS[name](rng, buf, seedFile);
    names.push(name);
  }
  return { index, label: `${seedFile.name}+${names.join('+')}`, bytes: buf, viaFile: rng.int(20) === 0 };
}

// ---------------------------------------------------------------------------------------------------------------
// One execution.

export type Outcome = 'ok' | 'typed' | 'crash' | 'roundtrip';

export interface ExecResult {
  outcome: Outcome;
  /** The output's bytes, when execute was asked to keep them (keepOutput) and the outcome is ok. */
  output?: Uint8Array;
  error?: { name: string; message: string; stack: string };
  ms: number;
}

interface Engine {
  /** `keepOutput`: return the output bytes of an ok outcome (the dcmdump check of test/robustness). */
  execute(bytes: Uint8Array, viaFile: boolean, keepOutput?: boolean): ExecResult;
  /** Called once a temporary folder exists (so a killed worker's folder can be removed by the parent). */
  onTempDir?: (dir: string) => void;
  dispose(): void;
}

export async function makeEngine(): Promise<Engine> {
  const { readDicomBuffer, readDicomFile } = await import('../src/dicom/part10.js');
  const { encodeDicomFileToBuffer } = await import('../src/dicom/writer.js');
  const { writeDicomFile } = await import('../src/files/dicom-output.js');
  const { DicomParseError, DicomWriteError } = await import('../src/dicom/errors.js');
  const { AnonymizeError } = await import('../src/anonymize/context.js');
  const { ConfigError } = await import('../src/config/errors.js');
  const { Anonymizer } = await import('../src/anonymize/anonymizer.js');
  const { Keys } = await import('../src/anonymize/keys.js');
  const { basicProfilePlan } = await import('../src/config/load.js');
  const anonymizer = new Anonymizer(basicProfilePlan([]), Keys.fromSecret('fuzz-fixed-key-0123456789abcdef'));
  const typed = (e: unknown): boolean =>
    e instanceof DicomParseError || e instanceof DicomWriteError || e instanceof AnonymizeError || e instanceof ConfigError;
  let tempDir: string | null = null;
  const describe = (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    return { name: err.name, message: err.message.slice(0, 500), stack: (err.stack ?? '').split('\n').slice(0, 12).join('\n') };
  };
  const engine: Engine = {
    dispose() {
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      tempDir = null;
    },
    execute(bytes, viaFile, keepOutput = false) {
      const t0 = performance.now();
      let stage = 'read';
      try {
        let output: Uint8Array;
        if (viaFile) {
          if (!tempDir) {
            tempDir = mkdtempSync(join(tmpdir(), 'dicom-fuzz-'));
            engine.onTempDir?.(tempDir);
          }
          const inPath = join(tempDir, 'in.dcm'), outPath = join(tempDir, 'out.dcm');
          writeFileSync(inPath, bytes);
          const file = readDicomFile(inPath, { inMemoryMaxBytes: 0 });
          try {
            stage = 'anonymize';
            anonymizer.anonymizeFile(file);
            stage = 'write';
            writeDicomFile(file, outPath);
          } finally {
            file.close();
          }
          output = readFileSync(outPath);
        } else {
          const file = readDicomBuffer(bytes, 'fuzz-input');
          try {
            stage = 'anonymize';
            anonymizer.anonymizeFile(file);
            stage = 'write';
            output = encodeDicomFileToBuffer(file);
          } finally {
            file.close();
          }
        }
        stage = 'reread';
        try {
          readDicomBuffer(output, 'fuzz-output').close();
        } catch (e) {
          if (typed(e)) return { outcome: 'roundtrip', error: describe(e), ms: performance.now() - t0 };
          throw e;
        }
        return { outcome: 'ok', ms: performance.now() - t0, ...(keepOutput ? { output } : {}) };
      } catch (e) {
        if (typed(e)) return { outcome: 'typed', ms: performance.now() - t0 };
        const d = describe(e);
        d.message = `[${stage}] ${d.message}`;
        return { outcome: 'crash', error: d, ms: performance.now() - t0 };
      }
    },
  };
  return engine;
}

/** A short signature for de-duplicating findings: error name + first frame inside src/. */
export function signature(error: { name: string; message: string; stack: string }): string {
  const frame = error.stack.split('\n').find((l) => l.includes('/src/')) ?? error.stack.split('\n')[1] ?? '';
  const where = frame.replace(/^.*\/src\//, 'src/').replace(/\)$/, '').replace(/:\d+$/, '');
  return `${error.name}@${where}`;
}

/** Makes a crashing input smaller while it still crashes with the same signature (a bounded greedy pass). */
function minimize(engine: Engine, bytes: Buffer, sig: string, budgetMs = 3000): Buffer {
  const t0 = Date.now();
  const same = (b: Buffer): boolean => {
    const r = engine.execute(b, false);
    return r.outcome === 'crash' && signature(r.error!) === sig;
  };
  let best: Buffer = bytes;
  // Shortest prefix that still crashes (binary search on the truncation point).
  let lo = 0, hi = best.length;
  while (lo < hi && Date.now() - t0 < budgetMs) {
    const mid = (lo + hi) >> 1;
    if (same(best.subarray(0, mid))) hi = mid; else lo = mid + 1;
  }
  if (hi < best.length && same(best.subarray(0, hi))) best = Buffer.from(best.subarray(0, hi));
  // Remove chunks, big to small.
  for (let chunk = best.length >> 1; chunk >= 8 && Date.now() - t0 < budgetMs; chunk >>= 1) {
    for (let at = 0; at + chunk <= best.length && Date.now() - t0 < budgetMs;) {
      const candidate = Buffer.concat([best.subarray(0, at), best.subarray(at + chunk)]);
      if (same(candidate)) best = candidate; else at += chunk;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// Worker: runs indices start, start+stride, ... until told to stop. Progress in shared memory for the watchdog.

/** Shared Int32 slots: 0 stop flag, 1 index in progress (-1 none), 2 executions, 3 typed errors, 4 ok, 5 last index started. */
const SLOT = { stop: 0, current: 1, execs: 2, typed: 3, ok: 4, last: 5 } as const;

interface WorkerInit {
  fuzzWorker: true;
  seed: number;
  start: number;
  stride: number;
  maxExecs: number;
  shared: SharedArrayBuffer;
  /** Float64: start time (ms since epoch) of the input in progress. */
  clock: SharedArrayBuffer;
  seedBytes: number;
  seedLimit: number;
  minimize: boolean;
  includeHeavy: boolean;
}

async function workerMain(init: WorkerInit): Promise<void> {
  const seeds = await loadSeeds(init.seedBytes, init.seedLimit);
  const engine = await makeEngine();
  engine.onTempDir = (dir) => parentPort!.postMessage({ type: 'tempdir', dir });
  const slots = new Int32Array(init.shared);
  const clock = new Float64Array(init.clock);
  const seen = new Set<string>();
  parentPort!.postMessage({ type: 'ready', seeds: seeds.length });
  for (let index = init.start; Atomics.load(slots, SLOT.stop) === 0; index += init.stride) {
    if (Atomics.load(slots, SLOT.execs) >= init.maxExecs) break;
    let input: FuzzInput;
    try {
      input = makeInput(init.seed, index, seeds, init.includeHeavy);
    } catch (error) {
      // A bug of the harness itself, not of the code under test: report it and go on.
      const e = error as Error;
      parentPort!.postMessage({ type: 'harness-error', index, message: `${e.name}: ${e.message}`, stack: e.stack });
      continue;
    }
    clock[0] = Date.now();
    Atomics.store(slots, SLOT.current, index);
    Atomics.store(slots, SLOT.last, index);
    const result = engine.execute(input.bytes, input.viaFile);
    Atomics.store(slots, SLOT.current, -1);
    Atomics.add(slots, SLOT.execs, 1);
    if (result.outcome === 'typed') Atomics.add(slots, SLOT.typed, 1);
    if (result.outcome === 'ok') Atomics.add(slots, SLOT.ok, 1);
    if (result.ms > 1000) parentPort!.postMessage({ type: 'slow', index, label: input.label, ms: result.ms });
    if (result.outcome === 'crash' || result.outcome === 'roundtrip') {
      const sig = `${result.outcome}:${signature(result.error!)}`;
      const first = !seen.has(sig);
      seen.add(sig);
      let bytes: Buffer | null = null;
      if (first && result.outcome === 'crash') {
        bytes = init.minimize && input.bytes.length < 4_000_000 ? minimize(engine, input.bytes, signature(result.error!)) : input.bytes;
      }
      parentPort!.postMessage({ type: result.outcome, index, label: input.label, error: result.error, sig, bytes, size: input.bytes.length });
    }
  }
  engine.dispose();
  parentPort!.postMessage({ type: 'done' });
}

// ---------------------------------------------------------------------------------------------------------------
// Parent: workers, watchdog, memory, report.

export interface Finding {
  kind: 'crash' | 'hang' | 'roundtrip' | 'worker-died';
  index: number;
  label: string;
  sig: string;
  message: string;
  stack?: string;
  file?: string;
}

export interface FuzzReport {
  seed: number;
  seconds: number;
  execs: number;
  typed: number;
  ok: number;
  crashes: Finding[];
  hangs: Finding[];
  roundtrip: Finding[];
  /** Distinct crash/roundtrip signatures with counts. */
  signatures: Record<string, number>;
  slow: { index: number; label: string; ms: number }[];
  peakRssMiB: number;
  execsPerSecond: number;
  seeds: number;
  /** Failures of the harness itself (should be 0). */
  harnessErrors: number;
}

export interface FuzzOptions {
  seconds: number;
  seed: number;
  workers?: number;
  maxExecs?: number;
  /** Save findings under test/fixtures/fuzz/ (minimized). */
  save?: boolean;
  /** Largest corpus file used as a seed. */
  seedBytes?: number;
  /** At most this many seed files (spread over the corpus). */
  seedLimit?: number;
  /** Also generate the heavy synthetic inputs (about a million elements each).*/
  includeHeavy?: boolean;
  log?: (line: string) => void;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => {});
  const workers = options.workers ?? 1;
  const maxExecs = options.maxExecs ?? Number.MAX_SAFE_INTEGER;
  const seedBytes = options.seedBytes ?? 1_500_000;
  const seedLimit = options.seedLimit ?? 100_000;
  const report: FuzzReport = {
    seed: options.seed, seconds: 0, execs: 0, typed: 0, ok: 0, crashes: [], hangs: [], roundtrip: [], signatures: {},
    slow: [], peakRssMiB: 0, execsPerSecond: 0, seeds: 0, harnessErrors: 0,
  };
  const tempDirs: string[] = [];
  const started = Date.now();
  const deadline = started + options.seconds * 1000;
  let parentSeeds: Seed[] | null = null; // loaded lazily, only to save a hang's input
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(import.meta.url)}); })`;

  const saveFinding = async (kind: string, index: number, bytes: Buffer | null, sig: string): Promise<string | undefined> => {
    if (!options.save) return undefined;
    if (!bytes) {
      parentSeeds ??= await loadSeeds(seedBytes, seedLimit);
      bytes = makeInput(options.seed, index, parentSeeds, options.includeHeavy).bytes;
      if (bytes.length > 4_000_000) return `(not saved: ${bytes.length} bytes; replay with --seed ${options.seed} --replay ${index})`;
    }
    mkdirSync(FIXTURE_DIR, { recursive: true });
    const hash = createHash('sha256').update(sig).digest('hex').slice(0, 10);
    const file = join(FIXTURE_DIR, `${kind}-${hash}.dcm`);
    writeFileSync(file, bytes);
    return file;
  };

  interface Slot {
    worker: Worker | null; shared: Int32Array; clock: Float64Array; next: number; done: boolean; finished: boolean;
    execBase: number; typedBase: number; okBase: number;
  }
  const slots: Slot[] = [];
  let pending = 0;
  const totals = (): { execs: number; typed: number; ok: number } => {
    let execs = 0, typed = 0, ok = 0;
    for (const s of slots) {
      execs += s.execBase + Atomics.load(s.shared, SLOT.execs);
      typed += s.typedBase + Atomics.load(s.shared, SLOT.typed);
      ok += s.okBase + Atomics.load(s.shared, SLOT.ok);
    }
    return { execs, typed, ok };
  };

  await new Promise<void>((resolveRun) => {
    const finishIfDone = (): void => {
      if (slots.every((s) => s.done) && pending === 0) resolveRun();
    };
    const spawn = (slot: Slot): void => {
      // Counters of a killed worker are kept in the bases; a new worker starts with fresh shared memory.
      slot.execBase += Atomics.load(slot.shared, SLOT.execs);
      slot.typedBase += Atomics.load(slot.shared, SLOT.typed);
      slot.okBase += Atomics.load(slot.shared, SLOT.ok);
      const shared = new SharedArrayBuffer(4 * 8);
      const clock = new SharedArrayBuffer(8);
      slot.shared = new Int32Array(shared);
      slot.clock = new Float64Array(clock);
      Atomics.store(slot.shared, SLOT.current, -1);
      Atomics.store(slot.shared, SLOT.last, -1);
      slot.finished = false;
      const alreadyDone = totals().execs;
      const init: WorkerInit = {
        fuzzWorker: true, seed: options.seed, start: slot.next, stride: workers, maxExecs: Math.max(0, Math.ceil((maxExecs - alreadyDone) / workers)),
        shared, clock, seedBytes, seedLimit, minimize: options.save ?? false, includeHeavy: options.includeHeavy ?? false,
      };
      const worker = new Worker(boot, { eval: true, workerData: init, resourceLimits: { maxOldGenerationSizeMb: 4096, stackSizeMb: 4 } });
      slot.worker = worker;
      worker.on('message', (m: { type: string; index: number; label: string; error: { name: string; message: string; stack: string }; sig: string; bytes: Uint8Array | null; ms: number; seeds: number }) => {
        if (m.type === 'ready') report.seeds = m.seeds;
        if (m.type === 'harness-error') {
          report.harnessErrors++;
          log(`harness error on #${m.index}: ${(m as unknown as { message: string }).message}`);
        }
        if (m.type === 'done') slot.finished = true;
        if (m.type === 'tempdir') tempDirs.push((m as unknown as { dir: string }).dir);
        if (m.type === 'slow') {
          report.slow.push({ index: m.index, label: m.label, ms: Math.round(m.ms) });
          log(`slow: #${m.index} ${m.label}: ${Math.round(m.ms)} ms`);
        }
        if (m.type === 'crash' || m.type === 'roundtrip') {
          report.signatures[m.sig] = (report.signatures[m.sig] ?? 0) + 1;
          const finding: Finding = { kind: m.type, index: m.index, label: m.label, sig: m.sig, message: m.error.message, stack: m.error.stack };
          (m.type === 'crash' ? report.crashes : report.roundtrip).push(finding);
          if (report.signatures[m.sig] === 1) {
            log(`${m.type}: #${m.index} ${m.label}: ${m.sig}: ${m.error.message}`);
            if (m.bytes) {
              pending++;
              void saveFinding(m.type, m.index, Buffer.from(m.bytes), m.sig).then((f) => {
                finding.file = f;
                if (f) log(`  saved ${f} (${m.bytes!.length} bytes)`);
                pending--;
                finishIfDone();
              });
            }
          }
        }
      });
      worker.on('error', (error) => {
        // An uncaught failure inside the worker (out of memory, ...): record the input in progress and go on.
        const current = Atomics.load(slot.shared, SLOT.current);
        if (current >= 0) {
          report.crashes.push({ kind: 'worker-died', index: current, label: `#${current}`, sig: `worker:${error.name}`, message: error.message });
          log(`worker died on #${current}: ${error.name}: ${error.message}`);
        } else {
          report.harnessErrors++;
          log(`worker failed outside an input: ${error.name}: ${error.message}`);
        }
      });
      worker.on('exit', () => {
        if (slot.worker !== worker) return; // replaced by the watchdog
        slot.worker = null;
        const last = Atomics.load(slot.shared, SLOT.last);
        if (!slot.finished && Date.now() < deadline && totals().execs < maxExecs) {
          // Died early (out of memory, a harness bug): go on after the last input it started.
          slot.next = (last >= 0 ? last : slot.next - workers) + workers;
          spawn(slot);
          return;
        }
        slot.done = true;
        finishIfDone();
      });
    };
    for (let w = 0; w < workers; w++) {
      const slot: Slot = { worker: null, shared: new Int32Array(new SharedArrayBuffer(32)), clock: new Float64Array(1), next: w, done: false, finished: false, execBase: 0, typedBase: 0, okBase: 0 };
      slots.push(slot);
      spawn(slot);
    }
    let lastLog = Date.now();
    const timer = setInterval(() => {
      const rss = process.memoryUsage().rss / 1048576;
      if (rss > report.peakRssMiB) report.peakRssMiB = rss;
      const now = Date.now();
      for (const slot of slots) {
        if (!slot.worker) continue;
        if (now >= deadline) Atomics.store(slot.shared, SLOT.stop, 1);
        const current = Atomics.load(slot.shared, SLOT.current);
        if (current >= 0 && now - slot.clock[0] > HANG_MS) {
          const worker = slot.worker;
          slot.worker = null;
          const finding: Finding = { kind: 'hang', index: current, label: `#${current}`, sig: `hang#${current}`, message: `no result after ${HANG_MS} ms` };
          report.hangs.push(finding);
          void worker.terminate();
          pending++;
          void (async () => {
            parentSeeds ??= await loadSeeds(seedBytes, seedLimit);
            const input = makeInput(options.seed, current, parentSeeds, options.includeHeavy);
            finding.label = input.label;
            log(`hang: #${current} ${input.label}`);
            finding.file = await saveFinding('hang', current, input.bytes.length <= 4_000_000 ? input.bytes : null, `hang:${input.label}:${current}`);
            pending--;
            finishIfDone();
          })();
          slot.next = current + workers;
          if (now < deadline) spawn(slot);
          else {
            slot.done = true;
          }
        }
      }
      if (now - lastLog >= 30_000) {
        lastLog = now;
        const t = totals();
        log(`${((now - started) / 1000).toFixed(0)} s: ${t.execs} execs (${(t.execs / ((now - started) / 1000)).toFixed(0)}/s), ${report.crashes.length} crashes, ${report.hangs.length} hangs, peak RSS ${report.peakRssMiB.toFixed(0)} MiB`);
      }
    }, 100);
    timer.unref();
    const origResolve = resolveRun;
    resolveRun = () => {
      clearInterval(timer);
      origResolve();
    };
    finishIfDone();
  });
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  const t = totals();
  report.execs = t.execs;
  report.typed = t.typed;
  report.ok = t.ok;
  report.seconds = (Date.now() - started) / 1000;
  report.execsPerSecond = report.execs / report.seconds;
  report.peakRssMiB = Math.round(report.peakRssMiB);
  return report;
}

// ---------------------------------------------------------------------------------------------------------------
// Command line.

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function cli(args: string[]): Promise<void> {
  const seed = Number(argValue(args, '--seed') ?? Date.now() % 1_000_000);
  const replay = argValue(args, '--replay');
  if (replay !== undefined) {
    const seeds = await loadSeeds(Number(argValue(args, '--seed-bytes') ?? 1_500_000), 100_000);
    const input = makeInput(seed, Number(replay), seeds, args.includes('--heavy'));
    const engine = await makeEngine();
    const out = argValue(args, '--out');
    if (out) writeFileSync(out, input.bytes);
    console.log(`#${replay}: ${input.label} (${input.bytes.length} bytes)`, engine.execute(input.bytes, input.viaFile));
    engine.dispose();
    return;
  }
  const minutes = Number(argValue(args, '--minutes') ?? 1);
  const report = await runFuzz({
    seconds: minutes * 60, seed, workers: Number(argValue(args, '--workers') ?? 1),
    maxExecs: argValue(args, '--execs') ? Number(argValue(args, '--execs')) : undefined,
    save: !args.includes('--no-save'), includeHeavy: args.includes('--heavy'), log: (line) => console.log(line),
  });
  const summary = { ...report, crashes: report.crashes.map(({ stack, ...f }) => { void stack; return f; }), roundtrip: report.roundtrip.slice(0, 20) };
  console.log(JSON.stringify(summary, null, 2));
  const reportFile = argValue(args, '--report');
  if (reportFile) writeFileSync(reportFile, JSON.stringify(report, null, 2));
  console.log(`\n${report.execs} executions in ${report.seconds.toFixed(0)} s (${report.execsPerSecond.toFixed(0)}/s), ` +
    `${report.crashes.length} crashes, ${report.hangs.length} hangs, ${report.roundtrip.length} unreadable outputs, peak RSS ${report.peakRssMiB} MiB`);
  process.exitCode = report.crashes.length + report.hangs.length > 0 ? 1 : 0;
}

if (!isMainThread && (workerData as WorkerInit | null)?.fuzzWorker) {
  await workerMain(workerData as WorkerInit);
} else if (isMainThread && process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await cli(process.argv.slice(2));
}
