// Stage 4 — validate: re-test the selected strategy on the held-out bars it was never chosen on, and measure
// how far it falls. The validation window continues from the training window: indicators and the open
// position carry over, nothing restarts from flat. Then it asks whether the selected strategy is skilled or lucky
// (deflated Sharpe, null markets, PBO, SPA, walk-forward; see overfitting.ts and verdict.ts) and writes the one
// verdict of the run into overfitting_report.json.
import {
  buyAndHold,
  createMarket,
  evaluatePositions,
  METRIC_NAMES,
  positions,
  SELECTION_METRIC_FIELDS,
  splitWindows,
  type BarWindow,
  type DataRef,
  type MetricName,
  type OverfittingReport,
  type PriceSeries,
  type SelectionMetric,
  type Strategy,
  type ValidateEvent,
  type VerdictLevel,
} from '@overfit/core';
import { buildOverfittingReportOnPool } from './overfitting';
import type { LoadedPrices } from '@overfit/data';
import {
  getJson,
  parseStageEvent,
  putJson,
  readBlockMoments,
  readPerformanceTable,
  runKeys,
  type ArtifactStore,
  type OriginalRuleVerdict,
  type StrategiesDocument,
  type ValidationResults,
  type WindowInfo,
} from '@overfit/store';

export { buildOverfittingReport, buildOverfittingReportOnPool, snoopingInput } from './overfitting';
export { verdictOf } from './verdict';
export { NULL_MARKET_MAX_STRATEGIES } from './nullMarkets';
export { WALK_FORWARD_MAX_STRATEGIES } from './outOfSample';

export type ValidateInput = ValidateEvent;

export interface ValidateOutput {
  validationResultsKey: string;
  overfittingReportKey: string;
  /** The run's verdict (overfitting_report.json) and its one-sentence headline. */
  verdict: VerdictLevel;
  headline: string;
  tone: OverfittingReport['verdict']['tone'];
  /** Relative fall of the selection metric from training to validation (0.2 = fell by 20 %). */
  drop: number | null;
}

export function parseEvent(event: unknown): ValidateInput {
  const { bestStrategyKey, strategiesKey, trainingPerformanceKey, validationPerformanceKey, blockMomentsKey } =
    event as ValidateEvent;
  return {
    ...parseStageEvent(event, 'validate'),
    bestStrategyKey,
    strategiesKey,
    trainingPerformanceKey,
    validationPerformanceKey,
    blockMomentsKey,
  };
}

const relative = (from: number, to: number): number | null => {
  const change = (to - from) / Math.abs(from);
  return Number.isFinite(change) ? change : null;
};

const percent = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** The original rule: a drop larger than the threshold is overfitting; an undefined value proves nothing. */
export function judge(metric: SelectionMetric, training: number, validation: number, threshold: number) {
  const change = relative(training, validation);
  const drop = change === null ? null : -change;
  if (drop === null) {
    const window = Number.isFinite(validation) ? 'training' : 'validation';
    const why = Number.isNaN(window === 'validation' ? validation : training)
      ? 'undefined (no trades or no variation)'
      : 'unbounded (no losing trade)';
    return {
      drop,
      verdict: 'inconclusive' as OriginalRuleVerdict,
      explanation: `${metric} is ${why} on ${window}, so the fall cannot be measured.`,
    };
  }
  const overfit = drop > threshold;
  const moved = drop >= 0 ? `fell ${percent(drop)}` : `rose ${percent(-drop)}`;
  return {
    drop,
    verdict: (overfit ? 'overfit' : 'held_up') as OriginalRuleVerdict,
    explanation:
      `${metric} ${moved} from training (${training.toPrecision(4)}) to validation (${validation.toPrecision(4)}); ` +
      (overfit
        ? `more than the ${percent(threshold)} threshold: the training result was mostly selection luck.`
        : `within the ${percent(threshold)} threshold.`),
  };
}

function windowInfo(series: PriceSeries, window: BarWindow): WindowInfo {
  const iso = (i: number) => new Date(series.time[i]).toISOString();
  return { ...window, bars: window.end - window.start, first: iso(window.start), last: iso(window.end - 1) };
}

export interface ValidateDeps {
  store: ArtifactStore;
  loadPrices: (ref: DataRef) => Promise<LoadedPrices>;
  /** The statistics' progress: `step` is the part under way in words, `done` of `total` strategies backtested. */
  onProgress?: (step: string, done: number, total: number) => void;
  /** Worker threads for the statistics' kernel jobs; default: see statisticsWorkers. Results never depend on it. */
  workers?: number;
}

export async function run(input: ValidateInput, deps: ValidateDeps): Promise<ValidateOutput> {
  const { config } = input;
  const [{ strategy }, prices, { strategies }, trainingTable, validationTable, moments] = await Promise.all([
    getJson<{ strategy: Strategy }>(deps.store, input.bestStrategyKey),
    deps.loadPrices(input.data),
    getJson<StrategiesDocument>(deps.store, input.strategiesKey),
    readPerformanceTable(deps.store, input.trainingPerformanceKey),
    readPerformanceTable(deps.store, input.validationPerformanceKey),
    readBlockMoments(deps.store, input.blockMomentsKey),
  ]);
  const market = createMarket(prices.series);
  const windows = splitWindows(prices.series.close.length, config.trainFraction);
  const costs = { feesBps: config.feesBps, slippageBps: config.slippageBps };
  const held = positions(strategy, market);
  const training = evaluatePositions(held, market, windows.training, costs);
  const validation = evaluatePositions(held, market, windows.validation, costs);
  const field = SELECTION_METRIC_FIELDS[config.selectBy];
  const verdict = judge(config.selectBy, training[field], validation[field], config.overfitThreshold);

  const results: ValidationResults = {
    strategy,
    selectBy: config.selectBy,
    overfitThreshold: config.overfitThreshold,
    windows: {
      training: windowInfo(prices.series, windows.training),
      validation: windowInfo(prices.series, windows.validation),
    },
    training,
    validation,
    buyAndHold: { training: buyAndHold(market, windows.training), validation: buyAndHold(market, windows.validation) },
    relativeChange: Object.fromEntries(METRIC_NAMES.map((m) => [m, relative(training[m], validation[m])])) as Record<
      MetricName,
      number | null
    >,
    selection: {
      metric: config.selectBy,
      training: training[field],
      validation: validation[field],
      drop: verdict.drop,
    },
    originalRule: { verdict: verdict.verdict, explanation: verdict.explanation },
  };
  const report = await buildOverfittingReportOnPool(
    {
      config,
      market,
      windows,
      strategies,
      selected: strategy,
      training: trainingTable,
      validation: validationTable,
      moments,
    },
    { workers: deps.workers, onProgress: deps.onProgress },
  );
  const keys = runKeys(input.runId);
  await putJson(deps.store, keys.validationResults, results);
  await putJson(deps.store, keys.overfittingReport, report);
  return {
    validationResultsKey: keys.validationResults,
    overfittingReportKey: keys.overfittingReport,
    verdict: report.verdict.level,
    headline: report.verdict.headline,
    tone: report.verdict.tone,
    drop: verdict.drop,
  };
}
