// The run fingerprint: a keyed digest of the key and the Plan, recorded in every output so that a resumed run
// (--skip-existing), or a storage adapter's HEAD check, keeps an output only when the same key and the same Plan made
// it. Never the key itself: HMAC-SHA256 under the key of the canonical Plan JSON and the format version.
//
// Where it lives: in the file meta, as Private Information (0002,0102) under Private Information Creator UID
// (0002,0100) = our Implementation Class UID. The file meta is the standard's place for what one application notes
// about a file: it is not part of the dataset, so the IOD, the PS3.15 markers and verify's private-attribute checks
// are untouched, and it is there for every plan, also rules files that write no De-identification Method.

import { createHmac } from 'node:crypto';
import { keyBytes } from '../anonymize/keys.js';
import { IMPLEMENTATION_CLASS_UID } from '../dicom/create.js';
import type { DataSet } from '../dicom/dataset.js';
import type { ByteSource } from '../dicom/source.js';
import { PrivateInformation, PrivateInformationCreatorUID } from '../dicom/tags.generated.js';
import { getString, newStringElement, setString } from '../dicom/values.js';
import { DataElement } from '../dicom/dataset.js';
import type { Plan } from '../plan/plan.js';
import type { KeySecret } from './protocol.js';

/** Changes when what the fingerprint covers, or how outputs are made from a Plan, changes incompatibly. */
export const FINGERPRINT_FORMAT = 'dicom-anonymizer-run-fingerprint/1';

/** The prefix of the Private Information value, then a space and 64 hex digits. */
const VALUE_PREFIX = 'dcmanon-fp1 ';

/**
 * The run fingerprint: 64 lowercase hex digits of HMAC-SHA256(key bytes, FINGERPRINT_FORMAT NUL canonical Plan JSON).
 * The key bytes follow the one rule of keys.ts (whitespace trimmed at the ends), so a key file and the same text in
 * DICOM_ANONYMIZER_KEY give the same fingerprint. Same key and Plan: the same fingerprint in any process or machine.
 */
export function runFingerprint(secret: KeySecret | Uint8Array | string, plan: Plan): string {
  const key = typeof secret === 'string' || secret instanceof Uint8Array ? keyBytes(secret)
    : secret.kind === 'text' ? keyBytes(secret.text) : keyBytes(secret.bytes);
  return createHmac('sha256', key).update(FINGERPRINT_FORMAT).update('\0').update(canonicalJson(plan), 'utf8').digest('hex');
}

/** JSON with object keys sorted at every depth (and RegExp, Map, Set, bytes written out), so equal Plans give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? `${value}n` : value;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonical(v)));
  if (value instanceof RegExp) return { $regexp: value.source, flags: value.flags };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex') };
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [canonical(k), canonical(v)]).sort((a, b) => (JSON.stringify(a[0]) < JSON.stringify(b[0]) ? -1 : 1)) };
  if (value instanceof Set) return { $set: [...value].map(canonical).map((v) => JSON.stringify(v)).sort() };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== 'function') out[key] = canonical(v);
  }
  return out;
}

/** Writes the fingerprint into a file meta (Private Information Creator UID and Private Information). */
export function stampFingerprint(meta: DataSet, fingerprint: string): void {
  const creator = meta.get(PrivateInformationCreatorUID);
  if (creator) setString(meta, creator, IMPLEMENTATION_CLASS_UID, 'UI');
  else meta.put(newStringElement(meta, PrivateInformationCreatorUID, 'UI', IMPLEMENTATION_CLASS_UID));
  meta.remove(PrivateInformation);
  const info = new DataElement(PrivateInformation, 'OB');
  info.setValue(Buffer.from(VALUE_PREFIX + fingerprint, 'ascii'), 'OB');
  meta.put(info);
}

/** The fingerprint a file meta carries (ours), or null when it has none. */
export function fingerprintOf(meta: DataSet | null | undefined, source: ByteSource): string | null {
  const creator = meta?.get(PrivateInformationCreatorUID);
  const info = meta?.get(PrivateInformation);
  if (!meta || !creator || !info || getString(meta, creator, source) !== IMPLEMENTATION_CLASS_UID) return null;
  const bytes = info.bytes(source);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  return text.startsWith(VALUE_PREFIX) ? text.slice(VALUE_PREFIX.length).replace(/\0+$/, '') : null;
}
