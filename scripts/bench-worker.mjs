// The measured child of scripts/bench.ts: plain Node over the built library (dist/), so its peak RSS and time
// are the tool's own, without the TypeScript loader. Reads a JSON spec, prints one JSON result line.
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { readDicomFile, writeDicomFile } = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let readNs = 0n, writeNs = 0n, bytes = 0, files = 0, failures = 0, firstError = null;
const start = process.hrtime.bigint();
for (const [src, dst] of spec.pairs) {
  try {
    if (spec.mode === 'ours') {
      const t0 = process.hrtime.bigint();
      const file = readDicomFile(src);
      const t1 = process.hrtime.bigint();
      try {
        bytes += writeDicomFile(file, dst);
      } finally {
        file.close();
      }
      readNs += t1 - t0;
      writeNs += process.hrtime.bigint() - t1;
    } else if (spec.mode === 'copyfile') {
      copyFileSync(src, dst);
      bytes += statSync(dst).size;
    }
    files++;
  } catch (error) {
    failures++;
    firstError ??= `${src}: ${error.message}`;
  }
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(JSON.stringify({
  seconds, readSeconds: Number(readNs) / 1e9, writeSeconds: Number(writeNs) / 1e9, files, bytes, failures, firstError,
  maxRssKB: process.resourceUsage().maxRSS,
}) + '\n');
