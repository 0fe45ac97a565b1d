// Structural checks of an output against its original: private elements left, UIDs not remapped, dates not
// shifted or removed, de-identification markers, the file meta agreeing with the dataset, Pixel Data unchanged.

import type { DataElement } from '../dicom/dataset.js';
import type { DicomFile } from '../dicom/part10.js';
import type { ByteSource } from '../dicom/source.js';
import { getString, getStrings } from '../dicom/values.js';
import { isStandardUid } from '../dicom/uid-registry.js';
import { isTemporalVR } from '../dicom/vr.js';
import { isPrivateCreatorTag, isPrivateTag, PIXEL_DATA_TAGS } from '../dicom/tag.js';
import { CID7050, CID7050_FOR_OPTION } from '../profiles/cid7050.generated.js';
import { defaultRiskGate } from '../profiles/burned-in.js';
import { assessRisk } from '../anonymize/burned-in/gate.js';
import { GENERIC_VALUES, type OriginalFacts } from './identifying.js';
import { maskValue } from './mask.js';
import type { ProfileView } from './profile.js';
import type { Finding } from './types.js';
import { fold, walkFile } from './walk.js';
import { CodeValue, DeidentificationMethod, DeidentificationMethodCodeSequence, MediaStorageSOPInstanceUID, PatientIdentityRemoved, SOPInstanceUID } from '../dicom/tags.generated.js';

const BASIC_PROFILE_CODE = CID7050_FOR_OPTION.basic;
const CLEAN_PIXEL_CODE = CID7050.find((c) => c.codeMeaning === 'Clean Pixel Data Option')?.codeValue ?? '113101';

/** Private elements (and creators) in the output, unless allowed by retainSafePrivate and Table E.3.10-1. */
export function checkPrivate(output: DicomFile, profile: ProfileView): Finding[] {
  const findings: Finding[] = [];
  for (const { dataset, element, path, source, inMeta } of walkFile(output)) {
    if (inMeta || !isPrivateTag(element.tag)) continue;
    const creator = isPrivateCreatorTag(element.tag) ? getString(dataset, element, source) : null;
    if (profile.privateAllowed(element, creator)) continue;
    findings.push({
      severity: 'medium', tagPath: path, kind: 'private-element',
      message: isPrivateCreatorTag(element.tag)
        ? 'private creator left'
        : `private element left (creator ${element.privateCreator === null ? 'unknown' : 'present'}${profile.retainSafePrivate ? ', not in Table E.3.10-1' : ''})`,
      masked: null,
    });
  }
  return findings;
}

/** Output UIDs equal to a non-standard UID of the original that the profile remaps. */
export function checkUids(output: DicomFile, facts: OriginalFacts, seen: Set<string>): Finding[] {
  const findings: Finding[] = [];
  if (facts.uids.size === 0) return findings;
  for (const { dataset, element, path, source } of walkFile(output)) {
    if (element.vr !== 'UI' || element.items) continue;
    for (const uid of getStrings(dataset, element, source)) {
      if (isStandardUid(uid) || !facts.uids.has(uid)) continue;
      seen.add(`${path}|${fold(uid)}`);
      findings.push({ severity: 'high', tagPath: path, kind: 'uid-not-remapped', message: 'UID of the original not remapped', masked: maskValue(uid) });
    }
  }
  return findings;
}

/** DA/DT/TM elements at the same path as in the original with the same value, where the profile shifts or removes. */
export function checkDates(output: DicomFile, facts: OriginalFacts, seen: Set<string>): Finding[] {
  const findings: Finding[] = [];
  for (const { dataset, element, path, source, inMeta } of walkFile(output)) {
    if (inMeta || element.items || !isTemporalVR(element.vr)) continue;
    const before = facts.dates.get(path);
    if (before === undefined) continue;
    const now = getStrings(dataset, element, source).join('\\');
    if (now === '' || now !== before || GENERIC_VALUES.has(fold(now))) continue;
    if (element.vr === 'TM' && /^\d{1,5}$/.test(now)) continue; // too short to say anything
    seen.add(`${path}|${fold(now)}`);
    const high = path.startsWith('(0010,');
    findings.push({
      severity: high ? 'high' : element.vr === 'TM' ? 'low' : 'medium', tagPath: path, kind: 'date-unchanged',
      message: `${element.vr} value unchanged where the profile shifts or removes it`, masked: maskValue(now),
    });
  }
  return findings;
}

