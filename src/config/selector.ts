// Text → Selector, for every config format. Accepted forms (tried in this order):
//   exact tag      (gggg,eeee)  gggg,eeee  ggggeeee   hex in any case; spaces around the comma are allowed and parsed
//                  correctly: "(0010, 0010)" is PatientName (Microsoft reads it as (0010,0001), MS-9)
//   mask           (50xx,xxxx)  xxx1,xxxx  0010xxxx   each x (any case) is a wildcard nibble; the comma-less form works
//                  (Microsoft mis-parses it)
//   private        (0029,xx10:SIEMENS CSA HEADER) or (0029,1010:SIEMENS CSA HEADER): group + creator + element low
//                  byte; the block number (element high byte) is ignored. (0029,xxxx:CREATOR) = every element of that
//                  creator in that group.
//   VR             two upper-case letters known in vr.ts (PN, DA, SQ, ...)
//   group:gggg     every element of one group
//   private        every private element (creators included); private:CREATOR = every element of that creator in any group
//   keyword        exact, case-sensitive DICOM keyword (retired ones too; repeating-group keywords give the base tag,
//                  e.g. OverlayData → (6000,3000))
// Anything else: ConfigError "invalid tag" naming the JSON path.

import { ConfigError, quote, type ConfigPlace } from './errors.js';
import type { Selector } from '../plan/plan.js';
import { isPrivateGroup } from '../dicom/tag.js';
import { parseTagPattern } from '../plan/selector.js';
import { isVR, type VR } from '../dicom/vr.js';
import { lookupTag, tagForKeyword } from '../dicom/dictionary.js';

const FORMS =
  'expected (gggg,eeee), gggg,eeee, ggggeeee, a mask such as (50xx,xxxx), (gggg,xxee:PRIVATE CREATOR), ' +
  'a VR code, a DICOM keyword, group:gggg, private or private:CREATOR';

const NIBBLES4 = '([0-9A-Fa-fXx]{4})';
const WITH_COMMA = new RegExp(`^\\s*${NIBBLES4}\\s*,\\s*${NIBBLES4}\\s*$`);
const WITHOUT_COMMA = new RegExp(`^${NIBBLES4}${NIBBLES4}$`);
const HEX4 = /^[0-9A-Fa-f]{4}$/;

export function parseSelector(text: string, place: ConfigPlace): Selector {
  const invalid = (why = FORMS): ConfigError => new ConfigError(`invalid tag ${quote(text)}: ${why}`, place);
  const t = text.trim();
  if (t === '') throw invalid('the tag is empty');

  // 1-3: parenthesized or bare hex forms, with an optional ":CREATOR".
  const hexForm = splitHexForm(t);
  if (hexForm === 'unbalanced') throw invalid('unbalanced parentheses');
  if (hexForm !== null) {
    const { group, element, creator } = hexForm;
    if (creator === undefined) return parseTagPattern(group + element)!;
    if (creator === '') throw invalid('the private creator after ":" is empty');
    if (!HEX4.test(group)) throw invalid('a private creator form needs an exact group, e.g. (0029,xx10:CREATOR)');
    const g = parseInt(group, 16);
    if (!isPrivateGroup(g)) throw invalid(`group ${group} is not a private (odd) group`);
    const low = element.slice(2);
    if (/^[xX]{2}$/.test(low)) return { kind: 'private', group: g, creator, elementByte: null };
    if (!/^[0-9A-Fa-f]{2}$/.test(low)) throw invalid('the element low byte must be two hex digits or xx');
    return { kind: 'private', group: g, creator, elementByte: parseInt(low, 16) };
  }

  // 4. VR code.
  if (/^[A-Z]{2}$/.test(t)) {
    if (isVR(t)) return { kind: 'vr', vr: t };
    throw invalid('not a known VR code');
  }

  // 5-6. Our extras.
  const group = /^group\s*:\s*(.*)$/i.exec(t);
  if (group) {
    if (!HEX4.test(group[1])) throw invalid('group:gggg needs 4 hex digits');
    return { kind: 'group', group: parseInt(group[1], 16) };
  }
  if (/^private$/i.test(t)) return { kind: 'private', group: null, creator: null, elementByte: null };
  const privateCreator = /^private\s*:(.*)$/i.exec(t);
  if (privateCreator) {
    const creator = privateCreator[1].trim();
    if (creator === '') throw invalid('the private creator after "private:" is empty');
    return { kind: 'private', group: null, creator, elementByte: null };
  }

  // 7. Keyword.
  if (/^[A-Za-z][A-Za-z0-9]*$/.test(t)) {
    const tag = tagForKeyword(t);
    if (tag !== undefined) return { kind: 'tag', tag };
    throw invalid('not a DICOM keyword (keywords are case-sensitive, e.g. PatientName)');
  }
  throw invalid();
}

type HexForm = { group: string; element: string; creator?: string };

/** null = not a hex form at all; 'unbalanced' = "(" without ")" or the reverse. */
function splitHexForm(t: string): HexForm | null | 'unbalanced' {
  const open = t.startsWith('(');
  const close = t.endsWith(')');
  let inner = t;
  if (open && close) inner = t.slice(1, -1);
  else if (open || close) {
    // "(0010,0010" is a broken tag; "Foo)" is nothing we know either way.
    return looksLikeHexForm(t.replace(/^\(|\)$/g, '')) ? 'unbalanced' : null;
  }
  let creator: string | undefined;
  const colon = inner.indexOf(':');
  let hex = inner;
  if (colon >= 0) {
    hex = inner.slice(0, colon);
    creator = inner.slice(colon + 1).trim();
  }
  const m = WITH_COMMA.exec(hex) ?? WITHOUT_COMMA.exec(hex);
  if (!m) return null;
  return creator === undefined ? { group: m[1], element: m[2] } : { group: m[1], element: m[2], creator };
}

function looksLikeHexForm(s: string): boolean {
  const hex = s.includes(':') ? s.slice(0, s.indexOf(':')) : s;
  return WITH_COMMA.test(hex) || WITHOUT_COMMA.test(hex);
}

/**
 * The VRs the selected elements may have, when the selector alone says so: a VR selector, or an exact public tag
 * known to the dictionary ("US or SS" → both). null when unknown (masks, groups, private, unknown tags).
 */
export function selectorVRs(selector: Selector): VR[] | null {
  if (selector.kind === 'vr') return [selector.vr];
  if (selector.kind !== 'tag') return null;
  const vr = lookupTag(selector.tag)?.vr;
  if (vr === undefined) return null;
  const vrs = vr.split(/\s+or\s+/).filter(isVR);
  return vrs.length > 0 ? vrs : null;
}

export { describeSelector, formatMask } from '../plan/selector.js';
