// Manifests for the store's tests: a succeeded one carries a config and a summary, a failed one its error.
import { DEFAULT_RUN_CONFIG } from '@overfit/core';
import type { RunManifest, RunStatus } from '../src';

export function testManifest(
  runId: string,
  status: RunStatus,
  error = { stage: 'backtest', message: 'x' },
): RunManifest {
  const common = {
    runId,
    createdAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    data: null,
    codeVersion: 'test',
    timings: {},
    artifacts: [],
  };
  return status === 'succeeded'
    ? {
        ...common,
        status,
        config: DEFAULT_RUN_CONFIG,
        summary: {
          bestId: 's1',
          eligible: 1,
          selectBy: 'win_rate',
          verdict: 'overfit',
          headline: 'h',
          tone: 'bad',
          drop: 0.5,
        },
      }
    : { ...common, status, config: {}, error };
}
