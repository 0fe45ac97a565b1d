// Child process of the deflate-memory test (and the measurement in docs/limits.md): reads one file with the default
// limits, or `maxInflatedBytes` from argv[3], and prints {"error": name, "limit": which, "peakRss": bytes}.
// Peak RSS is sampled by a timer thread-free way: process.resourceUsage().maxRSS (KiB), the kernel's high-water mark.
import { readDicomFile } from '../../src/dicom/part10.js';
import { DicomLimitError } from '../../src/dicom/limits.js';

const path = process.argv[2];
const max = process.argv[3] ? Number(process.argv[3]) : undefined;
let error = 'none', limit = '', message = '';
try {
  readDicomFile(path, max === undefined ? {} : { maxInflatedBytes: max }).close();
} catch (e) {
  error = (e as Error).name;
  limit = e instanceof DicomLimitError ? e.limit : '';
  message = (e as Error).message;
}
console.log(JSON.stringify({ error, limit, message, peakRss: process.resourceUsage().maxRSS * 1024 }));
