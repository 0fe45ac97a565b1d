// Named option sets people publish with (`--preset NAME`), as one table of data: which PS3.15 options each turns on
// and how it treats burned-in text. Resolved into the plan by src/config/build.ts, like the flags they stand for.

import type { BurnedInPolicy, ProfileOption } from '../plan/plan.js';

export interface Preset {
  name: string;
  /** One line for --help and the README. */
  summary: string;
  /** Profile options switched on (added to any --option and to a rules file's own). */
  options: readonly ProfileOption[];
  /**
   * Clean Pixel Data: the burned-in policy used unless --burned-in gives one. CID 7050 113101 is still written only on
   * a file whose pixels the burned-in step cleaned: a preset never marks a file cleaner than it is.
   */
  burnedIn?: BurnedInPolicy;
}

export const PRESETS: readonly Preset[] = [
  {
    name: 'tcia',
    summary: 'The Cancer Imaging Archive\'s set (also scored by the MIDI-B benchmark): Basic Profile with Clean Pixel Data ' +
      '(--burned-in redact), Clean Descriptors, Retain Longitudinal Temporal Information with Modified Dates, Retain Patient ' +
      'Characteristics, Retain Device Identity, Retain Safe Private',
    options: ['cleanDescriptors', 'retainLongitudinalModifiedDates', 'retainPatientCharacteristics', 'retainDeviceIdentity', 'retainSafePrivate'],
    burnedIn: 'redact',
  },
];

/** The preset named `name`, or undefined. */
export const presetNamed = (name: string): Preset | undefined => PRESETS.find((p) => p.name === name);
