// What the PS3.15 Basic Profile (with the chosen options) does to an element, seen from the verifier: is its value
// one the profile keeps (so finding it in the output is expected), or one that must not survive?
// The decision reuses the profile's own rules (expandBasicProfile → actionFor over Table E.1-1, then the catch-alls
// for DA/DT/TM and group 0004), so verify and anonymize read the table the same way.

import type { DataElement } from '../dicom/dataset.js';
import type { ProfileOption, Rule } from '../plan/plan.js';
import { RuleMatcher } from '../anonymize/match.js';
import { SafePrivateIndex } from '../anonymize/safe-private.js';
import { expandBasicProfile } from '../profiles/basic.js';
import { SAFE_PRIVATE_ATTRIBUTES } from '../profiles/safe-private.generated.js';
import { isPrivateCreatorTag, isPrivateTag, tagElement, tagGroup } from '../dicom/tag.js';
import { MediaStorageSOPInstanceUID, PrivateInformation, PrivateInformationCreatorUID, ReceivingApplicationEntityTitle, SendingApplicationEntityTitle, SourceApplicationEntityTitle } from '../dicom/tags.generated.js';

export type Disposition =
  /** The profile keeps the value (K, not listed, or cleaned in place): it may legitimately appear in the output. */
  | 'kept'
  /** The profile removes, empties, replaces, remaps or shifts the value: it must not appear in the output. */
  | 'identifying';

/** The whole table, whatever the options: retainSafePrivate decides whether it applies. */
const SAFE = new SafePrivateIndex(SAFE_PRIVATE_ATTRIBUTES);

/** File meta elements whose values are about the sending system or carry private data (never kept by us). */
const META_IDENTIFYING = new Set([
  MediaStorageSOPInstanceUID, SourceApplicationEntityTitle, SendingApplicationEntityTitle, ReceivingApplicationEntityTitle,
  PrivateInformationCreatorUID, PrivateInformation,
]);

/** The VR PS3.15 Table E.3.10-1 gives a safe private element ('' when not given), undefined when it is not listed. */
export function safePrivateVR(element: DataElement): string | undefined {
  return SAFE.vrOf(tagGroup(element.tag), element.privateCreator, tagElement(element.tag) & 0xff);
}

export class ProfileView {
  private readonly matcher: RuleMatcher;
  readonly retainSafePrivate: boolean;

  constructor(readonly options: readonly ProfileOption[]) {
    this.matcher = new RuleMatcher(expandBasicProfile(options).rules);
    this.retainSafePrivate = options.includes('retainSafePrivate');
  }

  /** `within`: the tag of the sequence whose item holds the element (null at the top level). */
  rule(element: DataElement, within: number | null): Rule | undefined {
    return this.matcher.match(element, within);
  }

  /** Whether a private element (or private creator) may stay in the output under the options. */
  privateAllowed(element: DataElement, creatorText: string | null): boolean {
    if (!this.retainSafePrivate) return false;
    const group = tagGroup(element.tag);
    if (isPrivateCreatorTag(element.tag)) return creatorText !== null && SAFE.isSafeCreator(group, creatorText);
    return SAFE.isSafe(group, element.privateCreator, tagElement(element.tag) & 0xff);
  }

  disposition(element: DataElement, within: number | null, inMeta: boolean): Disposition {
    if (inMeta) return META_IDENTIFYING.has(element.tag) ? 'identifying' : 'kept';
    if (isPrivateTag(element.tag)) {
      if (isPrivateCreatorTag(element.tag)) return 'kept';
      return this.retainSafePrivate && SAFE.isSafe(tagGroup(element.tag), element.privateCreator, tagElement(element.tag) & 0xff)
        ? 'kept' : 'identifying';
    }
    const rule = this.rule(element, within);
    // A person's name is identifying whatever the table says (not listed = kept by the engine, but still a name).
    if (!rule) return element.vr === 'PN' ? 'identifying' : 'kept';
    const action = rule.action;
    switch (action.type) {
      case 'keep':
        return 'kept';
      case 'clean':
        switch (action.what) {
          // Days are shifted; times are not, nor is a well-formed UTC offset (0008,0201).
          case 'dates': return element.vr === 'TM' || element.vr === 'SH' ? 'kept' : 'identifying';
          case 'device': return element.vr === 'AE' || element.vr === 'UI' ? 'identifying' : 'kept';
          case 'safePrivate': return 'identifying'; // (private elements handled above)
          default: return 'kept'; // free text cleaned in place: kept when it held nothing identifying
        }
      default:
        return 'identifying';
    }
  }
}
