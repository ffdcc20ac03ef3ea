// The null-market control: repeat the whole selection on K synthetic markets that share the real market's length,
// volatility clustering and drift (GARCH(1,1) fitted to it) but in which no strategy can have an edge, and ask how
// often luck alone does as well as the real run. With K markets the Monte Carlo p-value (1 + #{null ≥ real})/(K + 1)
// is exact when the real market, too, had no edge; it cannot go below 1/(K + 1), so K = 19 is the fewest that can
// reject at 5 %. Only the training window is simulated and backtested: selection never sees the rest.
import {
  createMarket,
  finiteOrNull,
  SELECTION_METRIC_FIELDS,
  type BarWindow,
  type Market,
  type MetricsTable,
  type OverfittingReport,
  type RunConfig,
  type Strategy,
} from '@overfit/core';
import { fitGarch11, logReturns, simulateGarch11, type Garch11 } from '@overfit/data';
import { result, submit, type BacktestRequest, type KernelSteps, type Submitted } from './kernelSteps';
import { selectedRow, selectionPbo } from './selectionProcess';

export const NULL_MARKET_MAX_STRATEGIES = 1_000;
/**
 * CSCV on each null market evaluates a seeded sample of splits: PBO there is a comparison value, ±3 points is plenty.
 */
const NULL_PBO_SPLITS = 1_000;

/** Seed of null market j: distinct per run seed and per market, reproducible. */
const nullSeed = (seed: number, j: number) => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + j * 0x27d4eb2d) >>> 0;

/** (1 + #{nulls at least as extreme}) / (K + 1); undefined nulls (nothing eligible) are never as extreme. */
export function monteCarloPValue(
  real: number | null,
  nulls: readonly (number | null)[],
  direction: 'higher' | 'lower',
): number | null {
  if (real === null || !Number.isFinite(real) || nulls.length === 0) return null;
  const asExtreme = nulls.filter((v) => v !== null && (direction === 'higher' ? v >= real : v <= real)).length;
  return (1 + asExtreme) / (1 + nulls.length);
}

export interface NullMarketInputs {
  config: RunConfig;
  market: Market;
  windows: { training: BarWindow; validation: BarWindow };
  strategies: Strategy[];
  training: MetricsTable;
}

/** The null markets' kernel jobs, submitted, and the model they were simulated by. */
export interface NullMarketJobs {
  fitted: Garch11 | null;
  jobs: Submitted<BacktestRequest>[];
}

/** Fit the model, then simulate each null market and submit its backtest (one job a market), in order. */
export function* nullMarketJobs({
  config,
  market,
  windows,
  strategies,
}: NullMarketInputs): KernelSteps<NullMarketJobs> {
  if (config.nullMarkets === 0) return { fitted: null, jobs: [] };
  const { series } = market;
  // Fitted to the training bars only: the null markets stand for the window the selection saw.
  const fitted = fitGarch11(logReturns(series.close.subarray(windows.training.start, windows.training.end)));
  // The training window and one more bar (backtestAll needs a validation window, which nothing here reads).
  const bars = windows.training.end + 1;
  const nullWindows = { training: windows.training, validation: { start: windows.training.end, end: bars } };
  const jobs: Submitted<BacktestRequest>[] = [];
  for (let j = 0; j < config.nullMarkets; j++) {
    const synthetic = simulateGarch11(fitted, {
      bars,
      seed: nullSeed(config.seed, j),
      start: series.time[0],
      intervalMs: Math.round(market.barMs),
      startPrice: series.close[0],
    });
    jobs.push(
      yield* submit({
        kind: 'backtest',
        step: 'null markets',
        strategies: nullMarketStrategies(config, strategies),
        market: createMarket(synthetic),
        windows: nullWindows,
        costs: { feesBps: config.feesBps, slippageBps: config.slippageBps },
        blocks: Math.min(64, windows.training.end - windows.training.start),
        selectBy: config.selectBy,
      }),
    );
  }
  return { fitted, jobs };
}

/** The strategies each null market backtests: the first ones, or none when the run asks for no null markets. */
export const nullMarketStrategies = (config: RunConfig, strategies: readonly Strategy[]): readonly Strategy[] =>
  config.nullMarkets === 0 ? [] : strategies.slice(0, NULL_MARKET_MAX_STRATEGIES);

/** The section from the null markets' jobs: selection and PBO on each, p-values against the real run's. */
export function* nullMarketControl(
  { config, strategies, training }: NullMarketInputs,
  { fitted, jobs }: NullMarketJobs,
  /** PBO of the real run's selection (null when CSCV could not run). */
  realPbo: number | null,
): KernelSteps<OverfittingReport['nullMarkets']> {
  const metric = config.selectBy;
  const used = strategies.slice(0, NULL_MARKET_MAX_STRATEGIES);
  const field = SELECTION_METRIC_FIELDS[metric];
  const real = selectedRow(training, config, used.length);
  const realSharpe = real < 0 ? null : finiteOrNull(training.columns.sharpe[real]);
  const realBest = real < 0 ? null : finiteOrNull(training.columns[field][real]);
  const empty = {
    markets: 0,
    model: 'none',
    metric,
    strategiesUsed: used.length,
    realSelectedId: real < 0 ? null : training.ids[real],
  };
  const none = {
    realSelectedSharpeAnnual: realSharpe,
    nullSelectedSharpesAnnual: [],
    sharpePValue: null,
    realBest,
    nullBests: [],
    metricPValue: null,
    nullPbos: [],
    pboPValue: null,
  };
  if (fitted === null) return { ...empty, ...none };

  const sharpes: (number | null)[] = [],
    bests: (number | null)[] = [],
    pbos: (number | null)[] = [];
  for (const job of jobs) {
    const results = yield* result(job);
    const chosen = selectedRow(results.training, config);
    sharpes.push(chosen < 0 ? null : finiteOrNull(results.training.columns.sharpe[chosen]));
    bests.push(chosen < 0 ? null : finiteOrNull(results.training.columns[field][chosen]));
    pbos.push(selectionPbo(results.trainingMoments, config, NULL_PBO_SPLITS)?.pbo ?? null);
  }
  return {
    ...empty,
    markets: jobs.length,
    model: `GARCH(1,1) fitted to the run's prices (μ ${fitted.mu.toPrecision(3)} a bar, ω ${fitted.omega.toPrecision(3)}, α ${fitted.alpha.toFixed(3)}, β ${fitted.beta.toFixed(3)}), training bars only`,
    realSelectedSharpeAnnual: realSharpe, // the tables' Sharpe ratios are annual
    nullSelectedSharpesAnnual: sharpes,
    sharpePValue: monteCarloPValue(realSharpe, sharpes, 'higher'),
    realBest,
    nullBests: bests,
    metricPValue: monteCarloPValue(realBest, bests, 'higher'),
    nullPbos: pbos,
    pboPValue: monteCarloPValue(realPbo, pbos, 'lower'),
  };
}
