// Reading a rules file as text: every rules file (config, pixel rules) is UTF-8, and each way it can fail is a
// ConfigError naming the file.

import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';

/** The UTF-8 text of the file at `path`; `what` names it in errors ("config file"), `readErrorPath` is their path. */
export function readRulesText(path: string, what: string, readErrorPath = '$'): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'read error';
    throw new ConfigError(`cannot read the ${what} (${code})`, readErrorPath, path);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigError(`the ${what} is UTF-16; save it as UTF-8`, '$', path);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError(`the ${what} is not valid UTF-8`, '$', path);
  }
}
