// The one definition of "identifying" text (issue #22): spans of a string that identify a person, used alike by the
// clean actions, verify (paired and unpaired), output-name renaming and burned-in text matching.
//
// API (small and stable; everything else in this folder is internal):
//   HeaderTerms.of(values: Iterable<HeaderValue>, { strict? }) → HeaderTerms   compile an instance's own values once
//       strict: every form down to one character (an initial, a 2-letter ID), for text read in the pixels
//       HeaderValue = { value, kind: 'name'|'id'|'date'|'text'|'age', label }   label: where from (keyword), never the value
//       terms.labels(text, ocr?, minLength?) → string[]            which values a text holds (OCR: fuzzy, see header.ts)
//   headerValuesOf(dataset, source?) → HeaderValue[]                the identifying attributes of a dataset's top level
//   headerValuesLater(dataset, source?) → () => HeaderValue[]       the same, bytes taken now, decoded on first call
//   findSpans(text, { header?, patterns? = true }) → Span[]          sorted, merged; Span = { start, end, kind, by, label? }
//       kind: 'name'|'id'|'date'|'time'|'age'|'phone'|'email'|'url'|'ip'|'address'|'postal'|'text'; by: 'header'|'pattern'
//   pathSpans(component) → Span[]                                 a folder or file name's spans (offsets of pathText(component))
//   cleanProse(text, spans) → string                               spans removed, tidied; '' when nothing clinical is left
//   GENERIC: words that never identify (placeholders, dummies)
// Offsets are UTF-16 indices of the string given. Nothing here reads files or knows of plans: a layer above dicom.

export { findSpans, holdsIdentifying, type FindOptions } from './find.js';
export { cleanPlain, cleanProse, hasClinical, plainVocabulary } from './clean.js';
export { HeaderTerms, MIN_FORM, dateForms, normaliseForOcr, ocrWords, type HeaderValue, type HeaderValueKind, type TermOptions } from './header.js';
export { headerValuesLater, headerValuesOf, IDENTIFYING_ATTRIBUTES } from './dataset-values.js';
export { GENERIC, GENERIC_WORDS, PARTICLES } from './generic.js';
export type { Span, SpanKind } from './span.js';
export { fold } from './fold.js';
export { pathSpans, pathText } from './path.js';