/** (0012,0062) YES, (0012,0063) present, (0012,0064) holding code 113100. */
export function checkMarkers(output: DicomFile): Finding[] {
  const ds = output.dataset;
  const src = output.datasetSource;
  const findings: Finding[] = [];
  const removed = ds.get(PatientIdentityRemoved);
  if (!removed) findings.push({ severity: 'low', tagPath: '(0012,0062)', kind: 'marker-missing', message: 'Patient Identity Removed missing', masked: null });
  else if (getString(ds, removed, src).toUpperCase() !== 'YES') {
    findings.push({ severity: 'low', tagPath: '(0012,0062)', kind: 'marker-wrong', message: 'Patient Identity Removed is not YES', masked: maskValue(getString(ds, removed, src)) });
  }
  const method = ds.get(DeidentificationMethod);
  if (!method || getString(ds, method, src) === '') {
    findings.push({ severity: 'low', tagPath: '(0012,0063)', kind: 'marker-missing', message: 'De-identification Method missing or empty', masked: null });
  }
  const codes = ds.get(DeidentificationMethodCodeSequence);
  const hasBasic = (codes?.items ?? []).some((item) => {
    const cv = item.get(CodeValue);
    return cv !== undefined && getString(item, cv, src) === BASIC_PROFILE_CODE;
  });
  if (!codes) findings.push({ severity: 'low', tagPath: '(0012,0064)', kind: 'marker-missing', message: 'De-identification Method Code Sequence missing', masked: null });
  else if (!hasBasic) findings.push({ severity: 'low', tagPath: '(0012,0064)', kind: 'marker-wrong', message: `no item with code ${BASIC_PROFILE_CODE} (Basic Application Confidentiality Profile)`, masked: null });
  return findings;
}

/**
 * An output the default risk gate (computed on the output's own attributes) calls at risk of burned-in text, whose
 * (0012,0064) lacks code 113101 (Clean Pixel Data Option): nothing says its pixels were cleaned. Always high,
 * whatever Burned In Annotation says (a modality that draws text does not stop because the attribute says NO).
 */
export function checkBurnedIn(output: DicomFile): Finding[] {
  const verdict = assessRisk(output.dataset, output.datasetSource, defaultRiskGate());
  if (!verdict.atRisk) return [];
  const codes = output.dataset.get(DeidentificationMethodCodeSequence);
  const cleaned = (codes?.items ?? []).some((item) => {
    const cv = item.get(CodeValue);
    return cv !== undefined && getString(item, cv, output.datasetSource) === CLEAN_PIXEL_CODE;
  });
  if (cleaned) return [];
  return [{
    severity: 'high', tagPath: '(7FE0,0010)', kind: 'burned-in-not-cleaned',
    message: `may carry burned-in text (${verdict.reasons.join('; ')}) and (0012,0064) has no code ${CLEAN_PIXEL_CODE} (Clean Pixel Data Option)`, masked: null,
  }];
}

/** (0002,0003) must equal (0008,0018); an output with SOP Class and Instance UIDs must have a file meta group. */
export function checkMeta(output: DicomFile): Finding[] {
  const sop = output.dataset.get(SOPInstanceUID);
  const sopUid = sop ? getString(output.dataset, sop, output.datasetSource) : '';
  if (sopUid === '') return []; // nothing to agree with (e.g. a file without SOP Instance UID)
  if (!output.meta) {
    return [{ severity: 'low', tagPath: '', kind: 'meta-mismatch', message: 'no file meta group although the SOP Instance UID is known', masked: null }];
  }
  const media = output.meta.get(MediaStorageSOPInstanceUID);
  const mediaUid = media ? getString(output.meta, media, output.source) : '';
  if (mediaUid === sopUid) return [];
  return [{ severity: 'medium', tagPath: '(0002,0003)', kind: 'meta-mismatch', message: media ? 'Media Storage SOP Instance UID differs from SOP Instance UID (0008,0018)' : 'Media Storage SOP Instance UID missing', masked: null }];
}

