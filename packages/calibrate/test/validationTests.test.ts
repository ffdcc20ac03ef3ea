// The pieces of the out-of-sample test benchmark: Student's t tail against tabulated values, trade splitting by
// hand, the Newey–West p-value against the plain one on independent data, and one selection's p-values.
import { createRng, normalCdf } from '@overfit/core';
import { incompleteBeta, studentTSurvival } from '../src/studentT';
import { hacPValue, tradeReturns, validationSample } from '../src/validationTests';

describe('studentTSurvival', () => {
  it.each([
    // t table: the one-sided critical values at 5 % and 2.5 %
    [2.015048, 5, 0.05],
    [2.570582, 5, 0.025],
    [1.812461, 10, 0.05],
    [2.228139, 10, 0.025],
    [1.644854, 1e7, 0.05],
    [6.313752, 1, 0.05],
  ])('P(T ≥ %f; ν = %f) = %f', (t, nu, p) => {
    expect(studentTSurvival(t, nu)).toBeCloseTo(p, 6);
    expect(studentTSurvival(-t, nu)).toBeCloseTo(1 - p, 6);
  });

  it('is ½ at 0 and the incomplete beta is the uniform CDF for a = b = 1', () => {
    expect(studentTSurvival(0, 7)).toBeCloseTo(0.5, 12);
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.3, 2, 1)).toBeCloseTo(0.09, 12);
  });
});

describe('tradeReturns', () => {
  it('sums the returns of each run of bars held on one side', () => {
    // pos decided at the close of bar t is held over bar t + 1: held = [0, 1, 1, 0, -1, -1, 1]
    const pos = Int8Array.from([1, 1, 0, -1, -1, 1, 1]);
    const r = [0, 0.01, 0.02, 0, -0.01, 0.03, 0.5];
    const trades = tradeReturns(r, pos, 0);
    expect(trades).toHaveLength(3);
    for (const [i, x] of [0.03, 0.02, 0.5].entries()) expect(trades[i]).toBeCloseTo(x, 15);
    // a window starting inside a trade: held at its first bar is pos[start − 1]
    expect(tradeReturns([0.02, 0, -0.01], pos, 2)).toEqual([0.02, -0.01]);
  });
});

describe('hacPValue', () => {
  it('agrees with the plain z-test on independent data, is larger under positive autocorrelation, undefined when constant', () => {
    const rng = createRng(5).next;
    const noise = Float64Array.from({ length: 4000 }, () => 0.01 * (rng() + rng() + rng() - 1.5) * 2);
    const plainP = (r: Float64Array) => {
      const mean = r.reduce((a, b) => a + b, 0) / r.length;
      const v = r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length;
      return 1 - normalCdf(mean / Math.sqrt(v / r.length));
    };
    const independent = noise.map((x) => x + 0.0003);
    expect(plainP(independent)).toBeGreaterThan(0.001);
    expect(plainP(independent)).toBeLessThan(0.2);
    // independent draws: the long-run variance is the variance, up to noise in the first few autocovariances
    expect(Math.abs(hacPValue(independent)! - plainP(independent))).toBeLessThan(0.03);
    // a moving sum of 5 draws: long-run variance 5× the variance, so the plain test overstates the evidence
    const smooth = independent.map((_, i) =>
      i >= 4 ? independent.slice(i - 4, i + 1).reduce((a, b) => a + b, 0) / 5 : independent[i],
    );
    expect(hacPValue(smooth)!).toBeGreaterThan(plainP(smooth) + 0.02);
    expect(hacPValue(new Float64Array(100).fill(0.01))).toBeNull();
  });
});

describe('validationSample', () => {
  it('selects one strategy on a random walk and gives every candidate a p-value in [0, 1]', () => {
    const s = validationSample('random_walk', 'sharpe', 0, { seed: 3, bars: 3000, source: null });
    expect(s.trades).toBeGreaterThan(0);
    for (const p of Object.values(s.p)) {
      if (p === null) continue;
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    // psr and z differ only by the higher moments, which matter little at SR ≈ 0
    expect(Math.abs(s.p.psr! - s.p.z!)).toBeLessThan(0.05);
  }, 120_000);
});
