// One folder or file name of an output path, as path_component.csv records the mirror layout's renames: never empty,
// never "." or "..", never holding a separator (a renamed name must not climb out of, or into, another folder).

import { z } from 'zod';

export const PathComponentSchema = z
  .string()
  .min(1)
  .refine((name) => name !== '.' && name !== '..' && !/[/\\\0]/.test(name), { message: 'not a single folder or file name' });
export type PathComponent = z.infer<typeof PathComponentSchema>;
