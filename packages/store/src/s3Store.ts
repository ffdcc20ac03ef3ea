// An S3 bucket (or an S3-compatible server such as s3rver) as the artifact store, with the same keys as the
// folder store under an optional prefix. A PUT replaces an object all at once, so a reader never sees half of
// one; there is no rename on S3, so the run commit order (artifacts, manifest, latest.json) is the only guard.
import {
  GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { ArtifactNotFoundError, assertValidKey, contentTypeOf, type ArtifactBody, type ArtifactStore } from './artifactStore';

/** Above this size a put goes up as a multipart upload: one PUT body is held in memory and retried whole. */
const MULTIPART_FROM_BYTES = 16 * 1024 * 1024;

export interface S3StoreOptions {
  bucket: string;
  /** Folder inside the bucket ("" = the bucket's root); keys are stored as `${prefix}/${key}`. */
  prefix?: string;
  region?: string;
  /** An S3-compatible endpoint (s3rver, MinIO); switches to path-style addressing. */
  endpoint?: string;
  /** A ready client (tests, or callers that share one); region and endpoint are then ignored. */
  client?: S3Client;
}

/** The client settings every S3 use in the project shares: SDK retries on, checksums only when S3 requires them. */
export function s3ClientConfig(region: string | undefined, endpoint: string | undefined): S3ClientConfig {
  return {
    region: region ?? 'us-east-1',
    maxAttempts: 5,
    // s3rver stores streamed bodies with their aws-chunked framing when the SDK adds checksums by default;
    // real S3 accepts both, so one setting works everywhere.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  };
}

const statusOf = (error: unknown): number | undefined => (error as S3ServiceException | undefined)?.$metadata?.httpStatusCode;

export class S3Store implements ArtifactStore {
  readonly location: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    if (this.prefix) assertValidKey(this.prefix);
    this.client = options.client ?? new S3Client(s3ClientConfig(options.region, options.endpoint));
    this.location = `s3://${this.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
  }

  private objectKey(key: string): string {
    assertValidKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  async put(key: string, body: ArtifactBody, contentType = contentTypeOf(key)): Promise<void> {
    const params = { Bucket: this.bucket, Key: this.objectKey(key), ContentType: contentType };
    if (typeof body === 'string' || body instanceof Uint8Array) {
      const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      if (size < MULTIPART_FROM_BYTES) {
        await this.client.send(new PutObjectCommand({ ...params, Body: body }));
        return;
      }
    }
    // Large or streamed: multipart, 8 MB parts; S3 shows the object only when the upload completes.
    const stream = typeof body === 'string' || body instanceof Uint8Array ? body : Readable.from(body);
    await new Upload({ client: this.client, params: { ...params, Body: stream }, partSize: 8 * 1024 * 1024, queueSize: 4 }).done();
  }

  async get(key: string): Promise<Buffer> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return Buffer.from(await response.Body!.transformToByteArray());
    } catch (error) {
      // Only a missing key; a missing bucket (also 404) is a configuration error and passes through.
      if ((error as Error).name === 'NoSuchKey') throw new ArtifactNotFoundError(key, this.location);
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (error) {
      if (statusOf(error) === 404 || (error as Error).name === 'NotFound') return false;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const root = this.prefix ? `${this.prefix}/` : '';
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: root + prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(root.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}
