// The dashboard on an S3 bucket, as on AWS: the same routes over the real S3 protocol (s3rver on loopback).
import { join } from 'node:path';
import { S3Store } from '@overfit/store';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app';
import { datasetCatalog } from '../src/datasets';
import { S3RVER_CREDENTIALS, startS3rver, type TestS3 } from '@overfit/testing/s3rver';
import { InProcessLauncher } from '../src/inProcessLauncher';
import {
  FAILED_RUN,
  GOOD_RUN,
  makeFixture,
  quickConfig,
  RecordingLauncher,
  SMALL_MARKET,
  type Fixture,
} from './fixtures';

// A real pipeline run and the S3 protocol on loopback: more than jest's 5 s default on a busy machine.
jest.setTimeout(300_000);
let fixture: Fixture;
let s3: TestS3;
let store: S3Store;
let app: FastifyInstance;

beforeAll(async () => {
  fixture = await makeFixture();
  s3 = await startS3rver(['artifacts']);
  store = new S3Store({ bucket: 'artifacts', prefix: 'lab', client: s3.client });
  // The fixture's runs, copied object by object into the bucket.
  for (const key of await fixture.store.list('')) await store.put(key, await fixture.store.get(key));
  await store.put('data/btc_usd_1h.csv', 'timestamp,close\n');
  app = await buildApp({ store, launcher: new RecordingLauncher(), datasets: await datasetCatalog({ store }) });
}, 300_000);

afterAll(async () => {
  await app.close();
  await s3.dispose();
  await fixture.cleanUp();
});

test('lists, shows and serves the runs in the bucket', async () => {
  const runs = (await app.inject({ method: 'GET', url: '/api/runs' })).json();
  expect(runs.latestRunId).toBe(GOOD_RUN);
  expect(runs.runs.map((r: { runId: string }) => r.runId).sort()).toEqual([GOOD_RUN, FAILED_RUN].sort());

  const detail = (await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}` })).json();
  expect(detail.validation.strategy.id).toBe(detail.best.strategy.id);

  const page = (
    await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}/strategies?sort=sharpe&order=desc&pageSize=5` })
  ).json();
  expect(page.total).toBe(120);
  expect(page.rows).toHaveLength(5);

  const png = await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}/artifacts/plots/equity_curve.png` });
  expect(png.statusCode).toBe(200);
  expect(png.rawPayload.equals(await fixture.store.get(`runs/${GOOD_RUN}/plots/equity_curve.png`))).toBe(true);
  expect(
    (await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}/artifacts/plots/missing.png` })).statusCode,
  ).toBe(404);
});

test('offers the bucket’s data/*.csv as data sets the Lambdas can read', async () => {
  const options = (await app.inject({ method: 'GET', url: '/api/options' })).json();
  expect(options.datasets.map((d: { id: string }) => d.id)).toContain('store:btc_usd_1h.csv');
});

test('a run started in process on its worker thread writes into the bucket', async () => {
  const launcher = new InProcessLauncher(store, {
    worker: {
      script: join(__dirname, '..', 'dist', 'pipeline-worker.cjs'),
      store: { kind: 's3', bucket: 'artifacts', prefix: 'lab', endpoint: s3.endpoint, region: 'us-east-1' },
      // Only the SDK's credentials come from the thread's environment; the store comes from `store` above.
      env: {
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      },
    },
  });
  const { runId } = await launcher.start({ config: quickConfig({ strategies: 30 }), data: SMALL_MARKET });
  await launcher.close();
  expect(await launcher.status(runId)).toMatchObject({ state: 'succeeded', error: null });
  const status = (await app.inject({ method: 'GET', url: `/api/runs/${runId}/status` })).json();
  expect(status).toMatchObject({ runId, state: 'succeeded' });
  expect(await store.exists(`runs/${runId}/plots/equity_curve.png`)).toBe(true);
}, 300_000);

test('readiness follows the bucket: 200 while it answers, 503 once it is gone', async () => {
  expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
    status: 'ready',
    store: 's3://artifacts/lab',
  });
  await s3.stop();
  const response = await app.inject({ method: 'GET', url: '/readyz' });
  expect(response.statusCode).toBe(503);
}, 300_000);
