// Rectangle rules (plan.pixels.rules) evaluated on the ORIGINAL dataset: conditions on top-level attributes, then
// each region turned into rectangles in pixels for the pixel layer. Plain data in, plain data out.

import type { DataSet } from '../../dicom/dataset.js';
import type { ByteSource } from '../../dicom/source.js';
import { getNumbers } from '../../dicom/values.js';
import type { AttributeCondition, PixelRegion, PixelRule } from '../../plan/plan.js';
import type { Rectangle } from '../../pixels/index.js';
import { Columns, RegionLocationMaxX1, RegionLocationMaxY1, RegionLocationMinX0, RegionLocationMinY0, Rows, SequenceOfUltrasoundRegions } from '../../dicom/tags.generated.js';
import { attributeNumber, attributeText } from './attributes.js';

export interface RulesResult {
  /** Origins of the rules whose conditions all held. */
  matched: string[];
  /** Of those, the rules that blank nothing and mark the file at risk (PixelRule.flagsRisk). */
  flagged: string[];
  /** Their regions as pixel rectangles (clipped by the pixel layer), with the rule's frames. */
  rectangles: Rectangle[];
}

/** Case-insensitive tests on the decoded text; a regex is compiled with flag i (a bad pattern never matches). */
export function conditionHolds(dataset: DataSet, source: ByteSource, condition: AttributeCondition): boolean {
  const text = attributeText(dataset, source, condition.tag);
  const present = dataset.get(condition.tag) !== undefined;
  switch (condition.op) {
    case 'present': return present;
    case 'absent': return !present;
    case 'equals': return text !== null && text.trim().toLowerCase() === (condition.value ?? '').trim().toLowerCase();
    case 'contains': return text !== null && text.toLowerCase().includes((condition.value ?? '').toLowerCase());
    case 'regex': {
      if (text === null) return false;
      try {
        return new RegExp(condition.value ?? '', 'i').test(text);
      } catch {
        return false;
      }
    }
  }
}

export interface Box { x0: number; y0: number; x1: number; y1: number }

/** The union of the Sequence of Ultrasound Regions' boxes (inclusive pixel coordinates → half-open), [] without one. */
export function ultrasoundBoxes(dataset: DataSet, source: ByteSource): Box[] {
  const seq = dataset.get(SequenceOfUltrasoundRegions);
  const boxes: Box[] = [];
  for (const item of seq?.items ?? []) {
    const n = (tag: number): number | undefined => {
      const el = item.get(tag);
      return el ? getNumbers(item, el, source)[0] : undefined;
    };
    const x0 = n(RegionLocationMinX0), y0 = n(RegionLocationMinY0), x1 = n(RegionLocationMaxX1), y1 = n(RegionLocationMaxY1);
    if (x0 === undefined || y0 === undefined || x1 === undefined || y1 === undefined || x1 < x0 || y1 < y0) continue;
    boxes.push({ x0, y0, x1: x1 + 1, y1: y1 + 1 });
  }
  return boxes;
}

/**
 * Rectangles covering exactly the image minus the union of `boxes`: the image is cut into bands at every box edge,
 * and within each band the uncovered x intervals become rectangles.
 */
export function complementRectangles(columns: number, rows: number, boxes: readonly Box[]): Rectangle[] {
  const clipped = boxes
    .map((b) => ({ x0: Math.max(0, b.x0), y0: Math.max(0, b.y0), x1: Math.min(columns, b.x1), y1: Math.min(rows, b.y1) }))
    .filter((b) => b.x1 > b.x0 && b.y1 > b.y0);
  const ys = [...new Set([0, rows, ...clipped.flatMap((b) => [b.y0, b.y1])])].sort((a, b) => a - b);
  const out: Rectangle[] = [];
  for (let i = 0; i + 1 < ys.length; i++) {
    const y0 = ys[i], y1 = ys[i + 1];
    if (y1 <= y0) continue;
    const spans = clipped.filter((b) => b.y0 <= y0 && b.y1 >= y1).map((b) => [b.x0, b.x1] as const).sort((a, b) => a[0] - b[0]);
    let x = 0;
    for (const [s0, s1] of spans) {
      if (s0 > x) out.push({ x, y: y0, width: s0 - x, height: y1 - y0 });
      x = Math.max(x, s1);
    }
    if (x < columns) out.push({ x, y: y0, width: columns - x, height: y1 - y0 });
  }
  return out;
}

function regionRectangles(dataset: DataSet, source: ByteSource, region: PixelRegion): Rectangle[] {
  const columns = attributeNumber(dataset, source, Columns) ?? 0;
  const rows = attributeNumber(dataset, source, Rows) ?? 0;
  if (region.kind === 'outsideUltrasoundRegions') {
    const boxes = ultrasoundBoxes(dataset, source);
    return boxes.length === 0 ? [] : complementRectangles(columns, rows, boxes);
  }
  if (region.units === 'pixels') return [{ x: region.x, y: region.y, width: region.width, height: region.height }];
  // Fractions of the image, rounded outward: a rule never covers less than it says.
  const x0 = Math.floor(region.x * columns), y0 = Math.floor(region.y * rows);
  const x1 = Math.ceil((region.x + region.width) * columns), y1 = Math.ceil((region.y + region.height) * rows);
  return [{ x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) }];
}

/** Every rule whose conditions hold (all of them: an empty list always holds), with its rectangles. */
export function evaluatePixelRules(dataset: DataSet, source: ByteSource, rules: readonly PixelRule[]): RulesResult {
  const matched: string[] = [];
  const flagged: string[] = [];
  const rectangles: Rectangle[] = [];
  for (const rule of rules) {
    if (!rule.conditions.every((c) => conditionHolds(dataset, source, c))) continue;
    matched.push(rule.origin);
    if (rule.flagsRisk) flagged.push(rule.origin);
    for (const region of rule.regions) {
      for (const r of regionRectangles(dataset, source, region)) {
        if (r.width <= 0 || r.height <= 0) continue;
        rectangles.push(rule.frames ? { ...r, frames: [...rule.frames] } : r);
      }
    }
  }
  return { matched, flagged, rectangles };
}
