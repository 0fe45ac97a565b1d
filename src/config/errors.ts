// The config layer's one error type: which file, which JSON path (kept as segments, shown as "$.rules[3].tag"), where
// in the text (line:column when known) and what is wrong. Messages never contain setting values such as keys: only
// paths, key names, tag texts and method names.

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

/**
 * Where a ConfigError points: a JSON path of the rules file as segments ([] = the whole document, or the file itself),
 * or a place outside any JSON document: a command-line flag ("--preset", "--option[0]") or a place in a pixel rule
 * script ("line 3 signature").
 */
export type ConfigPlace = readonly JsonPathSegment[] | string;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** The JSON path as segments; null when the place is not in a JSON document (a flag, a script). */
  readonly path: readonly JsonPathSegment[] | null;
  /** The place as shown: "$.rules[3].tag" for a JSON path, else the flag or script place as given. */
  readonly jsonPath: string;

  constructor(
    /** What is wrong, without location. */
    readonly reason: string,
    place: ConfigPlace,
    readonly file?: string,
    /** Where the offending value starts in the text; always set for JSON syntax errors. */
    readonly position?: TextPosition,
  ) {
    const jsonPath = typeof place === 'string' ? place : formatJsonPath(place);
    super(ConfigError.describe(reason, jsonPath, file, position));
    this.path = typeof place === 'string' ? null : [...place];
    this.jsonPath = jsonPath;
  }

  /** A copy with the file name and/or text position filled in (the parsers work on values, the loader knows the text). */
  locate(file: string | undefined, position: TextPosition | undefined): ConfigError {
    return new ConfigError(this.reason, this.path ?? this.jsonPath, this.file ?? file, this.position ?? position);
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
