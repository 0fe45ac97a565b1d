// Public entry `dicom-anonymizer/net`: the DICOM network side — the de-identifying gateway (Storage SCP → batch engine →
// C-STORE / STOW-RS / folder), its pieces (SCP, SCU, destinations, allow-list), and DICOMweb in and out of the batch
// (the DICOMweb store behind the storage port, which runStoredBatch opens for a dicomweb+http(s):// location).
// dcmjs-dimse is loaded only when an SCP or SCU starts.

export { Gateway, type GatewayOptions, type GatewayCounts } from '../net/gateway/gateway.js';
export { parseDestination, parseHeader, type Destination, type ForwardItem, type ForwardResult } from '../net/gateway/destinations.js';
export { parseAllowEntry, isAllowed, type AllowEntry } from '../net/dimse/allow-list.js';
export { startStorageScp, type StorageScpOptions, type InstanceStore, type IncomingInstance } from '../net/dimse/storage-scp.js';
export { storeInstances, type PeerAddress, type OutgoingInstance, type StoreResult } from '../net/dimse/storage-scu.js';
export { isDicomwebUrl } from '../storage/location.js';
export { DicomwebStore, type DicomwebRequest } from '../storage/dicomweb/store.js';
export { queryStudies, retrieveStudy, DicomwebError, type DicomwebServer } from '../net/dicomweb/retrieve.js';
export { stowInstances, type StowResult } from '../net/dicomweb/stow.js';
