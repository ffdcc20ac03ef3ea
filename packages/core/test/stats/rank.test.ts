import { averageRanks, spearmanCorrelation } from '../../src';

describe('Spearman rank correlation', () => {
  it('averages tied ranks', () => {
    expect(Array.from(averageRanks([10, 20, 20, 5, 20]))).toEqual([2, 4, 4, 1, 4]);
  });

  it('matches a hand computation with ties', () => {
    // ranks x = 1, 2.5, 2.5, 4; y = 1, 3, 2, 4 → Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5 → ρ = √0.9
    expect(spearmanCorrelation([1, 2, 2, 3], [1, 3, 2, 4]).rho).toBeCloseTo(Math.sqrt(0.9), 14);
  });

  it('is ±1 for monotone relations however non-linear, and drops undefined pairs', () => {
    expect(spearmanCorrelation([1, 2, 3, 4], [1, 8, 27, 64]).rho).toBeCloseTo(1, 14);
    expect(spearmanCorrelation([1, 2, 3, 4], [4, 3, 2, 1]).rho).toBeCloseTo(-1, 14);
    expect(spearmanCorrelation([1, Number.NaN, 3, 4, 5], [2, 9, Number.NaN, 4, 6])).toEqual({ rho: 1, pairs: 3 });
    expect(spearmanCorrelation([1, 1, 1], [1, 2, 3]).rho).toBeNaN();
  });
});
