// Copying bytes safely: Buffer.prototype.slice returns a view (unlike Uint8Array's), and codecs hand out views of
// WASM memory, sometimes as Uint8ClampedArray. Every copy the pixel layer makes goes through copyBytes.

/** A new Uint8Array holding a copy of `view`'s bytes. */
export function copyBytes(view: ArrayBufferView): Uint8Array {
  const out = new Uint8Array(view.byteLength);
  out.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  return out;
}
