// The layers only point down (../shared/design/ARCHITECTURE.md): every import in src/ — static, type-only or dynamic —
// is checked against the layers its folder may use. A new folder must be given its place here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** Folders below every layer, that any module may import: the one Rectangle type (src/geometry/rectangle.ts). */
const FOUNDATION: readonly string[] = ['geometry'];

/** Folder of src/ → the folders its modules may import (besides themselves and FOUNDATION). */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  geometry: [],
  // What a run leaves on disk (report, audit, findings, mapping): knows no anonymization, imports nothing but zod.
  records: [],
  dicom: [],
  ocr: [],
  pixels: ['dicom'],
  // The one definition of identifying text (issue #22): header values and patterns, above the byte layer only.
  identifying: ['dicom'],
  plan: ['dicom', 'identifying'],
  profiles: ['dicom', 'plan', 'identifying'],
  config: ['dicom', 'plan', 'profiles', 'identifying'],
  anonymize: ['dicom', 'plan', 'pixels', 'ocr', 'identifying'],
  files: ['dicom'],
  // Sources and sinks (folders, S3, Azure Blob): they know files, never anonymization.
  storage: ['files'],
  batch: ['dicom', 'plan', 'profiles', 'config', 'anonymize', 'pixels', 'ocr', 'files', 'records', 'identifying', 'storage'],
  verify: ['dicom', 'plan', 'profiles', 'anonymize', 'pixels', 'ocr', 'files', 'records', 'identifying'],
  review: ['dicom', 'plan', 'profiles', 'pixels', 'files', 'verify', 'records', 'identifying'],
  // DIMSE and DICOMweb, and the gateway over the batch's task handler and pool.
  net: ['dicom', 'plan', 'profiles', 'config', 'anonymize', 'pixels', 'ocr', 'files', 'records', 'identifying', 'batch', 'storage'],
  // The public API's sub-path entries: over every layer the CLI may stand on.
  api: ['dicom', 'plan', 'profiles', 'config', 'anonymize', 'pixels', 'ocr', 'files', 'storage', 'batch', 'verify', 'review', 'records', 'identifying', 'net'],
  // The command line stands on the public API only (src/index.ts and its entries in src/api/).
  cli: ['api', 'index'],
  // The launchers: the engine bundle's entry is the command line and the batch worker; the fallback imports them.
  launch: ['cli', 'batch'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier of a file: `from '…'`, `import '…'` and `import('…')`. */
export function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm)) out.push(m[2]);
  return out;
}

const layerOf = (file: string): string => relative(SRC, file).split(sep)[0].replace(/\.ts$/, '');

test('the import scanner sees static, type-only and dynamic imports', () => {
  const found = specifiers(`import { a } from './a.js';\nimport type { B } from "../b.js";\nconst c = await import('../c/c.js');\nimport './side.js';`);
  assert.deepEqual(found, ['./a.js', '../b.js', '../c/c.js', './side.js']);
});

test('every import in src/ points down the layers', () => {
  const files = sourceFiles(SRC);
  assert.ok(files.length > 50, `src/ has ${files.length} files`);
  const wrong: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    if (from === 'index') continue; // the public API re-exports every layer
    const allowed = MAY_IMPORT[from];
    if (allowed === undefined) {
      wrong.push(`${relative(SRC, file)}: folder src/${from}/ has no place in the layers (add it to MAY_IMPORT)`);
      continue;
    }
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue; // node: built-ins and packages
      const to = layerOf(resolve(dirname(file), spec));
      if (to !== from && !allowed.includes(to) && !FOUNDATION.includes(to)) wrong.push(`${relative(SRC, file)} imports ${spec} (src/${from}/ may not use src/${to}/)`);
    }
  }
  assert.deepEqual(wrong, []);
});

