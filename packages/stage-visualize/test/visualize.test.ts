import {
  backtestStrategies,
  backtestStrategy,
  buyAndHold,
  createMarket,
  generateStrategies,
  type DataRef,
  type OverfittingReport,
  type Strategy,
} from '@overfit/core';
import { cachedPriceLoader } from '@overfit/data';
import { putJson, writePerformanceTable } from '@overfit/store';
import { tempStore } from '@overfit/testing/stores';
import { parseEvent, run } from '../src';

/** The parts of overfitting_report.json the figures read, as the validate stage would write them. */
function reportFor(ids: string[], best: Strategy, strategies: Strategy[], pbo: boolean): Partial<OverfittingReport> {
  return {
    inputs: {
      strategies: ids.length,
      trainingBars: 1050,
      validationBars: 450,
      periodsPerYear: 8760,
      selectBy: 'win_rate',
      selectedId: best.id,
      seed: 3,
      costsBps: 10,
      alpha: 0.05,
    },
    sharpeAcrossTrials: {
      defined: ids.length,
      variance: 1e-3,
      robustVariance: 1e-3,
      best: { id: ids[1], sharpe: 0.01, sharpeAnnual: 0.94 },
    },
    deflatedSharpe: {
      strategyId: best.id,
      trials: ids.length,
      effectiveTrials: 12.4,
      sharpeVariance: 1 / 1049,
      expectedMaxSharpe: 0.05,
      expectedMaxSharpeAnnual: 4.7,
      sharpe: 0.02,
      observations: 1050,
      skewness: 0,
      kurtosis: 3,
      value: 0.2,
      pValue: 0.6,
    },
    verdict: {
      level: 'no_evidence_of_skill',
      headline: 'No evidence of skill: s0, the best of 20 strategies by win rate, looks like luck.',
      tone: 'neutral',
      pValue: 0.4,
      tests: [],
      findings: [],
    },
    rankCorrelation: { metric: 'win_rate', rho: 0.1, pairs: ids.length },
    pbo: pbo
      ? {
          source: 'training block moments',
          blocks: 64,
          blockBars: 16,
          partitions: 16,
          barsPerPartition: 64,
          rankedBy: 'win rate',
          minimumTradesPerHalf: 5,
          combinations: 3,
          allCombinations: 3,
          pbo: 2 / 3,
          probabilityOfLoss: 0.5,
          degradation: { slope: -0.5, intercept: 0, r2: 0.1 },
          logits: [-1, -0.2, 0.7],
        }
      : null,
    walkForward: {
      folds: 3,
      strategiesUsed: ids.length,
      minTradesPerFold: 3,
      totalReturn: 0.05,
      buyAndHoldReturn: 0.02,
      sharpeAnnual: 0.4,
      probabilisticSharpe: 0.6,
      table: [
        {
          selectedOn: { start: 0, end: 500 },
          heldOn: { start: 500, end: 1000 },
          strategy: strategies[2],
          inSample: 0.6,
          outOfSample: 0.5,
          heldReturn: 0.01,
        },
        {
          selectedOn: { start: 500, end: 1000 },
          heldOn: { start: 1000, end: 1500 },
          strategy: null,
          inSample: null,
          outOfSample: null,
          heldReturn: 0,
        },
      ],
    },
  };
}

it('renders the figures into the run folder', async () => {
  const { store, dispose } = await tempStore('overfit-visualize-');
  const loadPrices = cachedPriceLoader();
  const data: DataRef = { kind: 'synthetic', bars: 1500, seed: 3, intervalSeconds: 3600 };
  // Upstream artifacts as the earlier stages would leave them (built from core, not from another stage).
  const market = createMarket((await loadPrices(data)).series);
  const costs = { feesBps: 10, slippageBps: 0 };
  const training = { start: 0, end: 1050 };
  const validation = { start: 1050, end: 1500 };
  const strategies = generateStrategies({ count: 20, seed: 3 });
  await writePerformanceTable(
    store,
    'runs/r1/results/training_performance.csv',
    strategies,
    backtestStrategies(strategies, market, training, costs),
  );
  const best = strategies[0];
  await putJson(store, 'runs/r1/results/validation_results.json', {
    strategy: best,
    originalRule: { verdict: 'overfit', explanation: 'win_rate fell' },
    windows: { training: { ...training, bars: 1050 }, validation: { ...validation, bars: 450 } },
    training: backtestStrategy(best, market, training, costs),
    validation: backtestStrategy(best, market, validation, costs),
    buyAndHold: { training: buyAndHold(market, training), validation: buyAndHold(market, validation) },
  });

  await writePerformanceTable(
    store,
    'runs/r1/results/validation_performance.csv',
    strategies,
    backtestStrategies(strategies, market, validation, costs),
  );
  const event = {
    runId: 'r1',
    config: { strategies: 20, seed: 3 },
    data,
    trainingPerformanceKey: 'runs/r1/results/training_performance.csv',
    validationResultsKey: 'runs/r1/results/validation_results.json',
    validationPerformanceKey: 'runs/r1/results/validation_performance.csv',
    overfittingReportKey: 'runs/r1/results/overfitting_report.json',
  };
  const ids = strategies.map((s) => s.id);
  await putJson(store, event.overfittingReportKey, reportFor(ids, best, strategies, true));
  const output = await run(parseEvent(event), { store, loadPrices });
  expect(output.plotKeys).toEqual([
    'runs/r1/plots/win_rate_histogram.png',
    'runs/r1/plots/performance_comparison.png',
    'runs/r1/plots/equity_curve.png',
    'runs/r1/plots/is_vs_oos_scatter.png',
    'runs/r1/plots/pbo_logits.png',
    'runs/r1/plots/expected_max_sharpe.png',
    'runs/r1/plots/walk_forward_equity.png',
  ]);
  for (const key of output.plotKeys) expect((await store.get(key)).subarray(1, 4).toString()).toBe('PNG');

  // A run whose training window was too short for CSCV has no PBO: its figure is left out, not drawn empty.
  await putJson(store, event.overfittingReportKey, reportFor(ids, best, strategies, false));
  expect((await run(parseEvent(event), { store, loadPrices })).plotKeys).not.toContain('runs/r1/plots/pbo_logits.png');

  // Selected by Sharpe, the histogram shows Sharpe ratios and its file says so.
  const bySharpe = await run(parseEvent({ ...event, config: { ...event.config, selectBy: 'sharpe' } }), {
    store,
    loadPrices,
  });
  expect(bySharpe.plotKeys[0]).toBe('runs/r1/plots/sharpe_histogram.png');
  expect((await store.get('runs/r1/plots/sharpe_histogram.png')).subarray(1, 4).toString()).toBe('PNG');
  await dispose();
}, 300_000);

it('needs every result key', () => {
  const event = {
    runId: 'r1',
    config: {},
    data: { kind: 'file', path: 'x.csv' },
    trainingPerformanceKey: 'runs/r1/results/training_performance.csv',
  };
  expect(() => parseEvent(event)).toThrow('event.validationPerformanceKey');
  expect(() =>
    parseEvent({
      ...event,
      validationPerformanceKey: 'runs/r1/results/validation_performance.csv',
      validationResultsKey: 'runs/r1/results/validation_results.json',
    }),
  ).toThrow('event.overfittingReportKey');
});
