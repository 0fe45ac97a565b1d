// Identifying text that needs no header value to be found: dates and times in numeric and written forms (English,
// German, French, Spanish and Italian month names, CJK year-month-day), phone and fax numbers, e-mail addresses, URLs,
// IP addresses, street addresses and postal codes, MRN/accession/SSN-like identifiers and ages over 89. Person names
// are person-names.ts's. Each pattern is a global regex and an optional check of the match; spans are of the text.

import type { Span, SpanKind } from './span.js';
import { STREET_PREFIXES, STREET_SUFFIXES } from './words.generated.js';
import { wordSets } from './words.js';
import { fold } from './fold.js';
import { isMeasurement } from './not-identifying-shapes.js';

interface Pattern {
  kind: SpanKind;
  regex: RegExp;
  /** Whether the match is one; may narrow it: [start, end) relative to the match, e.g. the value after a cue. */
  accept?: (m: RegExpExecArray, text: string) => boolean | [number, number];
}

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
  'Januar', 'Februar', 'März', 'Maerz', 'Mai', 'Juni', 'Juli', 'Oktober', 'Dezember',
  'janvier', 'février', 'fevrier', 'mars', 'avril', 'juin', 'juillet', 'août', 'aout', 'septembre', 'octobre', 'novembre', 'décembre', 'decembre',
  'enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'setiembre', 'octubre', 'noviembre', 'diciembre',
  'gennaio', 'febbraio', 'aprile', 'maggio', 'giugno', 'luglio', 'settembre', 'ottobre', 'dicembre',
];
const MONTH_ABBR = ['Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec', 'Mär', 'Okt', 'Dez', 'janv', 'févr', 'avr', 'juil', 'déc'];
const MONTH = `(?:${[...MONTH_NAMES, ...MONTH_ABBR].sort((a, b) => b.length - a.length).join('|')})`;
const ORD = '(?:st|nd|rd|th|er|e|º|\\.)?';
const YEAR = "(?:\\d{4}|'\\d{2}|\\d{2})";

const validDM = (d: number, m: number): boolean => d >= 1 && d <= 31 && m >= 1 && m <= 12;
const validYear = (y: number): boolean => y >= 1850 && y <= 2150;

