// The lossless Explicit VR Little Endian copy of a dataset, for a peer that refuses the dataset's own syntax: the byte
// layer's re-encoding (implicit, deflated, big endian: src/dicom/explicit-little-endian.ts) after, for encapsulated
// Pixel Data, decoding to native where that loses nothing (to-native.ts). It lives in the pixel layer because that is
// the lowest layer that sees both the byte layer and the codecs (src/dicom may not import src/pixels); it knows
// nothing of networks, so the gateway's C-STORE destination and any other caller use the same copy.

import { DicomParseError } from '../dicom/errors.js';
import { explicitLittleEndianDataset } from '../dicom/explicit-little-endian.js';
import type { DicomFile } from '../dicom/part10.js';
import { PixelDataError } from './errors.js';
import { createFrameSink, type FrameSink } from './scratch.js';
import { decodeToNative } from './to-native.js';

export interface ExplicitLittleEndianCopyOptions {
  /** Where decoded frames are staged beyond `inMemoryMaxBytes` (a scratch file, unlinked at once). */
  scratchDirectory?: string;
  inMemoryMaxBytes?: number;
}

/**
 * The dataset bytes (no file meta) of `file` in Explicit VR Little Endian, made losslessly, or why that cannot be done
 * (a lossy syntax, pixel data that do not decode: the reason names the syntax or the frame and tag, never a value).
 * Changes `file`; the bytes it was read from are never changed.
 */
export async function explicitLittleEndianCopy(file: DicomFile, options: ExplicitLittleEndianCopyOptions = {}): Promise<Uint8Array | { reason: string }> {
  if (!file.transferSyntax.encapsulated) return explicitLittleEndianDataset(file);
  const staged: { sink: FrameSink | null } = { sink: null };
  try {
    const refusal = await decodeToNative(file, (bytes) => {
      staged.sink = createFrameSink(bytes, { directory: options.scratchDirectory, inMemoryMaxBytes: options.inMemoryMaxBytes });
      return staged.sink;
    });
    if (refusal !== null) return { reason: refusal };
    return explicitLittleEndianDataset(file);
  } catch (error) {
    if (error instanceof PixelDataError || error instanceof DicomParseError) {
      return { reason: `its pixel data cannot be decoded to native: ${error instanceof PixelDataError ? describeWithoutFile(error) : error.message}` };
    }
    throw error;
  } finally {
    staged.sink?.close();
  }
}

/** The error's reason, tag and frame (the caller names the instance its own way). */
const describeWithoutFile = (error: PixelDataError): string =>
  `${error.reason}${error.tag ? ` in ${error.tag}` : ''}${error.frame !== undefined ? ` (frame ${error.frame})` : ''}`;
