import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parsePerformanceTable, type ArtifactStore, type ValidationResults } from '@overfit/store';
import { storeWith } from '@overfit/testing/stores';
import { buildApp, type AppOptions } from '../src/app';
import { datasetCatalog } from '../src/datasets';
import { InProcessLauncher } from '../src/inProcessLauncher';
import { LauncherBusyError, type RunProgress } from '../src/runLauncher';
import {
  DEFAULT_RUN_CONFIG,
  MAX_NULL_MARKETS,
  OPTION_LIMITS,
  SELECTION_METRICS,
  type OverfittingReport,
} from '@overfit/core';
import { DEFAULT_RUN_WORK_BUDGET } from '../src/workBudget';
import { FAILED_RUN, GOOD_RUN, makeFixture, postRun, RecordingLauncher, SMALL_MARKET, type Fixture } from './fixtures';

const TOKEN = 'a-long-enough-secret-token';
// The fixture and one test run the real pipeline: a second on a quiet machine, far more on a busy one.
jest.setTimeout(300_000);
let fixture: Fixture;
let app: FastifyInstance;
let launcher: RecordingLauncher;
let port: number;

async function appWith(overrides: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  return buildApp({
    store: fixture.store,
    launcher: new RecordingLauncher(),
    datasets: await datasetCatalog(),
    ...overrides,
  });
}

beforeAll(async () => {
  fixture = await makeFixture();
  launcher = new RecordingLauncher();
  app = await appWith({ launcher });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await app.close();
  await fixture.cleanUp();
});

const runFile = (path: string) => readFile(join(fixture.dir, 'runs', GOOD_RUN, path));

describe('health', () => {
  test('GET /healthz answers ok', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  test('GET /readyz is 200 when the store answers and 503 when it does not', async () => {
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', store: fixture.store.location });

    const broken: ArtifactStore = {
      location: 'broken',
      put: async () => {},
      get: async () => Buffer.alloc(0),
      list: async () => [],
      exists: async () => {
        throw new Error('ECONNREFUSED');
      },
    };
    const unready = await appWith({ store: broken });
    const response = await unready.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json().message).toBe('the artifact store cannot be reached');
    await unready.close();
  });
});

describe('GET /api/runs', () => {
  test('lists committed runs newest first with their verdicts, and the latest run', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/runs' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.latestRunId).toBe(GOOD_RUN);
    // Newest first by creation time: the fixture's good run was made just now, the failed one is dated January.
    expect(body.runs.map((r: { runId: string }) => r.runId)).toEqual([GOOD_RUN, FAILED_RUN]);
    const results = JSON.parse((await runFile('results/validation_results.json')).toString()) as ValidationResults;
    const report = JSON.parse((await runFile('results/overfitting_report.json')).toString()) as OverfittingReport;
    expect(body.runs[0]).toMatchObject({
      status: 'succeeded',
      strategies: 120,
      selectBy: 'win_rate',
      bestId: results.strategy.id,
      synthetic: true,
      verdict: report.verdict.level,
      headline: report.verdict.headline,
      tone: report.verdict.tone,
    });
    expect(body.runs[1]).toMatchObject({
      status: 'failed',
      strategies: 50,
      error: 'backtest: the disk was full',
      verdict: null,
    });
  });
});

describe('GET /api/runs with runs under way', () => {
  test('lists the launcher’s unfinished runs first, with their settings', async () => {
    const busy = new RecordingLauncher();
    busy.inFlight = () =>
      [
        {
          runId: '20990101T000000Z-cccccc',
          state: 'running',
          stage: 'backtest',
          backtest: { done: 5, total: 200 },
          error: null,
          startedAt: '2099-01-01T00:00:00.000Z',
          finishedAt: null,
          request: { config: { ...DEFAULT_RUN_CONFIG, strategies: 200 }, data: SMALL_MARKET },
        },
      ] as never;
    const local = await appWith({ launcher: busy });
    const body = (await local.inject({ method: 'GET', url: '/api/runs' })).json();
    expect(body.runs.map((r: { runId: string; status: string }) => [r.runId, r.status])).toEqual([
      ['20990101T000000Z-cccccc', 'running'],
      [GOOD_RUN, 'succeeded'],
      [FAILED_RUN, 'failed'],
    ]);
    expect(body.runs[0]).toMatchObject({
      strategies: 200,
      selectBy: 'win_rate',
      dataSource: 'synthetic GBM market (3,000 bars of 1h, seed 7)',
      synthetic: true,
      verdict: null,
    });
    await local.close();
  });
});

