// The statistics of the whole selection process, for overfitting_report.json. The single train/validation split
// shows one fall; these say how likely the search itself is to produce a winner that is only lucky.
//
// What runs at scale (100,000 strategies must stay inside the run's time budget):
// - DSR, MinBTL, haircut, Spearman read the per-strategy metric tables: linear in N.
// - PBO reads the training window's block moments (N × 64 × 2 numbers), never an N × T matrix; its cost is
//   splits × N, so above PBO_FULL_STRATEGIES it evaluates a seeded sample of PBO_SAMPLED_SPLITS of the 12,870 splits.
// - Reality Check / SPA bootstrap the 64 per-block sums of each strategy's excess over buy-and-hold (a block of
//   ~200–800 bars is one observation), over at most SNOOPING_MAX_STRATEGIES strategies: the first ones, which are
//   a uniform random sample because strategies are drawn at random. The report says how many were tested.
// - Walk-forward re-backtests at most WALK_FORWARD_MAX_STRATEGIES (again the first ones) on every fold.
// - Null markets re-backtest at most NULL_MARKET_MAX_STRATEGIES (the first ones, with the kernel) on each of K
//   synthetic markets, and compare with the best of the same strategies on the real market.
import {
  backtestAll, createMarket, dataSnoopingTests, deflatedSharpeRatio, equityCurve, expectedMaxSharpe, finiteOrNull,
  finiteVariance, foldWindows, haircutSharpe, minimumBacktestLength, minimumTrackRecordLength, OVERFITTING_REPORT_FORMAT, positions,
  probabilisticSharpeRatio, probabilityOfBacktestOverfitting, robustVariance, sampleMoments, SELECTION_METRIC_FIELDS,
  spearmanCorrelation, walkForward, YEAR_MS,
  type BarWindow, type BlockMoments, type Costs, type Market, type MetricsTable, type OverfittingReport, type RunConfig,
  type SharpeInference, type Strategy,
} from '@overfit/core';
import { simulateGarch11, synthesizeMarketLike } from '@overfit/data';

export const PBO_PARTITIONS = 16;
export const PBO_FULL_STRATEGIES = 20_000;
export const PBO_SAMPLED_SPLITS = 2_000;
export const SNOOPING_MAX_STRATEGIES = 10_000;
/** Mean block length of the stationary bootstrap, in blocks of the moments: ≈ ∛64, the usual T^(1/3) rate. */
export const SNOOPING_MEAN_BLOCK_LENGTH = 4;
export const SNOOPING_REPLICATES = 1000;
export const WALK_FORWARD_FOLDS = 5;
export const WALK_FORWARD_MAX_STRATEGIES = 1_000;
export const NULL_MARKET_MAX_STRATEGIES = 1_000;
const CONFIDENCE = 0.95;

export interface OverfittingInputs {
  config: RunConfig;
  market: Market;
  windows: { training: BarWindow; validation: BarWindow };
  strategies: Strategy[];
  training: MetricsTable;
  validation: MetricsTable;
  moments: BlockMoments;
  selected: Strategy;
}

/** Net per-bar returns of a strategy over a window (positions and costs as in every backtest). */
export function netReturns(strategy: Strategy, market: Market, window: BarWindow, costs: Costs): Float64Array {
  const curve = equityCurve(positions(strategy, market), market, window, costs);
  return curve.map((equity, t) => equity / (t === 0 ? 1 : curve[t - 1]) - 1);
}

function sharpeInference(strategy: Strategy, { market, windows, config }: OverfittingInputs): SharpeInference {
  const costs = { feesBps: config.feesBps, slippageBps: config.slippageBps };
  const m = sampleMoments(netReturns(strategy, market, windows.training, costs));
  const defined = Number.isFinite(m.sharpe);
  const moments = { sharpe: m.sharpe, benchmarkSharpe: 0, skewness: m.skewness, kurtosis: m.kurtosis };
  return {
    strategyId: strategy.id,
    observations: m.observations,
    sharpe: finiteOrNull(m.sharpe),
    sharpeAnnual: finiteOrNull(m.sharpe * Math.sqrt(market.periodsPerYear)),
    skewness: finiteOrNull(m.skewness),
    kurtosis: finiteOrNull(m.kurtosis),
    probabilisticSharpe: defined ? probabilisticSharpeRatio({ ...moments, observations: m.observations }) : null,
    minimumTrackRecordBars: defined && m.sharpe > 0 ? minimumTrackRecordLength({ ...moments, confidence: CONFIDENCE }) : null,
  };
}

