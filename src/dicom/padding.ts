// Removing DICOM value padding in linear time. `/[\0 ]+$/` is quadratic in V8 on a long run of spaces that is
// not at the end (each start position rescans the run): a crafted 60 KB value took 2.5 s, a 1 MB one hangs.

const isPad = (code: number, whitespace: boolean): boolean =>
  code === 0x00 || code === 0x20 || (whitespace && (code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0c || code === 0x0b));

/** `text` without trailing NULs and spaces (and, with `whitespace`, other ASCII white space). */
export function trimPaddingEnd(text: string, whitespace = false): string {
  let end = text.length;
  while (end > 0 && isPad(text.charCodeAt(end - 1), whitespace)) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** `text` without leading spaces (and, with `whitespace`, NULs and other ASCII white space). */
export function trimPaddingStart(text: string, whitespace = false): string {
  let start = 0;
  while (start < text.length && (text.charCodeAt(start) === 0x20 || (whitespace && isPad(text.charCodeAt(start), true)))) start++;
  return start === 0 ? text : text.slice(start);
}
