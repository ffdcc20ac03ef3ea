// The calibration benchmark: the whole selection, run many times on markets where no strategy has an edge and on
// markets with a planted one, tallying how often each verdict level and each test fires. On no-edge markets every
// "evidence of skill" is a false alarm and every test that fires is a false rejection (its empirical size); on
// planted markets, among the runs whose selected strategy really has an edge (trueEdge: t ≥ 3 on a fresh path 4×
// as long), "evidence of skill" is the verdict's power.
import { costsOf, mix32, type OverfittingReport, type SelectionMetric } from '@overfit/core';
import {
  generateMarket,
  isPlanted,
  PERIODS_PER_YEAR,
  type MarketKind,
  type MarketOptions,
  type RealSource,
} from './markets';
import { calibrationConfig, runInMemory, selectionValue, trueEdge, type TrueEdge } from './runInMemory';

export const CALIBRATION_METRICS = ['win_rate', 'sharpe'] as const satisfies readonly SelectionMetric[];

/** The fresh path of the ground truth is this many times as long as the run's market. */
export const FRESH_PATH_FACTOR = 4;

/** Targets of issue 12: false "skill" on no-edge markets, power on planted ones, empirical size of each test. */
export const TARGETS = { maxFalseSkill: 0.05, minPower: 0.8, sizeLow: 0.02, sizeHigh: 0.08 } as const;

/** Verdict levels in table order; a level the report names that is not here is counted as `other`. */
export const LEVELS = ['evidence_of_skill', 'overfit_likely', 'no_evidence_of_skill', 'inconclusive'] as const;

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

// ---- tallies ------------------------------------------------------------------------------------------------

export interface Rate {
  count: number;
  of: number;
  rate: number | null;
  /** 95 % Wilson score interval; null without observations. */
  low: number | null;
  high: number | null;
}

