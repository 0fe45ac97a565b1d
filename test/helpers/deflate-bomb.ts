// A deflate bomb made for the purpose: a Deflated Explicit VR Little Endian file whose dataset is a small
// identifying dataset plus one private OB value of `inflatedMiB` MiB, mostly zeros with a pseudo-random byte
// every 512 (so the ratio stays near 430:1, under maxInflateRatio, as in the reported 2.4 MB → 1000 MiB case).
// Written by streaming, so making it never holds the inflated bytes.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createDeflateRaw } from 'node:zlib';
import { explicitElement, part10Header, smallDataset } from '../../scripts/fuzz.js';

export async function writeDeflateBomb(path: string, inflatedMiB: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(part10Header('1.2.840.10008.1.2.1.99'));
  const deflate = createDeflateRaw({ level: 1 });
  deflate.pipe(out);
  const total = inflatedMiB * 1024 * 1024;
  const head = Buffer.concat([smallDataset(), explicitElement(0x0011, 0x0010, 'LO', 'BOMB'), explicitElement(0x0011, 0x1010, 'OB', Buffer.alloc(0))]);
  head.writeUInt32LE(total, head.length - 4); // the OB's 32-bit length: its value follows in the chunks below
  deflate.write(head);
  let seed = 12345;
  const chunk = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < total; written += chunk.length) {
    chunk.fill(0);
    for (let i = 0; i < chunk.length; i += 512) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      chunk[i] = seed >>> 24;
    }
    if (!deflate.write(chunk.subarray(0, Math.min(chunk.length, total - written)))) await once(deflate, 'drain');
  }
  deflate.end();
  await once(out, 'finish');
}
