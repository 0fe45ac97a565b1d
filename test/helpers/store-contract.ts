// The storage port's contract as assertions, run on a fresh empty root of any store (test/storage/*.test.ts): listing
// (relative names, recursive or not), ranged reads, atomic writes with metadata, HEAD, create-only writes, delete.

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { ObjectExistsError, type ObjectStore } from '../../src/storage/port.js';

export async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function names(store: ObjectStore, recursive: boolean): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(recursive)) out.push(`${o.name}:${o.size}`);
  return out;
}

/** The contract, run on a fresh empty root of `store`. */
export async function contract(store: ObjectStore): Promise<void> {
  const body = Buffer.from('0123456789abcdef');
  await store.write('a/b/c.dcm', Readable.from([body]), { metadata: { dcmanonfp: 'f1' }, size: body.length });
  await store.write('top.dcm', Readable.from([Buffer.from('xyz')]));
  await store.write('a/é ü.dcm', Readable.from([Buffer.from('12')]));
  assert.deepEqual(await names(store, true), ['a/b/c.dcm:16', 'a/é ü.dcm:2', 'top.dcm:3']);
  assert.deepEqual(await names(store, false), ['top.dcm:3']);
  assert.equal((await bytesOf(await store.read('a/b/c.dcm'))).toString(), '0123456789abcdef');
  assert.equal((await bytesOf(await store.read('a/b/c.dcm', { start: 4, end: 10 }))).toString(), '456789');
  const head = await store.head('a/b/c.dcm');
  assert.equal(head?.size, 16);
  assert.equal(await store.head('nothing/here'), null);
  await assert.rejects(store.write('top.dcm', Readable.from([Buffer.from('new')]), { ifNoneMatch: true }), ObjectExistsError);
  assert.equal((await bytesOf(await store.read('top.dcm'))).toString(), 'xyz', 'a refused create-only write changed nothing');
  await store.delete('top.dcm');
  await store.delete('top.dcm');
  assert.equal(await store.head('top.dcm'), null);
  await assert.rejects(store.read('top.dcm'));
}
