// Calendar arithmetic on DICOM DA / DT / TM / AS strings. Shifting keeps each value's precision, a DT's time of
// day and UTC offset; unparsable values return null so the caller can remove them rather than leak them.

const DAY_MS = 86_400_000;

function toUtc(y: number, m: number, d: number): number | null {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d); // not Date.UTC: it maps years 0–99 to 1900–1999
  const t = date.getTime();
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return t;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function formatYmd(t: number): string {
  const d = new Date(t);
  return pad(d.getUTCFullYear(), 4) + pad(d.getUTCMonth() + 1, 2) + pad(d.getUTCDate(), 2);
}

/**
 * Shifts a date prefix ("YYYY", "YYYYMM" or "YYYYMMDD") by whole days, keeping its precision. A partial date stands
 * for its whole period, so it is shifted from the middle of it (2 July / the 15th): "2021" stays "2021" for any
 * offset within ±181 days, and "202103" becomes the month that holds 15 March + offset.
 */
function shiftDatePart(part: string, days: number): string | null {
  if (!/^\d{4}(\d{2}(\d{2})?)?$/.test(part)) return null;
  const y = Number(part.slice(0, 4));
  const m = part.length >= 6 ? Number(part.slice(4, 6)) : 7;
  const d = part.length >= 8 ? Number(part.slice(6, 8)) : part.length === 6 ? 15 : 2;
  if (part.length >= 6 && (m < 1 || m > 12)) return null;
  const t = toUtc(y, m, d);
  if (t === null) return null;
  const moved = t + days * DAY_MS;
  const year = new Date(moved).getUTCFullYear();
  if (year < 1 || year > 9999) return null; // not representable in DA
  return formatYmd(moved).slice(0, part.length);
}

/** One DA value (also the old "YYYY.MM.DD" form and "A-B" ranges). */
export function shiftDA(value: string, days: number): string | null {
  const v = value.trim();
  if (v === '') return '';
  if (v.includes('-')) {
    const parts = v.split('-');
    if (parts.length !== 2) return null;
    const shifted = parts.map((p) => (p === '' ? '' : shiftDA(p, days)));
    return shifted.some((p) => p === null) ? null : shifted.join('-');
  }
  return shiftDatePart(v.replace(/\./g, ''), days);
}

/** One DT value: the date part is shifted; time of day, fraction and UTC offset are kept as written. */
export function shiftDT(value: string, days: number): string | null {
  const v = value.trim();
  if (v === '') return '';
  const m = /^(\d{4}(?:\d{2}(?:\d{2})?)?)(.*)$/.exec(v);
  if (!m) return null;
  const rest = m[2];
  if (!/^(\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?)?([+-]\d{4})?$/.test(rest)) return null;
  const date = shiftDatePart(m[1], days);
  return date === null ? null : date + rest;
}

/** One TM value shifted by whole seconds, wrapping around midnight; precision and fraction kept. */
export function shiftTM(value: string, seconds: number): string | null {
  const v = value.trim();
  if (v === '') return '';
  const m = /^(\d{2}):?(\d{2})?:?(\d{2})?(\.\d{1,6})?$/.exec(v);
  if (!m) return null;
  const [hh, mm, ss] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  if (hh > 23 || mm > 59 || ss > 60) return null;
  const total = (((hh * 3600 + mm * 60 + ss + seconds) % 86400) + 86400) % 86400;
  const out = pad(Math.floor(total / 3600), 2) + pad(Math.floor((total % 3600) / 60), 2) + pad(total % 60, 2);
  const precision = m[3] !== undefined ? 6 : m[2] !== undefined ? 4 : 2;
  return out.slice(0, precision) + (m[4] ?? '');
}

/** An Age String (AS): three digits and a unit, days, weeks, months or years. */
export interface Age {
  count: number;
  unit: 'D' | 'W' | 'M' | 'Y';
}

/** The one AS parser: "045Y", "006M"...; null when the value is not an AS. */
export function parseAge(value: string): Age | null {
  const m = /^(\d{3})([DWMY])$/.exec(value.trim());
  return m ? { count: Number(m[1]), unit: m[2] as Age['unit'] } : null;
}

const DAYS_PER_YEAR = 365.2425;

/**
 * Completed years of an age, as a person's age is told: 1079M (89 years 11 months) is 89, 1080M is 90. The same
 * rounding for every use (the HIPAA cap, the Microsoft partial-age rule, perturbed ages converted to years).
 */
export function ageInYears(age: Age): number {
  switch (age.unit) {
    case 'Y': return age.count;
    case 'M': return Math.floor(age.count / 12);
    case 'W': return Math.floor((age.count * 7) / DAYS_PER_YEAR);
    case 'D': return Math.floor(age.count / DAYS_PER_YEAR);
  }
}

/** Age string capped at 90 years: ages over 89 years become "090Y" (HIPAA Safe Harbor); null when not an AS. */
export function capAge(value: string): string | null {
  const age = parseAge(value);
  if (!age) return null;
  return ageInYears(age) > 89 ? '090Y' : value.trim();
}
