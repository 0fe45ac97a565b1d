// The untouched-PHI warning: a rules file that does not use the profile leaves alone whatever it does not name. Per
// tag the Basic Profile would change (plan.profileWouldChange), the count of files that held it and kept it, turned
// into the report's summary entry, the lines printed once at the end of a run, and the --strict-rules error. Keywords,
// tags and counts only: never a value. Direct identifiers are listed first.

import { keywordOf } from '../dicom/dictionary.js';
import { formatTag } from '../dicom/tag.js';
import type { UntouchedByRules } from '../records/index.js';
import {
  AccessionNumber, InstitutionAddress, InstitutionalDepartmentName, InstitutionName, IssuerOfPatientID, MedicalRecordLocator,
  MilitaryRank, NameOfPhysiciansReadingStudy, OperatorsName, OtherPatientIDs, OtherPatientIDsSequence, OtherPatientNames,
  PatientAddress, PatientBirthDate, PatientBirthName, PatientID, PatientMotherBirthName, PatientName, PatientTelecomInformation,
  PatientTelephoneNumbers, PerformingPhysicianName, PersonAddress, PersonName, PersonTelephoneNumbers, PhysiciansOfRecord,
  ReferringPhysicianAddress, ReferringPhysicianName, ReferringPhysicianTelephoneNumbers, RequestingPhysician, ResponsiblePerson,
} from '../dicom/tags.generated.js';

/**
 * The direct identifiers, in the order the warning lists them (before everything else, which follows in tag order):
 * a person reading "40 names and 603 more" must see the patient's name, IDs, birth date, address, telephone,
 * accession and institution first, not Patient Birth Date among the "more".
 */
export const DIRECT_IDENTIFIERS: readonly number[] = [
  PatientName, OtherPatientNames, PatientBirthName, PatientMotherBirthName, PatientID, OtherPatientIDs, OtherPatientIDsSequence,
  IssuerOfPatientID, MedicalRecordLocator, PatientBirthDate, PatientAddress, PatientTelephoneNumbers, PatientTelecomInformation,
  AccessionNumber, InstitutionName, InstitutionAddress, InstitutionalDepartmentName, ReferringPhysicianName,
  ReferringPhysicianAddress, ReferringPhysicianTelephoneNumbers, PerformingPhysicianName, NameOfPhysiciansReadingStudy,
  PhysiciansOfRecord, RequestingPhysician, OperatorsName, PersonName, PersonAddress, PersonTelephoneNumbers, ResponsiblePerson,
  MilitaryRank,
];
const DIRECT_RANK = new Map(DIRECT_IDENTIFIERS.map((tag, i) => [tag, i]));

/** Direct identifiers first (in DIRECT_IDENTIFIERS order), then the rest by tag. */
function identifiersFirst(a: number, b: number): number {
  const ra = DIRECT_RANK.get(a) ?? Infinity, rb = DIRECT_RANK.get(b) ?? Infinity;
  return ra !== rb ? ra - rb : a - b;
}

export const UNTOUCHED_SUGGESTION =
  'add "profile": {"name": "basic"} to the rules file: its rules then come first and the Basic Profile handles everything they do not name';

/** The summary entry for the counts the ledger collected; undefined when nothing was left untouched. */
export function untouchedByRules(counts: ReadonlyMap<number, number>): UntouchedByRules | undefined {
  if (counts.size === 0) return undefined;
  const attributes = [...counts].sort(([a], [b]) => identifiersFirst(a, b)).map(([tag, files]) => ({ tag: formatTag(tag), keyword: keywordOf(tag) || 'unknown', files }));
  return { attributes, suggestion: UNTOUCHED_SUGGESTION };
}

/** At most `max` attributes as "Keyword (gggg,eeee) in N file(s)", then how many more. */
function attributeList(u: UntouchedByRules, max: number): string {
  const shown = u.attributes.slice(0, max).map((a) => `${a.keyword} ${a.tag} in ${a.files} file(s)`);
  const more = u.attributes.length - shown.length;
  return shown.join(', ') + (more > 0 ? `, and ${more} more (see --report)` : '');
}

/** The warning printed once at the end of a run. */
export function untouchedWarning(u: UntouchedByRules): string {
  return `the rules file does not use the PS3.15 profile, and left ${u.attributes.length} attribute(s) that the Basic Profile ` +
    `would change untouched: ${attributeList(u, 40)}. To de-identify them, ${u.suggestion}`;
}

/** The --strict-rules error (before any output is written). */
export function untouchedError(u: UntouchedByRules): string {
  return `--strict-rules: the rules file does not use the PS3.15 profile and would leave ${u.attributes.length} attribute(s) ` +
    `that the Basic Profile changes untouched: ${attributeList(u, 40)}; nothing was written. ${u.suggestion[0].toUpperCase()}${u.suggestion.slice(1)}, ` +
    'or add rules for them';
}
