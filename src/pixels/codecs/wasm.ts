// Loads a WASM codec module of the @cornerstonejs/codec-* family once per process, silenced (openjpeg prints
// [INFO] lines otherwise). Called only from codec adapters, which are themselves imported on first use.

import { createRequire } from 'node:module';
import { copyBytes } from './codec.js';

const require = createRequire(import.meta.url);
const loaded = new Map<string, Promise<unknown>>();

/** The initialised module exported by `specifier` (an Emscripten factory). */
export function loadWasmModule<T>(specifier: string): Promise<T> {
  let module = loaded.get(specifier);
  if (!module) {
    const factory = require(specifier) as (options: object) => Promise<T>;
    // A fresh options object each time: Emscripten factories write into the object they are given.
    module = factory({ print() {}, printErr() {} });
    loaded.set(specifier, module);
  }
  return module as Promise<T>;
}

/** The shape shared by the cornerstone decoders and encoders (embind objects: delete() frees WASM memory). */
export interface WasmFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
  isUsingColorTransform?: boolean;
}

export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): ArrayBufferView;
  getFrameInfo(): WasmFrameInfo;
  delete(): void;
}

export interface WasmEncoder {
  getDecodedBuffer(frameInfo: WasmFrameInfo): Uint8Array;
  encode(): void;
  getEncodedBuffer(): ArrayBufferView;
  delete(): void;
}

/** Runs a decoder on `encoded` and copies the result out of WASM memory before freeing it. */
export function runDecoder<D extends WasmDecoder>(decoder: D, encoded: Uint8Array, after?: (decoder: D) => void): { data: Uint8Array; info: WasmFrameInfo } {
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    after?.(decoder);
    return { data: copyBytes(decoder.getDecodedBuffer()), info: decoder.getFrameInfo() };
  } catch (error) {
    throw wasmError('decoder', error);
  } finally {
    decoder.delete();
  }
}

/** Runs an encoder on `samples` and copies the codestream out of WASM memory before freeing it. */
export function runEncoder<E extends WasmEncoder>(encoder: E, info: WasmFrameInfo, samples: Uint8Array, setup?: (encoder: E) => void): Uint8Array {
  try {
    encoder.getDecodedBuffer(info).set(samples);
    setup?.(encoder);
    encoder.encode();
    return copyBytes(encoder.getEncodedBuffer());
  } catch (error) {
    throw wasmError('encoder', error);
  } finally {
    encoder.delete();
  }
}


/** Emscripten throws C++ exceptions as bare numbers (pointers): turn them into an Error that says what failed. */
function wasmError(what: string, error: unknown): Error {
  return error instanceof Error ? error : new Error(`the ${what} failed inside WASM (exception ${String(error)})`);
}
