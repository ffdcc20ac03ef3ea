// The calibration benchmark: the whole selection, run many times on markets where no strategy has an edge and on
// markets with a planted one, tallying how often each verdict level and each test fires. On no-edge markets every
// "evidence of skill" is a false alarm and every test that fires is a false rejection (its empirical size); on
// planted markets, among the runs whose selected strategy really has an edge (trueEdge: t ≥ 3 on a fresh path 4×
// as long), "evidence of skill" is the verdict's power. This file runs one job; tallies.ts counts the outcomes,
// targets.ts checks them and calibrationTable.ts shows them.
import { costsOf, mix32, type OverfittingReport, type SelectionMetric } from '@overfit/core';
import type { MarketKind } from './marketKinds';
import { generateMarket, type MarketOptions } from './markets';
import type { RealSource } from './realSource';
import { calibrationConfig, runInMemory, selectionValue, trueEdge, type TrueEdge } from './runInMemory';

export const CALIBRATION_METRICS = ['win_rate', 'sharpe'] as const satisfies readonly SelectionMetric[];

/** The fresh path of the ground truth is this many times as long as the run's market. */
export const FRESH_PATH_FACTOR = 4;

/** One test of the verdict as the report lists it: fires = rejects "no edge / luck" at 5 %. */
export interface VerdictTest {
  id: string;
  label: string;
  pValue: number | null;
  fires: boolean | null;
}

export interface RunJob {
  market: MarketKind;
  selectBy: SelectionMetric;
  feesBps: number;
  /**
   * Index of the run within its cell (0 … runs − 1): the same index uses the same market path and strategies in every
   * cell of a market.
   */
  run: number;
}

export interface CalibrationSettings {
  bars: number;
  strategies: number;
  seed: number;
  minTrades: number;
  slippageBps: number;
  nullMarkets?: number;
}

export interface RunOutcome extends RunJob {
  marketSeed: number;
  configSeed: number;
  level: string;
  /** The report's verdict.tests, or (marked `derived`) tests read from the report's sections when it has none. */
  tests: VerdictTest[];
  testsSource: 'verdict.tests' | 'derived';
  selectedId: string;
  family: string;
  eligible: number;
  trainingValue: number | null;
  validationValue: number | null;
  trainingSharpe: number | null;
  validationSharpe: number | null;
  truth: TrueEdge;
  seconds: number;
}

/** Seed of a (market kind, run, purpose): distinct per kind and run, the same across select-by metrics and fees. */
export function deriveSeed(seed: number, ...parts: (number | string)[]): number {
  let h = mix32(seed ^ 0x1b873593);
  for (const part of parts) {
    const value =
      typeof part === 'number' ? part : [...part].reduce((a, c) => (Math.imul(a, 31) + c.charCodeAt(0)) >>> 0, 7);
    h = mix32(h ^ value);
  }
  return h;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Tests read from an older report (format 1) that has no verdict.tests: DSR of the best-by-Sharpe strategy, SPA and
 * the Reality Check (vs buy-and-hold), the selected strategy's PSR. Read loosely, since the format moves on; shown
 * with a `*` so they are not mistaken for the verdict's own list.
 */
export function derivedTests(report: OverfittingReport): VerdictTest[] {
  const r = report as unknown as {
    deflatedSharpe?: { value?: number } | null;
    selected?: { probabilisticSharpe?: number | null };
    dataSnooping?: { spa?: { consistent?: number }; realityCheck?: { pValue?: number } } | null;
  };
  const p = (value: number | null | undefined): number | null =>
    typeof value === 'number' && Number.isFinite(value) ? value : null;
  const complement = (value: number | null | undefined): number | null =>
    p(value) === null ? null : 1 - (value as number);
  const test = (id: string, label: string, pValue: number | null): VerdictTest => ({
    id,
    label,
    pValue,
    fires: pValue === null ? null : pValue < 0.05,
  });
  return [
    test('dsr*', 'DSR ≥ 0.95 (best by Sharpe)', complement(r.deflatedSharpe?.value)),
    test('psr*', 'PSR(0) ≥ 0.95 of the selected', complement(r.selected?.probabilisticSharpe)),
    test('spa*', 'SPA vs buy-and-hold', p(r.dataSnooping?.spa?.consistent)),
    test('rc*', 'Reality Check vs buy-and-hold', p(r.dataSnooping?.realityCheck?.pValue)),
  ];
}

/** verdict.tests when the report has them (the shape of issue 12's verdict), else derivedTests. */
export function testsOf(report: OverfittingReport): { tests: VerdictTest[]; source: RunOutcome['testsSource'] } {
  const raw = (report.verdict as unknown as { tests?: unknown }).tests;
  if (Array.isArray(raw)) {
    const tests = raw
      .filter((t): t is VerdictTest => typeof t === 'object' && t !== null && typeof (t as VerdictTest).id === 'string')
      .map((t) => ({
        id: t.id,
        label: typeof t.label === 'string' ? t.label : t.id,
        pValue: typeof t.pValue === 'number' && Number.isFinite(t.pValue) ? t.pValue : null,
        fires: typeof t.fires === 'boolean' ? t.fires : null,
      }));
    return { tests, source: 'verdict.tests' };
  }
  return { tests: derivedTests(report), source: 'derived' };
}

/** Run one job: the market, the whole selection, the ground truth on a fresh path. */
export function runJob(
  job: RunJob,
  settings: CalibrationSettings,
  source: RealSource | null,
  marketOverrides: Pick<MarketOptions, 'trend' | 'ar'> = {},
): RunOutcome {
  const started = performance.now();
  const marketSeed = deriveSeed(settings.seed, job.market, job.run, 'market');
  const freshSeed = deriveSeed(settings.seed, job.market, job.run, 'fresh');
  const configSeed = deriveSeed(settings.seed, job.run, 'strategies');
  const { series } = generateMarket(job.market, { bars: settings.bars, seed: marketSeed, source, ...marketOverrides });
  const config = calibrationConfig({
    strategies: settings.strategies,
    seed: configSeed,
    selectBy: job.selectBy,
    minTrades: settings.minTrades,
    feesBps: job.feesBps,
    slippageBps: settings.slippageBps,
    ...(settings.nullMarkets === undefined ? {} : { nullMarkets: settings.nullMarkets }),
  });
  const run = runInMemory(series, config);
  const fresh = generateMarket(job.market, {
    bars: FRESH_PATH_FACTOR * settings.bars,
    seed: freshSeed,
    source,
    ...marketOverrides,
  }).series;
  const truth = trueEdge(run.selected, fresh, costsOf(config));
  const { tests, source: testsSource } = testsOf(run.report);
  const rootP = Math.sqrt(run.market.periodsPerYear);
  return {
    ...job,
    marketSeed,
    configSeed,
    level: run.report.verdict.level,
    tests,
    testsSource,
    selectedId: run.selected.id,
    family: run.selected.family,
    eligible: run.eligible,
    trainingValue: finite(selectionValue(run.training, config)),
    validationValue: finite(selectionValue(run.validation, config)),
    trainingSharpe: finite(run.training.sharpe / rootP),
    validationSharpe: finite(run.validation.sharpe / rootP),
    truth,
    seconds: (performance.now() - started) / 1000,
  };
}
