// An S3 bucket (or an S3-compatible server such as s3rver) as the artifact store, with the same keys as the
// folder store under an optional prefix. A PUT replaces an object all at once, so a reader never sees half of
// one; there is no rename on S3, so the run commit order (artifacts, manifest, latest.json) is the only guard.
// Every request has a connection and a request timeout (a frozen S3 fails the call instead of hanging it), and
// every failure names the operation and the s3:// key it was about.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import {
  ArtifactNotFoundError,
  assertValidKey,
  contentTypeOf,
  type ArtifactBody,
  type ArtifactStore,
} from './artifactStore';

/** Above this size a put goes up as a multipart upload: one PUT body is held in memory and retried whole. */
const MULTIPART_FROM_BYTES = 16 * 1024 * 1024;

export interface S3StoreOptions {
  bucket: string;
  /** Folder inside the bucket ("" = the bucket's root); keys are stored as `${prefix}/${key}`. */
  prefix?: string;
  region?: string;
  /** An S3-compatible endpoint (s3rver, MinIO); switches to path-style addressing. */
  endpoint?: string;
  /** A ready client (tests, or callers that share one); region, endpoint and timeouts are then ignored. */
  client?: S3Client;
  timeouts?: S3Timeouts;
}

export interface S3Timeouts {
  /** Time to open the TCP (and TLS) connection. */
  connectionTimeoutMs: number;
  /** Time a request may go without a byte sent or received (a socket idle timeout, not a cap on big transfers). */
  requestIdleTimeoutMs: number;
}

/**
 * A few seconds to connect, and 15 s of silence mid-request, are far beyond what S3 needs; with the SDK's
 * 5 attempts a dead or frozen endpoint fails a call in about a minute and a half at most, inside every
 * Lambda's timeout, so the stage reports the error itself. The idle timer runs on the caller's event loop: code
 * that blocks the loop for 15 s with a request in flight would time it out, so heavy work belongs in workers.
 */
export const DEFAULT_S3_TIMEOUTS: S3Timeouts = { connectionTimeoutMs: 3000, requestIdleTimeoutMs: 15_000 };

/** The client settings every S3 use in the project shares: SDK retries on, checksums only when S3 requires them. */
export function s3ClientConfig(
  region: string | undefined,
  endpoint: string | undefined,
  timeouts: S3Timeouts = DEFAULT_S3_TIMEOUTS,
): S3ClientConfig {
  return {
    region: region ?? 'us-east-1',
    maxAttempts: 5,
    // socketTimeout is the idle timeout (a 16 MB part may take long, but never 15 s without a byte); the SDK's
    // requestTimeout only logs a warning unless told to throw, and would cap big transfers.
    requestHandler: { connectionTimeout: timeouts.connectionTimeoutMs, socketTimeout: timeouts.requestIdleTimeoutMs },
    // s3rver stores streamed bodies with their aws-chunked framing when the SDK adds checksums by default;
    // real S3 accepts both, so one setting works everywhere.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  };
}

const statusOf = (error: unknown): number | undefined =>
  (error as S3ServiceException | undefined)?.$metadata?.httpStatusCode;

/**
 * An S3 call that failed, named by operation and s3:// location ("S3 GET s3://bucket/runs/r1/x.json: connect
 * ECONNREFUSED 127.0.0.1:4568"). It keeps the SDK error's name (NoSuchBucket, TimeoutError…) and code, and the
 * error itself as its cause.
 */
export class S3RequestError extends Error {
  readonly operation: string;
  readonly location: string;
  readonly code?: string;
  constructor(operation: string, location: string, cause: unknown) {
    const original = cause instanceof Error ? cause : new Error(String(cause));
    const code = (original as NodeJS.ErrnoException).code;
    const detail = original.message || code || original.name;
    super(`S3 ${operation} ${location}: ${detail}`, { cause: original });
    this.name = original.name === 'Error' ? 'S3RequestError' : original.name;
    this.operation = operation;
    this.location = location;
    this.code = code;
  }
}

export class S3Store implements ArtifactStore {
  readonly location: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    if (this.prefix) assertValidKey(this.prefix);
    this.client = options.client ?? new S3Client(s3ClientConfig(options.region, options.endpoint, options.timeouts));
    this.location = `s3://${this.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
  }

  private objectKey(key: string): string {
    assertValidKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  /** Runs one S3 call; any failure is rethrown naming the operation and the key. */
  private async call<T>(operation: string, key: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof ArtifactNotFoundError || error instanceof S3RequestError) throw error;
      throw new S3RequestError(operation, `s3://${this.bucket}/${this.prefix ? `${this.prefix}/` : ''}${key}`, error);
    }
  }

  async put(key: string, body: ArtifactBody, contentType = contentTypeOf(key)): Promise<void> {
    await this.call('PUT', key, () => this.upload(key, body, contentType));
  }

  private async upload(key: string, body: ArtifactBody, contentType: string): Promise<void> {
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
    await new Upload({
      client: this.client,
      params: { ...params, Body: stream },
      partSize: 8 * 1024 * 1024,
      queueSize: 4,
    }).done();
  }

  async get(key: string): Promise<Buffer> {
    return this.call('GET', key, () => this.download(key));
  }

  private async download(key: string): Promise<Buffer> {
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
      throw new S3RequestError('HEAD', `s3://${this.bucket}/${this.objectKey(key)}`, error);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const root = this.prefix ? `${this.prefix}/` : '';
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('LIST', prefix, () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: root + prefix, ContinuationToken: token }),
        ),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(root.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /** One DELETE per key, 16 at a time (DeleteObjects needs a checksum that S3-compatible servers vary on). */
  async delete(keys: string[]): Promise<void> {
    const queue = [...keys];
    const worker = async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        const objectKey = this.objectKey(key);
        await this.call('DELETE', key, () =>
          this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey })),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(16, keys.length) }, worker));
  }
}