/** Wilson score interval (z = 1.96) of count successes in `of` trials. */
export function wilson(count: number, of: number, z = 1.959964): Rate {
  if (of === 0) return { count, of, rate: null, low: null, high: null };
  const p = count / of;
  const denominator = 1 + (z * z) / of;
  const centre = (p + (z * z) / (2 * of)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / of + (z * z) / (4 * of * of))) / denominator;
  return { count, of, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface CellSummary {
  market: MarketKind;
  planted: boolean;
  selectBy: SelectionMetric;
  feesBps: number;
  runs: number;
  /** Share of runs at each verdict level (LEVELS, then `other`). */
  levels: Record<string, Rate>;
  /** Runs whose selected strategy has a true edge (t ≥ 3 on the fresh path). */
  trueEdge: Rate;
  /**
   * The skill rate the targets read: on no-edge markets evidence_of_skill over all runs (false alarms); on planted
   * markets over the runs with a true edge (power).
   */
  skill: Rate;
  /** Per test id: share of runs where it fired, among the runs where it was defined. */
  tests: Record<string, Rate>;
  /** Median annualised Sharpe of the selected strategy on the fresh path, over the runs the skill rate counts. */
  freshSharpeAnnual: number | null;
  medianSeconds: number;
}

export interface TestInfo {
  id: string;
  label: string;
  /** The smallest p-value it gave in any run: above 0.05, the test cannot fire with these settings. */
  minPValue: number | null;
}

export interface Tabulation {
  cells: CellSummary[];
  tests: TestInfo[];
  testsSource: RunOutcome['testsSource'] | 'mixed' | 'none';
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function tabulate(outcomes: readonly RunOutcome[]): Tabulation {
  const tests: TestInfo[] = [];
  const known = new Set<string>();
  const sources = new Set(outcomes.map((o) => o.testsSource));
  const groups = new Map<string, RunOutcome[]>();
  for (const o of outcomes) {
    for (const t of o.tests) {
      if (!known.has(t.id)) {
        known.add(t.id);
        tests.push({ id: t.id, label: t.label, minPValue: null });
      }
      const info = tests.find((x) => x.id === t.id)!;
      if (t.pValue !== null && (info.minPValue === null || t.pValue < info.minPValue)) info.minPValue = t.pValue;
    }
    const key = `${o.market}\u0000${o.selectBy}\u0000${o.feesBps}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(o);
  }
  const cells: CellSummary[] = [];
  for (const runs of groups.values()) {
    const { market, selectBy, feesBps } = runs[0];
    const planted = isPlanted(market);
    const levels: Record<string, Rate> = {};
    for (const level of LEVELS) levels[level] = wilson(runs.filter((r) => r.level === level).length, runs.length);
    levels.other = wilson(runs.filter((r) => !(LEVELS as readonly string[]).includes(r.level)).length, runs.length);
    const withEdge = runs.filter((r) => r.truth.holds);
    const skillPool = planted ? withEdge : runs;
    const testRates: Record<string, Rate> = {};
    for (const { id } of tests) {
      const defined = runs
        .map((r) => r.tests.find((t) => t.id === id))
        .filter((t): t is VerdictTest => t !== undefined && t.fires !== null);
      testRates[id] = wilson(defined.filter((t) => t.fires).length, defined.length);
    }
    cells.push({
      market,
      planted,
      selectBy,
      feesBps,
      runs: runs.length,
      levels,
      trueEdge: wilson(withEdge.length, runs.length),
      skill: wilson(skillPool.filter((r) => r.level === 'evidence_of_skill').length, skillPool.length),
      tests: testRates,
      medianSeconds: median(runs.map((r) => r.seconds)),
      freshSharpeAnnual:
        skillPool.length === 0 ? null : median(skillPool.map((r) => r.truth.sharpe * Math.sqrt(PERIODS_PER_YEAR))),
    });
  }
  return { cells, tests, testsSource: sources.size === 0 ? 'none' : sources.size > 1 ? 'mixed' : [...sources][0] };
}

/**
 * Each test's fire rate pooled over every no-edge run at one fee level (all no-edge markets and metrics together):
 * a tighter estimate of its size than any single row when runs per row are few.
 */
export function pooledSizes(
  outcomes: readonly RunOutcome[],
  tests: readonly TestInfo[],
  feesBps: number,
): Record<string, Rate> {
  const pool = outcomes.filter((o) => !isPlanted(o.market) && o.feesBps === feesBps);
  const rates: Record<string, Rate> = {};
  for (const { id } of tests) {
    const defined = pool
      .map((o) => o.tests.find((t) => t.id === id))
      .filter((t): t is VerdictTest => t !== undefined && t.fires !== null);
    rates[id] = wilson(defined.filter((t) => t.fires).length, defined.length);
  }
  return rates;
}

export interface TargetCheck {
  name: string;
  ok: boolean | null;
  detail: string;
}

/** The issue's targets, row by row. */
export function checkTargets(tab: Tabulation): TargetCheck[] {
  const pct = (r: Rate) => (r.rate === null ? 'n/a' : `${(100 * r.rate).toFixed(1)} %`);
  const row = (c: CellSummary) => `${c.market}/${c.selectBy}/${c.feesBps}bps`;
  const checks: TargetCheck[] = [];
  const noEdge = tab.cells.filter((c) => !c.planted);
  const planted = tab.cells.filter((c) => c.planted);

  const falseSkill = noEdge.filter((c) => c.skill.rate !== null && c.skill.rate > TARGETS.maxFalseSkill);
  checks.push({
    name: `evidence_of_skill ≤ ${100 * TARGETS.maxFalseSkill} % on no-edge rows`,
    ok: noEdge.length === 0 ? null : falseSkill.length === 0,
    detail:
      noEdge.length === 0
        ? 'no no-edge rows'
        : falseSkill.length === 0
          ? `max ${pct(noEdge.reduce((a, c) => ((c.skill.rate ?? 0) > (a.rate ?? 0) ? c.skill : a), noEdge[0].skill))}`
          : falseSkill.map((c) => `${row(c)} ${pct(c.skill)}`).join(', '),
  });

  const measured = planted.filter((c) => c.skill.of > 0);
  const weak = measured.filter((c) => (c.skill.rate ?? 0) < TARGETS.minPower);
  checks.push({
    name: `evidence_of_skill ≥ ${100 * TARGETS.minPower} % on planted rows (runs with a true edge)`,
    ok: measured.length === 0 ? null : weak.length === 0,
    detail:
      planted.length === 0
        ? 'no planted rows'
        : planted
            .map(
              (c) =>
                `${row(c)} ${c.skill.of === 0 ? 'n/a (no run with a true edge)' : `${pct(c.skill)} of ${c.skill.of}`}`,
            )
            .join(', '),
  });

  // Per test, the range of its fire rate over the no-edge rows at 0 bps, and the rows outside the target band.
  const boundary = noEdge.filter((c) => c.feesBps === 0);
  const perTest: string[] = [];
  let outside = 0;
  for (const t of tab.tests) {
    const rates = boundary.map((c) => ({ c, r: c.tests[t.id] })).filter((x) => x.r && x.r.rate !== null);
    if (rates.length === 0) continue;
    const values = rates.map((x) => x.r.rate!);
    const bad = rates.filter((x) => x.r.rate! < TARGETS.sizeLow || x.r.rate! > TARGETS.sizeHigh);
    outside += bad.length;
    perTest.push(
      `${t.id} ${(100 * Math.min(...values)).toFixed(1)}–${(100 * Math.max(...values)).toFixed(1)} %` +
        (bad.length === 0
          ? ''
          : bad.length === rates.length
            ? ` (outside on all ${bad.length} rows)`
            : ` (outside on ${bad.map((x) => `${x.c.market}/${x.c.selectBy}`).join(', ')})`),
    );
  }
  checks.push({
    name: `every test's size within ${100 * TARGETS.sizeLow}–${100 * TARGETS.sizeHigh} % on no-edge rows at 0 bps`,
    ok: boundary.length === 0 || perTest.length === 0 ? null : outside === 0,
    detail:
      boundary.length === 0
        ? 'not measured: add 0 to --fees-bps'
        : perTest.length === 0
          ? 'the reports list no tests'
          : perTest.join('; '),
  });
  return checks;
}

// ---- the table ----------------------------------------------------------------------------------------------

const LEVEL_HEADERS: Record<string, string> = {
  evidence_of_skill: 'evidence_of_skill %',
  overfit_likely: 'overfit_likely %',
  no_evidence_of_skill: 'no_evidence %',
  inconclusive: 'inconclusive %',
  other: 'other %',
};

const percent = (r: Rate | undefined): string => (!r || r.rate === null ? '–' : (100 * r.rate).toFixed(1));
const interval = (r: Rate): string =>
  r.rate === null ? '–' : `${(100 * r.rate).toFixed(1)} [${(100 * r.low!).toFixed(1)}, ${(100 * r.high!).toFixed(1)}]`;

/** The markdown table: one row per market × metric × fees. */
export function markdownTable(tab: Tabulation): string {
  const showOther = tab.cells.some((c) => c.levels.other.count > 0);
  const levels = [...LEVELS, ...(showOther ? ['other'] : [])];
  const header = [
    'market',
    'select by',
    'fees',
    'runs',
    'true edge',
    'fresh SR/yr',
    'skill rate [95 % CI]',
    ...levels.map((l) => LEVEL_HEADERS[l]),
    ...tab.tests.map((t) => `${t.id} fires %`),
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < 3 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const c of tab.cells) {
    const cells = [
      c.market + (c.planted ? ' (planted)' : ''),
      c.selectBy,
      `${c.feesBps} bps`,
      String(c.runs),
      `${c.trueEdge.count}/${c.runs}`,
      c.freshSharpeAnnual === null ? '–' : c.freshSharpeAnnual.toFixed(1),
      `${interval(c.skill)}${c.planted ? ` of ${c.skill.of}` : ''}`,
      ...levels.map((l) => percent(c.levels[l])),
      ...tab.tests.map((t) => percent(c.tests[t.id])),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Sort cells: market order as given, then metric, then fees descending. */
export function sortCells(cells: CellSummary[], markets: readonly string[]): CellSummary[] {
  return [...cells].sort(
    (a, b) =>
      markets.indexOf(a.market) - markets.indexOf(b.market) ||
      CALIBRATION_METRICS.indexOf(a.selectBy as never) - CALIBRATION_METRICS.indexOf(b.selectBy as never) ||
      b.feesBps - a.feesBps,
  );
}
