// STOW-RS for the gateway's forward: the client lives with the DICOMweb store (src/storage/dicomweb/stow.ts), which
// the batch's DICOMweb output writes through; re-exported here where the network side has always found it.

export { multipartDicom, networkReason, stowInstances, type StowResult, type StowTarget } from '../../storage/dicomweb/stow.js';
