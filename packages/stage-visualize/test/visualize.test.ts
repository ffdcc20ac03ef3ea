import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backtestStrategies, backtestStrategy, buyAndHold, createMarket, generateStrategies, type DataRef } from '@overfit/core';
import { cachedPriceLoader } from '@overfit/data';
import { formatTrainingPerformance, LocalStore, putJson } from '@overfit/store';
import { parseEvent, run } from '../src';

it('renders the three figures into the run folder', async () => {
  const root = await mkdtemp(join(tmpdir(), 'overfit-visualize-'));
  const store = new LocalStore(root);
  const loadPrices = cachedPriceLoader();
  const data: DataRef = { kind: 'synthetic', bars: 1500, seed: 3, intervalSeconds: 3600 };
  // Upstream artifacts as the earlier stages would leave them (built from core, not from another stage).
  const market = createMarket((await loadPrices(data)).series);
  const costs = { feesBps: 10, slippageBps: 0 };
  const training = { start: 0, end: 1050 };
  const validation = { start: 1050, end: 1500 };
  const strategies = generateStrategies({ count: 20, seed: 3 });
  await store.put('runs/r1/results/training_performance.csv', formatTrainingPerformance(strategies, backtestStrategies(strategies, market, training, costs)));
  const best = strategies[0];
  await putJson(store, 'runs/r1/results/validation_results.json', {
    strategy: best, verdict: 'overfit', explanation: 'win_rate fell',
    windows: { training: { ...training, bars: 1050 }, validation: { ...validation, bars: 450 } },
    training: backtestStrategy(best, market, training, costs), validation: backtestStrategy(best, market, validation, costs),
    buyAndHold: { training: buyAndHold(market, training), validation: buyAndHold(market, validation) },
  });

  const output = await run(parseEvent({
    runId: 'r1', config: { strategies: 20, seed: 3 }, data,
    trainingPerformanceKey: 'runs/r1/results/training_performance.csv', validationResultsKey: 'runs/r1/results/validation_results.json',
  }), { store, loadPrices });
  expect(output.plotKeys).toEqual(['runs/r1/plots/win_rate_histogram.png', 'runs/r1/plots/performance_comparison.png', 'runs/r1/plots/equity_curve.png']);
  for (const key of output.plotKeys) expect((await store.get(key)).subarray(1, 4).toString()).toBe('PNG');
  await rm(root, { recursive: true, force: true });
});

it('needs both result keys', () => {
  expect(() => parseEvent({ runId: 'r1', config: {}, data: { kind: 'file', path: 'x.csv' }, trainingPerformanceKey: 'runs/r1/results/training_performance.csv' }))
    .toThrow('event.validationResultsKey');
});
