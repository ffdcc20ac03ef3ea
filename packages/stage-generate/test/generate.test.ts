import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStrategies, parseRunConfig } from '@overfit/core';
import { getJson, LocalStore, type StrategiesDocument } from '@overfit/store';
import { tempStore } from '@overfit/testing/stores';
import { parseEvent, run } from '../src';

const data = { kind: 'synthetic', bars: 1000, seed: 1, intervalSeconds: 3600 } as const;

it('stores the seeded strategies with their inputs and returns the key', async () => {
  const { store, dispose } = await tempStore('overfit-generate-');
  const config = parseRunConfig({ strategies: 25, seed: 9, families: ['sma_cross', 'macd'] });
  const output = await run({ runId: 'r1', config, data }, { store });
  expect(output).toEqual({
    strategiesKey: 'runs/r1/strategies/strategies.json',
    count: 25,
    shards: [{ index: 0, start: 0, end: 25 }],
    maxConcurrency: 10,
  });
  const document = await getJson<StrategiesDocument>(store, output.strategiesKey);
  expect(document).toEqual({
    seed: 9,
    families: ['sma_cross', 'macd'],
    count: 25,
    strategies: generateStrategies({ count: 25, seed: 9, families: ['sma_cross', 'macd'] }),
  });
  await dispose();
});

it('validates its event', () => {
  expect(parseEvent({ runId: 'r1', config: { strategies: 3 }, data }).config.strategies).toBe(3);
  expect(() => parseEvent({ runId: 'r1', config: { strategies: -3 }, data })).toThrow('event.config.strategies');
  expect(() => parseEvent('{"runId":"r1"}')).toThrow('event: must be a JSON object');
});

it('plans contiguous backtest shards from the shard size, and names a bad plan field', async () => {
  const root = await mkdtemp(join(tmpdir(), 'overfit-generate-'));
  const config = parseRunConfig({ strategies: 10, seed: 1 });
  const input = parseEvent({ runId: 'r1', config, data, shardSize: 4, maxConcurrency: 2 });
  const output = await run(input, { store: new LocalStore(root) });
  expect(output.shards).toEqual([
    { index: 0, start: 0, end: 4 },
    { index: 1, start: 4, end: 8 },
    { index: 2, start: 8, end: 10 },
  ]);
  expect(output.maxConcurrency).toBe(2);
  expect(() => parseEvent({ runId: 'r1', config, data, shardSize: 0 })).toThrow(
    'event.shardSize: must be an integer from 1 to 1000000 (got 0)',
  );
  expect(() => parseEvent({ runId: 'r1', config, data, maxConcurrency: '4' })).toThrow('event.maxConcurrency');
  await expect(
    run(parseEvent({ runId: 'r1', config: { strategies: 100_000 }, data, shardSize: 10 }), {
      store: new LocalStore(root),
    }),
  ).rejects.toThrow(
    'shardSize: 100000 strategies in shards of 10 make 10000 shards; at most 1000 (use a shard size of at least 100)',
  );
  await rm(root, { recursive: true, force: true });
});
