// Where a file goes once the burned-in step has decided: the one write decision, for the batch and library callers.

import type { BurnedInOutcome } from './outcome.js';

/** 'output': deliver; 'quarantine': write only to the quarantine folder, never the output; 'none': write nothing. */
export type Delivery = 'output' | 'quarantine' | 'none';

export function deliveryOf(outcome: BurnedInOutcome): Delivery {
  switch (outcome.status) {
    case 'fail': return 'none';
    case 'quarantine': return 'quarantine';
    default: return 'output';
  }
}
