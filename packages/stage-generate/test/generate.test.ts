import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStrategies, parseRunConfig } from '@overfit/core';
import { getJson, LocalStore, type StrategiesDocument } from '@overfit/store';
import { parseEvent, run } from '../src';

const data = { kind: 'synthetic', bars: 1000, seed: 1, intervalSeconds: 3600 } as const;

it('stores the seeded strategies with their inputs and returns the key', async () => {
  const root = await mkdtemp(join(tmpdir(), 'overfit-generate-'));
  const store = new LocalStore(root);
  const config = parseRunConfig({ strategies: 25, seed: 9, families: ['sma_cross', 'macd'] });
  const output = await run({ runId: 'r1', config, data }, { store });
  expect(output).toEqual({ strategiesKey: 'runs/r1/strategies/strategies.json', count: 25 });
  const document = await getJson<StrategiesDocument>(store, output.strategiesKey);
  expect(document).toEqual({ seed: 9, families: ['sma_cross', 'macd'], count: 25, strategies: generateStrategies({ count: 25, seed: 9, families: ['sma_cross', 'macd'] }) });
  await rm(root, { recursive: true, force: true });
});

it('validates its event', () => {
  expect(parseEvent({ runId: 'r1', config: { strategies: 3 }, data }).config.strategies).toBe(3);
  expect(() => parseEvent({ runId: 'r1', config: { strategies: -3 }, data })).toThrow('event.config.strategies');
  expect(() => parseEvent('{"runId":"r1"}')).toThrow('event: must be a JSON object');
});
