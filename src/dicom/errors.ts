// The byte layer's one error type: where (file, byte offset, tag path) and what, never a value.

export class DicomParseError extends Error {
  override readonly name = 'DicomParseError';
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly tagPath: string,
    public file?: string,
  ) {
    super(DicomParseError.describe(reason, offset, tagPath, file));
  }
  /** Attach the file name once it is known (the parser itself works on bytes). */
  withFile(file: string): this {
    this.file = file;
    this.message = DicomParseError.describe(this.reason, this.offset, this.tagPath, file);
    return this;
  }
  private static describe(reason: string, offset: number, tagPath: string, file?: string): string {
    return `${file ? file + ': ' : ''}${reason} at byte ${offset}${tagPath ? ` in ${tagPath}` : ''}`;
  }
}

/** Raised when a dataset cannot be encoded (a value too long for its VR, an unencodable character, ...). */
export class DicomWriteError extends Error {
  override readonly name = 'DicomWriteError';
  constructor(readonly reason: string, readonly tagPath: string, public file?: string) {
    super(`${file ? file + ': ' : ''}${reason}${tagPath ? ` in ${tagPath}` : ''}`);
  }
}
