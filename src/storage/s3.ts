// The storage port over S3 and S3-compatible stores (MinIO, Ceph, moto...), through the AWS SDK for JavaScript v3.
// Credentials and region come from the SDK's standard chain; the endpoint from --s3-endpoint, AWS_ENDPOINT_URL_S3 or
// AWS_ENDPOINT_URL, with path-style addressing whenever an endpoint is given. Loaded only when a location is s3://
// (open.ts), so a local run never loads the SDK.
//
// Writes go through @aws-sdk/lib-storage: one PUT for a small object, a multipart upload (8 MiB parts, 4 in flight:
// memory stays flat) for a large one, which the object appears at only when CompleteMultipartUpload succeeds; a
// failed upload is aborted, and one a killed process left is aborted by cleanAbandonedWrites. The SDK retries
// throttling (503 SlowDown), 5xx and network errors with backoff (maxAttempts).

import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, paginateListObjectsV2,
  S3Client, type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { joinKey, ObjectExistsError, type ObjectHead, type ObjectStore, type StoredObject, type WriteOptions } from './port.js';

export interface S3Options {
  /** --s3-endpoint; else AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL. */
  endpoint?: string;
  /** Requests in flight per store (sockets). */
  maxSockets?: number;
}

/** Multipart part size and parts in flight: 8 MiB × 4 bounds one upload's buffers to about 32 MiB. */
const PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;
const MAX_ATTEMPTS = 6;

function clientConfig(options: S3Options, env: NodeJS.ProcessEnv): S3ClientConfig {
  const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const config: S3ClientConfig = { maxAttempts: MAX_ATTEMPTS };
  if (endpoint) {
    config.endpoint = endpoint;
    config.forcePathStyle = true;
    // An S3-compatible store ignores the region, but the SDK refuses to sign without one.
    if (!env.AWS_REGION && !env.AWS_DEFAULT_REGION) config.region = 'us-east-1';
  }
  return config;
}

const statusOf = (error: unknown): number | undefined => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export class S3Store implements ObjectStore {
  readonly root: string;
  private readonly client: S3Client;

  constructor(private readonly bucket: string, private readonly prefix: string, options: S3Options = {}, env: NodeJS.ProcessEnv = process.env) {
    this.root = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
    this.client = new S3Client(clientConfig(options, env));
  }

  private key(name: string): string {
    return joinKey(this.prefix, name);
  }

  locationOf(name: string): string {
    return `s3://${this.bucket}/${this.key(name)}`;
  }

  async *list(recursive: boolean): AsyncIterable<StoredObject> {
    const listPrefix = this.prefix === '' ? '' : `${this.prefix}/`;
    // ListObjectsV2 returns keys in UTF-8 binary order, the order the batch sorts names in.
    const pages = paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: listPrefix, ...(recursive ? {} : { Delimiter: '/' }) });
    for await (const page of pages) {
      for (const o of page.Contents ?? []) {
        if (o.Key === undefined || o.Key.endsWith('/')) continue; // a "folder" marker object, not an input
        yield { name: o.Key.slice(listPrefix.length), size: o.Size ?? 0 };
      }
    }
  }

  async read(name: string, range?: { start: number; end: number }): Promise<Readable> {
    if (range && range.end <= range.start) return Readable.from([]);
    const answer = await this.client.send(new GetObjectCommand({
      Bucket: this.bucket, Key: this.key(name), ...(range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {}),
    }));
    return answer.Body as Readable;
  }

  async write(name: string, body: Readable, options: WriteOptions = {}): Promise<void> {
    const upload = new Upload({
      client: this.client,
      partSize: PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
      params: {
        Bucket: this.bucket, Key: this.key(name), Body: body,
        ...(options.size !== undefined ? { ContentLength: options.size } : {}),
        ...(options.metadata ? { Metadata: options.metadata } : {}),
        // Checked by S3 on the PUT or on CompleteMultipartUpload: the name is taken only if still free then.
        ...(options.ifNoneMatch ? { IfNoneMatch: '*' } : {}),
      },
    });
    try {
      await upload.done();
    } catch (error) {
      if (statusOf(error) === 412) throw new ObjectExistsError(this.locationOf(name));
      throw error;
    }
  }

  async head(name: string): Promise<ObjectHead | null> {
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
      return { size: answer.ContentLength ?? 0, metadata: answer.Metadata ?? {} };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async delete(name: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
  }

  /** Aborts the multipart uploads under the root that target one of `names` (a killed run of the same shard left them). */
  async cleanAbandonedWrites(names: ReadonlySet<string>): Promise<number> {
    const keys = new Set([...names].map((n) => this.key(n)));
    let aborted = 0;
    let marker: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (;;) {
      const page = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.prefix === '' ? '' : `${this.prefix}/`, ...marker }));
      for (const u of page.Uploads ?? []) {
        if (u.Key === undefined || u.UploadId === undefined || !keys.has(u.Key)) continue;
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: u.Key, UploadId: u.UploadId }));
        aborted++;
      }
      if (!page.IsTruncated) return aborted;
      marker = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
