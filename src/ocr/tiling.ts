// Splits a large image into overlapping tiles at native resolution, and stitches the tiles' probability maps back.
//
// Why tiles and not one resize: the detector sees text well from about 8 px tall up; shrinking a 2048² image to
// the model's usual 960 px would make 10 px text 4.7 px and lose it. Each tile is run at scale 1, and only its
// inner part (a `TILE_OVERLAP / 2` px border dropped, except at the image edge) is copied into the stitched map,
// so every map pixel comes from a tile where it had context on all sides; the map is then post-processed once,
// which means no box is split or duplicated at a seam.

/**
 * Side of a tile in pixels; a multiple of 32 as the DB network needs. 672 = 640 + the detector's 2 × 16 px
 * mirrored border, so images up to 640² still go to the network in one piece.
 */
export const TILE_SIZE = 672;
/** Pixels shared by neighbouring tiles: more than the model's useful receptive context for text up to ~48 px. */
export const TILE_OVERLAP = 96;

export interface Tile {
  /** Where the tile's pixels start in the image. */
  x: number;
  y: number;
  /** Tile size actually read from the image (smaller at the right/bottom edge of a small image). */
  width: number;
  height: number;
  /** The part of this tile's map that is copied into the stitched map, in image coordinates. */
  keep: { x0: number; y0: number; x1: number; y1: number };
}

/** Tile origins along one axis: evenly spaced so that neighbours overlap by at least `overlap`. */
function axisStarts(length: number, tile: number, overlap: number): number[] {
  if (length <= tile) return [0];
  const count = Math.ceil((length - overlap) / (tile - overlap));
  const step = (length - tile) / (count - 1);
  return Array.from({ length: count }, (_, i) => Math.round(i * step));
}

/** The tiles covering a width×height image; one tile when the image fits. */
export function planTiles(width: number, height: number, tile = TILE_SIZE, overlap = TILE_OVERLAP): Tile[] {
  const xs = axisStarts(width, tile, overlap);
  const ys = axisStarts(height, tile, overlap);
  const tiles: Tile[] = [];
  for (let j = 0; j < ys.length; j++) {
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i], y = ys[j];
      const w = Math.min(tile, width - x), h = Math.min(tile, height - y);
      // Seams lie halfway through each overlap, so each side keeps the half nearer its own centre.
      const x0 = i === 0 ? 0 : Math.round((x + xs[i - 1] + tile) / 2);
      const x1 = i === xs.length - 1 ? width : Math.round((xs[i + 1] + x + w) / 2);
      const y0 = j === 0 ? 0 : Math.round((y + ys[j - 1] + tile) / 2);
      const y1 = j === ys.length - 1 ? height : Math.round((ys[j + 1] + y + h) / 2);
      tiles.push({ x, y, width: w, height: h, keep: { x0, y0, x1, y1 } });
    }
  }
  return tiles;
}

/**
 * Copies the kept part of one tile's probability map (mapWidth wide, at scale 1 with the tile at its top-left)
 * into the whole-image map.
 */
export function stitchTileMap(target: Float32Array, imageWidth: number, tile: Tile, map: Float32Array, mapWidth: number): void {
  const { x0, y0, x1, y1 } = tile.keep;
  for (let y = y0; y < y1; y++) {
    const from = (y - tile.y) * mapWidth + (x0 - tile.x);
    target.set(map.subarray(from, from + (x1 - x0)), y * imageWidth + x0);
  }
}