/** The largest of 16, 8, 4, 2 that divides the block count: CSCV needs whole blocks per partition. */
function partitionsFor(blocks: number): number | null {
  return [PBO_PARTITIONS, 8, 4, 2].find((s) => blocks % s === 0 && blocks >= s) ?? null;
}

/** Buy-and-hold's Σ of per-bar returns over each block of the moments: the benchmark's observations. */
function benchmarkBlockSums(market: Market, training: BarWindow, moments: BlockMoments): Float64Array {
  const close = market.series.close;
  const sums = new Float64Array(moments.blocks);
  for (let b = 0; b < moments.blocks; b++) {
    for (let t = training.start + b * moments.blockBars; t < training.start + (b + 1) * moments.blockBars; t++) {
      if (t > 0) sums[b] += close[t] / close[t - 1] - 1;
    }
  }
  return sums;
}

function dataSnooping({ market, windows, moments, training, config }: OverfittingInputs): OverfittingReport['dataSnooping'] {
  if (moments.blocks < 8) return null;
  const tested = Math.min(moments.strategies, SNOOPING_MAX_STRATEGIES);
  const returns = Array.from({ length: tested }, (_, i) => moments.sum.subarray(i * moments.blocks, (i + 1) * moments.blocks));
  const input = {
    returns, benchmark: benchmarkBlockSums(market, windows.training, moments),
    meanBlockLength: SNOOPING_MEAN_BLOCK_LENGTH, replicates: SNOOPING_REPLICATES, seed: config.seed,
  };
  const { realityCheck: rc, spa } = dataSnoopingTests(input);
  return {
    benchmark: 'buy_and_hold', observation: `the sum of net returns over one block of ${moments.blockBars} training bars`,
    observations: moments.blocks, meanBlockLength: SNOOPING_MEAN_BLOCK_LENGTH, replicates: SNOOPING_REPLICATES, seed: config.seed,
    strategiesTested: tested,
    realityCheck: { statistic: rc.statistic, pValue: rc.pValue, bestId: training.ids[rc.best] },
    spa: { statistic: spa.statistic, lower: spa.lower, consistent: spa.consistent, upper: spa.upper, bestId: training.ids[spa.best] },
  };
}

function walkForwardSection({ config, market, strategies, windows }: OverfittingInputs): OverfittingReport['walkForward'] {
  const bars = market.series.close.length;
  const all = { start: 0, end: bars };
  if (bars < 2 * WALK_FORWARD_FOLDS * 2) return null;
  const used = strategies.slice(0, WALK_FORWARD_MAX_STRATEGIES);
  const folds = foldWindows(all, WALK_FORWARD_FOLDS);
  const costs = { feesBps: config.feesBps, slippageBps: config.slippageBps };
  const field = SELECTION_METRIC_FIELDS[config.selectBy];
  // --min-trades is set for the training window; a fold is shorter, so it needs proportionally fewer trades.
  const trainingBars = windows.training.end - windows.training.start;
  const minTrades = Math.ceil((config.minTrades * (folds[0].end - folds[0].start)) / trainingBars);
  // Every fold's metrics by the kernel, two folds per pass: bit for bit evaluatePositions' (the kernel's property
  // tests), at a third of the time.
  const scores: Float64Array[] = [];
  for (let f = 0; f < folds.length; f += 2) {
    const pair = { training: folds[f], validation: folds[Math.min(f + 1, folds.length - 1)] };
    const results = backtestAll(used, market, pair, costs, { blocks: 1 });
    for (const table of [results.training, results.validation].slice(0, Math.min(2, folds.length - f))) {
      scores.push(table.columns[field].map((value, i) => (table.columns.trades[i] >= minTrades ? value : Number.NaN)));
    }
  }
  const result = walkForward({
    window: all, folds: WALK_FORWARD_FOLDS,
    scores: (w) => scores[folds.findIndex((f) => f.start === w.start)],
    returns: (k, w) => netReturns(used[k], market, w, costs),
  });
  const close = market.series.close;
  return {
    folds: WALK_FORWARD_FOLDS, strategiesUsed: used.length, minTradesPerFold: minTrades, totalReturn: result.totalReturn,
    buyAndHoldReturn: close[bars - 1] / close[folds[1].start - 1] - 1,
    table: result.folds.map((f) => ({
      selectedOn: f.selectedOn, heldOn: f.heldOn, strategy: f.selected === null ? null : used[f.selected],
      inSample: f.inSample, outOfSample: f.outOfSample, heldReturn: f.heldReturn,
    })),
  };
}

