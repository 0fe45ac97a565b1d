// Output paths that carry identifying values. A PACS export or a hand-made tree is often named after its patient
// (`DOE_JOHN_MRN12345/19500101_CT/DOE_JOHN.dcm`); the anonymize command renames such components in the mirror layout
// (src/batch/mirror-names.ts), and this checks that nothing is left. With originals, each component of the output's
// path below the output root is searched for the original's identifying values (plan/identifying-path.ts: Patient
// Name parts, Patient ID, Accession Number, Patient Birth Date and Study Date in three forms, Institution Name; high:
// 'identifying-value-in-path'). With or without originals, each component is scanned by the identifying-span finder
// (src/identifying/path.ts: `_` read as a space, YYYYMMDD dates and date-time stamps included). Never a value in a message: the component's position, what it holds, the masked
// value.

import { maskValue } from './mask.js';
import { pathComponents, patternsInComponent, valuesInComponent, type PathValue } from '../plan/identifying-path.js';
import { AS_FINDING } from './patterns.js';
import type { Finding } from './types.js';

export { pathIdentifyingValues, type PathValue } from '../plan/identifying-path.js';

const where = (i: number, n: number): string => `path component ${i + 1} of ${n} (${i === n - 1 ? 'the file name' : 'a folder'})`;

/** `relativePath`: the output's path below the output root ('/'-separated or the platform's). */
export function checkPathAgainst(relativePath: string, values: readonly PathValue[]): Finding[] {
  const components = pathComponents(relativePath);
  return components.flatMap((component, i) => valuesInComponent(component, values).map((v): Finding => ({
    severity: 'high', tagPath: '', kind: 'identifying-value-in-path',
    message: `${where(i, components.length)} holds ${v.what} of the original`,
    masked: maskValue(v.folded),
  })));
}

/**
 * The finder's spans in each path component. Medium whatever the kind: a date or time someone chose to name a folder
 * or file by is meant to be read there, unlike one in a description.
 */
export function scanPath(relativePath: string): Finding[] {
  const components = pathComponents(relativePath);
  return components.flatMap((component, i) => patternsInComponent(component).map(({ kind, match }): Finding => {
    const [findingKind, , what] = AS_FINDING[kind];
    return { severity: 'medium', tagPath: '', kind: findingKind, message: `${where(i, components.length)} holds ${what}`, masked: maskValue(match) };
  }));
}
