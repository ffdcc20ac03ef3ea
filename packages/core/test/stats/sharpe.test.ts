import fc from 'fast-check';
import {
  deflatedSharpeRatio,
  expectedMaxSharpe,
  expectedMaxStandardNormal,
  haircutSharpe,
  InputError,
  minimumBacktestLength,
  minimumTrackRecordLength,
  probabilisticSharpeRatio,
  robustVariance,
  sampleMoments,
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

  it('are undefined for a constant non-zero series, whatever rounding the mean picks up', () => {
    // 0.1 three times: the plain mean is 0.10000000000000002 and the old Sharpe came out at ~5e15.
    expect(sampleMoments([0.1, 0.1, 0.1])).toMatchObject({
      sharpe: Number.NaN,
      skewness: Number.NaN,
      kurtosis: Number.NaN,
      std: 0,
    });
    expect(sampleMoments(new Float64Array(1_000_000).fill(0.1)).sharpe).toBeNaN(); // Σ = 100000.0000013
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 2, max: 2000 }), (c, n) => {
        expect(sampleMoments(new Float64Array(n).fill(c)).sharpe).toBeNaN();
      }),
    );
    // Real variation, however small next to the mean, stays defined: 1 ± 1e-12 has Sharpe 1/√(2e-24) = 7.07e11.
    expect(sampleMoments([1 - 1e-12, 1 + 1e-12]).sharpe / 707106781186.54755).toBeCloseTo(1, 3);
  });
});

describe('probabilistic and deflated Sharpe ratios', () => {
  // Bailey & López de Prado (2014): 100 trials, annual SR 2.5, variance of annual SRs 0.5, 1250 daily
  // observations, skewness −3, kurtosis 10 → E[max SR] ≈ 1.79 annual, DSR ≈ 0.9004.
  const paper = {
    trials: 100,
    sharpe: 2.5 / Math.sqrt(250),
    sharpeVariance: 0.5 / 250,
    observations: 1250,
    skewness: -3,
    kurtosis: 10,
  };

  it('reproduces the deflated Sharpe ratio paper example', () => {
    expect(expectedMaxSharpe(paper) * Math.sqrt(250)).toBeCloseTo(1.7894, 4);
    expect(deflatedSharpeRatio(paper)).toBeCloseTo(0.9004, 4);
  });

  it('PSR and MinTRL match hand values', () => {
    // z = 0.1·√99 / √(1 + (3 − 1)/4 · 0.01) → Φ(0.99247) = 0.83953 (scipy)
    expect(
      probabilisticSharpeRatio({ sharpe: 0.1, benchmarkSharpe: 0, observations: 100, skewness: 0, kurtosis: 3 }),
    ).toBeCloseTo(0.8395254, 6);
    // 1 + 1.005 · (Φ⁻¹(0.95) / 0.1)²
    expect(
      minimumTrackRecordLength({ sharpe: 0.1, benchmarkSharpe: 0, skewness: 0, kurtosis: 3, confidence: 0.95 }),
    ).toBeCloseTo(272.9071, 3);
    expect(
      minimumTrackRecordLength({ sharpe: 0.1, benchmarkSharpe: 0.2, skewness: 0, kurtosis: 3, confidence: 0.95 }),
    ).toBe(Number.POSITIVE_INFINITY);
  });

  it('MinTRL refuses an undefined benchmark or Sharpe instead of answering "never"', () => {
    expect(() =>
      minimumTrackRecordLength({
        sharpe: 0.1,
        benchmarkSharpe: Number.NaN,
        skewness: 0,
        kurtosis: 3,
        confidence: 0.95,
      }),
    ).toThrow(/benchmarkSharpe/);
    expect(() =>
      minimumTrackRecordLength({ sharpe: Number.NaN, benchmarkSharpe: 0, skewness: 0, kurtosis: 3, confidence: 0.95 }),
    ).toThrow(/sharpe/);
  });

  it('E[max] of N standard normals stays accurate for huge N (mpmath: 7.1142181723633303 at 1e12, 8.2783605875286448 at 2^53)', () => {
    expect(expectedMaxStandardNormal(1e12)).toBeCloseTo(7.1142181723633303, 12);
    expect(expectedMaxStandardNormal(2 ** 53)).toBeCloseTo(8.2783605875286448, 12);
    expect(expectedMaxStandardNormal(1000)).toBeCloseTo(3.2551215136527256, 13);
    expect(expectedMaxSharpe({ trials: 2 ** 53, sharpeVariance: 1 / 1000 })).toBeCloseTo(
      8.2783605875286448 / Math.sqrt(1000),
      13,
    );
  });

  it('PSR at exactly MinTRL observations equals the confidence', () => {
    const moments = { sharpe: 0.08, benchmarkSharpe: 0.01, skewness: -0.5, kurtosis: 6 };
    const bars = minimumTrackRecordLength({ ...moments, confidence: 0.9 });
    // PSR uses √(T − 1): at T = MinTRL, z = Φ⁻¹(0.9) exactly (T need not be whole here, so go through the formula).
    const z = ((0.08 - 0.01) * Math.sqrt(bars - 1)) / Math.sqrt(1 + 0.5 * 0.08 + (5 / 4) * 0.0064);
    expect(z).toBeCloseTo(1.2815515655446004, 10);
  });

  it('DSR falls as the number of trials grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5000 }), fc.integer({ min: 1, max: 5000 }), (trials, more) => {
        const a = deflatedSharpeRatio({ ...paper, trials });
        const b = deflatedSharpeRatio({ ...paper, trials: trials + more });
        return b < a;
      }),
    );
  });

  it('one trial has no selection to deflate: DSR is PSR against 0', () => {
    expect(deflatedSharpeRatio({ ...paper, trials: 1 })).toBeCloseTo(
      probabilisticSharpeRatio({ ...paper, benchmarkSharpe: 0 }),
      14,
    );
  });

  it('names the bad field', () => {
    expect(() =>
      probabilisticSharpeRatio({ sharpe: 0.1, benchmarkSharpe: 0, observations: 1, skewness: 0, kurtosis: 3 }),
    ).toThrow(/observations/);
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
    expect(minimumBacktestLength({ trials: 1000, targetSharpe: 1 })).toBeGreaterThan(
      minimumBacktestLength({ trials: 100, targetSharpe: 1 }),
    );
    expect(minimumBacktestLength({ trials: 100, targetSharpe: 2 })).toBeCloseTo(
      minimumBacktestLength({ trials: 100, targetSharpe: 1 }) / 4,
      12,
    );
  });
});

