// Z: the element stays with a zero-length value (a sequence with no items).
import type { ActionContext } from '../context.js';

export function emptyElement(ctx: ActionContext): void {
  const el = ctx.element;
  if (el.items !== null) el.setItems([]);
  else el.setValue(new Uint8Array(0));
}
