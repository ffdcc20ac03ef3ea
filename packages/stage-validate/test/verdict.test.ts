// The verdict's rules on hand-built report bodies, and the out-of-sample tests on hand-computed cases.
import { parseRunConfig, type Metrics, type OverfittingReport } from '@overfit/core';
import { selectionDrop } from '../src/outOfSample';
import { monteCarloPValue } from '../src/nullMarkets';
import { verdictOf } from '../src/verdict';

type Body = Omit<OverfittingReport, 'verdict'>;

/** A report body with only what the verdict reads: validation PSR, DSR, null-market p, drop, PBO, money. */
function body(o: {
  validationPsr?: number | null;
  validationSharpe?: number;
  dsr?: number | null;
  nullP?: number | null;
  validationTrades?: number;
  drop?: { drop: number; p: number };
  pbo?: number;
  validationReturn?: number;
  buyAndHold?: number;
}): Body {
  const window = (totalReturn: number, buyAndHoldReturn: number, trades: number) => ({
    bars: 900,
    trades,
    totalReturn,
    sharpeAnnual: 1,
    buyAndHoldReturn,
    buyAndHoldSharpeAnnual: 1,
  });
  return {
    format: 'overfit-report/2',
    inputs: {
      strategies: 500,
      trainingBars: 2100,
      validationBars: 900,
      periodsPerYear: 8760,
      selectBy: 'win_rate',
      selectedId: 's0042',
      seed: 1,
      costsBps: 10,
      alpha: 0.05,
    },
    selected: {
      strategyId: 's0042',
      training: {
        strategyId: 's0042',
        observations: 2100,
        sharpe: 0.05,
        sharpeAnnual: 4.7,
        skewness: 0,
        kurtosis: 3,
        probabilisticSharpe: 0.99,
        minimumTrackRecordBars: 10,
      },
      validation:
        o.validationPsr === null
          ? null
          : {
              strategyId: 's0042',
              observations: 900,
              sharpe: o.validationSharpe ?? 0.03,
              sharpeAnnual: 2.8,
              skewness: 0,
              kurtosis: 3,
              probabilisticSharpe: o.validationPsr ?? 0.5,
              minimumTrackRecordBars: 10,
            },
      comparison: {
        training: window(0.5, 0.1, 40),
        validation: window(o.validationReturn ?? 0.2, o.buyAndHold ?? 0.1, o.validationTrades ?? 20),
      },
    },
    selectionDrop: {
      metric: 'win_rate',
      training: 0.7,
      validation: 0.7 * (1 - (o.drop?.drop ?? 0)),
      drop: o.drop?.drop ?? 0,
      threshold: 0.15,
      exceedsThreshold: (o.drop?.drop ?? 0) > 0.15,
      samples: { training: 40, validation: 20, unit: 'trades' },
      test: { name: 'two-proportion z-test, one-sided', statistic: 1, pValue: o.drop?.p ?? 0.5 },
      minimumValidationTrades: 5,
    },
    sharpeAcrossTrials: { defined: 500, variance: 1e-4, robustVariance: 1e-4, best: null },
    effectiveTrials: { strategies: 500, varying: 500, draws: 2000, expectedMaxZ: 2.6, trials: 90 },
    deflatedSharpe:
      o.dsr === null
        ? null
        : {
            strategyId: 's0042',
            trials: 500,
            effectiveTrials: 90,
            sharpeVariance: 1 / 2099,
            expectedMaxSharpe: 0.055,
            expectedMaxSharpeAnnual: 5.1,
            sharpe: 0.05,
            observations: 2100,
            skewness: 0,
            kurtosis: 3,
            value: o.dsr ?? 0.5,
            pValue: 1 - (o.dsr ?? 0.5),
          },
    bestBySharpe: null,
    minimumBacktestLength: null,
    haircut: null,
    pbo:
      o.pbo === undefined
        ? null
        : {
            source: 'training block moments',
            blocks: 64,
            blockBars: 32,
            partitions: 16,
            barsPerPartition: 128,
            rankedBy: 'win rate',
            minimumTradesPerHalf: 5,
            combinations: 12_870,
            allCombinations: 12_870,
            pbo: o.pbo,
            probabilityOfLoss: null,
            degradation: { slope: null, intercept: null, r2: null },
            logits: [],
          },
    dataSnooping: null,
    rankCorrelation: { metric: 'win_rate', rho: 0.9, pairs: 480 },
    walkForward: null,
    nullMarkets: {
      markets: 19,
      model: 'GARCH',
      metric: 'win_rate',
      strategiesUsed: 500,
      realSelectedId: 's0042',
      realSelectedSharpeAnnual: 4.7,
      nullSelectedSharpesAnnual: [],
      sharpePValue: o.nullP ?? 0.5,
      realBest: 0.7,
      nullBests: [],
      metricPValue: 0.5,
      nullPbos: [],
      pboPValue: null,
    },
  };
}

