// Hostile input and hostile clients (issue 14): links in the store, runs that cost a day of CPU, a run list that
// walks every file, tokens checked after the body, damaged manifests, HSTS over plain HTTP, a store that cannot
// take writes.
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { StoreWriteError, storeErrorReason, type ArtifactStore } from '@overfit/store';
import { storeWith, tempStore } from '@overfit/testing/stores';
import { NULL_MARKET_MAX_STRATEGIES, WALK_FORWARD_MAX_STRATEGIES } from '@overfit/stage-validate';
import { buildApp, type AppOptions } from '../src/app';
import { datasetCatalog } from '../src/datasets';
import { InProcessLauncher } from '../src/inProcessLauncher';
import { RunCache } from '../src/runCache';
import {
  barCounter,
  DEFAULT_RUN_WORK_BUDGET,
  estimateRunWork,
  NULL_MARKET_STRATEGIES,
  WALK_FORWARD_STRATEGIES,
} from '../src/workBudget';
import {
  FAILED_RUN,
  GOOD_RUN,
  makeFixture,
  quickConfig,
  postRun,
  RecordingLauncher,
  SMALL_MARKET,
  type Fixture,
} from './fixtures';

// The fixture runs the real pipeline once: seconds, many more on a busy machine.
jest.setTimeout(300_000);
const TOKEN = 'a-long-enough-secret-token';
let fixture: Fixture;
let outside: string;
const apps: FastifyInstance[] = [];

async function appWith(overrides: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const app = await buildApp({
    store: fixture.store,
    launcher: new RecordingLauncher(),
    datasets: await datasetCatalog(),
    ...overrides,
  });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  fixture = await makeFixture();
  outside = await mkdtemp(join(tmpdir(), 'dashboard-outside-'));
}, 300_000);
afterAll(async () => {
  for (const app of apps) await app.close();
  await fixture.cleanUp();
  await rm(outside, { recursive: true, force: true });
});

