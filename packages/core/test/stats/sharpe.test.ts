import fc from 'fast-check';
import {
  deflatedSharpeRatio, expectedMaxSharpe, haircutSharpe, InputError, minimumBacktestLength, minimumTrackRecordLength,
  probabilisticSharpeRatio, robustVariance, sampleMoments,
} from '../../src';

describe('sample moments', () => {
  it('match a hand computation on 1, 2, 3, 4', () => {
    const m = sampleMoments([1, 2, 3, 4]);
    expect(m.mean).toBe(2.5);
    expect(m.std).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(m.sharpe).toBeCloseTo(2.5 / Math.sqrt(5 / 3), 14);
    expect(m.skewness).toBeCloseTo(0, 14);
    expect(m.kurtosis).toBeCloseTo(2.5625 / 1.5625, 14); // m4 / m2² with deviations ±1.5, ±0.5
  });

  it('are undefined for a flat series and refuse non-numbers', () => {
    expect(sampleMoments([0, 0, 0]).sharpe).toBeNaN();
    expect(() => sampleMoments([1, Number.NaN])).toThrow(InputError);
  });
});

describe('probabilistic and deflated Sharpe ratios', () => {
  // Bailey & López de Prado (2014): 100 trials, annual SR 2.5, variance of annual SRs 0.5, 1250 daily
  // observations, skewness −3, kurtosis 10 → E[max SR] ≈ 1.79 annual, DSR ≈ 0.9004.
  const paper = { trials: 100, sharpe: 2.5 / Math.sqrt(250), sharpeVariance: 0.5 / 250, observations: 1250, skewness: -3, kurtosis: 10 };

  it('reproduces the deflated Sharpe ratio paper example', () => {
    expect(expectedMaxSharpe(paper) * Math.sqrt(250)).toBeCloseTo(1.7894, 4);
    expect(deflatedSharpeRatio(paper)).toBeCloseTo(0.9004, 4);
  });

  it('PSR and MinTRL match hand values', () => {
    // z = 0.1·√99 / √(1 + (3 − 1)/4 · 0.01) → Φ(0.99247) = 0.83953 (scipy)
    expect(probabilisticSharpeRatio({ sharpe: 0.1, benchmarkSharpe: 0, observations: 100, skewness: 0, kurtosis: 3 })).toBeCloseTo(0.8395254, 6);
    // 1 + 1.005 · (Φ⁻¹(0.95) / 0.1)²
    expect(minimumTrackRecordLength({ sharpe: 0.1, benchmarkSharpe: 0, skewness: 0, kurtosis: 3, confidence: 0.95 })).toBeCloseTo(272.9071, 3);
    expect(minimumTrackRecordLength({ sharpe: 0.1, benchmarkSharpe: 0.2, skewness: 0, kurtosis: 3, confidence: 0.95 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('PSR at exactly MinTRL observations equals the confidence', () => {
    const moments = { sharpe: 0.08, benchmarkSharpe: 0.01, skewness: -0.5, kurtosis: 6 };
    const bars = minimumTrackRecordLength({ ...moments, confidence: 0.9 });
    // PSR uses √(T − 1): at T = MinTRL, z = Φ⁻¹(0.9) exactly (T need not be whole here, so go through the formula).
    const z = ((0.08 - 0.01) * Math.sqrt(bars - 1)) / Math.sqrt(1 + 0.5 * 0.08 + (5 / 4) * 0.0064);
    expect(z).toBeCloseTo(1.2815515655446004, 10);
  });

  it('DSR falls as the number of trials grows', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 5000 }), fc.integer({ min: 1, max: 5000 }), (trials, more) => {
      const a = deflatedSharpeRatio({ ...paper, trials });
      const b = deflatedSharpeRatio({ ...paper, trials: trials + more });
      return b < a;
    }));
  });

  it('one trial has no selection to deflate: DSR is PSR against 0', () => {
    expect(deflatedSharpeRatio({ ...paper, trials: 1 })).toBeCloseTo(probabilisticSharpeRatio({ ...paper, benchmarkSharpe: 0 }), 14);
  });

  it('names the bad field', () => {
    expect(() => probabilisticSharpeRatio({ sharpe: 0.1, benchmarkSharpe: 0, observations: 1, skewness: 0, kurtosis: 3 })).toThrow(/observations/);
    expect(() => deflatedSharpeRatio({ ...paper, trials: 0 })).toThrow(/trials/);
    expect(() => deflatedSharpeRatio({ ...paper, kurtosis: 0.5 })).toThrow(/kurtosis/);
  });
});