describe('the verdict', () => {
  it('combines training and validation evidence by Fisher: p = P(χ²₄ ≥ −2·(ln p_train + ln p_val))', () => {
    // p_train = 2 · min(DSR test 0.03, null markets 0.5) = 0.06, p_val = 0.01: χ² = 14.837, p = 0.0050511.
    const v = verdictOf(body({ validationPsr: 0.99, dsr: 0.97 }));
    expect(v.pValue).toBeCloseTo(0.0050511485, 9);
    expect(v.level).toBe('evidence_of_skill');
    expect(verdictOf(body({ validationPsr: 0.99, dsr: 0.5, nullP: 0.05 })).level).toBe('evidence_of_skill');
    // Modest on both sides (0.2 and 0.2): p = 0.169, luck fits.
    const modest = verdictOf(body({ validationPsr: 0.8, dsr: 0.9, nullP: 0.5 }));
    expect(modest.pValue).toBeCloseTo(0.168755033, 8);
    expect(modest.level).toBe('no_evidence_of_skill');
    // One strong out-of-sample result carries it even when training says nothing (p_val 0.001: p = 0.0079).
    expect(verdictOf(body({ validationPsr: 0.999, dsr: 0.5, nullP: 1 })).pValue).toBeCloseTo(0.0079077553, 9);
  });

  it('never calls a strategy that lost out of sample skilled, however strong its training result', () => {
    const v = verdictOf(body({ validationPsr: 0.3, validationSharpe: -0.01, dsr: 0.99999, nullP: 0.05 }));
    expect(v.pValue).toBeLessThan(0.05);
    expect(v.level).not.toBe('evidence_of_skill');
  });

  it('is inconclusive when validation gave the strategy too few trades, whatever the rest says', () => {
    const v = verdictOf(body({ validationPsr: 0.999, dsr: 0.99, validationTrades: 2 }));
    expect(v.level).toBe('inconclusive');
    expect(v.headline).toMatch(
      /^Inconclusive: s0042, the best of 500 strategies by win rate, made 2 trades on validation, too few to judge \(5 needed\)/,
    );
  });

  it('calls a significant fall past the threshold, or PBO of one half or more, overfitting', () => {
    const fell = verdictOf(body({ drop: { drop: 0.3, p: 0.01 } }));
    expect(fell.level).toBe('overfit_likely');
    expect(fell.headline).toMatch(/its win rate fell 30 % out of sample \(p 0\.010\)/);
    expect(verdictOf(body({ drop: { drop: 0.3, p: 0.2 } })).level).toBe('no_evidence_of_skill'); // a fall noise explains
    expect(verdictOf(body({ pbo: 0.55 })).level).toBe('overfit_likely');
    expect(verdictOf(body({ validationPsr: 0.99, dsr: 0.99, pbo: 0.55 })).level).toBe('evidence_of_skill');
  });

  it('is never a green success for a strategy that lost money or trailed buy-and-hold, and says so in the headline', () => {
    const trailing = verdictOf(body({ validationPsr: 0.99, dsr: 0.99, validationReturn: 0.05, buyAndHold: 0.4 }));
    expect(trailing.tone).toBe('neutral');
    expect(trailing.headline).toMatch(
      /but on validation it returned \+5\.0 % against \+40 % for buy-and-hold — an edge over cash, not over holding\.$/,
    );
    expect(verdictOf(body({ validationPsr: 0.99, dsr: 0.99, validationReturn: 0.3, buyAndHold: 0.1 })).tone).toBe(
      'good',
    );
    const lost = verdictOf(body({ validationReturn: -0.21, buyAndHold: 3.29 }));
    expect(lost.tone).toBe('bad');
    expect(lost.headline).toMatch(/on validation it returned −21 % against \+329 % for buy-and-hold\.$/);
  });

  it('lists every test with its p-value and whether it rejects luck at 5 %', () => {
    const { tests } = verdictOf(body({ validationPsr: 0.97, dsr: 0.9, nullP: 0.05 }));
    expect(tests.find((t) => t.id === 'validation')).toMatchObject({ pValue: expect.closeTo(0.03, 12), fires: true });
    expect(tests.find((t) => t.id === 'deflated_sharpe')).toMatchObject({
      pValue: expect.closeTo(0.1, 12),
      fires: false,
    });
    expect(tests.find((t) => t.id === 'null_markets')).toMatchObject({ pValue: 0.05, fires: true });
    expect(tests.find((t) => t.id === 'spa')).toMatchObject({ pValue: null, fires: null });
  });
});