// ---------------------------------------------------------------------------------------------------------------
// Pixel Data.

const PIECE = 1 << 20;

/** Reads `length` bytes at `offset` from a value held in memory or in the source, in pieces. */
function* piecesOf(el: { value: Uint8Array | null; bulk: { offset: number; length: number } | null }, source: ByteSource): Generator<Uint8Array> {
  if (el.value) {
    yield el.value;
    return;
  }
  if (!el.bulk) return;
  for (let at = 0; at < el.bulk.length; at += PIECE) yield Buffer.from(source.read(el.bulk.offset + at, Math.min(PIECE, el.bulk.length - at)));
}

/** Compares two byte streams piece by piece (never holding a whole multi-gigabyte value). */
function sameBytes(a: Generator<Uint8Array>, b: Generator<Uint8Array>, swap16: boolean): boolean {
  let bufA: Buffer = Buffer.alloc(0), bufB: Buffer = Buffer.alloc(0);
  let endA = false, endB = false;
  const fill = (buf: Buffer, g: Generator<Uint8Array>, end: boolean): [Buffer, boolean] => {
    while (buf.length < PIECE && !end) {
      const n = g.next();
      if (n.done) end = true;
      else buf = buf.length === 0 ? Buffer.from(n.value.buffer, n.value.byteOffset, n.value.byteLength) : Buffer.concat([buf, n.value]);
    }
    return [buf, end];
  };
  for (;;) {
    [bufA, endA] = fill(bufA, a, endA);
    [bufB, endB] = fill(bufB, b, endB);
    let n = Math.min(bufA.length, bufB.length);
    if (swap16 && !(endA && endB && n === bufA.length && n === bufB.length)) n &= ~1;
    if (n === 0) return bufA.length === 0 && bufB.length === 0 && endA && endB;
    const x = bufA.subarray(0, n);
    let y = bufB.subarray(0, n);
    if (swap16) {
      y = Buffer.from(y);
      if (y.length % 2 === 0) y.swap16();
    }
    if (!x.equals(y)) return false;
    bufA = bufA.subarray(n);
    bufB = bufB.subarray(n);
  }
}

const fragmentBytes = (value: Uint8Array | { offset: number; length: number }, source: ByteSource): Generator<Uint8Array> =>
  piecesOf(value instanceof Uint8Array ? { value, bulk: null } : { value: null, bulk: value }, source);

export function checkPixelData(original: DicomFile, output: DicomFile): Finding[] {
  const findings: Finding[] = [];
  for (const tag of PIXEL_DATA_TAGS) {
    const a: DataElement | undefined = original.dataset.get(tag);
    const b: DataElement | undefined = output.dataset.get(tag);
    if (!a && !b) continue;
    const path = `(7FE0,${(tag & 0xffff).toString(16).toUpperCase().padStart(4, '0')})`;
    const changed = (message: string): void => void findings.push({ severity: 'medium', tagPath: path, kind: 'pixel-data-changed', message, masked: null });
    if (!a || !b) {
      changed(a ? 'pixel data missing from the output' : 'pixel data added in the output');
      continue;
    }
    if ((a.fragments === null) !== (b.fragments === null)) {
      changed('pixel data encapsulation differs');
      continue;
    }
    if (a.fragments && b.fragments) {
      if (a.fragments.length !== b.fragments.length) {
        changed(`fragment count differs (${a.fragments.length} → ${b.fragments.length})`);
        continue;
      }
      const bad = a.fragments.findIndex((f, i) => !sameBytes(fragmentBytes(f.value, original.datasetSource), fragmentBytes(b.fragments![i].value, output.datasetSource), false));
      if (bad >= 0) changed(`fragment ${bad} differs`);
      continue;
    }
    const swap = a.vr === 'OW' && original.dataset.encoding.littleEndian !== output.dataset.encoding.littleEndian;
    if (!sameBytes(piecesOf(a, original.datasetSource), piecesOf(b, output.datasetSource), swap)) changed('pixel data bytes differ');
  }
  return findings;
}
