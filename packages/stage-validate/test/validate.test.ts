import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  backtestAll,
  backtestStrategy,
  buyAndHold,
  createMarket,
  generateStrategies,
  parseRunConfig,
  splitWindows,
  type DataRef,
  type OverfittingReport,
  type RunConfig,
  type Strategy,
} from '@overfit/core';
import { cachedPriceLoader, type LoadedPrices } from '@overfit/data';
import {
  getJson,
  LocalStore,
  putJson,
  readPerformanceTable,
  runKeys,
  writeBlockMoments,
  writePerformanceTable,
  type ArtifactStore,
  type ValidationResults,
} from '@overfit/store';
import { tempStore } from '@overfit/testing/stores';
import { judge, parseEvent, run } from '../src';
import { selectedRow } from '../src/selectionProcess';

/** What generate, backtest and select leave in the store for validate: written here with core's functions. */
async function prepareRun(
  store: ArtifactStore,
  runId: string,
  config: RunConfig,
  prices: LoadedPrices,
  best?: Strategy,
) {
  const strategies = generateStrategies({ count: config.strategies, seed: config.seed, families: config.families });
  const market = createMarket(prices.series);
  const windows = splitWindows(prices.series.close.length, config.trainFraction);
  const results = backtestAll(
    strategies,
    market,
    windows,
    { feesBps: config.feesBps, slippageBps: config.slippageBps },
    { blocks: 64, selectBy: config.selectBy },
  );
  const k = runKeys(runId);
  await putJson(store, k.strategies, {
    seed: config.seed,
    families: config.families,
    count: strategies.length,
    strategies,
  });
  await writePerformanceTable(store, k.trainingPerformance, strategies, results.training);
  await writePerformanceTable(store, k.validationPerformance, strategies, results.validation);
  await writeBlockMoments(store, k.blockMoments, results.trainingMoments);
  await putJson(store, k.bestStrategy, { strategy: best ?? strategies[0] });
  return {
    runId,
    config,
    bestStrategyKey: k.bestStrategy,
    strategiesKey: k.strategies,
    trainingPerformanceKey: k.trainingPerformance,
    validationPerformanceKey: k.validationPerformance,
    blockMomentsKey: k.blockMoments,
  };
}

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
  const { store, dispose } = await tempStore('overfit-validate-');
  const data: DataRef = { kind: 'synthetic', bars: 2000, seed: 5, intervalSeconds: 3600 };
  const strategy: Strategy = { id: 's0007', family: 'sma_cross', fast: 10, slow: 60, direction: 'long_short' };
  const loadPrices = cachedPriceLoader();
  const config = parseRunConfig({ overfitThreshold: 0.15, strategies: 20, nullMarkets: 0 });
  const event = await prepareRun(store, 'r1', config, await loadPrices(data), strategy);
  const output = await run(parseEvent({ ...event, data }), { store, loadPrices });
  const results = await getJson<ValidationResults>(store, output.validationResultsKey);

  const market = createMarket((await loadPrices(data)).series);
  const costs = { feesBps: 10, slippageBps: 0 };
  const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)); // NaN → null, as stored
  expect(results.training).toEqual(json(backtestStrategy(strategy, market, { start: 0, end: 1400 }, costs)));
  expect(results.validation).toEqual(json(backtestStrategy(strategy, market, { start: 1400, end: 2000 }, costs)));
  expect(results.buyAndHold.validation).toEqual(json(buyAndHold(market, { start: 1400, end: 2000 })));
  expect(results.windows.validation).toEqual({
    start: 1400,
    end: 2000,
    bars: 600,
    first: '2020-02-28T08:00:00.000Z',
    last: '2020-03-24T07:00:00.000Z',
  });
  const expected = judge('win_rate', results.training.winRate, results.validation.winRate, 0.15);
  expect(results.originalRule).toEqual({ verdict: expected.verdict, explanation: expected.explanation });
  const report = await getJson<OverfittingReport>(store, output.overfittingReportKey);
  expect(output).toEqual({
    validationResultsKey: 'runs/r1/results/validation_results.json',
    overfittingReportKey: 'runs/r1/results/overfitting_report.json',
    verdict: report.verdict.level,
    headline: report.verdict.headline,
    tone: report.verdict.tone,
    drop: expected.drop,
  });
  expect(results.relativeChange.totalReturn).toBeCloseTo(
    (results.validation.totalReturn - results.training.totalReturn) / Math.abs(results.training.totalReturn),
    12,
  );
  await dispose();
}, 120_000);

