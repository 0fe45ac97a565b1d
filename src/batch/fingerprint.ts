// The run fingerprint: a keyed digest of the key and the Plan, stored as metadata on every output object so that a
// resumed run over object storage (--skip-existing) keeps an object only when it was written under the same key
// and Plan. Keyed (HMAC under the run key), so it tells nothing of the key, and two keys never share one.
// (Written here because the proof branch's output fingerprint had not landed; one should replace the other.)

import type { Plan } from '../plan/plan.js';
import type { KeySecret } from './protocol.js';
import { keysFromSecret } from './secret.js';

/** Object metadata key (S3 and Azure both accept it: lower-case letters only). */
export const FINGERPRINT_METADATA = 'dcmanonfingerprint';

/** JSON of the Plan with Maps, Sets, RegExps and bigints spelt out (plain JSON.stringify would drop them as {}). */
function planText(plan: Plan): string {
  return JSON.stringify(plan, (_key, value: unknown) => {
    if (value instanceof Map) return { map: [...value.entries()] };
    if (value instanceof Set) return { set: [...value.values()] };
    if (value instanceof RegExp) return { regexp: String(value) };
    if (typeof value === 'bigint') return { bigint: value.toString() };
    if (typeof value === 'function') return { function: value.name };
    return value;
  });
}

/** 32 hex digits: HMAC-SHA256(run key, "run-fingerprint" NUL plan JSON), cut to 128 bits. */
export function runFingerprint(secret: KeySecret, plan: Plan): string {
  return keysFromSecret(secret).mac('run-fingerprint', planText(plan)).subarray(0, 16).toString('hex');
}
