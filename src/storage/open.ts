// Opens the store a location names, loading the cloud SDK or DICOMweb client it needs only then: a local run loads
// none of them, and a machine installed without the optional cloud packages (npm --omit=optional) can still run locally.

import { UsageError } from '../files/usage-error.js';
import type { Location } from './location.js';
import { LocalFolderStore } from './local.js';
import type { ObjectStore } from './port.js';
import type { DicomwebRequest } from './dicomweb/store.js';

export interface StoreOptions {
  /** --s3-endpoint (S3-compatible stores). */
  s3Endpoint?: string;
  /** --study, --qido, --http-header: what a DICOMweb location is asked for. */
  dicomweb?: DicomwebRequest;
  env?: NodeJS.ProcessEnv;
}

async function load<T>(what: string, packages: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') { // import() of the modules, require() in the bundle
      throw new UsageError(`${what} needs the optional packages ${packages}: install them (npm install ${packages})`);
    }
    throw error;
  }
}

export async function openStore(location: Location, options: StoreOptions = {}): Promise<ObjectStore> {
  const env = options.env ?? process.env;
  switch (location.kind) {
    case 'local':
      return new LocalFolderStore(location.path);
    case 's3': {
      const { S3Store } = await load('an s3:// location', '@aws-sdk/client-s3 @aws-sdk/lib-storage', () => import('./s3.js'));
      return new S3Store(location.bucket, location.prefix, { endpoint: options.s3Endpoint }, env);
    }
    case 'azure': {
      const { AzureBlobStore } = await load('an Azure Blob location', '@azure/storage-blob @azure/identity', () => import('./azure-blob.js'));
      return AzureBlobStore.open(location, env);
    }
    case 'dicomweb': {
      const { DicomwebStore } = await import('./dicomweb/store.js');
      return new DicomwebStore(location.url, location.baseUrl, options.dicomweb);
    }
  }
}
