// Rectangles found frame by frame, gathered into one list: each distinct rectangle once, with the frames it was found
// on (none listed when it was found on every frame), as the pixel layer's redaction takes them.

import type { Rectangle } from '../../pixels/index.js';

export class FrameRectangles {
  private readonly byPlace = new Map<string, { rect: Rectangle; frames: number[] }>();

  /** Records `rects` as found on frame `frame` (0-based). */
  add(frame: number, rects: readonly Rectangle[]): void {
    for (const rect of rects) {
      const id = `${rect.x},${rect.y},${rect.width},${rect.height}`;
      const entry = this.byPlace.get(id) ?? { rect, frames: [] };
      entry.frames.push(frame);
      this.byPlace.set(id, entry);
    }
  }

  /** Every rectangle, with `frames` unless it was found on all `frameCount` frames. */
  list(frameCount: number): Rectangle[] {
    return [...this.byPlace.values()].map(({ rect, frames }) => (frames.length === frameCount ? { ...rect } : { ...rect, frames }));
  }
}
