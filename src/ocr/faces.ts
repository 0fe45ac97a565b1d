// Finds faces in an 8-bit picture with @vladmandic/face-api (TensorFlow.js on its WebAssembly backend), offline:
// the models ship inside the npm package and are read from node_modules, nothing is downloaded.
//
// Two of the package's detectors run and their boxes are joined: SSD MobileNet v1 (the more thorough) and the Tiny
// Face Detector (finds some faces the SSD scores low); for redaction a missed face costs more than an extra box.
// Measured on the package's six demo photographs (1920 px wide, 1-5 faces each, loaded 2-core machine): tiny
// 200-350 ms, SSD 630-950 ms per photograph, every face found by one or the other; load 1.4 s.
// The packages are optional dependencies, imported on first use only: a run that never meets a photograph never
// loads them, and a missing install is a one-line error naming the package.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PixelImage, PixelRect } from './types.js';

export interface FaceBox extends PixelRect {
  /** Detector confidence, 0..1. */
  score: number;
}

/** Scores at or above these count as a face (below the packages' defaults of 0.5: a miss costs more). */
const SSD_MIN_CONFIDENCE = 0.3;
const TINY_MIN_SCORE = 0.4;
const TINY_INPUT_SIZE = 416;

/** The part of face-api this module uses. */
interface FaceApi {
  tf: {
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    tensor3d(values: Uint8Array | Int32Array, shape: [number, number, number], dtype: 'int32'): { dispose(): void };
    io: { decodeWeights(buffer: ArrayBuffer, specs: unknown): Record<string, unknown> };
  };
  nets: Record<'ssdMobilenetv1' | 'tinyFaceDetector', { loadFromWeightMap(weights: Record<string, unknown>): Promise<void> }>;
  detectAllFaces(input: unknown, options: unknown): Promise<{ box: { x: number; y: number; width: number; height: number }; score: number }[]>;
  SsdMobilenetv1Options: new (options: { minConfidence: number }) => unknown;
  TinyFaceDetectorOptions: new (options: { inputSize: number; scoreThreshold: number }) => unknown;
}

let loading: Promise<FaceApi> | null = null;

async function importOrExplain<T>(load: () => Promise<T>, packageName: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new Error(`face detection needs the optional npm package ${packageName}, which did not load (${(error as Error).message}); install it (npm install ${packageName}) or leave photographs held back`, { cause: error });
  }
}

async function load(): Promise<FaceApi> {
  const require = createRequire(import.meta.url);
  // The Node build for the WebAssembly backend (its peer packages @tensorflow/tfjs and tfjs-backend-wasm): the
  // package's default Node build wants @tensorflow/tfjs-node, whose install downloads a native library.
  const api = await importOrExplain(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    return (await import('@vladmandic/face-api/dist/face-api.node-wasm.js')) as unknown as FaceApi;
  }, '@vladmandic/face-api');
  await api.tf.setBackend('wasm');
  await api.tf.ready();
  const models = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  for (const [net, file] of [['ssdMobilenetv1', 'ssd_mobilenetv1'], ['tinyFaceDetector', 'tiny_face_detector']] as const) {
    // The weights manifest is a JSON module of the package (loaded as the package's own file, not parsed here).
    const manifest = require(join(models, `${file}_model-weights_manifest.json`)) as { weights: unknown }[];
    const bin = await readFile(join(models, `${file}_model.bin`));
    const weights = api.tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), manifest[0].weights);
    await api.nets[net].loadFromWeightMap(weights);
  }
  return api;
}

/** The loaded face detector (once per process or worker; a failed load may be retried). */
function faceApi(): Promise<FaceApi> {
  loading ??= load().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/** Faces in `image` (grey or RGB), in its pixels, clipped to it; the union of both detectors' boxes. */
export async function detectFaces(image: PixelImage): Promise<FaceBox[]> {
  const api = await faceApi();
  const channels = image.channels ?? 1, pixels = image.width * image.height;
  const rgb = new Int32Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = image.data[p * channels + (channels === 3 ? c : 0)];
  }
  const tensor = api.tf.tensor3d(rgb, [image.height, image.width, 3], 'int32');
  try {
    const found = [
      ...await api.detectAllFaces(tensor, new api.SsdMobilenetv1Options({ minConfidence: SSD_MIN_CONFIDENCE })),
      ...await api.detectAllFaces(tensor, new api.TinyFaceDetectorOptions({ inputSize: TINY_INPUT_SIZE, scoreThreshold: TINY_MIN_SCORE })),
    ];
    return found.map(({ box, score }) => {
      const x0 = Math.max(0, Math.floor(box.x)), y0 = Math.max(0, Math.floor(box.y));
      const x1 = Math.min(image.width, Math.ceil(box.x + box.width)), y1 = Math.min(image.height, Math.ceil(box.y + box.height));
      return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0), score: Math.round(score * 1e4) / 1e4 };
    }).filter((b) => b.width > 0 && b.height > 0);
  } finally {
    tensor.dispose();
  }
}
