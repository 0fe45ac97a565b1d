// Text made safe to print: file names can hold newlines and terminal escape sequences (a name that moves the
// cursor, rewrites earlier lines or sets the window title), so every message is escaped before it is printed.

/** C0 controls, DEL, C1 controls (0x9B is a one-byte CSI) and the Unicode line and bidirectional controls. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/** `text` with every control character shown as an escape (\n, \e, \x9b, \u202e): one line, nothing for a terminal to obey. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}
