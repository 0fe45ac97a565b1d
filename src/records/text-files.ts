// Reading the text of a run file: whole (report, findings, mapping) or line by line in chunks (an audit, one line per
// element of every file, can be larger than one string may be). Read failures and non-JSON text become RecordErrors
// that name the file and line; the JSON parser's own message is not used, since it quotes the text.

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { RecordError } from './errors.js';

const reasonOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** The whole text of a file, without a leading byte order mark. */
export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new RecordError(path, null, `cannot be read (${reasonOf(error)})`);
  }
}

/** JSON text parsed; RecordError "not JSON" naming the file (and line), never the text. */
export function parseJson(text: string, path: string, line: number | null, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RecordError(path, line, `not a ${what}: not JSON`);
  }
}

/** Lines of a text file, read in 1 MiB chunks, with their 1-based numbers. */
export function* readLines(path: string): Generator<{ line: number; text: string }> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new RecordError(path, null, `cannot be read (${reasonOf(error)})`);
  }
  try {
    const buffer = Buffer.alloc(1 << 20);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let line = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const parts = (rest + decoder.write(buffer.subarray(0, n))).split('\n');
      rest = parts.pop() ?? '';
      for (const text of parts) yield { line: ++line, text };
    }
    rest += decoder.end();
    if (rest !== '') yield { line: ++line, text: rest };
  } finally {
    closeSync(fd);
  }
}

/** Where a record writer puts its text: an atomic file (src/files/atomic-output.ts) or anything that holds text. */
export interface TextSink {
  writeText(text: string): void;
}

/** A sink that is committed (renamed into place) or aborted (removed) at the end, as an atomic file is. */
export interface CommittableSink extends TextSink {
  commit(): void;
  abort(): void;
}

/** JSON.stringify leaves C1 controls and U+2028/2029 raw; as \u escapes they mean the same and print harmlessly. */
export function escapeControls(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