describe('GET /api/runs/:id', () => {
  test('returns the manifest, the validation results, the best strategy and every figure', async () => {
    await fixture.store.put(
      `runs/${GOOD_RUN}/shards/0000/results/training_performance.csv`,
      'an intermediate of a sharded backtest',
    );
    const response = await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}` });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const results = JSON.parse((await runFile('results/validation_results.json')).toString());
    expect(body.validation).toEqual(results);
    expect(body.best.strategy.id).toBe(results.strategy.id);
    expect(body.manifest.runId).toBe(GOOD_RUN);
    const plots = (await readdir(join(fixture.dir, 'runs', GOOD_RUN, 'plots'))).map((name) => `plots/${name}`);
    expect(plots).toEqual(
      expect.arrayContaining([
        'plots/equity_curve.png',
        'plots/performance_comparison.png',
        'plots/win_rate_histogram.png',
      ]),
    );
    expect(body.figures.map((f: { path: string }) => f.path)).toEqual(plots.sort());
    expect(body.figures[0].url).toBe(`/api/runs/${GOOD_RUN}/artifacts/${body.figures[0].path}`);
    expect(body.files.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['results/training_performance.csv', 'results/validation_results.json']),
    );
    expect(
      body.files.some(
        (f: { path: string }) => f.path === 'manifest.json' || f.path.endsWith('.bin') || f.path.startsWith('shards/'),
      ),
    ).toBe(false);
  });

  test('an unknown run is 404 and a malformed id is 400', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/api/runs/20990101T000000Z-ffffff' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('no run 20990101T000000Z-ffffff');
    for (const id of [
      '.hidden',
      'a.b',
      `${'x'.repeat(65)}`,
      '%2e%2e',
      '%2E%2E%2Flatest.json',
      'a%20b',
      '-leading-dash',
    ]) {
      const response = await rawGet(port, `/api/runs/${id}`);
      expect([id, response.status]).toEqual([id, 400]);
    }
  });

  test('a run the launcher is still running is 404 with its state', async () => {
    await postRun(app, { strategies: 10, dataset: 'synthetic-quick' });
    const response = await app.inject({ method: 'GET', url: '/api/runs/20260301T000000Z-000001' });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/is running/);
  });
});

describe('GET /api/runs/:id/status', () => {
  test('a committed run reports its manifest status; a failed one its error', async () => {
    const good = await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}/status` });
    expect(good.json()).toMatchObject({ runId: GOOD_RUN, state: 'succeeded', error: null });
    const failed = await app.inject({ method: 'GET', url: `/api/runs/${FAILED_RUN}/status` });
    expect(failed.json()).toMatchObject({ state: 'failed', error: 'backtest: the disk was full' });
  });

  test('a run in progress reports what the launcher knows; an unknown one is 404, a bad id 400', async () => {
    await postRun(app, { strategies: 10, dataset: 'synthetic-quick' });
    const running = await app.inject({ method: 'GET', url: '/api/runs/20260301T000000Z-000001/status' });
    expect(running.json()).toMatchObject({ state: 'running', stage: 'backtest', backtest: { done: 1, total: 2 } });
    expect((await app.inject({ method: 'GET', url: '/api/runs/20990101T000000Z-ffffff/status' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/runs/..%2F..%2Fetc/status' })).statusCode).toBe(400);
  });
});

describe('GET /api/runs/:id/strategies', () => {
  let csv: ReturnType<typeof parsePerformanceTable>;
  beforeAll(async () => {
    csv = parsePerformanceTable(
      (await runFile('results/training_performance.csv')).toString(),
      'training_performance.csv',
    );
  });

  test('sorts by a metric, descending, with undefined values last', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/runs/${GOOD_RUN}/strategies?sort=winRate&order=desc&pageSize=500`,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      total: 120,
      matching: 120,
      page: 1,
      pages: 1,
      sort: 'winRate',
      order: 'desc',
      hasValidation: true,
      minTrades: 10,
    });
    const values: (number | null)[] = body.rows.map(
      (r: { training: { winRate: number | null } }) => r.training.winRate,
    );
    const defined = values.filter((v): v is number => v !== null);
    expect(defined).toEqual([...defined].sort((a, b) => b - a));
    expect(values.slice(defined.length).every((v) => v === null)).toBe(true);
    // The same numbers as the CSV, row for row.
    const first = body.rows[0];
    const i = csv.ids.indexOf(first.id);
    expect(first.training.winRate).toBe(csv.columns.winRate[i]);
    expect(first.training.trades).toBe(csv.columns.trades[i]);
    expect(defined.length).toBe([...csv.columns.winRate].filter((v) => !Number.isNaN(v)).length);
  });

  test('pages: page 2 of size 7 is rows 8 to 14 of the whole sorted list', async () => {
    const all = (
      await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}/strategies?sort=sharpe&order=asc&pageSize=500` })
    ).json();
    const page = (
      await app.inject({
        method: 'GET',
        url: `/api/runs/${GOOD_RUN}/strategies?sort=sharpe&order=asc&pageSize=7&page=2`,
      })
    ).json();
    expect(page.rows.map((r: { id: string }) => r.id)).toEqual(all.rows.slice(7, 14).map((r: { id: string }) => r.id));
    expect(page.pages).toBe(Math.ceil(120 / 7));
    const beyond = (await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}/strategies?page=99` })).json();
    expect(beyond.rows).toEqual([]);
  });

  test('filters by family, direction and minimum trades', async () => {
    const coinFlips = csv.families.filter((f) => f === 'coin_flip').length;
    const body = (
      await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}/strategies?family=coin_flip&pageSize=500` })
    ).json();
    expect(body.matching).toBe(coinFlips);
    expect(body.rows.every((r: { family: string }) => r.family === 'coin_flip')).toBe(true);
    const traded = (
      await app.inject({
        method: 'GET',
        url: `/api/runs/${GOOD_RUN}/strategies?minTrades=20&direction=long_only&pageSize=500`,
      })
    ).json();
    expect(
      traded.rows.every(
        (r: { direction: string; training: { trades: number } }) =>
          r.direction === 'long_only' && r.training.trades >= 20,
      ),
    ).toBe(true);
  });

  test('rejects unknown sort keys, bad pages and unknown parameters; unknown runs are 404', async () => {
    for (const query of [
      'sort=password',
      'order=up',
      'page=0',
      'pageSize=501',
      'page=abc',
      'family=martingale',
      'debug=1',
    ]) {
      const response = await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}/strategies?${query}` });
      expect([query, response.statusCode]).toEqual([query, 400]);
    }
    expect((await app.inject({ method: 'GET', url: '/api/runs/20990101T000000Z-ffffff/strategies' })).statusCode).toBe(
      404,
    );
    expect((await app.inject({ method: 'GET', url: `/api/runs/${FAILED_RUN}/strategies` })).statusCode).toBe(404);
  });
});

describe('GET /api/runs/:id/histogram', () => {
  test('counts every strategy once: eligible and too-few-trades per bin, undefined apart', async () => {
    const csv = parsePerformanceTable(
      (await runFile('results/training_performance.csv')).toString(),
      'training_performance.csv',
    );
    const body = (
      await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}/histogram?metric=winRate&bins=12` })
    ).json();
    expect(body.bins).toHaveLength(12);
    expect(body.minTrades).toBe(10);
    const rates = [...csv.columns.winRate];
    const defined = rates.map((v, i) => ({ v, trades: csv.columns.trades[i] })).filter((r) => Number.isFinite(r.v));
    expect(body.undefinedCount).toBe(rates.length - defined.length);
    type Bin = { from: number; to: number; eligible: number; ineligible: number };
    expect(body.bins.reduce((n: number, b: Bin) => n + b.eligible, 0)).toBe(
      defined.filter((r) => r.trades >= 10).length,
    );
    expect(body.bins.reduce((n: number, b: Bin) => n + b.ineligible, 0)).toBe(
      defined.filter((r) => r.trades < 10).length,
    );
    expect(body.bins[0].from).toBe(Math.min(...defined.map((r) => r.v)));
    expect(body.bins[11].to).toBeCloseTo(Math.max(...defined.map((r) => r.v)), 12);
  });

  test('bad metric or bin count is 400; a run without strategies is 404', async () => {
    for (const query of ['metric=luck', 'bins=0', 'bins=201', 'metric=winRate&x=1']) {
      expect((await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}/histogram?${query}` })).statusCode).toBe(
        400,
      );
    }
    expect((await app.inject({ method: 'GET', url: `/api/runs/${FAILED_RUN}/histogram` })).statusCode).toBe(404);
  });
});

describe('datasetCatalog', () => {
  test('offers the synthetic markets, CSVs under data/ in the store and CSVs in DATA_DIR, nothing else', async () => {
    await fixture.store.put('data/btc_usd_1h.csv', 'timestamp,close\n');
    await fixture.store.put('data/notes.txt', 'not a data set');
    const folder = join(fixture.dir, 'local-data');
    await mkdir(join(folder, 'nested'), { recursive: true });
    for (const name of ['btc_usd_1d.csv', 'readme.md', '.hidden.csv', 'nested/inner.csv'])
      await writeFile(join(folder, name), 'x');
    const catalog = await datasetCatalog({ store: fixture.store, dataDir: folder });
    expect(catalog.map((d) => [d.id, d.ref])).toEqual([
      ['synthetic-2y-hourly', { kind: 'synthetic', bars: 17_520, seed: 42, intervalSeconds: 3600 }],
      ['synthetic-quick', { kind: 'synthetic', bars: 3000, seed: 7, intervalSeconds: 3600 }],
      ['store:btc_usd_1h.csv', { kind: 'store', key: 'data/btc_usd_1h.csv' }],
      ['file:btc_usd_1d.csv', { kind: 'file', path: join(folder, 'btc_usd_1d.csv') }],
    ]);
  });
});

describe('GET /api/runs/:id/artifacts/*', () => {
  const png = `/api/runs/${GOOD_RUN}/artifacts/plots/equity_curve.png`;

  test('serves the stored bytes with type, ETag and a long cache for a committed run; 304 on a matching ETag', async () => {
    const response = await app.inject({ method: 'GET', url: png });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.rawPayload.equals(await runFile('plots/equity_curve.png'))).toBe(true);
    expect(response.rawPayload.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(response.headers['cache-control']).toBe('public, max-age=86400, immutable');
    const etag = response.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await app.inject({ method: 'GET', url: png, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const csv = await app.inject({
      method: 'GET',
      url: `/api/runs/${GOOD_RUN}/artifacts/results/training_performance.csv`,
    });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
  });

  test('paths that leave the run folder, absolute paths, encoded dots and other types are 400', async () => {
    // Sent byte for byte over a socket: inject() and HTTP clients would resolve the dots before sending.
    const bad = [
      '../../latest.json',
      '..%2F..%2Flatest.json',
      '%2e%2e/%2e%2e/latest.json',
      '%2E%2E%2Flatest.json',
      'plots/../../../latest.json',
      'plots/%2e%2e/manifest.json',
      '/etc/passwd',
      '%2Fetc%2Fpasswd',
      'plots//equity_curve.png',
      './manifest.json',
      'plots\\..\\x.png',
      'plots%5C..%5C..%5Clatest.json',
      'results/block_moments.bin',
      'plots/.hidden.png',
      'plots/equity_curve.png%00.json',
    ];
    for (const path of bad) {
      const response = await rawGet(port, `/api/runs/${GOOD_RUN}/artifacts/${path}`);
      expect([path, response.status]).toEqual([path, 400]);
      expect(response.body).not.toMatch(/\n\s+at /);
    }
    const good = await rawGet(port, `/api/runs/${GOOD_RUN}/artifacts/results/best_strategy.json`);
    expect(good.status).toBe(200);
  });

  test('a committed run’s file is read from the store once; an uncommitted run’s every time', async () => {
    const reads: string[] = [];
    const counting = storeWith(fixture.store, {
      get: (key) => {
        reads.push(key);
        return fixture.store.get(key);
      },
    });
    await fixture.store.put('runs/20260401T000000Z-dddddd/plots/partial.png', 'not committed yet');
    const local = await appWith({ store: counting });
    for (let i = 0; i < 3; i++) {
      expect((await local.inject({ method: 'GET', url: png })).statusCode).toBe(200);
      expect(
        (await local.inject({ method: 'GET', url: '/api/runs/20260401T000000Z-dddddd/artifacts/plots/partial.png' }))
          .headers['cache-control'],
      ).toBe('no-cache');
    }
    const pngKey = `runs/${GOOD_RUN}/plots/equity_curve.png`;
    expect(reads.filter((k) => k === pngKey)).toHaveLength(1);
    expect(reads.filter((k) => k === 'runs/20260401T000000Z-dddddd/plots/partial.png')).toHaveLength(3);
    await local.close();
  });

  test('a missing file or run is 404', async () => {
    expect(
      (await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}/artifacts/plots/nothing.png` })).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: '/api/runs/20990101T000000Z-ffffff/artifacts/plots/equity_curve.png' }))
        .statusCode,
    ).toBe(404);
  });
});

