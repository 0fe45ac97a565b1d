// The config layer's one error type: which file, which JSON path ("$.rules[3].tag"), where in the text (line:column
// when known) and what is wrong. Messages never contain setting values such as keys: only paths, key names, tag
// texts and method names.

export type JsonPathSegment = string | number;

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** ["rules", 3, "tag"] → "$.rules[3].tag"; keys that are not identifiers are quoted: $["my setting"]. */
export function formatJsonPath(path: readonly JsonPathSegment[]): string {
  let out = '$';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    /** What is wrong, without location. */
    readonly reason: string,
    /** JSON path of the offending value, e.g. "$.rules[3].tag"; "$" for the whole document or the file itself. */
    readonly jsonPath: string,
    readonly file?: string,
    /** Where the offending value starts in the text; always set for JSON syntax errors. */
    readonly position?: TextPosition,
  ) {
    super(ConfigError.describe(reason, jsonPath, file, position));
  }

  /** A copy with the file name and/or text position filled in (the parsers work on values, the loader knows the text). */
  locate(file: string | undefined, position: TextPosition | undefined): ConfigError {
    return new ConfigError(this.reason, this.jsonPath, this.file ?? file, this.position ?? position);
  }

  private static describe(reason: string, jsonPath: string, file?: string, position?: TextPosition): string {
    const where = `${file ?? 'config'}${position ? `:${position.line}:${position.column}` : ''}`;
    return `${where}: ${jsonPath}: ${reason}`;
  }
}

/** A non-fatal remark about a config (ignored Microsoft keys, published keys, ...). */
export interface ConfigWarning {
  jsonPath: string;
  message: string;
}

export { quote } from '../plan/selector.js';