/** A file's code without its comments (line comments, block comments and JSDoc lines), for the rules below. */
function codeOf(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/**
 * Where a module outside src/records/ may still parse or build JSON, and why: none of these is a run file. A new use
 * in batch/, verify/ or review/ means a run file read or written by hand: do it through src/records instead.
 */
const JSON_ELSEWHERE: Readonly<Record<string, string>> = {
  'config/load.ts': 'JSON.parse: a JSON path segment of the user\'s config file (config is an input, not a run file)',
  'review/page-script.ts': 'JSON.parse: the page reading its own embedded data, in the browser',
  'review/page.ts': 'JSON.stringify: the review data embedded in the page',
  'plan/selector.ts': 'JSON.stringify: a selector quoted in an error message',
  'batch/pool.ts': 'JSON.stringify: a module specifier in the worker\'s entry code',
  'batch/fingerprint.ts': 'JSON.stringify: the canonical Plan JSON the run fingerprint is a digest of',
  'cli/version.ts': 'JSON.parse: the package.json the version is read from',
};

test('src/records/ is the only module that reads or writes run files (report, audit, findings, mapping)', () => {
  const wrong: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const rel = relative(SRC, file).split(sep).join('/');
    if (rel.startsWith('records/')) continue;
    const code = codeOf(readFileSync(file, 'utf8'));
    // Parsing or building JSON by hand: a run file read or written around the schemas.
    if (/\bJSON\.(parse|stringify)\b/.test(code) && !(rel in JSON_ELSEWHERE) && !rel.startsWith('config/')) {
      wrong.push(`${rel}: JSON.parse/stringify outside src/records (read and write run files through src/records)`);
    }
    // Reading a file line by line (the audit's JSON lines): records/text-files.ts readLines.
    if (/\b(StringDecoder|createInterface)\b/.test(code)) wrong.push(`${rel}: reads text line by line outside src/records`);
    // The formats' own markers: the version field and the mapping CSV's header (help texts may name it in prose).
    if (/\bformatVersion\b/.test(code)) wrong.push(`${rel}: names formatVersion outside src/records`);
    if (/['"`]id_(old|new)\b/.test(code)) wrong.push(`${rel}: the mapping CSV header as code outside src/records`);
    // The run files' writers and readers are records' own; no other module defines one.
    if (/\b(class|function)\s+(ReportWriter|AuditWriter|read(RunReport|Audit\w*|Findings\w*|Mapping\w*)|parseCsv|csvField)\b/.test(code)) {
      wrong.push(`${rel}: defines a run-file reader or writer outside src/records`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the run-file rule sees JSON parsing, line reading and the formats\' markers in code, not in comments', () => {
  const code = codeOf(`// JSON.parse(text) in a comment\n/** formatVersion */\nconst url = 'http://x'; const a = JSON.parse(t);\nconst h = 'id_old';`);
  assert.match(code, /JSON\.parse\(t\)/);
  assert.doesNotMatch(code, /comment|formatVersion/);
  assert.match(code, /http:\/\/x/);
  assert.match(code, /'id_old'/);
});

/** Every import of src/ as an edge between files (relative specifiers, .js → .ts). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const targets = specifiers(readFileSync(file, 'utf8'))
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
    graph.set(file, targets);
  }
  return graph;
}

/** The import circles of `graph`, each as the files around it (Tarjan's strongly connected components). */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let top = stack.pop()!; ; top = stack.pop()!) {
      onStack.delete(top);
      component.push(top);
      if (top === node) break;
    }
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) circles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return circles;
}

test('the circle finder finds a circle through three files and a file importing itself, and none in a chain', () => {
  const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a', 'd']], ['d', []], ['e', ['e']], ['f', ['d']]]);
  assert.deepEqual(importCircles(graph), [['a', 'b', 'c'], ['e']]);
  assert.deepEqual(importCircles(new Map([['a', ['b']], ['b', ['c']], ['c', []]])), []);
});

test('no import circle anywhere in src/ (static, type-only or dynamic imports)', () => {
  const circles = importCircles(importGraph()).map((c) => c.map((f) => relative(SRC, f)).join(' → '));
  assert.deepEqual(circles, []);
});
