// Where a run puts its outputs (`--layout`): mirror = the input tree (identifying names renamed), study = one folder
// per pseudonymized patient/study/series. Declared once; the batch and the CLI's choices read it.

export const OUTPUT_LAYOUTS = ['mirror', 'study'] as const;
export type OutputLayout = (typeof OUTPUT_LAYOUTS)[number];
