// A worker for the text-detection worker test: loads its own detector and answers the boxes of one generated image.

import { parentPort, workerData } from 'node:worker_threads';
import { loadTextDetector } from '../../src/ocr/index.js';
import { greyCases } from './text-cases.js';

const detector = await loadTextDetector();
parentPort!.postMessage({ boxes: await detector.detect(greyCases()[workerData as number].image), loadMs: detector.loadMs });
