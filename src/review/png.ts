// A minimal PNG writer for the review page's images: 8-bit RGB or grey, one IDAT compressed by node:zlib, no filter.
// Thumbnails are at most a few hundred pixels wide: a dependency for this would be more code than the writer.

import { deflateSync } from 'node:zlib';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of PNG chunks (ISO 3309), over the chunk type and data. */
export function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return c;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE((crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0, 8 + data.length);
  return out;
}

/**
 * Encodes `samples` (width × height × `channels` bytes, rows top to bottom) as a PNG file: 3 channels RGB, 1 grey (a
 * third of the bytes: the full-size images of grey frames, which the page may hold many of).
 */
export function encodePng(width: number, height: number, samples: Uint8Array, channels: 1 | 3 = 3): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError('a PNG needs a positive whole width and height');
  const what = channels === 3 ? 'RGB' : 'grey';
  if (samples.length !== width * height * channels) throw new RangeError(`expected ${width * height * channels} bytes of ${what}, got ${samples.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = channels === 3 ? 2 : 0; // colour type: RGB or grey
  const stride = width * channels;
  const rows = Buffer.alloc(height * (1 + stride));
  for (let y = 0; y < height; y++) rows.set(samples.subarray(y * stride, (y + 1) * stride), y * (1 + stride) + 1); // filter 0
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', new Uint8Array(0))]);
}

/** The PNG as a data: URI (the page's CSP allows images from data: only). */
export const pngDataUri = (png: Uint8Array): string => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