describe('POST /api/runs', () => {
  test('starts a run with the chosen settings and defaults for the rest', async () => {
    const recorder = new RecordingLauncher();
    const local = await appWith({ launcher: recorder });
    const response = await postRun(local, {
      strategies: 200,
      dataset: 'synthetic-quick',
      families: ['sma_cross', 'macd'],
      trainFraction: 0.6,
      selectBy: 'sharpe',
      feesBps: 5,
      nullMarkets: 0,
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      runId: '20260301T000000Z-000001',
      statusUrl: '/api/runs/20260301T000000Z-000001/status',
      runUrl: '/run.html?id=20260301T000000Z-000001',
    });
    expect(recorder.requests).toEqual([
      {
        config: {
          ...DEFAULT_RUN_CONFIG,
          strategies: 200,
          families: ['sma_cross', 'macd'],
          trainFraction: 0.6,
          selectBy: 'sharpe',
          feesBps: 5,
          nullMarkets: 0,
        },
        data: { kind: 'synthetic', bars: 3000, seed: 7, intervalSeconds: 3600 },
      },
    ]);
    await local.close();
  });

  test('rejects out-of-bounds, unknown and malformed settings with 400 and starts nothing', async () => {
    const recorder = new RecordingLauncher();
    const local = await appWith({ launcher: recorder, runsPerMinute: 100 });
    const bodies: unknown[] = [
      { strategies: 0, dataset: 'synthetic-quick' },
      { strategies: 1_000_001, dataset: 'synthetic-quick' },
      { strategies: 10.5, dataset: 'synthetic-quick' },
      { dataset: 'synthetic-quick' },
      { strategies: 100 },
      { strategies: 100, dataset: '../../etc/passwd' },
      { strategies: 100, dataset: 'synthetic-quick', families: [] },
      { strategies: 100, dataset: 'synthetic-quick', families: ['martingale'] },
      { strategies: 100, dataset: 'synthetic-quick', selectBy: 'luck' },
      { strategies: 100, dataset: 'synthetic-quick', trainFraction: 1 },
      { strategies: 100, dataset: 'synthetic-quick', feesBps: -1 },
      { strategies: 100, dataset: 'synthetic-quick', nullMarkets: MAX_NULL_MARKETS + 1 },
      { strategies: 100, dataset: 'synthetic-quick', data: { kind: 'file', path: '/etc/passwd' } },
      [1, 2, 3],
    ];
    for (const payload of bodies) {
      const response = await postRun(local, payload as object);
      expect([payload, response.statusCode]).toEqual([payload, 400]);
    }
    const broken = await postRun(local, '{"strategies": 100,', { 'content-type': 'application/json' });
    expect(broken.statusCode).toBe(400);
    const huge = await postRun(local, { strategies: 100, dataset: 'synthetic-quick', pad: 'x'.repeat(5000) });
    expect(huge.statusCode).toBe(413);
    expect(recorder.requests).toEqual([]);
    await local.close();
  });

  test('a refused setting is said in words, with the field apart for the page to name it', async () => {
    const local = await appWith({ runsPerMinute: 100 });
    const refusal = async (settings: object) => {
      const { statusCode, ...body } = (await postRun(local, { dataset: 'synthetic-quick', ...settings })).json();
      return { statusCode, field: body.field, problem: body.problem, message: body.message };
    };
    expect(await refusal({ strategies: 100, trainFraction: 1 })).toEqual({
      statusCode: 400,
      field: 'trainFraction',
      problem: 'must be less than 1',
      message: 'trainFraction must be less than 1',
    });
    expect(await refusal({ strategies: 100, families: [] })).toMatchObject({
      field: 'families',
      problem: 'needs at least 1 chosen',
    });
    expect(await refusal({ strategies: 10.5 })).toMatchObject({
      field: 'strategies',
      problem: 'must be a whole number',
    });
    expect(await refusal({ strategies: 100, selectBy: 'luck' })).toMatchObject({
      field: 'selectBy',
      problem: `must be one of ${SELECTION_METRICS.join(', ')}`,
    });
    expect(await refusal({})).toMatchObject({ field: 'strategies', problem: 'is required' });
    // A rule across two fields (parseRunConfig's), named by the first of them.
    const costs = await refusal({ strategies: 100, feesBps: 900, slippageBps: 200 });
    expect(costs).toMatchObject({ statusCode: 400, field: 'feesBps' });
    expect(costs.problem).toMatch(/^fees and slippage must be ≥ 0 and together at most 1000 basis points/);
    expect(costs.message).not.toContain('body.');
    await local.close();
  });

  test('with RUN_TRIGGER_TOKEN set, only the right Bearer token starts a run', async () => {
    const recorder = new RecordingLauncher();
    const guarded = await appWith({ launcher: recorder, runTriggerToken: TOKEN });
    const payload = { strategies: 100, dataset: 'synthetic-quick' };
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`, 'Bearer ']) {
      const response = await postRun(guarded, payload, authorization ? { authorization } : {});
      expect([authorization, response.statusCode]).toEqual([authorization, 401]);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="overfitting-lab"');
    }
    expect(recorder.requests).toEqual([]);
    const ok = await postRun(guarded, payload, { authorization: `Bearer ${TOKEN}` });
    expect(ok.statusCode).toBe(202);
    expect((await guarded.inject({ method: 'GET', url: '/api/options' })).json().tokenRequired).toBe(true);
    await guarded.close();
  });

  test('is rate-limited to 10 a minute per client; a busy launcher is 503', async () => {
    const limited = await appWith();
    const payload = { strategies: 100, dataset: 'synthetic-quick' };
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await postRun(limited, payload)).statusCode);
    expect(codes).toEqual([...Array(10).fill(202), 429, 429]);
    await limited.close();

    const busy = new RecordingLauncher();
    busy.start = async () => {
      throw new LauncherBusyError('3 runs are already waiting');
    };
    const full = await appWith({ launcher: busy });
    const response = await postRun(full, payload);
    expect(response.statusCode).toBe(503);
    expect(response.json().message).toBe('3 runs are already waiting');
    await full.close();
  });

  test('behind a trusted proxy the limit counts each forwarded client; without one, X-Forwarded-For is ignored', async () => {
    const payload = { strategies: 100, dataset: 'synthetic-quick' };
    const codesFor = async (local: FastifyInstance, clients: string[]) => {
      const codes: number[] = [];
      for (const client of clients) {
        codes.push((await postRun(local, payload, { 'x-forwarded-for': client })).statusCode);
      }
      return codes;
    };
    const clients = [...Array(10).fill('203.0.113.1'), '203.0.113.2', '203.0.113.1'];
    const proxied = await appWith({ trustProxyHops: 1 });
    expect(await codesFor(proxied, clients)).toEqual([...Array(11).fill(202), 429]);
    await proxied.close();
    const direct = await appWith();
    expect(await codesFor(direct, clients)).toEqual([...Array(10).fill(202), 429, 429]);
    await direct.close();
  });

  test('end to end in process: the run is written to the store and shows up in the list', async () => {
    const finished: RunProgress[] = [];
    const real = await appWith({
      launcher: new InProcessLauncher(fixture.store, { onFinished: (p) => finished.push(p) }),
    });
    const started = await postRun(real, { strategies: 30, dataset: 'synthetic-quick', families: ['coin_flip'] });
    expect(started.statusCode).toBe(202);
    const { runId } = started.json();
    await waitFor(() => finished.length === 1);
    const status = (await real.inject({ method: 'GET', url: `/api/runs/${runId}/status` })).json();
    expect(status).toMatchObject({ runId, state: 'succeeded', error: null });
    const runs = (await real.inject({ method: 'GET', url: '/api/runs' })).json();
    expect(runs.latestRunId).toBe(runId);
    const detail = (await real.inject({ method: 'GET', url: `/api/runs/${runId}` })).json();
    expect(detail.manifest.config).toMatchObject({ strategies: 30, families: ['coin_flip'] });
    await real.close();
  });
});

describe('errors, pages and headers', () => {
  test('an unexpected failure is a bare 500: no stack, no internal message', async () => {
    const failing: ArtifactStore = {
      location: 'failing',
      put: async () => {},
      exists: async () => true,
      get: async () => {
        throw new Error('EACCES: permission denied, open /secret/path');
      },
      list: async () => {
        throw new Error('EACCES: permission denied, scandir /secret/path');
      },
    };
    const broken = await appWith({ store: failing });
    for (const url of [
      '/api/runs',
      `/api/runs/${GOOD_RUN}`,
      `/api/runs/${GOOD_RUN}/artifacts/plots/equity_curve.png`,
    ]) {
      const response = await broken.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'The server could not answer this request; its log has the details.',
      });
      expect(response.body).not.toMatch(/secret|EACCES|\bat\b/);
    }
    await broken.close();
  });

  test('routes without parameters reject a query string', async () => {
    for (const url of [
      '/api/runs?admin=1',
      `/api/runs/${GOOD_RUN}?x=1`,
      `/api/runs/${GOOD_RUN}/status?x=1`,
      '/api/options?x=1',
      '/healthz?x=1',
    ]) {
      expect([url, (await app.inject({ method: 'GET', url })).statusCode]).toEqual([url, 400]);
    }
  });

  test('unknown API routes are 404 JSON', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/nothing' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('Not Found');
  });

  test('pages and Chart.js are served from this server, with security headers', async () => {
    for (const url of ['/', '/runs.html', '/run.html', '/try.html', '/learn.html']) {
      const response = await app.inject({ method: 'GET', url });
      expect([url, response.statusCode]).toEqual([url, 200]);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('/vendor/chart.umd.min.js');
    }
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-ratelimit-limit']).toBe('600');
    const chart = await app.inject({ method: 'GET', url: '/vendor/chart.umd.min.js' });
    expect(chart.statusCode).toBe(200);
    expect(chart.headers['content-type']).toMatch(/javascript/);
    expect(chart.body).toContain('Chart.js v4');
  });

  test('GET /api/options lists the data sets, families, metrics and limits for the Try it page', async () => {
    const body = (await app.inject({ method: 'GET', url: '/api/options' })).json();
    expect(body.datasets.map((d: { id: string }) => d.id)).toEqual(['synthetic-2y-hourly', 'synthetic-quick']);
    expect(body.families).toContain('coin_flip');
    expect(body.selectionMetrics[0]).toBe('win_rate');
    expect(body.limits).toEqual({
      minStrategies: 1,
      maxStrategies: 1_000_000,
      maxNullMarkets: MAX_NULL_MARKETS,
      workBudget: DEFAULT_RUN_WORK_BUDGET,
    });
    // the same bounds the run config's schema enforces (parseRunConfig, the CLI, the Lambdas)
    expect(body.optionLimits).toEqual(JSON.parse(JSON.stringify(OPTION_LIMITS)));
    expect(body).toMatchObject({
      tokenRequired: false,
      launcher: 'in-process',
      defaults: { strategies: 500, dataset: 'synthetic-2y-hourly' },
    });
    // The pages format these as percentages; they keep no list of their own.
    expect(body.percentMetrics).toEqual(['totalReturn', 'cagr', 'maxDrawdown', 'winRate', 'hitRate', 'exposure']);
    // Nor a copy of the metrics' names or of the pipeline's stages.
    expect(body.metricLabels.sharpe).toBe('Sharpe ratio');
    expect(body.selectionFields.win_rate).toBe('winRate');
    expect(body.stages).toEqual(['generate', 'backtest', 'select', 'validate', 'visualize']);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 240_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A GET with the path exactly as given (no normalisation), over a real socket. */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('end', () =>
      resolve({ status: Number(text.split(' ')[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) }),
    );
  });
}
