// Choosing the store: a folder, or s3://bucket/prefix. The CLI names it with --store (and --s3-endpoint for an
// S3-compatible server); Lambdas and the dashboard container are configured by environment, as the original was.
import { InputError } from '@overfit/core';
import type { ArtifactStore } from './artifactStore';
import { LocalStore } from './localStore';
import { S3Store } from './s3Store';

export const DEFAULT_STORE_DIR = '.overfit';

/** s3://bucket[/prefix] → its parts; anything else is not an S3 location (null). */
export function parseS3Location(location: string, where = 'store'): { bucket: string; prefix: string } | null {
  if (!location.startsWith('s3://')) return null;
  const [bucket, ...rest] = location.slice('s3://'.length).split('/');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new InputError(`"${bucket}" is not an S3 bucket name (3–63 lower-case letters, digits, "." and "-")`, where);
  }
  return { bucket, prefix: rest.filter(Boolean).join('/') };
}

/** `--store .overfit` or `--store s3://bucket/prefix [--s3-endpoint http://127.0.0.1:4568]`. */
export function openStore(location: string, options: { s3Endpoint?: string; region?: string } = {}): ArtifactStore {
  const s3 = parseS3Location(location, 'store');
  if (!s3) {
    if (options.s3Endpoint) throw new InputError('only applies to an s3://bucket store', 's3Endpoint');
    return new LocalStore(location);
  }
  return new S3Store({ ...s3, endpoint: options.s3Endpoint, region: options.region ?? process.env.AWS_REGION });
}

/**
 * The store a Lambda or the dashboard uses: USE_S3=true with S3_BUCKET (+ S3_PREFIX, S3_ENDPOINT, AWS_REGION),
 * otherwise the folder STORE_DIR (default .overfit).
 */
export function storeFromEnv(env: Record<string, string | undefined>): ArtifactStore {
  const useS3 = (env.USE_S3 ?? '').toLowerCase();
  if (useS3 !== 'true' && useS3 !== '1') return new LocalStore(env.STORE_DIR || DEFAULT_STORE_DIR);
  const bucket = env.S3_BUCKET;
  if (!bucket) throw new InputError('must name the bucket when USE_S3=true', 'S3_BUCKET');
  const s3 = parseS3Location(`s3://${bucket}`, 'S3_BUCKET')!;
  return new S3Store({
    bucket: s3.bucket,
    prefix: env.S3_PREFIX ?? '',
    endpoint: env.S3_ENDPOINT || undefined,
    region: env.AWS_REGION || undefined,
  });
}