describe('overfitting report', () => {
  const data: DataRef = { kind: 'synthetic', bars: 3000, seed: 9, intervalSeconds: 3600 };
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'overfit-report-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('measures the selection with every statistic and its inputs, reproducibly', async () => {
    const loadPrices = cachedPriceLoader();
    const config = parseRunConfig({ strategies: 40, seed: 3, nullMarkets: 2 });
    const reports: Buffer[] = [];
    for (const dir of ['a', 'b']) {
      const store = new LocalStore(join(root, dir));
      const event = await prepareRun(store, 'r2', config, await loadPrices(data));
      const output = await run(parseEvent({ ...event, data }), { store, loadPrices });
      reports.push(await store.get(output.overfittingReportKey));
    }
    expect(reports[0].equals(reports[1])).toBe(true);
    const report = JSON.parse(reports[0].toString('utf8')) as OverfittingReport;
    expect(report.inputs).toMatchObject({
      strategies: 40,
      trainingBars: 2100,
      validationBars: 900,
      periodsPerYear: 8760,
      selectBy: 'win_rate',
      seed: 3,
      costsBps: 10,
    });
    // 2,100 training bars in 64 blocks of 32 bars; 16 partitions of 4 blocks; ranked by the run's metric.
    expect(report.pbo).toMatchObject({
      blocks: 64,
      blockBars: 32,
      partitions: 16,
      barsPerPartition: 128,
      combinations: 12_870,
      rankedBy: 'win rate',
      minimumTradesPerHalf: 5,
    });
    expect(report.pbo!.logits).toHaveLength(12_870);
    expect(report.pbo!.pbo).toBeGreaterThanOrEqual(0);
    expect(report.pbo!.pbo).toBeLessThanOrEqual(1);
    // Every statistic about one strategy is about the one the run selected (by win rate here), not the best Sharpe.
    const selected = report.inputs.selectedId;
    expect(report.selected.strategyId).toBe(selected);
    expect(report.deflatedSharpe).toMatchObject({
      strategyId: selected,
      trials: 40,
      observations: 2100,
      sharpeVariance: 1 / 2099,
    });
    expect(report.deflatedSharpe!.effectiveTrials).toBeGreaterThanOrEqual(1);
    expect(report.deflatedSharpe!.effectiveTrials).toBeLessThanOrEqual(40);
    expect(report.deflatedSharpe!.value).toBeGreaterThanOrEqual(0);
    expect(report.deflatedSharpe!.value).toBeLessThanOrEqual(1);
    expect(report.haircut?.strategyId ?? selected).toBe(selected);
    expect(report.dataSnooping).toMatchObject({
      benchmark: 'buy_and_hold',
      observations: 64,
      replicates: 1000,
      seed: 3,
      strategiesTested: 40,
    });
    const spa = report.dataSnooping!.spa;
    expect(spa.lower).toBeLessThanOrEqual(spa.consistent);
    expect(spa.consistent).toBeLessThanOrEqual(spa.upper);
    expect(report.walkForward!.table).toHaveLength(4);
    expect(report.walkForward!.table[0]).toMatchObject({
      selectedOn: { start: 0, end: 600 },
      heldOn: { start: 600, end: 1200 },
    });
    // Spearman over every strategy with a win rate on both windows, eligible or not.
    const store = new LocalStore(join(root, 'a'));
    const [training, validation] = await Promise.all(
      [runKeys('r2').trainingPerformance, runKeys('r2').validationPerformance].map((key) =>
        readPerformanceTable(store, key),
      ),
    );
    const both = training.columns.winRate.filter(
      (v, i) => Number.isFinite(v) && Number.isFinite(validation.columns.winRate[i]),
    ).length;
    expect(report.rankCorrelation).toMatchObject({ metric: 'win_rate', pairs: both });
    expect(report.rankCorrelation.rho).toBeGreaterThanOrEqual(-1);
    expect(report.nullMarkets.markets).toBe(2);
    expect(report.nullMarkets.nullBests).toHaveLength(2);
    expect(report.nullMarkets.nullPbos).toHaveLength(2);
    // Two markets: a Monte Carlo p-value is 1/3, 2/3 or 1.
    for (const p of [report.nullMarkets.sharpePValue, report.nullMarkets.metricPValue])
      expect([1 / 3, 2 / 3, 1]).toContainEqual(p);
    expect(['evidence_of_skill', 'no_evidence_of_skill', 'overfit_likely', 'inconclusive']).toContain(
      report.verdict.level,
    );
    expect(report.verdict.tests.map((t) => t.id)).toEqual([
      'validation',
      'deflated_sharpe',
      'null_markets',
      'pbo',
      'reality_check',
      'spa',
      'walk_forward',
    ]);
    expect(report.verdict.headline).toContain(selected);
    expect(report.verdict.headline).toMatch(/for buy-and-hold/);
    expect(report.verdict.findings[0]).toMatch(/^The original rule: win_rate (fell|rose)/);
  }, 180_000);

  it('names a missing key of the event', () => {
    const config = parseRunConfig({});
    expect(() =>
      parseEvent({ runId: 'r3', config, data, bestStrategyKey: 'runs/r3/results/best_strategy.json' }),
    ).toThrow(/event\.strategiesKey/);
  });
});