describe('the original rule with a test', () => {
  const metrics = (winRate: number, trades: number): Metrics => ({
    winRate,
    trades,
    sharpe: 1,
    totalReturn: 0.1,
    cagr: 0.1,
    sortino: 1,
    maxDrawdown: 0.1,
    calmar: 1,
    hitRate: 0.5,
    exposure: 0.5,
    profitFactor: 1.2,
  });

  it('tests a fall of the win rate with a one-sided two-proportion z-test on the trades behind each value', () => {
    // 20 of 30 trades won on training, 5 of 15 on validation: pooled 25/45,
    // z = (2/3 − 1/3) / √(p̂(1 − p̂)(1/30 + 1/15)) = 2.12132.
    const drop = selectionDrop(
      parseRunConfig({}),
      metrics(20 / 30, 30),
      metrics(5 / 15, 15),
      { training: 2100, validation: 900 },
      8760,
    );
    expect(drop).toMatchObject({
      metric: 'win_rate',
      drop: expect.closeTo(0.5, 12),
      exceedsThreshold: true,
      samples: { training: 30, validation: 15, unit: 'trades' },
    });
    expect(drop.test!.statistic).toBeCloseTo(2.1213203, 6);
    expect(drop.test!.pValue).toBeCloseTo(0.0169474, 6);
    expect(drop.minimumValidationTrades).toBe(5); // ⌈10 · 900 / 2100⌉ = 5
  });

  it('tests a fall of the Sharpe ratio with the standard errors of two independent windows', () => {
    const config = parseRunConfig({ selectBy: 'sharpe' });
    const m = (annual: number) => ({ ...metrics(0.5, 20), sharpe: annual });
    const drop = selectionDrop(config, m(0.04 * Math.sqrt(8760)), m(0), { training: 2000, validation: 1000 }, 8760);
    // z = 0.04 / √((1 + 0.0008)/2000 + 1/1000) = 0.04 / √0.0015004 = 1.0326579
    expect(drop.test!.statistic).toBeCloseTo(1.0326579, 6);
    expect(drop.samples).toEqual({ training: 2000, validation: 1000, unit: 'bars' });
  });
});

describe('Monte Carlo p-values of the null markets', () => {
  it('count the real value among the nulls as at least as extreme as itself', () => {
    expect(monteCarloPValue(2, new Array(19).fill(1), 'higher')).toBe(0.05);
    expect(monteCarloPValue(2, [1, 2, 3], 'higher')).toBe(0.75);
    expect(monteCarloPValue(0.1, [0.3, 0.05, null], 'lower')).toBe(0.5);
    expect(monteCarloPValue(null, [1], 'higher')).toBeNull();
  });
});
