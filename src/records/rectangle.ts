// The schema of the one Rectangle (src/geometry/rectangle.ts) as run files carry it: the rectangles the burned-in
// step blanked, in the report, the audit and the review page.

import { z } from 'zod';
import type { Rectangle } from '../geometry/rectangle.js';

export const RectangleSchema = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
  frames: z.array(z.int().nonnegative()).readonly().optional(),
});

// The schema and the type are one: each is assignable to the other, or this line does not compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const RECTANGLE_SCHEMA_IS_THE_RECTANGLE: Same<z.infer<typeof RectangleSchema>, Rectangle> = true;
