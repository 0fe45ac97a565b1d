// Test files made from other files: read one, change it, write it (or write and read it back).

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';

/** Reads `input`, lets `mutate` change it, writes it to `output`. */
export function rewrite(input: string, output: string, mutate: (file: DicomFile) => void): void {
  const file = readDicomFile(input);
  try {
    mutate(file);
    mkdirSync(dirname(output), { recursive: true });
    writeDicomFile(file, output);
  } finally {
    file.close();
  }
}

/** Writes `file` and reads it back (so checks see the bytes a reader sees); closes `file`. */
export function reread(file: DicomFile): DicomFile {
  const dir = mkdtempSync(join(tmpdir(), 'reread-'));
  try {
    writeDicomFile(file, join(dir, 'x.dcm'));
    return readDicomFile(join(dir, 'x.dcm'));
  } finally {
    file.close();
    // Linux keeps the open file readable after the unlink.
    rmSync(dir, { recursive: true, force: true });
  }
}
