// The one rectangle of the code base: a region of an image in pixels, optionally limited to some frames. It sits in
// its own folder below every layer so that the pixel layer, the text detector, the engine and the run records all
// use it without importing each other (src/pixels and src/ocr know nothing of records, and records nothing of pixels).

/** A rectangle in pixels (x, y of the top-left corner); `frames` (0-based) limits it to some frames, all when absent. */
export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
  frames?: readonly number[];
}
