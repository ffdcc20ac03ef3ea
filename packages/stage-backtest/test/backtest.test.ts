import {
  backtestStrategy,
  createMarket,
  generateStrategies,
  parseRunConfig,
  splitWindows,
  type DataRef,
} from '@overfit/core';
import { cachedPriceLoader } from '@overfit/data';
import { putJson, readBlockMoments, readPerformanceTable } from '@overfit/store';
import { tempStore } from '@overfit/testing/stores';
import { assertEnoughBars, parseEvent, run } from '../src';

const data: DataRef = { kind: 'synthetic', bars: 1500, seed: 2, intervalSeconds: 3600 };

it('backtests every strategy on both windows: one CSV row each, and the training block moments', async () => {
  const { store, dispose } = await tempStore('overfit-backtest-');
  const config = parseRunConfig({ strategies: 30, seed: 4 });
  const strategies = generateStrategies({ count: 30, seed: 4 });
  await putJson(store, 'runs/r1/strategies/strategies.json', { strategies });
  const loadPrices = cachedPriceLoader();
  const progress: number[] = [];
  const output = await run(
    { runId: 'r1', config, data, strategiesKey: 'runs/r1/strategies/strategies.json' },
    { store, loadPrices, onProgress: (done) => progress.push(done) },
  );
  expect(output).toEqual({
    trainingPerformanceKey: 'runs/r1/results/training_performance.csv',
    validationPerformanceKey: 'runs/r1/results/validation_performance.csv',
    blockMomentsKey: 'runs/r1/results/block_moments.bin',
    count: 30,
    windows: splitWindows(1500, 0.7),
  });
  expect(progress[progress.length - 1]).toBe(30);

  const market = createMarket((await loadPrices(data)).series);
  const windows = {
    trainingPerformanceKey: { start: 0, end: 1050 },
    validationPerformanceKey: { start: 1050, end: 1500 },
  } as const;
  for (const [key, window] of Object.entries(windows)) {
    const table = await readPerformanceTable(store, output[key as keyof typeof windows]);
    expect(table.ids).toEqual(strategies.map((s) => s.id));
    for (const i of [0, 7, 29]) {
      const expected = backtestStrategy(strategies[i], market, window, { feesBps: 10, slippageBps: 0 });
      for (const [name, value] of Object.entries(expected))
        expect(table.columns[name as keyof typeof expected][i]).toEqual(value);
    }
  }
  const moments = await readBlockMoments(store, output.blockMomentsKey);
  expect(moments).toMatchObject({ strategies: 30, blocks: 64, blockBars: 16 }); // ⌊1050 / 64⌋
  await dispose();
});

it('refuses a training window shorter than the longest lookback, naming the data', () => {
  const strategies = [{ id: 's1', family: 'sma_cross', fast: 5, slow: 200, direction: 'long_only' } as const];
  expect(() => assertEnoughBars(strategies, 150, 'prices.csv')).toThrow(
    'prices.csv: the training window has 150 bars but strategy s1 (sma_cross) needs more than 200',
  );
  expect(() => assertEnoughBars(strategies, 201, 'prices.csv')).not.toThrow();
});

it('needs the strategies key of its own run', () => {
  expect(() => parseEvent({ runId: 'r1', config: {}, data })).toThrow('event.strategiesKey');
});

it('backtests one shard: its strategies only, the same rows as the whole run, under the shard folder', async () => {
  const { store, dispose } = await tempStore('overfit-backtest-');
  const config = parseRunConfig({ strategies: 12, seed: 4 });
  await putJson(store, 'runs/r1/strategies/strategies.json', {
    strategies: generateStrategies({ count: 12, seed: 4 }),
  });
  const base = { runId: 'r1', config, data, strategiesKey: 'runs/r1/strategies/strategies.json' };
  const deps = { store, loadPrices: cachedPriceLoader() };
  const whole = await run(base, deps);
  const shard = await run(parseEvent({ ...base, shard: { index: 1, start: 5, end: 9 } }), deps);
  expect(shard).toMatchObject({
    trainingPerformanceKey: 'runs/r1/shards/0001/training_performance.csv',
    count: 4,
    shard: { index: 1, start: 5, end: 9 },
  });
  const rows = async (key: string) => (await store.get(key)).toString().trim().split('\n');
  const [header, ...all] = await rows(whole.trainingPerformanceKey);
  expect(await rows(shard.trainingPerformanceKey)).toEqual([header, ...all.slice(5, 9)]);
  expect((await readBlockMoments(store, shard.blockMomentsKey)).sum).toEqual(
    (await readBlockMoments(store, whole.blockMomentsKey)).sum.slice(5 * 64, 9 * 64),
  );
  await expect(run({ ...base, shard: { index: 2, start: 9, end: 13 } }, deps)).rejects.toThrow(
    'event.shard: ends at strategy 13, but the run has 12',
  );
  await dispose();
});
