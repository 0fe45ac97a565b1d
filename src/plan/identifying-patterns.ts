// Patterns of text that looks identifying, for where the original values are not at hand: verify's scan of outputs
// alone (free text and output paths), and the renaming of output path components (batch), which must decide the
// same way in every shard whatever headers it has read. Pure data: no I/O, no findings.
//   - a capitalised name after a title (Dr., Mr., Mrs., Ms., Miss, Prof.)                          medium
//   - an MRN-like ID: 1-4 capital letters followed by 6 or more digits (our ANON and DEV pseudonyms excepted)  medium
//   - a phone number (3-3-4 digit groups with separators, or + and country code)                 medium
//   - an e-mail address                                                                          medium
//   - a postal address (house number + words + a street word; or German street word + number)     medium
//   - a date in a common format (dd/mm/yyyy, yyyy-mm-dd, 12 March 2020, March 12, 2020)          low
// and, for path components only, a YYYYMMDD date between 1900 and 2099 standing alone (PATH_DATE).

export type PatternKind = 'pattern-name' | 'pattern-date' | 'pattern-id' | 'pattern-phone' | 'pattern-email' | 'pattern-address';

export interface IdentifyingPattern {
  kind: PatternKind;
  severity: 'medium' | 'low';
  what: string;
  /** Global: reset lastIndex before use. */
  regex: RegExp;
  accept?: (match: RegExpExecArray) => boolean;
}

const MONTHS = 'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';

const validDayMonth = (d: string, m: string): boolean => {
  const day = Number(d), month = Number(m);
  return (day >= 1 && day <= 31 && month >= 1 && month <= 12) || (month >= 1 && month <= 31 && day >= 1 && day <= 12);
};

const RAW_PATTERNS: IdentifyingPattern[] = [
  { kind: 'pattern-name', severity: 'medium', what: 'a name after a title', regex: /\b(?:Dr|Mr|Mrs|Ms|Miss|Prof)\.?\s+[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?/g },
  {
    kind: 'pattern-id', severity: 'medium', what: 'an MRN-like identifier', regex: /\b[A-Z]{1,4}[-_ ]?\d{6,}\b/g,
    accept: (m) => !/^(?:ANON|DEV)\d+$/.test(m[0]),
  },
  { kind: 'pattern-phone', severity: 'medium', what: 'a phone number', regex: /(?<![\d.])(?:\+\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\d.])|\+\d{1,3}[\s-]\d{1,4}[\s-]\d{3,}(?:[\s-]\d+)*/g },
  { kind: 'pattern-email', severity: 'medium', what: 'an e-mail address', regex: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
  {
    kind: 'pattern-address', severity: 'medium', what: 'a postal address',
    regex: /\b\d{1,5}\s+(?:[A-Z][A-Za-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Square|Sq|Terrace|Parkway|Pkwy)\b\.?|\b[A-ZÄÖÜ][a-zäöüß]+(?:strasse|straße|weg|gasse|platz|allee)\s+\d{1,4}[a-z]?\b/g,
  },
  {
    kind: 'pattern-date', severity: 'low', what: 'a date',
    regex: /\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b|\b\d{1,2}\.?\s+(?:MONTHS)\.?,?\s+\d{4}\b|\b(?:MONTHS)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b/g,
    accept: (m) => (m[1] ? validDayMonth(m[1], m[2]) : m[4] ? validDayMonth(m[6], m[5]) : true),
  },
];

/** The free-text patterns. */
export const PATTERNS: readonly IdentifyingPattern[] = RAW_PATTERNS.map((p) => ({ ...p, regex: new RegExp(p.regex.source.replaceAll('MONTHS', MONTHS), p.regex.flags) }));

/** A YYYYMMDD date standing alone (path components: `19500101_CT`). */
export const PATH_DATE: IdentifyingPattern = {
  kind: 'pattern-date', severity: 'medium', what: 'a date (YYYYMMDD)',
  regex: /(?<![A-Za-z0-9])(19\d{2}|20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![A-Za-z0-9])/g,
};

/** Every match of `patterns` in `text` that its pattern accepts. */
export function patternMatches(text: string, patterns: readonly IdentifyingPattern[]): Array<{ pattern: IdentifyingPattern; match: string; index: number }> {
  const out: Array<{ pattern: IdentifyingPattern; match: string; index: number }> = [];
  for (const p of patterns) {
    p.regex.lastIndex = 0;
    for (let m = p.regex.exec(text); m; m = p.regex.exec(text)) {
      if (p.accept && !p.accept(m)) continue;
      out.push({ pattern: p, match: m[0], index: m.index });
    }
  }
  return out;
}
