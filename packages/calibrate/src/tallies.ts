// Tallies of calibration outcomes: per market × metric × fees cell, the share of runs at each verdict level, with
// a true edge, showing skill, and where each test fired, every share with its 95 % Wilson interval.
import type { SelectionMetric } from '@overfit/core';
import type { RunOutcome, VerdictTest } from './calibrate';
import { isPlanted, PERIODS_PER_YEAR, type MarketKind } from './marketKinds';

/** Verdict levels in table order; a level the report names that is not here is counted as `other`. */
export const LEVELS = ['evidence_of_skill', 'overfit_likely', 'no_evidence_of_skill', 'inconclusive'] as const;

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

/** Per test id: the share of `runs` where it fired, among the runs where it was defined. */
function fireRates(runs: readonly RunOutcome[], tests: readonly TestInfo[]): Record<string, Rate> {
  const rates: Record<string, Rate> = {};
  for (const { id } of tests) {
    const defined = runs
      .map((r) => r.tests.find((t) => t.id === id))
      .filter((t): t is VerdictTest => t !== undefined && t.fires !== null);
    rates[id] = wilson(defined.filter((t) => t.fires).length, defined.length);
  }
  return rates;
}

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
    cells.push({
      market,
      planted,
      selectBy,
      feesBps,
      runs: runs.length,
      levels,
      trueEdge: wilson(withEdge.length, runs.length),
      skill: wilson(skillPool.filter((r) => r.level === 'evidence_of_skill').length, skillPool.length),
      tests: fireRates(runs, tests),
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
  return fireRates(
    outcomes.filter((o) => !isPlanted(o.market) && o.feesBps === feesBps),
    tests,
  );
}