describe('minimum backtest length', () => {
  it('reproduces the paper: 5 years of data are exhausted by about 45 trials at a target annual Sharpe of 1', () => {
    expect(minimumBacktestLength({ trials: 45, targetSharpe: 1 })).toBeCloseTo(4.998, 3);
    expect(minimumBacktestLength({ trials: 45, targetSharpe: 1 })).toBeLessThan(2 * Math.log(45)); // the paper's bound
  });

  it('grows with trials and falls with the target', () => {
    expect(minimumBacktestLength({ trials: 1000, targetSharpe: 1 })).toBeGreaterThan(minimumBacktestLength({ trials: 100, targetSharpe: 1 }));
    expect(minimumBacktestLength({ trials: 100, targetSharpe: 2 })).toBeCloseTo(minimumBacktestLength({ trials: 100, targetSharpe: 1 }) / 4, 12);
  });
});

describe('haircut Sharpe ratio', () => {
  // SR 0.1 per bar over 400 bars: t = 2, p = 0.0455. Reference values from scipy.
  it('Bonferroni multiplies the p-value by the number of trials', () => {
    const h = haircutSharpe({ sharpe: 0.1, observations: 400, trials: 10, method: 'bonferroni' });
    expect(h.pValue).toBeCloseTo(0.04550026, 7);
    expect(h.adjustedPValue).toBeCloseTo(0.4550026, 6);
    expect(h.haircutSharpe).toBeCloseTo(0.0373550, 6);
    expect(h.haircut).toBeCloseTo(0.62645, 4);
  });

  it('Holm and BHY use the order of all trials’ p-values', () => {
    const allSharpes = [0.1, 0.05, 0.12, 0.0, -0.03, 0.08, 0.02, 0.06, 0.01, 0.04]; // 0.1 is the second most significant
    const holm = haircutSharpe({ sharpe: 0.1, observations: 400, trials: 10, method: 'holm', allSharpes });
    expect(holm.adjustedPValue).toBeCloseTo(0.409502375, 8); // max(10·p(1), 9·p(2))
    expect(holm.haircutSharpe).toBeCloseTo(0.0412385, 6);
    const bhy = haircutSharpe({ sharpe: 0.1, observations: 400, trials: 10, method: 'bhy', allSharpes });
    expect(bhy.adjustedPValue).toBeCloseTo(0.666344142, 8); // min over j ≥ 2 of 10·c(10)·p(j)/j
    expect(bhy.haircutSharpe).toBeCloseTo(0.0215585, 6);
  });

  it('without the other trials, Holm equals Bonferroni and BHY is stricter', () => {
    const base = { sharpe: 0.2, observations: 400, trials: 50 };
    const bonferroni = haircutSharpe({ ...base, method: 'bonferroni' });
    expect(haircutSharpe({ ...base, method: 'holm' }).adjustedPValue).toBe(bonferroni.adjustedPValue);
    expect(haircutSharpe({ ...base, method: 'bhy' }).haircutSharpe).toBeLessThan(bonferroni.haircutSharpe);
  });

  it('takes everything when the adjusted p-value reaches 1', () => {
    expect(haircutSharpe({ sharpe: 0.01, observations: 100, trials: 100, method: 'bonferroni' })).toMatchObject({ adjustedPValue: 1, haircutSharpe: 0, haircut: 1 });
  });
});

describe('robust variance of Sharpe ratios across trials', () => {
  it('is the normal-equivalent MAD², unmoved by a far tail', () => {
    // median 0, absolute deviations 0, 1, 1, 2, 2 → MAD 1 → (1.4826 · 1)²
    expect(robustVariance([0, 1, -1, 2, -2])).toBeCloseTo(1.4826 ** 2, 12);
    expect(robustVariance([0, 1, -1, 2, -2, -40, -41])).toBeCloseTo(robustVariance([0, 1, -1, 2, -2, -3, -4]), 12);
    expect(robustVariance([1, Number.NaN])).toBeNaN();
  });
});
