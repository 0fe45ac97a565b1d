// Identifying spans of a path component (a folder or file name): the finder's spans of the name (`_` and `-` read as
// a space, and as it is: `DOE_JOHN`, `case-2020-02-03` and `AB_123456`; a trailing `.dcm` ignored), and the one pattern only names need: a date-time stamp YYYYMMDDhhmmss with any number
// of fraction digits standing alone (a Siemens-style name is its SOP Instance UID: `…35162.2013110815191348287516049`),
// longer than the dates the finder reads in prose.

import { findSpans } from './find.js';
import { mergeSpans, type Span } from './span.js';

/** YYYYMMDDhhmmss (the finder's years) then any digits, delimited by anything but a letter or digit. */
const DATE_TIME_STAMP = /(?<![\p{L}\p{N}])(?:1[89]\d\d|20\d\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])[0-5]\d[0-5]\d\d*(?![\p{L}\p{N}])/gu;

/**
 * The component as the finder reads it (offsets unchanged): `_`, and `-` beside a letter, as a space (names separate
 * words so: `case-2020-02-03`, `DOE_JOHN`), a trailing `.dcm` dropped.
 */
export const pathText = (component: string): string => component.replace(/\.dcm$/i, '').replace(/_|(?<=\p{L})-|-(?=\p{L})/gu, ' ');

/** The identifying spans of one path component (offsets of pathText(component), which are the component's). */
export function pathSpans(component: string): Span[] {
  const text = pathText(component);
  // `_` joins an ID's letters and digits as often as it separates words (`AB_123456`): the name as it is, too.
  const spans = [...findSpans(text), ...findSpans(component.replace(/\.dcm$/i, ''))];
  DATE_TIME_STAMP.lastIndex = 0;
  for (let m = DATE_TIME_STAMP.exec(text); m; m = DATE_TIME_STAMP.exec(text)) spans.push({ start: m.index, end: m.index + m[0].length, kind: 'date', by: 'pattern' });
  return mergeSpans(spans);
}
