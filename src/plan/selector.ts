// Selectors of the plan: whether one matches an element, the one parser of "x" tag patterns such as (50xx,xxxx), and
// how a selector is named in messages. Shared by the config formats, the profile tables and the engine.

import type { DataElement } from '../dicom/dataset.js';
import { keywordOf } from '../dicom/dictionary.js';
import { formatTag, isPrivateCreatorTag, isPrivateTag, parseTagMask, tagElement, tagGroup } from '../dicom/tag.js';
import type { Selector } from './plan.js';

export function selectorMatches(selector: Selector, element: DataElement): boolean {
  const tag = element.tag;
  switch (selector.kind) {
    case 'tag':
      return tag === selector.tag;
    case 'mask':
      return ((tag & selector.mask) >>> 0) === selector.value >>> 0;
    case 'vr':
      return element.vr === selector.vr;
    case 'group':
      return tagGroup(tag) === selector.group;
    case 'private': {
      if (!isPrivateTag(tag)) return false;
      if (selector.group !== null && tagGroup(tag) !== selector.group) return false;
      if (selector.creator === null && selector.elementByte === null) return true;
      if (isPrivateCreatorTag(tag)) return false; // creator elements are matched only by "every private" selectors
      if (selector.creator !== null && (element.privateCreator ?? '').trim() !== selector.creator.trim()) return false;
      if (selector.elementByte !== null && (tagElement(tag) & 0xff) !== selector.elementByte) return false;
      return true;
    }
  }
}

/**
 * 8 hex-or-x characters ("0010xxxx", "60xx3000") → an exact tag when there is no x, else a mask whose x nibbles
 * match anything. Null when `digits` is not 8 such characters.
 */
export function parseTagPattern(digits: string): Extract<Selector, { kind: 'tag' | 'mask' }> | null {
  const parsed = parseTagMask(digits);
  if (parsed === null) return null;
  const { mask, value } = parsed;
  return mask === 0xffffffff ? { kind: 'tag', tag: value } : { kind: 'mask', value, mask };
}

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
/** Quote user text (tag strings, method names, creators) for a message, cut to a sane length. Never a value. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** Human description for messages: "(0010,0010) PatientName", "VR PN", "mask (50xx,xxxx)", ... */
export function describeSelector(selector: Selector): string {
  switch (selector.kind) {
    case 'tag': {
      const keyword = keywordOf(selector.tag);
      return keyword ? `${formatTag(selector.tag)} ${keyword}` : formatTag(selector.tag);
    }
    case 'mask': return `mask ${formatMask(selector.value, selector.mask)}`;
    case 'vr': return `VR ${selector.vr}`;
    case 'group': return `group ${hex4(selector.group)}`;
    case 'private': {
      const parts = [
        selector.group === null ? 'any group' : `group ${hex4(selector.group)}`,
        selector.creator === null ? 'any creator' : `creator ${quote(selector.creator)}`,
        selector.elementByte === null ? 'any element' : `element xx${selector.elementByte.toString(16).toUpperCase().padStart(2, '0')}`,
      ];
      return `private (${parts.join(', ')})`;
    }
  }
}

/** "(50xx,xxxx)" from a value/mask pair whose mask is made of whole nibbles. */
export function formatMask(value: number, mask: number): string {
  let s = '';
  for (let shift = 28; shift >= 0; shift -= 4) {
    const m = (mask >>> shift) & 0xf;
    s += m === 0xf ? ((value >>> shift) & 0xf).toString(16).toUpperCase() : 'x';
  }
  return `(${s.slice(0, 4)},${s.slice(4)})`;
}
