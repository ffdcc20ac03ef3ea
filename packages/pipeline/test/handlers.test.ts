// The six Lambda handlers as Lambda calls them: a malformed event is an InputError naming the field (before any
// work), every log line is JSON carrying the run id and the stage, and metrics go out as CloudWatch EMF.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@overfit/core';
import { cachedPriceLoader } from '@overfit/data';
import { createHandler, METRICS_NAMESPACE, type StageDefinition } from '@overfit/lambda';
import { LocalStore } from '@overfit/store';
import { stage as generate } from '@overfit/stage-generate/handler';
import { stage as backtest } from '@overfit/stage-backtest/handler';
import { stage as select } from '@overfit/stage-select/handler';
import { stage as validate } from '@overfit/stage-validate/handler';
import { stage as visualize } from '@overfit/stage-visualize/handler';
import { finalizeStage } from '../src';

let root: string;
let store: LocalStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'overfit-handlers-'));
  store = new LocalStore(root);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const data = { kind: 'synthetic', bars: 2000, seed: 1, intervalSeconds: 3600 };
const good = { runId: 'r1', config: { strategies: 20 }, data };
// biome-ignore lint/suspicious/noExplicitAny: the six definitions have different event types, taken here alike
type AnyDefinition = StageDefinition<any, any>;
const handlerFor = (definition: AnyDefinition, logLevel: 'SILENT' | 'INFO' = 'SILENT', publishMetrics = false) =>
  createHandler(definition, {
    deps: () => ({ store, loadPrices: cachedPriceLoader(store) }),
    logLevel,
    publishMetrics,
  });

/** Lines written while `work` runs: logs (errors on stderr) and EMF, all of which a Lambda's log group receives. */
async function outputOf(work: () => Promise<unknown>): Promise<{ lines: Record<string, unknown>[]; error?: unknown }> {
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  let error: unknown;
  try {
    await work();
  } catch (e) {
    error = e;
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return {
    lines: written
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>),
    error,
  };
}

describe('a malformed event', () => {
  it.each([
    [
      'generate',
      generate,
      { ...good, config: { strategies: 0 } },
      'event.config.strategies: must be an integer from 1 to',
    ],
    ['generate', generate, { ...good, shardSize: 'big' }, 'event.shardSize: must be an integer'],
    ['backtest', backtest, good, 'event.strategiesKey: must be a key under runs/r1/'],
    [
      'backtest',
      backtest,
      { ...good, strategiesKey: 'runs/r1/strategies/strategies.json', shard: { index: 0, start: 5, end: 2 } },
      'event.shard: is empty',
    ],
    [
      'select',
      select,
      { ...good, strategiesKey: 'runs/r1/s.json', shards: [] },
      'event.shards: must be a non-empty list',
    ],
    ['validate', validate, { ...good, runId: '../etc' }, 'event.runId: must be a run id'],
    ['visualize', visualize, { ...good, data: { kind: 'file' } }, 'event.data.path: must be a file path'],
    [
      'finalize',
      finalizeStage,
      { status: 'done', startedAt: '2026-11-24T10:00:00Z', run: good },
      'event.status: must be "succeeded" or "failed"',
    ],
    [
      'finalize',
      finalizeStage,
      { status: 'failed', startedAt: '2026-11-24T10:00:00Z', run: { runId: '' } },
      'event.run.runId: must be a run id',
    ],
  ])('%s: %j is refused naming the field', async (_name, definition, event, message) => {
    const handler = handlerFor(definition);
    const failure = handler(event);
    await expect(failure).rejects.toBeInstanceOf(InputError);
    await expect(failure).rejects.toThrow(message);
    expect(await store.list('')).toEqual([]);
  });

  it('is refused by every handler when it is not even an object', async () => {
    for (const definition of [generate, backtest, select, validate, visualize, finalizeStage]) {
      await expect(handlerFor(definition)('{"runId":"r1"}')).rejects.toThrow('event: must be a JSON object');
    }
  });
});

describe('logs and metrics', () => {
  it('writes JSON log lines that all carry the run id and the stage, and EMF metrics with the counts', async () => {
    const handler = handlerFor(generate, 'INFO', true);
    const { lines, error } = await outputOf(() => handler({ ...good, shardSize: 8 }));
    expect(error).toBeUndefined();
    const logs = lines.filter((l) => 'message' in l);
    expect(logs.map((l) => l.message)).toEqual(['stage started', 'stage finished']);
    for (const line of logs)
      expect(line).toMatchObject({ runId: 'r1', stage: 'generate', level: 'INFO', service: 'overfitting-lab' });
    const emf = lines.find((l) => '_aws' in l) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] };
    };
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe(METRICS_NAMESPACE);
    expect(emf._aws.CloudWatchMetrics[0].Metrics.map((m) => m.Name).sort()).toEqual([
      'BacktestShards',
      'StageDuration',
      'StrategiesGenerated',
    ]);
    expect(emf).toMatchObject({ stage: 'generate', StrategiesGenerated: 20, BacktestShards: 3 });
  });

  it('logs a failure with the run id and stage, then rethrows it', async () => {
    const handler = handlerFor(backtest, 'INFO', true);
    const { lines, error } = await outputOf(() => handler({ ...good, strategiesKey: 'runs/r1/strategies/none.json' }));
    expect((error as Error).name).toBe('ArtifactNotFoundError');
    const failure = lines.find((l) => l.message === 'stage failed') as {
      runId: string;
      stage: string;
      level: string;
      error: { message: string };
    };
    expect(failure).toMatchObject({ runId: 'r1', stage: 'backtest', level: 'ERROR' });
    expect(failure.error.message).toContain('runs/r1/strategies/none.json');
    expect(lines.find((l) => '_aws' in l)).toMatchObject({ StageFailures: 1 });
  });
});
