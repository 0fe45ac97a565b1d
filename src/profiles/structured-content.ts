// Table E.3.4-1 (Clean Structured Content Option) resolved under the chosen options into plan data: the action of
// every listed content item concept, and for unlisted concepts the E.1-1 rows of the content value attributes.

import type { Action, ProfileOption, StructuredContentPlan } from '../plan/plan.js';
import { DateTime, Date as DateTag, PersonName, TextValue, Time, UID } from '../dicom/tags.generated.js';
import { formatTag, type Tag } from '../dicom/tag.js';
import { PS315_ATTRIBUTES } from './ps315.generated.js';
import { STRUCTURED_CONTENT_CONCEPTS, STRUCTURED_CONTENT_OPTION_KEYS, type StructuredContentConcept } from './structured-content.generated.js';
import { actionFor, resolveBasicCode } from './basic-codes.js';

/** Value attributes of a content item (DateTime, Date, Time, Person Name, UID, Text Value) that Table E.3.4-1 decides. */
export const CONTENT_VALUE_TAGS: readonly Tag[] = [DateTime, DateTag, Time, PersonName, UID, TextValue];

/** How strict a basic code is: of several rows of one concept, the strictest applies to an unknown value type. */
const STRICTNESS: Readonly<Record<string, number>> = { X: 3, 'X/Z': 2, 'X/D': 2, 'X/Z/D': 2, 'X/Z/U*': 2, Z: 1, 'Z/D': 1, D: 1, U: 1 };

/** A listed concept's action under the options, read like E.1-1: K wins over C, C over the basic code (X = remove). */
export function conceptAction(row: StructuredContentConcept, options: readonly ProfileOption[]): { action: Action; code: string } {
  const codes = STRUCTURED_CONTENT_OPTION_KEYS.filter((k) => options.includes(k)).map((k) => [k, row.options[k]] as const).filter(([, c]) => c !== null);
  const keep = codes.find(([, c]) => c === 'K');
  if (keep) return { action: { type: 'keep' }, code: `K (${keep[0]})` };
  const clean = codes.find(([, c]) => c === 'C');
  if (clean) {
    // The table has C only under Retain Longitudinal Modified Dates (dates shifted) and Clean Descriptors (text).
    return { action: { type: 'clean', what: clean[0] === 'retainLongitudinalModifiedDates' ? 'dates' : 'descriptors' }, code: `C (${clean[0]})` };
  }
  if (row.basic === 'X') return { action: { type: 'remove' }, code: 'X' };
  return { action: resolveBasicCode(row.basic), code: row.basic };
}

export function structuredContentPlan(options: readonly ProfileOption[]): StructuredContentPlan {
  const rows = new Map(PS315_ATTRIBUTES.map((a) => [a.tag, a]));
  return {
    valueTags: CONTENT_VALUE_TAGS,
    concepts: STRUCTURED_CONTENT_CONCEPTS.map((row) => ({
      codeValue: row.codeValue, codingSchemeDesignator: row.codingSchemeDesignator, valueType: row.valueType,
      codeMeaning: row.codeMeaning, basic: row.basic, strictness: STRICTNESS[row.basic] ?? 0, ...conceptAction(row, options),
    })),
    unlistedValueActions: CONTENT_VALUE_TAGS.flatMap((tag) => {
      const row = rows.get(formatTag(tag));
      if (!row) return [];
      const { action, code } = actionFor(row, options);
      return [{ tag, action, code: `E.1-1 ${code}` }];
    }),
  };
}