/** Words that make a following number a phone, fax or pager number. */
const PHONE_CUE = /(?:tel|phone|telephone|fax|ph|mobile|cell|pager|call|contact|tél|telefon|telefono|teléfono)\.?\s*(?:no\.?|number|#)?\s*[:.]?\s*$/i;
/** Words that make a following code an identifier. */
const ID_CUE = '(?:MRN|MR\\s?#|MR\\s?No|Med(?:ical)?\\s+Rec(?:ord)?(?:\\s+(?:No|Number))?|Patient\\s+ID|Pt\\s+ID|PID|ID|Acc(?:ession)?(?:\\s*(?:No|Number|#))?|Order(?:\\s*(?:No|Number|#))?|Case(?:\\s*(?:No|Number|#))?|Chart(?:\\s*(?:No|Number|#))?|Record(?:\\s*(?:No|Number|#))?|NHS(?:\\s*(?:No|Number))?|SSN|Social\\s+Security(?:\\s+(?:No|Number))?|Medicare|Medicaid|Insurance(?:\\s*(?:No|Number|ID))?|Policy(?:\\s*(?:No|Number))?|Encounter|Visit(?:\\s*(?:No|Number))?|Req(?:uisition)?(?:\\s*(?:No|Number|#))?|Study\\s+ID|Exam\\s*(?:No|Number|#)|Fall(?:nummer)?|Dossier|N°|No\\.)';
const US_STATES = 'AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC';
const esc = (w: string): string => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Street types after the name (faker's English street suffixes and their usual abbreviations), Title or UPPER case. */
const STREET = [...STREET_SUFFIXES.split('|'), 'St', 'Ave', 'Av', 'Rd', 'Blvd', 'Ln', 'Dr', 'Ct', 'Pl', 'Sq', 'Ter', 'Pkwy', 'Hwy', 'Cir', 'Cres'];
const STREET_WORD = `(?:${STREET.sort((a, b) => b.length - a.length).flatMap((w) => [esc(w), esc(w.toUpperCase())]).join('|')})`;
/** Street types before the name (Rue, Via, Calle, Avenida...: faker's street prefixes of every locale). */
const STREET_BEFORE = `(?:${STREET_PREFIXES.split('|').sort((a, b) => b.length - a.length).map(esc).join('|')})`;
/** Words that open a town's name (Bad Salzuflen, Neu Wulmstorf, Sankt Augustin), folded. */
const TOWN_PREFIX = /^(?:BAD|NEU|ALT|OST|WEST|NORD|SUD|GROSS|KLEIN|SANKT|ST|SAINT|SAN|SANTA|LA|LE|LOS|LAS|EL)$/;
const TLD = 'com|org|net|edu|gov|mil|int|info|biz|io|co|uk|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|pt|ie|ca|au|nz|jp|cn|kr|in|br|mx|ru|us|eu|health|med|hospital|clinic';

const PATTERNS: readonly Pattern[] = [
  { kind: 'email', regex: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu },
  { kind: 'url', regex: /\b(?:(?:https?|ftp|sftp|dicom|file):\/\/|www\.)[^\s<>"'\\]+[^\s<>"'\\.,;:)\]]/giu },
  { kind: 'url', regex: new RegExp(`\\b(?:[a-z0-9-]+\\.)+(?:${TLD})(?:\\/[^\\s<>"'\\\\]*[^\\s<>"'\\\\.,;:)\\]])?(?![\\p{L}\\p{N}.@-])`, 'giu') },
  { kind: 'ip', regex: /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]|\.\d)(?::\d{2,5})?/g },
  { kind: 'ip', regex: /(?<![\p{L}\p{N}:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\p{L}\p{N}:])|(?<![\p{L}\p{N}:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?![\p{L}\p{N}:])/giu,
    accept: (m) => /[0-9]/.test(m[0]) && m[0].length >= 6 },
  { kind: 'id', regex: /(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])/g },
  // Dates, numeric: d/m/y or m/d/y with / - . and a 2- or 4-digit year; y-m-d; yyyymmdd (and a DT's time after it).
  {
    kind: 'date', regex: /(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-]|\.\d)/g,
    accept: (m) => (validDM(+m[1], +m[3]) || validDM(+m[3], +m[1])) && (m[4].length === 2 || validYear(+m[4])),
  },
  { kind: 'date', regex: /(?<![\d/.-])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\d/-]|\.\d)/g, accept: (m) => validYear(+m[1]) && validDM(+m[4], +m[3]) },
  { kind: 'date', regex: /(?<![\p{L}\p{N}])(1[89]\d\d|20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:\d{2,6}(?:\.\d{1,6})?)?(?![\p{L}\p{N}])/gu },
  { kind: 'date', regex: /(?<![\d/.])(0?[1-9]|1[0-2])[/-](1[89]\d\d|20\d\d)(?![\d/-])/g },
  // Dates, written: 4 March 2024, 4th of March, 2024, 04-Mar-2024, 4. März 2024, March 4, 2024, May 3rd, March 2024.
  { kind: 'date', regex: new RegExp(`(?<![\\p{L}\\p{N}])(\\d{1,2})${ORD}(?:\\s+of|\\s+de)?[\\s/-]*${MONTH}\\.?,?(?:[\\s/-]*(?:de\\s+)?${YEAR})?(?![\\p{L}\\p{N}])`, 'giu'),
    accept: (m) => +m[1] >= 1 && +m[1] <= 31 },
  { kind: 'date', regex: new RegExp(`(?<![\\p{L}\\p{N}])${MONTH}\\.?[\\s-]+(\\d{1,2})(st|nd|rd|th)?(?:,?\\s*(\\d{4}|'\\d{2}))?(?![\\p{L}\\p{N}])`, 'giu'),
    accept: (m) => +m[1] >= 1 && +m[1] <= 31 && (m[2] !== undefined || m[3] !== undefined || /^[A-Z]/.test(m[0])) },
  { kind: 'date', regex: new RegExp(`(?<![\\p{L}\\p{N}])${MONTH}\\.?,?\\s+(?:of\\s+)?(1[89]\\d\\d|20\\d\\d)(?![\\p{L}\\p{N}])`, 'giu') },
  { kind: 'date', regex: /\d{2,4}\s?[年년]\s?\d{1,2}\s?[月월](?:\s?\d{1,2}\s?[日일])?/gu },
  // Times: 14:30, 14:30:05, 2:30 pm, 9 a.m.
  { kind: 'time', regex: /(?<![\d:.])([01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?(?![\d:])/gi },
  { kind: 'time', regex: /(?<![\d:.])(1[0-2]|0?[1-9])\s*[ap]\.?m\.?(?![\p{L}])/giu },
  // Phone numbers: +country code, (area) code, 555-123-4567, 0 + area code, or any digit group after a cue.
  {
    kind: 'phone', regex: /(?<![\p{L}\p{N}+])(?:\+|00)?\(?\d[\d\s().\/-]{5,22}\d(?![\p{L}\p{N}])/gu,
    accept: (m, text) => {
      const s = m[0];
      const digits = s.replace(/\D/g, '').length;
      if (digits < 7 || digits > 15) return false;
      if (/\s{2,}/.test(s)) return false;
      // 00 then a country code, 0 then an area code: neither begins with 0 (`IM-0001-0001.dcm` is no phone).
      if (/^(?:\+|00[1-9])/.test(s) || /^\(\d{2,4}\)/.test(s)) return true;
      if (PHONE_CUE.test(text.slice(Math.max(0, m.index - 24), m.index))) return true;
      if (/^\d{3}[-.\s]\d{3}[-.\s]\d{4}$/.test(s) || /^\d{3}-\d{4}$/.test(s)) return true;
      return /^0[1-9]\d{0,3}[\s/-]\d{2,}(?:[\s-]\d{2,})*$/.test(s) && digits >= 8;
    },
  },
  // Addresses: house number + words + a street word; continental street names with a number; PO boxes and flats.
  { kind: 'address', regex: new RegExp(`(?<![\\p{L}\\p{N}])\\d{1,5}[A-Za-z]?,?\\s+(?:[\\p{Lu}][\\p{L}'.-]*\\s+){1,3}${STREET_WORD}\\b\\.?`, 'gu'),
    accept: (m, text) => !isMeasurement(text, m.index, m.index + /^\d+/.exec(m[0])![0].length) },
  { kind: 'address', regex: /(?<![\p{L}])[\p{Lu}][\p{L}-]*(?:strasse|straße|str\.|weg|gasse|platz|allee|ring|damm|laan|straat|gatan|vej|veien|vägen)\s+\d{1,4}\s?[a-z]?(?![\p{L}\p{N}])/giu },
  { kind: 'address', regex: new RegExp(`(?<![\\p{L}\\p{N}])\\d{1,4}(?:\\s?(?:bis|ter))?,?\\s+(?:${STREET_BEFORE}|bd|route)\\s+(?:(?:de|du|des|la|le|l'|d')\\s*)*[\\p{L}'-]+(?:\\s+[\\p{Lu}][\\p{L}'-]+){0,2}`, 'giu') },
  { kind: 'address', regex: new RegExp(`(?<![\\p{L}])(?:${STREET_BEFORE}|Via|Viale|Piazza|Corso|Largo)\\s+(?:(?:de|del|della|di|da|do|dos|das|la|los|du|des|le)\\s+)*[\\p{L}][\\p{L}'-]+(?:\\s+[\\p{L}][\\p{L}'-]+){0,2},?\\s*(?:n[º°.]?\\s*)?\\d{1,4}(?![\\p{L}\\p{N}])`, 'giu') },
  // After a cue: everything up to the next comma, semicolon or end that holds a house number.
  { kind: 'address', regex: /(?<![\p{L}])(?:lives at|living at|resides at|resident at|residing at|home address|address|addr\.|wohnhaft in|wohnhaft|domicile|domicilio|adresse)\s*:?\s+([^,;\n]{0,60}?\d[^,;\n]{0,20}?)(?=\s*(?:[,;\n]|$))/giu,
    accept: (m) => [m[0].length - m[1].length, m[0].length] },
  { kind: 'address', regex: /(?<![\p{L}])[\p{Lu}][\p{L}-]*\s+(?:Str\.|Straße|Strasse|Weg|Gasse|Platz|Allee|Ring|Damm)\s+\d{1,4}\s?[a-z]?(?![\p{L}\p{N}])/gu },
  { kind: 'address', regex: /(?<![\p{L}])(?:P\.?\s?O\.?\s+Box|Postfach|Apt\.?|Apartment|Suite|Ste\.|Unit|Flat)\s*#?\s*\d+[A-Za-z]?(?![\p{L}\p{N}])/giu },
  // Postal codes: US state + ZIP, UK and Canadian postcodes, continental codes before a town (D-10115, 75008 Paris).
  { kind: 'postal', regex: new RegExp(`(?<![\\p{L}])(?:${US_STATES})\\s+\\d{5}(?:-\\d{4})?(?![\\p{N}])`, 'gu') },
  { kind: 'postal', regex: /(?<![\p{L}\p{N}])(?:[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|[A-Z]\d[A-Z]\s\d[A-Z]\d)(?![\p{L}\p{N}])/gu },
  {
    kind: 'postal', regex: /(?<![\p{L}\p{N}-])(?:(?:[A-Z]{1,2}-)?\d{5}|[A-Z]{1,2}-\d{4})\s+([\p{Lu}][\p{L}]+)(?:[\s-][\p{Lu}][\p{L}]+)?(?:\s(?:an der|an den|am|im|in der|bei|ob der|sur|en|la|le)\s[\p{Lu}][\p{L}]+)?(?![\p{L}])/gu,
    accept: (m) => { const w = wordSets(); const f = fold(m[1]); return TOWN_PREFIX.test(f) || (!w.clinical.has(f) && !w.common.has(f)); },
  },
  // Identifiers: after a cue (MRN: 123456, Acc# A12345), MRN-like codes, long digit runs, #12345.
  {
    kind: 'id', regex: new RegExp(`(?<![\\p{L}])${ID_CUE}\\s*(?:[:#=]|No\\.?|Number)?\\s*([A-Z0-9][A-Z0-9/_-]{2,})`, 'giu'),
    accept: (m) => (/\d/.test(m[1]) ? [m[0].length - m[1].length, m[0].length] : false),
  },
  { kind: 'id', regex: /(?<![\p{L}\p{N}])[A-Z]{1,4}[-_]?\d{5,}(?![\p{L}\p{N}])/gu, accept: (m) => !/^(?:ANON|DEV)\d+$/.test(m[0]) },
  { kind: 'id', regex: /(?<![\p{L}\p{N}.,])\d{7,}(?![\p{N}.,])|(?<![\p{L}\p{N}])#\s?\d{4,}(?![\p{N}])/gu },
  // Ages over 89: 92-year-old, 93 yo, 95 y/o, aged 91, 091Y.
  { kind: 'age', regex: /(?<![\p{N}])(?:9\d|1[0-2]\d)[\s-]*(?:years?[\s-]*old|yrs?[\s-]*old|y\.?\s?o\.?|y\/o|yrs?|years?|jahre?|ans|años|anni|歳|岁|세)(?![\p{L}])/giu },
  { kind: 'age', regex: /(?<![\p{L}])(?:aged?|âge|alter|edad|età)\s*:?\s*(?:9\d|1[0-2]\d)(?![\p{N}])/giu },
  { kind: 'age', regex: /(?<![\p{L}\p{N}])0?(?:9\d|1[01]\d)Y(?![\p{L}\p{N}])/gu },
];

/** Every pattern span in `text` (overlapping ones included: spans.ts merges). */
export function patternSpans(text: string): Span[] {
  const out: Span[] = [];
  for (const p of PATTERNS) {
    p.regex.lastIndex = 0;
    for (let m = p.regex.exec(text); m; m = p.regex.exec(text)) {
      if (m[0] === '') { p.regex.lastIndex++; continue; }
      const ok = p.accept ? p.accept(m, text) : true;
      if (ok === false) continue;
      let start = m.index, end = m.index + m[0].length;
      if (Array.isArray(ok)) [start, end] = [m.index + ok[0], m.index + ok[1]];
      out.push({ start, end, kind: p.kind, by: 'pattern' });
    }
  }
  return out;
}
