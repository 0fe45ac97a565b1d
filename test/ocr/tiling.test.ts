// Tiling and DB post-processing, without the network: tiles cover the image, kept parts partition it, and a
// probability map turns into the boxes we expect.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planTiles, stitchTileMap, TILE_OVERLAP, MAX_TILE_SIZE } from '../../src/ocr/tiling.js';
import { boxesFromProbabilityMap, DEFAULT_DB_OPTIONS, withMargin } from '../../src/ocr/db-postprocess.js';
import { paddedSide, regionTensor } from '../../src/ocr/tensor.js';

test('an image that fits is one tile keeping everything', () => {
  assert.deepEqual(planTiles(512, 300), [{ x: 0, y: 0, width: 512, height: 300, keep: { x0: 0, y0: 0, x1: 512, y1: 300 } }]);
});

for (const [width, height] of [[2048, 2048], [1024, 768], [641, 5000], [MAX_TILE_SIZE + 1, MAX_TILE_SIZE]] as const) {
  test(`tiles of ${width}×${height}: inside the image, overlapping ≥ ${TILE_OVERLAP} px, kept parts cover every pixel once`, () => {
    const tiles = planTiles(width, height);
    const hits = new Uint8Array(width * height);
    for (const tile of tiles) {
      assert.ok(tile.x >= 0 && tile.y >= 0 && tile.x + tile.width <= width && tile.y + tile.height <= height);
      assert.ok(tile.width <= MAX_TILE_SIZE && tile.height <= MAX_TILE_SIZE);
      const { x0, y0, x1, y1 } = tile.keep;
      assert.ok(x0 >= tile.x && x1 <= tile.x + tile.width && y0 >= tile.y && y1 <= tile.y + tile.height, 'kept part inside its tile');
      // Away from the image edge, a kept part stays ≥ overlap/2 from its tile's border: it had context around it.
      if (x0 > 0) assert.ok(x0 - tile.x >= TILE_OVERLAP / 2 - 1);
      if (x1 < width) assert.ok(tile.x + tile.width - x1 >= TILE_OVERLAP / 2 - 1);
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) hits[y * width + x]++;
    }
    assert.ok(hits.every((h) => h === 1));
  });
}

test('stitching copies each tile\'s kept part into the image map', () => {
  const width = 1200, height = 700;
  const map = new Float32Array(width * height);
  for (const [index, tile] of planTiles(width, height).entries()) {
    const mapWidth = paddedSide(tile.width);
    stitchTileMap(map, width, tile, new Float32Array(mapWidth * paddedSide(tile.height)).fill(index + 1), mapWidth);
  }
  assert.ok(map.every((v) => v > 0));
});

test('the tensor pads to multiples of 32 by repeating the edge, and RGB goes in as BGR', () => {
  const grey = { width: 3, height: 2, data: Uint8Array.from([0, 128, 255, 10, 20, 30]) };
  const { tensor, width, height } = regionTensor(grey, { x: 1, y: 0, width: 2, height: 2 });
  assert.equal(width, 32);
  assert.equal(height, 32);
  const plane = width * height;
  const value = (v: number, c: number) => (v / 255 - [0.485, 0.456, 0.406][c]) / [0.229, 0.224, 0.225][c];
  assert.ok(Math.abs(tensor[0] - value(128, 0)) < 1e-5);
  assert.ok(Math.abs(tensor[31] - value(255, 0)) < 1e-5, 'last column repeated');
  assert.ok(Math.abs(tensor[31 * 32 + 1] - value(30, 0)) < 1e-5, 'last row repeated');
  assert.ok(Math.abs(tensor[plane] - value(128, 1)) < 1e-5);
  const rgb = { width: 1, height: 1, channels: 3 as const, data: Uint8Array.from([200, 100, 50]) };
  const colour = regionTensor(rgb, { x: 0, y: 0, width: 1, height: 1 }).tensor;
  assert.ok(Math.abs(colour[0] - value(50, 0)) < 1e-5, 'channel 0 is blue');
  assert.ok(Math.abs(colour[2 * 32 * 32] - value(200, 2)) < 1e-5, 'channel 2 is red');
});

