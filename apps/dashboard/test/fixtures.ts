// A real store for the tests: one small run made by the real pipeline, plus a run that failed.
import type { FastifyInstance } from 'fastify';
import { parseRunConfig, type DataRef, type RunConfig } from '@overfit/core';
import { runLocalPipeline } from '@overfit/pipeline';
import { commitRun, type LocalStore, type RunManifest } from '@overfit/store';
import { tempStore } from '@overfit/testing/stores';
import type { RunLauncher, RunProgress, RunRequest } from '../src/runLauncher';

export const SMALL_MARKET: DataRef = { kind: 'synthetic', bars: 3_000, seed: 7, intervalSeconds: 3600 };
export const GOOD_RUN = '20260101T000000Z-aaaaaa';
export const FAILED_RUN = '20260102T000000Z-bbbbbb';

/** A run configuration for tests: no null-market control (it repeats the search; these tests need not wait). */
export function quickConfig(fields: Record<string, unknown>): RunConfig {
  return parseRunConfig({ ...fields, nullMarkets: 0 });
}

export interface Fixture {
  dir: string;
  store: LocalStore;
  cleanUp: () => Promise<void>;
}

/** A store with nothing in it, as before the first `npm run demo`. */
export async function makeEmptyFixture(): Promise<Fixture> {
  const { dir, store, dispose } = await tempStore('dashboard-empty-');
  return { dir, store, cleanUp: dispose };
}

export async function makeFixture(): Promise<Fixture> {
  const { dir, store, dispose } = await tempStore('dashboard-test-');
  await runLocalPipeline({
    config: quickConfig({ strategies: 120, seed: 3 }),
    data: SMALL_MARKET,
    store,
    runId: GOOD_RUN,
  });
  const failed: RunManifest = {
    runId: FAILED_RUN,
    status: 'failed',
    createdAt: '2026-01-02T00:00:00.000Z',
    finishedAt: '2026-01-02T00:00:01.000Z',
    config: parseRunConfig({ strategies: 50 }),
    data: null,
    codeVersion: 'test',
    timings: {},
    artifacts: [],
    error: { stage: 'backtest', message: 'the disk was full' },
  };
  await commitRun(store, failed);
  return { dir, store, cleanUp: dispose };
}

/** A launcher that records what it was asked to start, for testing the routes in front of it. */
export class RecordingLauncher implements RunLauncher {
  readonly kind = 'in-process';
  readonly requests: RunRequest[] = [];
  private count = 0;
  async start(request: RunRequest): Promise<{ runId: string }> {
    this.requests.push(request);
    this.count += 1;
    return { runId: `20260301T000000Z-${String(this.count).padStart(6, '0')}` };
  }
  async status(runId: string): Promise<RunProgress | null> {
    return this.requests.length > 0 && runId.startsWith('20260301T')
      ? {
          runId,
          state: 'running',
          stage: 'backtest',
          backtest: { done: 1, total: 2 },
          validate: null,
          error: null,
          startedAt: '2026-03-01T00:00:00.000Z',
          finishedAt: null,
        }
      : null;
  }
  inFlight() {
    return [];
  }
  async close(): Promise<void> {}
}

/** POST /api/runs to the app, as the Try it page does (headers: a token, a client address, a content type). */
export function postRun(app: FastifyInstance, payload: object | string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/api/runs', payload, headers });
}
