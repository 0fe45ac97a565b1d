// X: the element is deleted from its dataset.
import type { ActionContext } from '../context.js';

export function removeElement(ctx: ActionContext): void {
  ctx.dataset.removeElement(ctx.element);
}