/**
 * Best eligible value of the selection metric among the first `rows` strategies, as the select stage would find
 * it; NaN when none is eligible.
 */
export function bestEligible(table: MetricsTable, config: RunConfig, rows = table.ids.length): number {
  const values = table.columns[SELECTION_METRIC_FIELDS[config.selectBy]];
  let best = Number.NaN;
  for (let i = 0; i < rows; i++) {
    if (table.columns.trades[i] >= config.minTrades && Number.isFinite(values[i]) && !(values[i] <= best)) best = values[i];
  }
  return best;
}

/** Seed of null market j: distinct per run seed and per market, reproducible. */
const nullSeed = (seed: number, j: number) => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + j * 0x27d4eb2d) >>> 0;

function nullMarketSection(inputs: OverfittingInputs): OverfittingReport['nullMarkets'] {
  const { config, market, strategies, windows, training } = inputs;
  const metric = config.selectBy;
  const used = strategies.slice(0, NULL_MARKET_MAX_STRATEGIES);
  const realBest = bestEligible(training, config, used.length);
  if (config.nullMarkets === 0) return { markets: 0, model: 'none', metric, strategiesUsed: used.length, realBest: finiteOrNull(realBest), nullBests: [], percentile: null };
  const costs = { feesBps: config.feesBps, slippageBps: config.slippageBps };
  const fitted = synthesizeMarketLike(market.series, { model: 'garch', seed: config.seed }).fitted;
  const { series } = market;
  const intervalMs = Math.round(market.barMs);
  const nullBests: number[] = [];
  for (let j = 0; j < config.nullMarkets; j++) {
    const synthetic = simulateGarch11(fitted.garch!, {
      bars: series.close.length, seed: nullSeed(config.seed, j), start: series.time[0], intervalMs, startPrice: series.close[0],
    });
    // The fast kernel scores both windows in one pass; only training matters here (selection never sees the rest).
    nullBests.push(bestEligible(backtestAll(used, createMarket(synthetic), windows, costs, { blocks: 1 }).training, config));
  }
  const defined = nullBests.filter(Number.isFinite);
  const percentile = Number.isFinite(realBest) && defined.length > 0
    ? (100 * defined.reduce((n, v) => n + (v < realBest ? 1 : v === realBest ? 0.5 : 0), 0)) / defined.length
    : null;
  return {
    markets: config.nullMarkets,
    model: `GARCH(1,1) fitted to the run's prices (ω ${fitted.garch!.omega.toPrecision(3)}, α ${fitted.garch!.alpha.toFixed(3)}, β ${fitted.garch!.beta.toFixed(3)}), same bars and start`,
    metric, strategiesUsed: used.length, realBest: finiteOrNull(realBest), nullBests: nullBests.map(finiteOrNull), percentile,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(0)} %`;

export function verdictOf(report: Omit<OverfittingReport, 'verdict'>): OverfittingReport['verdict'] {
  const findings: string[] = [];
  const { pbo, deflatedSharpe: dsr, dataSnooping: snoop, nullMarkets: nulls, rankCorrelation: rank, walkForward: wf } = report;
  const n = report.inputs.strategies;
  if (pbo) {
    findings.push(`PBO ${pbo.pbo.toFixed(2)}: in ${pct(pbo.pbo)} of ${pbo.combinations} ways to split the training bars in half, the strategy with the best Sharpe on one half ranked in the bottom half on the other` +
      (pbo.pbo >= 0.5 ? ' — picking by backtest did no better than picking at random.' : '.'));
  }
  if (dsr) {
    findings.push(`Deflated Sharpe ${dsr.value.toFixed(2)}: after ${n} trials, the best training Sharpe (${(dsr.sharpe * Math.sqrt(report.inputs.periodsPerYear)).toFixed(2)} a year) ` +
      `beats the ${(dsr.expectedMaxSharpeAnnual).toFixed(2)} the luckiest of ${n} skill-less strategies would show with probability ${pct(dsr.value)}${dsr.value >= CONFIDENCE ? '' : ' (95 % needed)'}.`);
  }
  if (snoop) {
    findings.push(`SPA p-value ${snoop.spa.consistent.toFixed(3)} (Reality Check ${snoop.realityCheck.pValue.toFixed(3)}): ` +
      (snoop.spa.consistent < 0.05 ? `at least one of the ${snoop.strategiesTested} strategies beat buy-and-hold beyond what the search explains.` : `once the search over ${snoop.strategiesTested} strategies is accounted for, none beat buy-and-hold.`));
  }
  if (rank.rho !== null) findings.push(`Rank correlation of ${rank.metric} between training and validation: ρ = ${rank.rho.toFixed(2)} over ${rank.pairs} strategies${Math.abs(rank.rho) < 0.1 ? ' — the training ranking says almost nothing about the future.' : '.'}`);
  if (nulls.percentile !== null) findings.push(`The real best ${nulls.metric} sits at the ${nulls.percentile.toFixed(0)}th percentile of the bests found on ${nulls.markets} synthetic markets where no strategy has an edge.`);
  if (wf) findings.push(`Walk-forward over ${wf.folds} folds: selecting on each fold and holding on the next returned ${pct(wf.totalReturn)} against ${pct(wf.buyAndHoldReturn)} for buy-and-hold.`);

  const overfit = pbo !== null && pbo.pbo >= 0.5;
  const skill = !overfit && dsr !== null && dsr.value >= CONFIDENCE && snoop !== null && snoop.spa.consistent < 0.05;
  const level = overfit ? 'overfit_likely' : skill ? 'evidence_of_skill' : 'no_evidence_of_skill';
  const summary = {
    overfit_likely: 'Overfitting is likely: the selection process picks strategies that do no better than the median once out of sample.',
    no_evidence_of_skill: 'No evidence of skill: what the best strategy shows in training is within what luck produces when this many strategies are tried.',
    evidence_of_skill: 'Evidence of skill: the best strategy beats what luck explains after accounting for the number of trials, and selection holds up out of sample.',
  }[level];
  return { level, summary, findings };
}

export function buildOverfittingReport(inputs: OverfittingInputs): OverfittingReport {
  const { config, market, windows, training, validation, moments, selected, strategies } = inputs;
  const n = training.ids.length;
  const T = windows.training.end - windows.training.start;
  const rootP = Math.sqrt(market.periodsPerYear);
  const perBar = training.columns.sharpe.map((annual) => annual / rootP);
  const across = finiteVariance(perBar);
  const robust = robustVariance(perBar);
  let best = -1;
  perBar.forEach((s, i) => {
    if (Number.isFinite(s) && (best < 0 || s > perBar[best])) best = i;
  });
  const bestStrategy = best >= 0 ? strategies.find((s) => s.id === training.ids[best]) ?? null : null;
  const bestInference = bestStrategy ? sharpeInference(bestStrategy, inputs) : null;

  let deflated: OverfittingReport['deflatedSharpe'] = null;
  if (bestInference && bestInference.sharpe !== null && bestInference.skewness !== null && bestInference.kurtosis !== null && Number.isFinite(robust)) {
    const stats = { trials: n, sharpeVariance: robust, sharpe: bestInference.sharpe, observations: bestInference.observations, skewness: bestInference.skewness, kurtosis: bestInference.kurtosis };
    const expected = expectedMaxSharpe(stats);
    deflated = { strategyId: bestInference.strategyId, ...stats, expectedMaxSharpe: expected, expectedMaxSharpeAnnual: expected * rootP, value: deflatedSharpeRatio(stats) };
  }

  const availableYears = (T * market.barMs) / YEAR_MS;
  const bestAnnual = best >= 0 ? training.columns.sharpe[best] : Number.NaN;
  const haircut = best >= 0 && n >= 1
    ? {
      strategyId: training.ids[best], sharpeAnnual: bestAnnual, observations: T, trials: n,
      methods: Object.fromEntries((['bonferroni', 'holm', 'bhy'] as const).map((method) => {
        const h = haircutSharpe({ sharpe: perBar[best], observations: T, trials: n, method, allSharpes: perBar });
        return [method, { ...h, haircutSharpeAnnual: h.haircutSharpe * rootP }];
      })) as NonNullable<OverfittingReport['haircut']>['methods'],
    }
    : null;

  const partitions = partitionsFor(moments.blocks);
  let pbo: OverfittingReport['pbo'] = null;
  if (partitions !== null && n >= 2 && (moments.blocks / partitions) * moments.blockBars * (partitions / 2) >= 2) {
    const maxSplits = n > PBO_FULL_STRATEGIES ? PBO_SAMPLED_SPLITS : undefined;
    const r = probabilityOfBacktestOverfitting(moments, { partitions, maxSplits, seed: config.seed });
    pbo = {
      source: 'training block moments', blocks: moments.blocks, blockBars: moments.blockBars, partitions, barsPerPartition: r.barsPerPartition,
      combinations: r.combinations, allCombinations: r.allCombinations, pbo: r.pbo, probabilityOfLoss: r.probabilityOfLoss,
      degradation: { slope: finiteOrNull(r.degradation.slope), intercept: finiteOrNull(r.degradation.intercept), r2: finiteOrNull(r.degradation.r2) },
      logits: Array.from(r.logits, (l) => Math.round(l * 1e6) / 1e6),
    };
  }

  // Every strategy with the metric defined on both windows; validation rows matched by id, not by position.
  const field = SELECTION_METRIC_FIELDS[config.selectBy];
  const validationRow = new Map(validation.ids.map((id, i) => [id, i]));
  const rank = spearmanCorrelation(
    training.columns[field],
    training.ids.map((id) => validation.columns[field][validationRow.get(id) ?? -1] ?? Number.NaN),
  );

  const report: Omit<OverfittingReport, 'verdict'> = {
    format: OVERFITTING_REPORT_FORMAT,
    inputs: { strategies: n, trainingBars: T, periodsPerYear: market.periodsPerYear, selectBy: config.selectBy, selectedId: selected.id, seed: config.seed },
    sharpeAcrossTrials: {
      defined: across.count, variance: finiteOrNull(across.variance),
      robustVariance: finiteOrNull(robust), robustVarianceAnnual: finiteOrNull(robust * market.periodsPerYear),
      best: best >= 0 ? { id: training.ids[best], sharpe: perBar[best], sharpeAnnual: bestAnnual } : null,
    },
    selected: sharpeInference(selected, inputs),
    bestBySharpe: bestInference,
    deflatedSharpe: deflated,
    minimumBacktestLength: Number.isFinite(bestAnnual) && bestAnnual > 0
      ? { trials: n, targetSharpeAnnual: bestAnnual, years: minimumBacktestLength({ trials: n, targetSharpe: bestAnnual }), availableYears }
      : null,
    haircut,
    pbo,
    dataSnooping: dataSnooping(inputs),
    rankCorrelation: { metric: config.selectBy, rho: finiteOrNull(rank.rho), pairs: rank.pairs },
    walkForward: walkForwardSection(inputs),
    nullMarkets: nullMarketSection(inputs),
  };
  return { ...report, verdict: verdictOf(report) };
}
