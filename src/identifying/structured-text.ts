// Text-VR attributes that hold codes, versions or product names, not prose: the span finder's patterns (a code
// value "F-10450" looks like an MRN, a version "2.5.3.3" like an IP address, a model "Harmony" like a name) are not
// run on them when free text is scanned without the original (verify). The original's own values are still looked
// for there (searched by value, not by pattern).

import {
  CodeValue, CodingSchemeDesignator, CodingSchemeExternalID, CodingSchemeIdentificationSequence, CodingSchemeName, CodingSchemeRegistry,
  CodingSchemeResponsibleOrganization, CodingSchemeVersion, ContextGroupVersion, ContextIdentifier, DeviceSerialNumber, LongCodeValue, Manufacturer,
  ManufacturerModelName, MappingResource, SoftwareVersions, URNCodeValue,
} from '../dicom/tags.generated.js';

/** Tags whose values are not prose (at any depth). */
export const NOT_PROSE: ReadonlySet<number> = new Set([
  CodeValue, CodingSchemeDesignator, CodingSchemeVersion, LongCodeValue, URNCodeValue, MappingResource, ContextGroupVersion, ContextIdentifier,
  CodingSchemeRegistry, CodingSchemeExternalID, CodingSchemeName, CodingSchemeResponsibleOrganization,
  SoftwareVersions, Manufacturer, ManufacturerModelName, DeviceSerialNumber,
]);

/** Sequences whose items describe coding schemes, not patients. */
export const NOT_PROSE_SEQUENCES: ReadonlySet<number> = new Set([CodingSchemeIdentificationSequence]);
