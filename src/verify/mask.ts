// Masking: a value is shown as its first character and its length in characters, e.g. "S…(12)". Control and
// format characters are shown as "?" so a report stays one line per finding.

export function maskValue(value: string): string {
  const chars = [...value];
  if (chars.length === 0) return '…(0)';
  const first = /[\p{L}\p{N}\p{P}\p{S}]/u.test(chars[0]) ? chars[0] : '?';
  return `${first}…(${chars.length})`;
}
