/// <reference path="./s3rver-types.d.ts" />
// A real S3 protocol server for tests: s3rver on 127.0.0.1, a free port, a temp folder. Used by the store,
// pipeline, CLI and dashboard tests. Paged listings need the test process to run with
// NODE_OPTIONS=--openssl-legacy-provider (s3rver makes continuation tokens with DES); those packages' test scripts
// set it. The client has the store's own settings (s3ClientConfig: checksums only when S3 requires them).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { DEFAULT_S3_TIMEOUTS, s3ClientConfig } from '@overfit/store';

/** s3rver checks SigV4 signatures against this fixed key pair. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TestS3 {
  endpoint: string;
  client: S3Client;
  /** The folder s3rver keeps the buckets in: start another server on it to see what survived. */
  directory: string;
  /** Stop answering now: open keep-alive connections are cut too, as when a server dies. The folder stays. */
  stop(): Promise<void>;
  /** Stop, and delete the folder. */
  dispose(): Promise<void>;
}

export async function startS3rver(buckets: string[] = ['artifacts'], directory?: string): Promise<TestS3> {
  directory ??= await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver answers from the test's own event loop: a stage computing on that loop (tests run stages in-process)
  // holds its replies far longer than S3 ever would, so the idle timeout here is long; the production one is short.
  const client = new S3Client({
    ...s3ClientConfig('us-east-1', endpoint, { ...DEFAULT_S3_TIMEOUTS, requestIdleTimeoutMs: 600_000 }),
    credentials: S3RVER_CREDENTIALS,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    client.destroy();
    server.httpServer?.closeAllConnections();
    await server.close();
  };
  return {
    endpoint,
    client,
    directory,
    stop,
    async dispose() {
      await stop();
      await rm(directory!, { recursive: true, force: true });
    },
  };
}