test('DB post-processing: one region → one box grown by area×ratio/perimeter, with its mean score', () => {
  const width = 100, height = 50;
  const map = new Float32Array(width * height);
  for (let y = 20; y < 26; y++) for (let x = 10; x < 40; x++) map[y * width + x] = 0.9; // a 30×6 kernel
  for (let y = 40; y < 42; y++) for (let x = 60; x < 90; x++) map[y * width + x] = 0.9; // 2 px thin: noise
  for (let y = 5; y < 12; y++) for (let x = 60; x < 80; x++) map[y * width + x] = 0.35; // above the pixel threshold, below the score
  const boxes = boxesFromProbabilityMap(map, width, height, DEFAULT_DB_OPTIONS);
  const grow = (30 * 6 * DEFAULT_DB_OPTIONS.unclipRatio) / (2 * 36);
  assert.deepEqual(boxes, [{ x: Math.floor(10 - grow), y: Math.floor(20 - grow), width: Math.ceil(40 + grow) - Math.floor(10 - grow), height: Math.ceil(26 + grow) - Math.floor(20 - grow), score: 0.9 }]);
  assert.equal(boxesFromProbabilityMap(map, width, height, { ...DEFAULT_DB_OPTIONS, minScore: 0.3 }).length, 2);
});

test('margin grows a box on every side and stops at the image edge', () => {
  assert.deepEqual(withMargin({ x: 2, y: 10, width: 5, height: 5, score: 1 }, 4, 10, 30), { x: 0, y: 6, width: 10, height: 13, score: 1 });
  const box = { x: 2, y: 2, width: 2, height: 2, score: 1 };
  assert.equal(withMargin(box, 0, 10, 10), box);
});

test('contrast: full-range images are left alone; narrow ones stretched, gain capped at 4', async () => {
  const { withStretchedContrast, contrastStretch, MAX_GAIN } = await import('../../src/ocr/contrast.js');
  const full = { width: 256, height: 1, data: Uint8Array.from({ length: 256 }, (_, i) => i) };
  assert.equal(withStretchedContrast(full), full);
  const flat = { width: 100, height: 1, data: Uint8Array.from({ length: 100 }, (_, i) => 100 + (i % 3)) };
  assert.equal(contrastStretch(flat).gain, MAX_GAIN);
  const stretched = withStretchedContrast(flat);
  assert.deepEqual([...new Set(stretched.data)].sort((a, b) => a - b), [124, 128, 132]);
  const rgb = { width: 2, height: 1, channels: 3 as const, data: Uint8Array.from([100, 100, 100, 110, 110, 110]) };
  assert.equal(withStretchedContrast(rgb).data.length, 6);
});

test('mirrored border: reflects about the edge pixel, keeps channels, survives images narrower than the border', async () => {
  const { withMirroredBorder } = await import('../../src/ocr/border.js');
  const row = withMirroredBorder({ width: 3, height: 1, data: Uint8Array.from([1, 2, 3]) }, 2);
  assert.equal(row.width, 7);
  assert.deepEqual([...row.data.subarray(2 * 7, 3 * 7)], [3, 2, 1, 2, 3, 2, 1]);
  const rgb = withMirroredBorder({ width: 2, height: 1, channels: 3, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) }, 1);
  assert.deepEqual([...rgb.data.subarray(4 * 3, 8 * 3)], [4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2, 3]);
  assert.equal(withMirroredBorder({ width: 1, height: 1, data: Uint8Array.from([9]) }, 16).data.every((v) => v === 9), true);
});

test('boxes from the bordered image come back clipped; mirror images of edge text are dropped', async () => {
  const { boxesInsideBorder } = await import('../../src/ocr/border.js');
  const text = { x: 16 + 3, y: 16 - 1, width: 60, height: 14, score: 0.9 }; // real text touching the top edge
  const mirrorImage = { x: 16 + 3, y: 0, width: 60, height: 18, score: 0.9 }; // its reflection, 2 rows inside
  const outside = { x: 0, y: 0, width: 10, height: 10, score: 0.9 };
  assert.deepEqual(boxesInsideBorder([text, mirrorImage, outside], 16, 100, 100), [{ x: 3, y: 0, width: 60, height: 13, score: 0.9 }]);
});

test('tile sizes: as few tiles as fit, each just large enough (a 2048² image plus border: 3 × 3 of 768)', () => {
  const tiles = planTiles(2080, 2080);
  assert.equal(tiles.length, 9);
  assert.ok(tiles.every((t) => t.width === 768 && t.height === 768));
  const wide = planTiles(1056, 800);
  assert.deepEqual(wide.map((t) => [t.x, t.width, t.height]), [[0, 576, 800], [480, 576, 800]]);
});