describe('the selected strategy, not another one', () => {
  it('reports the Sharpe the kernel measured, even where equity underflows (coin flip at 1,000 bps)', async () => {
    const { store, dispose } = await tempStore('overfit-costly-');
    const loadPrices = cachedPriceLoader();
    const data: DataRef = { kind: 'synthetic', bars: 4000, seed: 2, intervalSeconds: 3600 };
    const config = parseRunConfig({ strategies: 10, seed: 1, feesBps: 1000, families: ['coin_flip'], nullMarkets: 0 });
    const event = await prepareRun(store, 'r4', config, await loadPrices(data));
    const output = await run(parseEvent({ ...event, data }), { store, loadPrices });
    const report = await getJson<OverfittingReport>(store, output.overfittingReportKey);
    const table = await readPerformanceTable(store, runKeys('r4').trainingPerformance);
    const row = table.ids.indexOf(report.selected.strategyId);
    expect(report.selected.comparison.training.totalReturn).toBe(-1); // equity gone: ratios of it say nothing
    expect(report.selected.training.sharpeAnnual).toBeCloseTo(table.columns.sharpe[row], 9);
    await dispose();
  }, 120_000);
});

describe('the selection, as the select stage makes it', () => {
  const column = (values: number[]) => Float64Array.from(values);
  const table = {
    ids: ['s1', 's2', 's3', 's4'],
    columns: { winRate: column([0.6, 0.9, Number.NaN, 0.95]), trades: column([12, 3, 20, 15]) },
  } as unknown as Parameters<typeof selectedRow>[0];
  const config = parseRunConfig({ minTrades: 10 });

  it('skips strategies with too few trades or no value', () => {
    expect(selectedRow(table, config)).toBe(3);
  });
  it("looks only at the first rows when asked (the null markets' sample)", () => {
    expect(selectedRow(table, config, 3)).toBe(0);
    expect(selectedRow(table, config, 0)).toBe(-1);
  });
});

it('says a metric without bound is unbounded, not "no trades" (profit factor of a strategy with no losing trade)', () => {
  expect(judge('profit_factor', 2, Number.POSITIVE_INFINITY, 0.15).explanation).toBe(
    'profit_factor is unbounded (no losing trade) on validation, so the fall cannot be measured.',
  );
  expect(judge('win_rate', 0.6, Number.NaN, 0.15).explanation).toMatch(
    /^win_rate is undefined \(no trades or no variation\) on validation/,
  );
});
