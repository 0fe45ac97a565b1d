// Progress on stderr while a batch runs: a cli-progress bar (files, MB, MB/s, ETA) when stderr is a TTY, nothing
// otherwise (or with --quiet). Messages printed meanwhile go above the bar, escaped (they name files).

import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import { printable } from '../files/terminal-text.js';

export interface Progress {
  advance(files: number, bytes: number): void;
  log(message: string): void;
  stop(): void;
}

const MB = 1e6;

export function createProgress(enabled: boolean, totalFiles: number, totalBytes: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY || totalFiles === 0) {
    return { advance: () => {}, log: (m) => void stream.write(`${printable(m)}\n`), stop: () => {} };
  }
  // Loaded only when a bar is shown.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;
  const started = Date.now();
  const multi = new cliProgress.MultiBar({
    stream,
    format: ' {bar} {percentage}% | {files}/{totalFiles} files | {mb}/{totalMb} MB | {rate} MB/s | ETA {eta_formatted}',
    hideCursor: true,
    clearOnComplete: true,
    stopOnComplete: false,
    etaBuffer: 50,
    fps: 5,
  }, cliProgress.Presets.shades_classic);
  // The bar counts bytes (so ETA follows the data, not the file count); files are a payload.
  const total = Math.max(1, totalBytes);
  const bar = multi.create(total, 0, { files: 0, totalFiles, mb: '0', totalMb: (totalBytes / MB).toFixed(0), rate: '0' });
  let files = 0;
  let bytes = 0;
  return {
    advance(f, b) {
      files += f;
      bytes += b;
      const seconds = Math.max((Date.now() - started) / 1000, 1e-3);
      bar.update(Math.min(bytes, total), { files, mb: (bytes / MB).toFixed(0), rate: (bytes / MB / seconds).toFixed(1) });
    },
    log(message) {
      multi.log(`${printable(message)}\n`);
    },
    stop() {
      multi.stop();
    },
  };
}
