// Reading frames of a file's Pixel Data one at a time, native or encapsulated (decoded by the syntax's codec).

import type { DataElement } from '../dicom/dataset.js';
import type { DicomFile } from '../dicom/part10.js';
import { loadCodec, UnsupportedImageError, type FrameCodec } from './codecs/index.js';
import { encapsulatedFrameBytes, locateFrames } from './encapsulated.js';
import { PixelDataError } from './errors.js';
import { describeImage, pixelElementOf, type ImageDescription, type PixelLayout } from './image.js';
import { readNativeFrame } from './native.js';

/** One frame: little-endian samples laid out as `layout` says (1-bit frames packed, starting at bit 0). */
export interface PixelFrame {
  index: number;
  data: Uint8Array;
  layout: PixelLayout;
}

/** The Pixel Data (or Float / Double Float Pixel Data) element of a file; PixelDataError when there is none. */
export function pixelDataElement(file: DicomFile): DataElement {
  const element = pixelElementOf(file.dataset);
  if (!element) throw new PixelDataError('the dataset has no Pixel Data', '(7FE0,0010)').withFile(file.name);
  return element;
}

/** The codec of a file's encapsulated transfer syntax; PixelDataError when none is supported. */
export async function codecOf(file: DicomFile): Promise<FrameCodec> {
  const codec = loadCodec(file.transferSyntax.uid);
  if (!codec) throw new PixelDataError(`transfer syntax ${file.transferSyntax.uid} is not supported by the pixel layer`, '(0002,0010)').withFile(file.name);
  return codec;
}

/** Rethrows any failure of a frame as a PixelDataError naming the file and frame (never a value). */
export function frameError(file: DicomFile, index: number, error: unknown): PixelDataError {
  if (error instanceof PixelDataError) {
    if (!error.file) error.withFile(file.name);
    return error;
  }
  const reason = error instanceof UnsupportedImageError ? error.message : `cannot decode the frame: ${error instanceof Error ? error.message : String(error)}`;
  return new PixelDataError(reason, '(7FE0,0010)', index, file.name);
}

/** Reads frame `index` (0-based). */
export async function readFrame(file: DicomFile, index: number, image: ImageDescription = describe(file)): Promise<PixelFrame> {
  const element = pixelDataElement(file);
  if (!Number.isInteger(index) || index < 0 || index >= image.numberOfFrames) {
    throw new PixelDataError(`no frame ${index} in an image of ${image.numberOfFrames} frame(s)`, '(7FE0,0010)', index, file.name);
  }
  try {
    if (!element.fragments) return { index, data: readNativeFrame(file, element, image, index), layout: image };
    const codec = await codecOf(file);
    const frames = locateFrames(file.dataset, element, image.numberOfFrames, file.transferSyntax.uid, file.datasetSource);
    const decoded = codec.decode(encapsulatedFrameBytes(element, frames[index], file.datasetSource), image);
    return { index, data: decoded.data, layout: decoded.layout };
  } catch (error) {
    throw frameError(file, index, error);
  }
}

/** Reads every frame in order, one at a time (each frame's memory is free once the caller drops it). */
export async function* readFrames(file: DicomFile): AsyncGenerator<PixelFrame> {
  const image = describe(file);
  const element = pixelDataElement(file);
  if (!element.fragments) {
    for (let index = 0; index < image.numberOfFrames; index++) yield await readFrame(file, index, image);
    return;
  }
  const codec = await codecOf(file);
  const frames = locateFrames(file.dataset, element, image.numberOfFrames, file.transferSyntax.uid, file.datasetSource);
  for (let index = 0; index < frames.length; index++) {
    let frame: PixelFrame;
    try {
      const decoded = codec.decode(encapsulatedFrameBytes(element, frames[index], file.datasetSource), image);
      frame = { index, data: decoded.data, layout: decoded.layout };
    } catch (error) {
      throw frameError(file, index, error);
    }
    yield frame;
  }
}

/** The image description of a file, with the file named in any error. */
export function describe(file: DicomFile): ImageDescription {
  try {
    return describeImage(file.dataset, file.datasetSource);
  } catch (error) {
    if (error instanceof PixelDataError) throw error.withFile(file.name);
    throw error;
  }
}
