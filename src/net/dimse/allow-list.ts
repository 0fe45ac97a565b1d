// The calling AE allow-list of the Storage SCP: `AE` or `AE@HOST` entries (HOST an IP address or a name compared as
// given); an empty list refuses everyone.

export interface AllowEntry {
  aeTitle: string;
  /** Only from this remote address; null: from anywhere. */
  host: string | null;
}

const AE_TITLE = /^[\x20-\x7e]{1,16}$/;

/** Parses one --allow value; throws with a message naming the problem (never a value beyond what was given). */
export function parseAllowEntry(text: string): AllowEntry {
  const at = text.lastIndexOf('@');
  const aeTitle = (at < 0 ? text : text.slice(0, at)).trim();
  const host = at < 0 ? null : text.slice(at + 1).trim();
  if (!AE_TITLE.test(aeTitle) || aeTitle.includes('\\')) throw new Error(`--allow ${text}: an AE title is 1 to 16 printable characters, no backslash`);
  if (host !== null && host === '') throw new Error(`--allow ${text}: nothing after @ (give a host, or leave the @ out)`);
  return { aeTitle, host };
}

/** A remote address as the socket gives it, without the IPv4-mapped IPv6 prefix. */
export const plainAddress = (address: string | undefined): string => (address ?? '').replace(/^::ffff:/, '');

/** Whether the association of `callingAe` from `remoteAddress` is allowed. */
export function isAllowed(entries: readonly AllowEntry[], callingAe: string, remoteAddress: string): boolean {
  const ae = callingAe.trim();
  const address = plainAddress(remoteAddress);
  return entries.some((e) => e.aeTitle === ae && (e.host === null || e.host === address));
}