describe('symbolic links in the store (item 1)', () => {
  const LINKED_RUN = '20260103T000000Z-cccccc';
  beforeAll(async () => {
    const run = join(fixture.dir, 'runs', GOOD_RUN);
    await writeFile(join(outside, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    await symlink(join(outside, 'passwd'), join(run, 'plots', 'passwd.png'));
    await mkdir(join(outside, 'secrets'));
    await writeFile(join(outside, 'secrets', 'key.json'), '{"secret":true}');
    await symlink(join(outside, 'secrets'), join(run, 'secrets'));
    // A whole run folder that lives elsewhere: a copy of the good run, as if unpacked from someone's archive.
    await cp(run, join(outside, 'run'), { recursive: true, verbatimSymlinks: true });
    await writeFile(
      join(outside, 'run', 'manifest.json'),
      JSON.stringify({
        runId: LINKED_RUN,
        status: 'succeeded',
        createdAt: '2026-01-03T00:00:00.000Z',
        finishedAt: null,
      }),
    );
    await symlink(join(outside, 'run'), join(fixture.dir, 'runs', LINKED_RUN));
  });

  test('a linked file, a linked folder and a linked run folder are 404, and listed nowhere', async () => {
    const app = await appWith();
    for (const url of [
      `/api/runs/${GOOD_RUN}/artifacts/plots/passwd.png`,
      `/api/runs/${GOOD_RUN}/artifacts/secrets/key.json`,
      `/api/runs/${LINKED_RUN}`,
      `/api/runs/${LINKED_RUN}/artifacts/results/best_strategy.json`,
      `/api/runs/${LINKED_RUN}/artifacts/plots/passwd.png`,
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect([url, response.statusCode]).toEqual([url, 404]);
      expect(response.body).not.toContain('root:x');
      expect(response.body).not.toContain('"secret":true');
    }
    const list = (await app.inject({ method: 'GET', url: '/api/runs' })).json();
    expect(list.runs.map((r: { runId: string }) => r.runId)).toEqual([GOOD_RUN, FAILED_RUN]);
    const detail = (await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}` })).json();
    expect(
      detail.files
        .map((f: { path: string }) => f.path)
        .filter((p: string) => p.includes('passwd') || p.includes('secrets')),
    ).toEqual([]);
    expect(
      (await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}/artifacts/plots/equity_curve.png` })).statusCode,
    ).toBe(200);
  });

  test('keys from a store that may hold anything (S3) are offered only when they are valid artifact paths', async () => {
    const s3Like = storeWith(fixture.store, {
      location: 's3://bucket',
      list: async (prefix) =>
        [
          ...(await fixture.store.list(prefix)),
          `${prefix}../../latest.json`,
          `${prefix}plots//x.png`,
          `${prefix}a/%2e%2e/b.json`,
        ].filter((key) => key.startsWith(prefix)),
    });
    const app = await appWith({ store: s3Like });
    const detail = (await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}` })).json();
    expect(detail.files.some((f: { path: string }) => /\.\.|\/\/|%/.test(f.path))).toBe(false);
    expect(detail.files.length).toBeGreaterThan(3);
  });
});

describe('the work a run may take (item 2)', () => {
  test('the estimate follows the validate stage: null markets and the walk-forward use at most 1,000 strategies', () => {
    expect([NULL_MARKET_STRATEGIES, WALK_FORWARD_STRATEGIES]).toEqual([
      NULL_MARKET_MAX_STRATEGIES,
      WALK_FORWARD_MAX_STRATEGIES,
    ]);
    expect(estimateRunWork({ strategies: 100_000, nullMarkets: 200 }, 17_520)).toMatchObject({
      backtest: 1_752_000_000,
      nullMarketWork: 3_504_000_000,
      walkForward: 17_520_000,
      total: 5_273_520_000,
    });
    expect(estimateRunWork({ strategies: 100, nullMarkets: 3 }, 3000).total).toBe(100 * 3000 * 5);
  });

  test('a run above the budget is 400 saying the budget in words; the largest run with default settings fits', async () => {
    const recorder = new RecordingLauncher();
    const app = await appWith({ launcher: recorder });
    const huge = await postRun(app, { strategies: 100_000, nullMarkets: 200, dataset: 'synthetic-2y-hourly' });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().message).toBe(
      'this run is too big for this server: 100,000 strategies × 17,520 bars, plus 200 null markets and the walk-forward on up to 1,000 of them, ' +
        "is about 5,273,520,000 strategy-bars of backtesting; this server's budget (RUN_WORK_BUDGET) is 2,500,000,000 strategy-bars per run. " +
        'Choose fewer strategies, fewer null markets or a shorter data set.',
    );
    expect(recorder.requests).toEqual([]);
    const largest = await postRun(app, { strategies: 100_000, dataset: 'synthetic-2y-hourly' });
    expect(largest.statusCode).toBe(202);
    expect(DEFAULT_RUN_WORK_BUDGET).toBe(2_500_000_000);
  });

  test('the operator’s budget applies, to CSV data sets too (their rows counted)', async () => {
    const folder = join(outside, 'data');
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'prices.csv'),
      `timestamp,close\n${Array.from({ length: 2000 }, (_, i) => `${i * 3600},${100 + i}`).join('\n')}\n`,
    );
    const recorder = new RecordingLauncher();
    const app = await appWith({
      launcher: recorder,
      runWorkBudget: 1_000_000,
      datasets: await datasetCatalog({ dataDir: folder }),
    });
    const ok = await postRun(app, { strategies: 50, nullMarkets: 0, dataset: 'file:prices.csv' });
    expect(ok.statusCode).toBe(202);
    const tooMuch = await postRun(app, { strategies: 500, nullMarkets: 0, dataset: 'file:prices.csv' });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().message).toContain('500 strategies × 2,000 bars');
    expect(tooMuch.json().message).toContain('budget (RUN_WORK_BUDGET) is 1,000,000 strategy-bars');
    expect(recorder.requests).toHaveLength(1);
    expect(await barCounter(undefined)({ kind: 'file', path: join(folder, 'prices.csv') })).toBe(2000);
  });
});

describe('the run list and run details read little and cache committed runs (item 3)', () => {
  function countingStore() {
    const gets: string[] = [];
    const lists: string[] = [];
    const store = storeWith(fixture.store, {
      get: (key) => {
        gets.push(key);
        return fixture.store.get(key);
      },
      list: (prefix) => {
        lists.push(prefix);
        return fixture.store.list(prefix);
      },
      listFolders: (prefix) => fixture.store.listFolders(prefix),
    });
    return { store, gets, lists };
  }

  test('GET /api/runs never lists the runs’ files and reads each committed manifest once', async () => {
    const { store, gets, lists } = countingStore();
    const app = await appWith({ store });
    for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/api/runs' })).statusCode).toBe(200);
    expect(lists).toEqual([]);
    expect(gets.filter((k) => k === `runs/${GOOD_RUN}/manifest.json`)).toHaveLength(1);
    expect(gets.filter((k) => k === `runs/${FAILED_RUN}/manifest.json`)).toHaveLength(1);
  });

  test('GET /api/runs/:id reads a committed run once', async () => {
    const { store, gets, lists } = countingStore();
    const app = await appWith({ store });
    for (let i = 0; i < 3; i++)
      expect((await app.inject({ method: 'GET', url: `/api/runs/${GOOD_RUN}` })).statusCode).toBe(200);
    expect(gets.filter((k) => k.endsWith('validation_results.json'))).toHaveLength(1);
    expect(lists).toEqual([`runs/${GOOD_RUN}/`]);
  });

  test('the cache is bounded by entries and by bytes, least recently used out first', async () => {
    const loads: string[] = [];
    const load = (key: string, bytes: number) => async () => {
      loads.push(key);
      return { value: key.toUpperCase(), bytes };
    };
    const byCount = new RunCache({ maxEntries: 2, maxBytes: 1_000, maxEntryBytes: 1_000 });
    await byCount.get('a', load('a', 1));
    await byCount.get('b', load('b', 1));
    expect(await byCount.get('a', load('a', 1))).toBe('A'); // kept, and now the most recently used
    await byCount.get('c', load('c', 1)); // pushes out b
    await byCount.get('b', load('b', 1));
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
    expect(byCount.size).toBe(2);

    const byBytes = new RunCache({ maxEntries: 100, maxBytes: 100, maxEntryBytes: 60 });
    await byBytes.get('x', load('x', 60));
    await byBytes.get('y', load('y', 50)); // 110 bytes: x, the least recently used, goes
    expect(byBytes.bytes).toBe(50);
    await byBytes.get('huge', load('huge', 61)); // answered, but above the entry bound: not kept
    expect(byBytes.size).toBe(1);
  });
});

describe('authentication before the body (item 4)', () => {
  test('without the token: 401 with no word about the settings, whatever the body', async () => {
    const app = await appWith({ runTriggerToken: TOKEN });
    for (const payload of [
      { strategies: 100_001, dataset: 'synthetic-quick' },
      { strategies: 100, dataset: 'nope', extra: 1 },
      { pad: 'x'.repeat(5000) },
    ]) {
      const response = await postRun(app, payload);
      expect(response.statusCode).toBe(401);
      expect(response.json().message).toBe('starting a run needs the header Authorization: Bearer <token>');
      expect(response.body).not.toMatch(/body|strategies|dataset|100000/);
    }
  });

  test('wrong tokens do not use up the runs of the address; they are limited on their own', async () => {
    const recorder = new RecordingLauncher();
    const app = await appWith({
      launcher: recorder,
      runTriggerToken: TOKEN,
      runsPerMinute: 3,
      authFailuresPerMinute: 5,
    });
    const payload = { strategies: 100, dataset: 'synthetic-quick' };
    const post = (authorization: string) => postRun(app, payload, { authorization });
    const bad: number[] = [];
    for (let i = 0; i < 4; i++) bad.push((await post(`Bearer wrong-${i}`)).statusCode);
    expect(bad).toEqual([401, 401, 401, 401]);
    const good: number[] = [];
    for (let i = 0; i < 4; i++) good.push((await post(`Bearer ${TOKEN}`)).statusCode);
    expect(good).toEqual([202, 202, 202, 429]);
    const more: number[] = [];
    for (let i = 0; i < 3; i++) more.push((await post('Bearer wrong')).statusCode);
    expect(more).toEqual([401, 429, 429]);
    const blocked = await post('Bearer wrong');
    expect(blocked.json().message).toMatch(/^too many failed authentications from this address; try again in \d+ s$/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(recorder.requests).toHaveLength(3);
  });
});

describe('damaged runs and ids (item 5)', () => {
  const BROKEN = '20260104T000000Z-eeeeee';
  const OTHER = '20260105T000000Z-ffffff';
  const ODD = '20260106T000000Z-000000';
  /** A failed run's manifest whose fields have the wrong types (a run can hold anything someone put there). */
  const putOddManifest = (fields: Record<string, unknown>) =>
    fixture.store.put(
      `runs/${ODD}/manifest.json`,
      JSON.stringify({
        runId: ODD,
        status: 'failed',
        createdAt: '2026-01-06T00:00:00.000Z',
        config: { strategies: 'many', selectBy: 3 },
        summary: [],
        error: { stage: 1 },
        ...fields,
      }),
    );
  afterAll(async () => {
    for (const id of [BROKEN, OTHER, ODD]) await rm(join(fixture.dir, 'runs', id), { recursive: true, force: true });
    await fixture.store.put('latest.json', JSON.stringify({ runId: GOOD_RUN }));
  });

  test('a corrupt manifest is left out and reported; the other runs are listed', async () => {
    await fixture.store.put(`runs/${BROKEN}/manifest.json`, '{"runId": "2026');
    await fixture.store.put(
      `runs/${OTHER}/manifest.json`,
      JSON.stringify({ runId: GOOD_RUN, status: 'succeeded', createdAt: '2026-01-05T00:00:00Z' }),
    );
    await putOddManifest({ finishedAt: 7 });
    const app = await appWith();
    const response = await app.inject({ method: 'GET', url: '/api/runs' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.runs.map((r: { runId: string }) => r.runId)).toEqual([GOOD_RUN, FAILED_RUN]);
    expect(body.broken).toEqual([
      { key: `runs/${BROKEN}/manifest.json`, problem: 'is not valid JSON' },
      { key: `runs/${OTHER}/manifest.json`, problem: `names another run ("${GOOD_RUN}")` },
      { key: `runs/${ODD}/manifest.json`, problem: 'has a finish time that is not text' },
    ]);
    const detail = await app.inject({ method: 'GET', url: `/api/runs/${BROKEN}` });
    expect(detail.statusCode).toBe(500);
    expect(detail.json().message).toBe(`run ${BROKEN} cannot be shown: its manifest.json is not valid JSON`);
  });

  test('fields of the wrong type in a manifest show as unknown, not as a 500', async () => {
    await putOddManifest({ finishedAt: null, data: 'x' });
    const app = await appWith();
    const response = await app.inject({ method: 'GET', url: '/api/runs' });
    expect(response.statusCode).toBe(200);
    expect(response.json().runs.find((r: { runId: string }) => r.runId === ODD)).toEqual({
      runId: ODD,
      status: 'failed',
      createdAt: '2026-01-06T00:00:00.000Z',
      finishedAt: null,
      strategies: null,
      selectBy: null,
      dataSource: null,
      synthetic: null,
      verdict: null,
      headline: null,
      tone: null,
      drop: null,
      bestId: null,
      error: 'unknown stage: no message',
    });
  });

  test('a latest.json that names no run is reported, never passed on', async () => {
    const app = await appWith();
    for (const latest of ['{"runId": 42}', '{"runId": "../../etc/passwd"}', '{"runId": {"x": 1}}', 'not json']) {
      await fixture.store.put('latest.json', latest);
      const response = await app.inject({ method: 'GET', url: '/api/runs' });
      expect([latest, response.statusCode]).toEqual([latest, 200]);
      expect(response.json().latestRunId).toBeNull();
      expect(response.json().broken).toContainEqual({ key: 'latest.json', problem: 'does not name a run' });
    }
  });
});

describe('headers (item 6)', () => {
  test('HSTS only over HTTPS: from a trusted proxy’s X-Forwarded-Proto, never over plain HTTP', async () => {
    const direct = await appWith();
    const proxied = await appWith({ trustProxyHops: 1 });
    const hsts = async (app: FastifyInstance, headers: Record<string, string>) =>
      (await app.inject({ method: 'GET', url: '/', headers })).headers['strict-transport-security'];
    expect(await hsts(direct, {})).toBeUndefined();
    expect(await hsts(direct, { 'x-forwarded-proto': 'https' })).toBeUndefined();
    expect(await hsts(proxied, { 'x-forwarded-proto': 'http' })).toBeUndefined();
    expect(await hsts(proxied, { 'x-forwarded-proto': 'https' })).toBe('max-age=31536000; includeSubDomains');
  });

  test('the CSP allows styles from this server only', async () => {
    const csp = (await (await appWith()).inject({ method: 'GET', url: '/' })).headers[
      'content-security-policy'
    ] as string;
    const style = csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('style-src'));
    expect(style).toBe("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/https:(?!\/)/);
  });
});

describe('/readyz and a store that cannot take writes (item 13)', () => {
  const unwritable = (code: string): ArtifactStore =>
    storeWith(fixture.store, {
      put: async (key) => {
        throw new StoreWriteError(key, 'x', 'refused', Object.assign(new Error(code), { code }));
      },
    });

  test('a full or read-only store is not ready when this server writes runs; the reason is said', async () => {
    const full = await appWith({ store: unwritable('ENOSPC') });
    const response = await full.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json().message).toBe(
      'the artifact store cannot take writes: the disk is full (ENOSPC: no space left on the device)',
    );
    const readOnly = await appWith({ store: unwritable('EROFS') });
    expect((await readOnly.inject({ method: 'GET', url: '/readyz' })).json().message).toBe(
      'the artifact store cannot take writes: the store is on a read-only file system (EROFS)',
    );
    // A server whose runs are written elsewhere (Step Functions) only needs to read.
    const reader = await appWith({ store: unwritable('EROFS'), storeWrites: false });
    expect((await reader.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await (await appWith()).inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  test('a run on a full disk fails naming the stage and the file, also when its failed manifest cannot be written', async () => {
    const { store: local, dispose } = await tempStore('dashboard-full-');
    // The disk fills up when the backtest writes its results: every later write fails too, the manifest included.
    const full = storeWith(local, {
      listFolders: (p) => local.listFolders(p),
      put: async (key, body) => {
        if (key.includes('/results/') || key.endsWith('/manifest.json')) {
          throw new StoreWriteError(
            key,
            local.location,
            storeErrorReason('ENOSPC')!,
            Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
          );
        }
        return local.put(key, body);
      },
    });
    const launcher = new InProcessLauncher(full);
    const { runId } = await launcher.start({
      config: quickConfig({ strategies: 20, families: ['coin_flip'] }),
      data: SMALL_MARKET,
    });
    await launcher.close();
    const status = await launcher.status(runId);
    expect(status?.state).toBe('failed');
    const where = local.location.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(status?.error).toMatch(
      new RegExp(
        `^backtest: cannot write runs/${runId}/results/[a-z_]+\\.(csv|bin) in the store ${where}: the disk is full \\(ENOSPC: no space left on the device\\) ` +
          `\\(and run ${runId} could not be marked failed: cannot write runs/${runId}/manifest\\.json in the store ${where}: the disk is full`,
      ),
    );
    await dispose();
  });
});
