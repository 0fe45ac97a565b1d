// The pixel layer's one error type: which file, which tag, which frame and what went wrong, never a pixel value.

export class PixelDataError extends Error {
  override readonly name = 'PixelDataError';
  constructor(
    readonly reason: string,
    /** The tag the problem is about, as "(GGGG,EEEE)", or '' when none is. */
    readonly tag: string,
    /** 0-based frame index, when the problem is in one frame. */
    readonly frame?: number,
    public file?: string,
  ) {
    super(PixelDataError.describe(reason, tag, frame, file));
  }
  /** Attach the file name once it is known. */
  withFile(file: string): this {
    this.file = file;
    this.message = PixelDataError.describe(this.reason, this.tag, this.frame, file);
    return this;
  }
  private static describe(reason: string, tag: string, frame: number | undefined, file?: string): string {
    return `${file ? file + ': ' : ''}${reason}${tag ? ` in ${tag}` : ''}${frame !== undefined ? ` (frame ${frame})` : ''}`;
  }
}
