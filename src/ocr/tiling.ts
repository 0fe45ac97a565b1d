// Splits a large image into overlapping tiles at native resolution, and stitches the tiles' probability maps back.
//
// Why tiles and not one resize: the detector sees text well from about 8 px tall up; shrinking a 2048² image to
// the model's usual 960 px would make 10 px text 4.7 px and lose it. Each tile is run at scale 1, and only its
// inner part (a `TILE_OVERLAP / 2` px border dropped, except at the image edge) is copied into the stitched map,
// so every map pixel comes from a tile where it had context on all sides; the map is then post-processed once,
// which means no box is split or duplicated at a seam.

/**
 * Largest tile side in pixels (a multiple of 32, as the DB network needs). The network costs about the same per
 * pixel at any size, so fewer, larger tiles waste less on overlaps; this bound keeps one inference near 320 MB
 * peak RSS. A 640² image plus the detector's 2 × 16 px mirrored border (672²) is one inference.
 */
export const MAX_TILE_SIZE = 800;
/** Pixels shared by neighbouring tiles: more than the model's useful receptive context for text up to ~48 px. */
export const TILE_OVERLAP = 96;

export interface Tile {
  /** Where the tile's pixels start in the image. */
  x: number;
  y: number;
  /** Tile size read from the image. */
  width: number;
  height: number;
  /** The part of this tile's map that is copied into the stitched map, in image coordinates. */
  keep: { x0: number; y0: number; x1: number; y1: number };
}

/**
 * Tile origins and size along one axis: as few tiles as fit under `maxTile`, each just large enough (rounded up
 * to 32) for neighbours to overlap by at least `overlap`, evenly spaced.
 */
function axisTiles(length: number, maxTile: number, overlap: number): { starts: number[]; size: number } {
  if (length <= maxTile) return { starts: [0], size: length };
  const count = Math.ceil((length - overlap) / (maxTile - overlap));
  const size = Math.min(maxTile, Math.ceil(Math.ceil((length + (count - 1) * overlap) / count) / 32) * 32);
  const step = (length - size) / (count - 1);
  return { starts: Array.from({ length: count }, (_, i) => Math.round(i * step)), size };
}

/** The tiles covering a width×height image; one tile when the image fits. */
export function planTiles(width: number, height: number, maxTile = MAX_TILE_SIZE, overlap = TILE_OVERLAP): Tile[] {
  const across = axisTiles(width, maxTile, overlap), down = axisTiles(height, maxTile, overlap);
  const xs = across.starts, ys = down.starts, w = across.size, h = down.size;
  const tiles: Tile[] = [];
  for (let j = 0; j < ys.length; j++) {
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i], y = ys[j];
      // Seams lie halfway through each overlap, so each side keeps the half nearer its own centre.
      const x0 = i === 0 ? 0 : Math.round((x + xs[i - 1] + w) / 2);
      const x1 = i === xs.length - 1 ? width : Math.round((xs[i + 1] + x + w) / 2);
      const y0 = j === 0 ? 0 : Math.round((y + ys[j - 1] + h) / 2);
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
