import { createRng, effectiveTrials, InputError } from '../../src';

const rng = createRng(7);
const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

/** `groups` independent series, each repeated `copies` times with a little own noise (weight `noise`). */
function grouped(groups: number, copies: number, blocks: number, noise = 0): Float64Array {
  const out = new Float64Array(groups * copies * blocks);
  for (let g = 0; g < groups; g++) {
    const base = Array.from({ length: blocks }, normal);
    for (let c = 0; c < copies; c++) {
      for (let b = 0; b < blocks; b++) out[(g * copies + c) * blocks + b] = base[b] + noise * normal();
    }
  }
  return out;
}

describe('effective number of trials', () => {
  it('counts identical strategies once and k independent groups as about k', () => {
    expect(effectiveTrials(grouped(1, 50, 64), 50, 64).trials).toBeCloseTo(1, 6);
    for (const k of [5, 20]) {
      const { trials } = effectiveTrials(grouped(k, 10, 64), 10 * k, 64);
      // k equal groups of perfectly correlated members: N / (1 + (N − 1)·ρ̄²) with ρ̄² = (N/k − 1)/(N − 1) is k exactly;
      // chance correlation between groups over 64 observations is debiased, not removed, so allow its noise.
      expect(trials).toBeGreaterThan(0.75 * k);
      expect(trials).toBeLessThan(1.35 * k);
    }
  });

  it('counts independent strategies as about N, far above the 64 the raw correlations would allow', () => {
    const { trials, meanSquaredCorrelation } = effectiveTrials(grouped(400, 1, 64), 400, 64);
    expect(meanSquaredCorrelation).toBeLessThan(0.002);
    expect(trials).toBeGreaterThan(200);
  });

  it('ignores strategies that never vary and refuses NaN', () => {
    const sums = grouped(3, 1, 10);
    const withFlat = Float64Array.from([...sums, ...new Array(10).fill(0.25)]);
    expect(effectiveTrials(withFlat, 4, 10).varying).toBe(3);
    expect(() => effectiveTrials(Float64Array.from([1, Number.NaN, 2]), 1, 3)).toThrow(InputError);
  });
});
