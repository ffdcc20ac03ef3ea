import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backtestStrategy, buyAndHold, createMarket, parseRunConfig, type DataRef, type Strategy } from '@overfit/core';
import { cachedPriceLoader } from '@overfit/data';
import { getJson, LocalStore, putJson, type ValidationResults } from '@overfit/store';
import { judge, parseEvent, run } from '../src';

describe('judge', () => {
  it('calls a fall beyond the threshold overfitting', () => {
    expect(judge('win_rate', 0.6, 0.48, 0.15)).toMatchObject({ verdict: 'overfit', drop: expect.closeTo(0.2, 12) });
    expect(judge('win_rate', 0.6, 0.54, 0.15)).toMatchObject({ verdict: 'held_up', drop: expect.closeTo(0.1, 12) });
    expect(judge('win_rate', 0.6, 0.66, 0.15)).toMatchObject({ verdict: 'held_up', drop: expect.closeTo(-0.1, 12) });
    expect(judge('sharpe', -1, -2, 0.15)).toMatchObject({ verdict: 'overfit', drop: 1 }); // relative to |training|
  });
  it('cannot judge an undefined value', () => {
    expect(judge('win_rate', 0.6, Number.NaN, 0.15)).toMatchObject({ verdict: 'inconclusive', drop: null });
    expect(judge('sharpe', 0, 0.5, 0.15)).toMatchObject({ verdict: 'inconclusive', drop: null });
  });
});

it('re-tests the selected strategy on the held-out bars, beside buy-and-hold', async () => {
  const root = await mkdtemp(join(tmpdir(), 'overfit-validate-'));
  const store = new LocalStore(root);
  const data: DataRef = { kind: 'synthetic', bars: 2000, seed: 5, intervalSeconds: 3600 };
  const strategy: Strategy = { id: 's0007', family: 'sma_cross', fast: 10, slow: 60, direction: 'long_short' };
  await putJson(store, 'runs/r1/results/best_strategy.json', { strategy });
  const loadPrices = cachedPriceLoader();
  const config = parseRunConfig({ overfitThreshold: 0.15 });
  const output = await run(parseEvent({ runId: 'r1', config, data, bestStrategyKey: 'runs/r1/results/best_strategy.json' }), { store, loadPrices });
  const results = await getJson<ValidationResults>(store, output.validationResultsKey);

  const market = createMarket((await loadPrices(data)).series);
  const costs = { feesBps: 10, slippageBps: 0 };
  const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)); // NaN → null, as stored
  expect(results.training).toEqual(json(backtestStrategy(strategy, market, { start: 0, end: 1400 }, costs)));
  expect(results.validation).toEqual(json(backtestStrategy(strategy, market, { start: 1400, end: 2000 }, costs)));
  expect(results.buyAndHold.validation).toEqual(json(buyAndHold(market, { start: 1400, end: 2000 })));
  expect(results.windows.validation).toEqual({ start: 1400, end: 2000, bars: 600, first: '2020-02-28T08:00:00.000Z', last: '2020-03-24T07:00:00.000Z' });
  const expected = judge('win_rate', results.training.winRate, results.validation.winRate, 0.15);
  expect(output).toEqual({ validationResultsKey: 'runs/r1/results/validation_results.json', verdict: expected.verdict, drop: expected.drop });
  expect(results.relativeChange.totalReturn).toBeCloseTo((results.validation.totalReturn - results.training.totalReturn) / Math.abs(results.training.totalReturn), 12);
  await rm(root, { recursive: true, force: true });
});
