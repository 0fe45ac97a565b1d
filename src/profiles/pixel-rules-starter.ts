// A small starter set of rectangle rules, written for this project (not taken from anyone's rule file). They are
// EXAMPLES of generic, conservative rules, opt-in with "pixels": {"starter": true} in a rules file; they do not make a
// device's screens clean by themselves, and an at-risk file they do not cover is still quarantined under the default
// policy. SOP classes are picked from the generated UID registry by name, never typed in.

import type { PixelRule } from '../plan/plan.js';
import { ImageType, Modality, SequenceOfUltrasoundRegions, SeriesDescription, SOPClassUID } from '../dicom/tags.generated.js';
import { UID_REGISTRY } from '../dicom/uid-registry.generated.js';

function sopClass(name: string): string {
  const row = UID_REGISTRY.find(([, n, type]) => type === 'SOP Class' && n === name);
  if (row === undefined) throw new Error(`starter pixel rules: no SOP class named "${name}" in the UID registry`);
  return row[0];
}

export function starterPixelRules(): PixelRule[] {
  return [
    {
      // Ultrasound that describes its image areas: the annotation bands around them (names, dates, the site) go; the
      // regions themselves stay. An image without the sequence is not touched by this rule.
      conditions: [
        { tag: Modality, op: 'equals', value: 'US' },
        { tag: SequenceOfUltrasoundRegions, op: 'present' },
      ],
      regions: [{ kind: 'outsideUltrasoundRegions' }],
      origin: 'starter: ultrasound, outside the Sequence of Ultrasound Regions',
    },
    {
      // A dose report captured as a screen (Secondary Capture whose Series Description says dose report/info/summary):
      // the top band, where such screens put the patient banner. Only with all three conditions.
      conditions: [
        { tag: SOPClassUID, op: 'equals', value: sopClass('Secondary Capture Image Storage') },
        { tag: ImageType, op: 'contains', value: 'SECONDARY' },
        { tag: SeriesDescription, op: 'regex', value: '\\bdose\\s*(report|info|summary)\\b' },
      ],
      regions: [{ kind: 'rectangle', units: 'fraction', x: 0, y: 0, width: 1, height: 0.12 }],
      origin: 'starter: secondary-capture dose report, top band',
    },
  ];
}