// mpmath: −Φ⁻¹(1000·Φ(−9)) to 17 digits.
const T_STAR_1000 = 8.2075658463076531;

describe('haircut Sharpe ratio', () => {
  // SR 0.1 per bar over 400 bars: t = 2, one-sided p = Φ(−2) = 0.0227501. Reference values from mpmath (50 digits).
  it('Bonferroni multiplies the one-sided p-value by the number of trials', () => {
    const h = haircutSharpe({ sharpe: 0.1, observations: 400, trials: 10, method: 'bonferroni' });
    expect(h.pValue).toBeCloseTo(0.022750131948179207, 14);
    expect(h.adjustedPValue).toBeCloseTo(0.22750131948179207, 13);
    expect(h.haircutSharpe).toBeCloseTo(0.03735504649287991, 14); // −Φ⁻¹(0.2275013)/20
    expect(h.haircut).toBeCloseTo(0.6264495351, 9);
  });

  it('Holm and BHY use the order of all trials’ one-sided p-values', () => {
    // 0.1 is the second most significant
    const allSharpes = [0.1, 0.05, 0.12, 0.0, -0.03, 0.08, 0.02, 0.06, 0.01, 0.04];
    const holm = haircutSharpe({ sharpe: 0.1, observations: 400, trials: 10, method: 'holm', allSharpes });
    expect(holm.adjustedPValue).toBeCloseTo(0.20475118753361281, 13); // max(10·p(1), 9·p(2))
    expect(holm.haircutSharpe).toBeCloseTo(0.041238482973239734, 14);
    const bhy = haircutSharpe({ sharpe: 0.1, observations: 400, trials: 10, method: 'bhy', allSharpes });
    expect(bhy.adjustedPValue).toBeCloseTo(0.33317207124902914, 13); // min over j ≥ 2 of 10·c(10)·p(j)/j
    expect(bhy.haircutSharpe).toBeCloseTo(0.021558542851844345, 14);
  });

  it('stays finite and exact for large t (t* from the small tail: −Φ⁻¹(p*), not Φ⁻¹(1 − p*))', () => {
    // t = 9: p = Φ(−9) = 1.1e-19, 1 − p rounds to 1 and the old t* was ∞. One trial: nothing to adjust, no haircut.
    const nine = haircutSharpe({ sharpe: 9 / Math.sqrt(1000), observations: 1000, trials: 1, method: 'bonferroni' });
    expect(nine.haircutSharpe).toBeCloseTo(0.28460498941515414, 15);
    expect(nine.haircut).toBe(0);
    const eight = haircutSharpe({ sharpe: 8 / Math.sqrt(1000), observations: 1000, trials: 1, method: 'holm' });
    expect(eight.haircutSharpe).toBeCloseTo(0.25298221281347035, 15); // the old code gave 0.252716
    // 1,000 trials at t = 9: p* = 1000·Φ(−9) = 1.1285884e-16, t* = 8.2075658… (mpmath).
    const many = haircutSharpe({ sharpe: 9 / Math.sqrt(1000), observations: 1000, trials: 1000, method: 'bonferroni' });
    expect(Math.abs(many.adjustedPValue / 1.1285884059538406e-16 - 1)).toBeLessThan(1e-12);
    expect(many.haircutSharpe * Math.sqrt(1000)).toBeCloseTo(T_STAR_1000, 11);
  });

  it('does not count strongly losing strategies as discoveries in Holm and BHY', () => {
    // The tested strategy (t = 3) is the best; 20 others lose heavily (t = −5). Two-sided p-values ranked the losers
    // first (p = 5.7e-7) and pushed the winner to position 21; one-sided they have p ≈ 1 and come last.
    const T = 100;
    const allSharpes = [0.3, ...Array(20).fill(-0.5), ...Array(29).fill(0.01)];
    for (const method of ['holm', 'bhy'] as const) {
      const h = haircutSharpe({ sharpe: 0.3, observations: T, trials: 50, method, allSharpes });
      const alone = haircutSharpe({ sharpe: 0.3, observations: T, trials: 50, method }); // the most significant of 50
      expect(h.adjustedPValue).toBeCloseTo(alone.adjustedPValue, 15);
    }
    // Holm at position 1 is Bonferroni: 50·Φ(−3).
    expect(
      haircutSharpe({ sharpe: 0.3, observations: T, trials: 50, method: 'holm', allSharpes }).adjustedPValue,
    ).toBeCloseTo(50 * 0.0013498980316300946, 13);
  });

  it('leaves a losing strategy alone and keeps 0 ≤ haircut SR ≤ SR for a winning one', () => {
    expect(haircutSharpe({ sharpe: -0.2, observations: 100, trials: 10, method: 'bonferroni' })).toMatchObject({
      haircutSharpe: -0.2,
      haircut: 0,
    });
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 2, noNaN: true }),
        fc.integer({ min: 2, max: 5000 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.constantFrom('bonferroni' as const, 'holm' as const, 'bhy' as const),
        (sharpe, observations, trials, method) => {
          const h = haircutSharpe({ sharpe, observations, trials, method });
          return (
            h.haircutSharpe >= 0 &&
            h.haircutSharpe <= sharpe &&
            h.haircut >= 0 &&
            h.haircut <= 1 &&
            h.pValue <= h.adjustedPValue
          );
        },
      ),
    );
  });

  it('without the other trials, Holm equals Bonferroni and BHY is stricter', () => {
    const base = { sharpe: 0.2, observations: 400, trials: 50 };
    const bonferroni = haircutSharpe({ ...base, method: 'bonferroni' });
    expect(haircutSharpe({ ...base, method: 'holm' }).adjustedPValue).toBe(bonferroni.adjustedPValue);
    expect(haircutSharpe({ ...base, method: 'bhy' }).haircutSharpe).toBeLessThan(bonferroni.haircutSharpe);
  });

  it('takes everything when the adjusted p-value reaches 1', () => {
    expect(haircutSharpe({ sharpe: 0.01, observations: 100, trials: 100, method: 'bonferroni' })).toMatchObject({
      adjustedPValue: 1,
      haircutSharpe: 0,
      haircut: 1,
    });
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
