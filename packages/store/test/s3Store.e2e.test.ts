import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InputError } from '@overfit/core';
import {
  commitRun,
  DEFAULT_S3_TIMEOUTS,
  s3ClientConfig,
  getJson,
  LATEST_KEY,
  LocalStore,
  openStore,
  readLatestRunId,
  runKeys,
  S3Store,
  storeFromEnv,
  type RunManifest,
} from '../src';
import { testManifest } from './manifests';
import { describeStoreContract } from './storeContract';
import { S3RVER_CREDENTIALS, startS3rver, type TestS3 } from '@overfit/testing/s3rver';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3rver(['artifacts', 'other']);
});
afterAll(() => s3.dispose());

const store = (prefix = '') => new S3Store({ bucket: 'artifacts', prefix, client: s3.client });

let contractRuns = 0;
describeStoreContract('S3Store on s3rver', () => store(`contract/${++contractRuns}`), {
  delete: true,
  listFolders: false,
});

describe('S3Store on s3rver', () => {
  it('writes content types from the key', async () => {
    await store().put('runs/a/plots/x.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]));
    const raw = await s3.client.send(new GetObjectCommand({ Bucket: 'artifacts', Key: 'runs/a/plots/x.png' }));
    expect(raw.ContentType).toBe('image/png');
  });

  it('keeps a prefix out of the keys it hands back, and out of other prefixes', async () => {
    await store('team/a').put('runs/r1/manifest.json', '{}');
    await store('team/b').put('runs/r1/manifest.json', '{}');
    expect(await store('team/a').list('runs/')).toEqual(['runs/r1/manifest.json']);
    expect(await store('team/a').exists('runs/r1/manifest.json')).toBe(true);
    expect(await store().exists('runs/r1/manifest.json')).toBe(false);
    expect(store('/team/a/').location).toBe('s3://artifacts/team/a');
  });

  it('pages through listings longer than one response (1,000 keys)', async () => {
    const paged = store('paged');
    const keys = Array.from({ length: 1005 }, (_, i) => `k/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => paged.put(k, 'x')));
    expect(await paged.list('k/')).toEqual(keys);
  }, 300_000); // 1,005 PUTs to s3rver: seconds on a quiet machine, a minute at load 35

  it('uploads large objects in parts and reads them back byte for byte', async () => {
    const big = Buffer.alloc(17 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    await store().put('big.bin', big);
    expect((await store().get('big.bin')).equals(big)).toBe(true);
  });

  it('commits a run on S3 the way it does on disk: manifest, then latest only when it succeeded', async () => {
    const s = store('commits');
    const manifest = (runId: string, status: RunManifest['status']): RunManifest => testManifest(runId, status);
    await commitRun(s, manifest('good', 'succeeded'));
    await commitRun(s, manifest('bad', 'failed'));
    expect(await readLatestRunId(s)).toBe('good');
    expect((await getJson<RunManifest>(s, runKeys('bad').manifest)).status).toBe('failed');
    expect(await s.list('')).toEqual([LATEST_KEY, 'runs/bad/manifest.json', 'runs/good/manifest.json']);
  });

  it('passes S3 errors other than "not found" through, naming the operation and the key', async () => {
    const missingBucket = new S3Store({ bucket: 'no-such-bucket', client: s3.client });
    await expect(missingBucket.put('k', 'x')).rejects.toMatchObject({
      name: 'NoSuchBucket',
      message: expect.stringMatching(/^S3 PUT s3:\/\/no-such-bucket\/k: /),
    });
    await expect(missingBucket.get('k')).rejects.toMatchObject({
      name: 'NoSuchBucket',
      message: expect.stringMatching(/^S3 GET s3:\/\/no-such-bucket\/k: /),
    });
  });
});

describe('S3 that stops answering', () => {
  // A server that accepts connections and never says a word: a frozen S3, or a network path that drops replies.
  let frozen: Server;
  let sockets: Socket[] = [];
  beforeAll(async () => {
    frozen = createServer((socket) => sockets.push(socket));
    await new Promise<void>((done) => frozen.listen(0, '127.0.0.1', done));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    sockets = [];
    await new Promise((done) => frozen.close(done));
  });

  const storeAt = (endpoint: string) =>
    new S3Store({
      bucket: 'artifacts',
      client: new S3Client({
        ...s3ClientConfig('us-east-1', endpoint, { connectionTimeoutMs: 500, requestIdleTimeoutMs: 300 }),
        credentials: S3RVER_CREDENTIALS,
      }),
    });

  it("fails each call after its request timeout (and the SDK's retries) instead of hanging, naming the key", async () => {
    const { port } = frozen.address() as AddressInfo;
    const s = storeAt(`http://127.0.0.1:${port}`);
    try {
      // Without a request timeout this call never returns, and jest's timeout fails the test.
      await expect(s.get('runs/r1/results/best_strategy.json')).rejects.toThrow(
        /^S3 GET s3:\/\/artifacts\/runs\/r1\/results\/best_strategy\.json: .*time/i,
      );
    } finally {
      s.client.destroy();
    }
  }, 300_000);

  it('refuses a dead endpoint quickly too, naming the key', async () => {
    const s = storeAt('http://127.0.0.1:9'); // the discard port: nothing listens
    try {
      await expect(s.put('runs/r1/manifest.json', '{}')).rejects.toThrow(
        /^S3 PUT s3:\/\/artifacts\/runs\/r1\/manifest\.json: .*ECONNREFUSED/,
      );
    } finally {
      s.client.destroy();
    }
  }, 300_000);

  it('the default timeouts are a few seconds to connect and 15 s of silence', () => {
    expect(DEFAULT_S3_TIMEOUTS).toEqual({ connectionTimeoutMs: 3000, requestIdleTimeoutMs: 15_000 });
    expect(s3ClientConfig('eu-west-1', undefined).requestHandler).toEqual({
      connectionTimeout: 3000,
      socketTimeout: 15_000,
    });
  });
});

describe('choosing a store', () => {
  it('opens a folder or an S3 location', () => {
    expect(openStore('some/folder')).toBeInstanceOf(LocalStore);
    const s = openStore('s3://my-bucket/runs/prod', { s3Endpoint: 'http://127.0.0.1:1' }) as S3Store;
    expect(s).toBeInstanceOf(S3Store);
    expect([s.bucket, s.prefix, s.location]).toEqual(['my-bucket', 'runs/prod', 's3://my-bucket/runs/prod']);
  });

  it('names the flag when the location is wrong', () => {
    expect(() => openStore('s3://Bad_Bucket')).toThrow(InputError);
    expect(() => openStore('s3://Bad_Bucket')).toThrow('store: "Bad_Bucket" is not an S3 bucket name');
    expect(() => openStore('folder', { s3Endpoint: 'http://x' })).toThrow(
      's3Endpoint: only applies to an s3://bucket store',
    );
  });

  it('reads the original environment variables', () => {
    expect(storeFromEnv({}).location).toMatch(/\.overfit$/);
    expect(storeFromEnv({ STORE_DIR: '/tmp/runs' }).location).toBe('/tmp/runs');
    const s = storeFromEnv({
      USE_S3: 'true',
      S3_BUCKET: 'overfit-results',
      S3_PREFIX: 'lab',
      AWS_REGION: 'eu-west-1',
    }) as S3Store;
    expect([s.location, s.prefix]).toEqual(['s3://overfit-results/lab', 'lab']);
    expect(() => storeFromEnv({ USE_S3: 'true' })).toThrow('S3_BUCKET: must name the bucket when USE_S3=true');
  });

  it('works end to end from the environment against an S3 endpoint', async () => {
    const s = storeFromEnv({ USE_S3: 'true', S3_BUCKET: 'other', S3_ENDPOINT: s3.endpoint }) as S3Store;
    const previous = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    try {
      await s.put('hello.txt', 'hi');
      expect((await s.get('hello.txt')).toString()).toBe('hi');
    } finally {
      process.env.AWS_ACCESS_KEY_ID = previous.id;
      process.env.AWS_SECRET_ACCESS_KEY = previous.secret;
      s.client.destroy();
    }
  });
});
