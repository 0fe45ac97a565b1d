// The storage port over Azure Blob Storage, through @azure/storage-blob. Credentials: AZURE_STORAGE_CONNECTION_STRING
// (also how the tests reach Azurite), else a SAS (the https:// location's query, or AZURE_STORAGE_SAS_TOKEN), else
// DefaultAzureCredential from @azure/identity (managed identity, workload identity, az login...). Loaded only when a
// location is az:// or *.blob.core.windows.net (open.ts).
//
// A blob appears only complete: a small one is one Put Blob, a large one is staged as blocks (8 MiB, 4 in flight:
// memory stays flat) and exists only when its block list is committed. Uncommitted blocks are invisible and Azure
// drops them after a week, so a killed writer leaves nothing at a name. The SDK retries throttling (503/500 with
// Retry-After) and 5xx with exponential backoff (maxTries).

import type { Readable } from 'node:stream';
import { BlobServiceClient, type ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { UsageError } from '../files/usage-error.js';
import { joinKey, ObjectExistsError, type ObjectHead, type ObjectStore, type StoredObject, type WriteOptions } from './port.js';

const BLOCK_BYTES = 8 * 1024 * 1024;
const BLOCKS_IN_FLIGHT = 4;
/** Up to this size a blob is sent in one Put Blob from memory: one request instead of a block list. */
const SINGLE_PUT_BYTES = 4 * 1024 * 1024;
const PIPELINE: StoragePipelineOptions = { retryOptions: { maxTries: 6 } };

export interface AzureLocation {
  account: string;
  container: string;
  prefix: string;
  sas: string | null;
}

async function serviceClient(location: AzureLocation, env: NodeJS.ProcessEnv): Promise<BlobServiceClient> {
  const connection = env.AZURE_STORAGE_CONNECTION_STRING;
  if (connection) {
    const named = /(?:^|;)\s*AccountName=([^;]+)/i.exec(connection)?.[1];
    if (named !== undefined && named !== location.account) {
      throw new UsageError(`az://${location.account}/...: AZURE_STORAGE_CONNECTION_STRING is for the account "${named}", not "${location.account}"`);
    }
    return BlobServiceClient.fromConnectionString(connection, PIPELINE);
  }
  const base = `https://${location.account}.blob.core.windows.net`;
  const sas = location.sas ?? env.AZURE_STORAGE_SAS_TOKEN;
  if (sas) return new BlobServiceClient(`${base}?${sas.replace(/^\?/, '')}`, undefined, PIPELINE);
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new BlobServiceClient(base, new DefaultAzureCredential(), PIPELINE);
}

const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;

export class AzureBlobStore implements ObjectStore {
  readonly root: string;

  private constructor(private readonly location: AzureLocation, private readonly container: ContainerClient) {
    this.root = `az://${location.account}/${location.container}${location.prefix ? `/${location.prefix}` : ''}`;
  }

  static async open(location: AzureLocation, env: NodeJS.ProcessEnv = process.env): Promise<AzureBlobStore> {
    const service = await serviceClient(location, env);
    return new AzureBlobStore(location, service.getContainerClient(location.container));
  }

  private blobName(name: string): string {
    return joinKey(this.location.prefix, name);
  }

  locationOf(name: string): string {
    return `az://${this.location.account}/${this.location.container}/${this.blobName(name)}`;
  }

  async *list(recursive: boolean): AsyncIterable<StoredObject> {
    const listPrefix = this.location.prefix === '' ? '' : `${this.location.prefix}/`;
    for await (const blob of this.container.listBlobsFlat({ prefix: listPrefix })) {
      const name = blob.name.slice(listPrefix.length);
      if (name === '' || name.endsWith('/') || (!recursive && name.includes('/'))) continue;
      yield { name, size: blob.properties.contentLength ?? 0 };
    }
  }

  async read(name: string, range?: { start: number; end: number }): Promise<Readable> {
    const blob = this.container.getBlobClient(this.blobName(name));
    const answer = range ? await blob.download(range.start, Math.max(0, range.end - range.start)) : await blob.download();
    return answer.readableStreamBody as Readable;
  }

  async write(name: string, body: Readable, options: WriteOptions = {}): Promise<void> {
    const blob = this.container.getBlockBlobClient(this.blobName(name));
    const conditions = options.ifNoneMatch ? { ifNoneMatch: '*' } : undefined;
    const metadata = options.metadata;
    try {
      if (options.size !== undefined && options.size <= SINGLE_PUT_BYTES) {
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(chunk as Buffer);
        const data = Buffer.concat(chunks);
        await blob.upload(data, data.length, { metadata, conditions });
      } else {
        await blob.uploadStream(body, BLOCK_BYTES, BLOCKS_IN_FLIGHT, { metadata, conditions });
      }
    } catch (error) {
      if (statusOf(error) === 409 || statusOf(error) === 412) throw new ObjectExistsError(this.locationOf(name));
      throw error;
    }
  }

  async head(name: string): Promise<ObjectHead | null> {
    try {
      const p = await this.container.getBlobClient(this.blobName(name)).getProperties();
      return { size: p.contentLength ?? 0, metadata: p.metadata ?? {} };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async delete(name: string): Promise<void> {
    await this.container.getBlobClient(this.blobName(name)).deleteIfExists();
  }

  async cleanAbandonedWrites(): Promise<number> {
    return 0; // uncommitted blocks never appear at a name and expire on their own
  }
}
