import {
  createRng,
  expectedMaxStandardNormal,
  independentTrialsFor,
  InputError,
  luckOfTheBest,
  luckPValue,
} from '../../src';

const rng = createRng(11);
const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

/** `groups` independent series of `blocks` block sums, each repeated `copies` times exactly. */
function grouped(groups: number, copies: number, blocks: number): Float64Array {
  const out = new Float64Array(groups * copies * blocks);
  for (let g = 0; g < groups; g++) {
    const base = Array.from({ length: blocks }, normal);
    for (let c = 0; c < copies; c++) out.set(base, (g * copies + c) * blocks);
  }
  return out;
}

describe('the luck of the best of N correlated trials', () => {
  it('counts copies of one strategy as one trial: the best of them is one standard normal', () => {
    const luck = luckOfTheBest(grouped(1, 50, 64), 50, 64, { independentShare: 0, draws: 4000, seed: 1 });
    expect(luck.strategies).toBe(50);
    expect(Math.abs(luck.expectedMax)).toBeLessThan(0.06); // E[z] = 0; the mean of 4,000 draws is within ±0.05 (3.2 SE)
    expect(luck.effectiveTrials).toBeLessThan(1.6);
  });

  it('counts k independent groups as about k trials', () => {
    for (const k of [4, 12]) {
      const luck = luckOfTheBest(grouped(k, 6, 64), 6 * k, 64, { independentShare: 0, draws: 4000, seed: 2 });
      // Sample correlations over 64 observations leave the groups nearly, not exactly, independent.
      expect(luck.expectedMax).toBeGreaterThan(0.8 * expectedMaxStandardNormal(k));
      expect(luck.expectedMax).toBeLessThan(1.2 * expectedMaxStandardNormal(k));
      expect(luck.effectiveTrials).toBeGreaterThan(0.5 * k);
      expect(luck.effectiveTrials).toBeLessThan(2 * k);
    }
  });

  it('restores rank with an independent share: 500 strategies reach higher than 64 block sums alone allow', () => {
    const sums = grouped(500, 1, 64);
    const alone = luckOfTheBest(sums, 500, 64, { independentShare: 0, seed: 3 });
    const shared = luckOfTheBest(sums, 500, 64, { independentShare: 0.25, seed: 3 });
    expect(shared.expectedMax).toBeGreaterThan(alone.expectedMax);
    expect(shared.expectedMax).toBeLessThan(expectedMaxStandardNormal(500));
  });

  it('gives family-wise p-values from its draws: (1 + #{max ≥ z}) / (draws + 1)', () => {
    const luck = luckOfTheBest(grouped(20, 1, 64), 20, 64, { draws: 999, seed: 4 });
    expect(luckPValue(luck, Number.POSITIVE_INFINITY)).toBe(1 / 1000);
    expect(luckPValue(luck, Number.NEGATIVE_INFINITY)).toBe(1);
    const median = luck.maxima[499];
    expect(luckPValue(luck, median)).toBeCloseTo(501 / 1000, 12);
    expect(luckPValue(luck, 2)).toBeGreaterThan(luckPValue(luck, 3));
  });

  it('is reproducible, ignores flat strategies and refuses NaN', () => {
    const sums = Float64Array.from([...grouped(3, 1, 10), ...new Array(10).fill(0.25)]);
    const a = luckOfTheBest(sums, 4, 10, { seed: 9, draws: 50 });
    expect(a.strategies).toBe(3);
    expect(luckOfTheBest(sums, 4, 10, { seed: 9, draws: 50 }).maxima).toEqual(a.maxima);
    expect(() => luckOfTheBest(Float64Array.from([1, Number.NaN, 2]), 1, 3)).toThrow(InputError);
  });

  it('inverts E[max] to the number of independent trials', () => {
    for (const n of [2, 10, 100, 5000])
      expect(Math.round(independentTrialsFor(expectedMaxStandardNormal(n)))).toBeGreaterThanOrEqual(n - 1);
    for (const n of [10, 100, 5000])
      expect(independentTrialsFor(expectedMaxStandardNormal(n))).toBeLessThanOrEqual(n + 1);
    expect(independentTrialsFor(0)).toBe(1);
  });
});

describe('luckOfTheBest computes several draws in one pass', () => {
  /** The definition, one draw at a time: draw g (B normals), then one independent normal per strategy in order. */
  function oneDrawAtATime(sums: Float64Array, strategies: number, blocks: number, draws: number, seed: number) {
    const own = createRng(seed);
    const draw = () => Math.sqrt(-2 * Math.log(1 - own.next())) * Math.cos(2 * Math.PI * own.next());
    const rows: Float64Array[] = [];
    for (let i = 0; i < strategies; i++) {
      const row = sums.slice(i * blocks, (i + 1) * blocks);
      let mean = 0;
      for (const v of row) mean += v / blocks;
      let norm = 0;
      for (let b = 0; b < blocks; b++) {
        row[b] -= mean;
        norm += row[b] * row[b];
      }
      if (!(norm > blocks * (mean * 1e-12) ** 2) || norm === 0) continue;
      const scale = 1 / Math.sqrt(norm);
      rows.push(row.map((v) => v * scale));
    }
    const maxima = Float64Array.from({ length: draws }, () => {
      const g = Array.from({ length: blocks }, draw);
      let best = Number.NEGATIVE_INFINITY;
      for (const row of rows) {
        let v = 0;
        for (let b = 0; b < blocks; b++) v += row[b] * g[b];
        v = Math.sqrt(0.75) * v + Math.sqrt(0.25) * draw();
        if (v > best) best = v;
      }
      return rows.length > 0 ? best : 0;
    });
    return maxima.sort();
  }

  it('gives every draw the bits of one draw at a time, for any count of draws and strategies', () => {
    for (const [strategies, draws] of [
      [1, 1],
      [2, 3],
      [5, 4],
      [7, 9],
      [30, 10],
    ]) {
      const sums = grouped(strategies, 1, 6);
      sums.fill(2, 0, 6); // a constant first strategy: left out
      const luck = luckOfTheBest(sums, strategies, 6, { draws, seed: strategies });
      expect(Buffer.from(luck.maxima.buffer)).toEqual(
        Buffer.from(oneDrawAtATime(sums, strategies, 6, draws, strategies).buffer),
      );
    }
  });
});
