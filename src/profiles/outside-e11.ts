// What the Basic Profile does with attributes PS3.15 Table E.1-1 does not list, where real files carry PHI in them
// (issue #22): prose is cleaned of its identifying spans with any profile, a person name is removed, and the file
// meta's private information goes. One table, a comment each; every entry becomes a plan rule whose origin names
// it, so --dry-run and the audit show why.

import type { Rule } from '../plan/plan.js';
import {
  ApprovalStatusFurtherDescription, CodeMeaning, CommentsOnTheScheduledProcedureStep, ContentDescription, ContentLabel, DetectorDescription,
  DisplaySetLabel, DocumentTitle, DoseComment, ExtendedCodeMeaning, GraphicLayerDescription, PrivateInformation, PrivateInformationCreatorUID,
  SegmentDescription, SegmentLabel,
} from '../dicom/tags.generated.js';

/** Free-text attributes outside E.1-1 that real files use for prose: cleaned (spans removed), under every profile. */
export const PROSE_OUTSIDE_E11: readonly (readonly [number, string])[] = [
  [CodeMeaning, '(0008,0104) Code Meaning, at any depth: a local code\'s meaning is typed by hand ("MR BRAIN ordered by Dr X")'],
  [ExtendedCodeMeaning, '(0008,0108) Extended Code Meaning: the long form of the same'],
  [ContentLabel, '(0070,0080) Content Label of presentation states, segmentations, KOs: a user-typed label'],
  [ContentDescription, '(0070,0081) Content Description of the same: a user-typed description'],
  [GraphicLayerDescription, '(0070,0068) Graphic Layer Description of presentation states: a user-typed note'],
  [CommentsOnTheScheduledProcedureStep, '(0040,0400) Comments on the Scheduled Procedure Step: worklist comments copied into the image'],
  [DocumentTitle, '(0042,0010) Document Title of encapsulated PDF/CDA: often the report title with the patient\'s name'],
  [SegmentLabel, '(0062,0005) Segment Label: a user-typed label'],
  [SegmentDescription, '(0062,0006) Segment Description: a user-typed description'],
  [DisplaySetLabel, '(0072,0203) Display Set Label of hanging protocols: a user-typed label'],
  [DetectorDescription, '(0018,7006) Detector Description: free text a site may fill with anything'],
  [DoseComment, '(3004,0006) Dose Comment of RT Dose: a user-typed comment'],
  [ApprovalStatusFurtherDescription, '(0044,0003) Approval Status Further Description: who approved and why, in prose'],
];

const ORIGIN = 'outside E.1-1 (issue #22)';

/** The rules, appended after the table's rows (which win where they apply). */
export function outsideTableRules(): Rule[] {
  return [
    ...PROSE_OUTSIDE_E11.map(([tag, why]): Rule => ({
      selector: { kind: 'tag', tag }, action: { type: 'clean', what: 'prose' }, origin: `${ORIGIN}: ${why}: identifying spans removed, clinical words kept`,
    })),
    // Evaluator Name (0014,2006), Secondary Reviewer Name (0014,0104) and every other PN the table does not list.
    { selector: { kind: 'vr', vr: 'PN' }, action: { type: 'remove' }, origin: `${ORIGIN}: a person name E.1-1 does not list (e.g. (0014,2006) Evaluator Name) is removed` },
    // File meta: whatever an application put there under its own UID.
    { selector: { kind: 'tag', tag: PrivateInformationCreatorUID }, action: { type: 'remove' }, origin: `${ORIGIN}: (0002,0100) Private Information Creator UID removed with its data` },
    { selector: { kind: 'tag', tag: PrivateInformation }, action: { type: 'remove' }, origin: `${ORIGIN}: (0002,0102) Private Information (file meta): an application's private data, removed` },
  ];
}
