import fc from 'fast-check';
import { effectiveNumberOfTrials, InputError } from '../../src';
import { normals } from './helpers';

/** Block sums [i · blocks + b] from rows. */
const sums = (rows: ArrayLike<number>[]) => {
  const blocks = rows[0].length;
  const sum = new Float64Array(rows.length * blocks);
  rows.forEach((row, i) => sum.set(Array.from(row), i * blocks));
  return { strategies: rows.length, blocks, sum };
};

/** Walsh functions on 2^m blocks: ±1 rows, mutually orthogonal and each of mean 0 (all but the constant one). */
const walsh = (m: number, k: number) => Float64Array.from({ length: 2 ** m }, (_, b) => (popcount(b & k) % 2 ? -1 : 1));
const popcount = (x: number) => x.toString(2).split('1').length - 1;

describe('effective number of independent trials', () => {
  it('k exactly uncorrelated groups of identical strategies count as k', () => {
    // Groups of 3, 5, 2 and 4 copies (scaled and shifted: correlation 1) of 4 orthogonal Walsh rows on 16 blocks.
    const sizes = [3, 5, 2, 4];
    const rows = sizes.flatMap((m, g) => Array.from({ length: m }, (_, c) => walsh(4, g + 1).map((v) => (c + 1) * v + c)));
    const e = effectiveNumberOfTrials(sums(rows));
    expect(e.strategies).toBe(14);
    expect(e.clusters).toBe(4);
    // Eigenvalues 3, 5, 2, 4: (Σλ)² / Σλ² = 14² / 54.
    expect(e.participationRatio).toBeCloseTo(196 / 54, 12);
    // ρ̄ = pairs inside groups / all pairs = (6 + 20 + 2 + 12) / (14 · 13)
    expect(e.meanCorrelation).toBeCloseTo(40 / 182, 12);
    expect(e.appendix).toBeCloseTo(40 / 182 + (1 - 40 / 182) * 14, 12);
  });

  it('equal groups of noisy copies of independent series: about k', () => {
    const draw = normals(4);
    const blocks = 1000, k = 5, m = 40;
    const bases = Array.from({ length: k }, () => Float64Array.from({ length: blocks }, draw));
    const rows = bases.flatMap((base) => Array.from({ length: m }, () => base.map((v) => v + 0.2 * draw())));
    const e = effectiveNumberOfTrials(sums(rows)); // 200 strategies < 1,000 blocks: the n × n path
    expect(e.clusters).toBe(k);
    // Each group's eigenvalue is ≈ m / 1.04 (copies correlate 1/1.04) and the noise spreads 200 · 0.04/1.04 ≈ 7.7
    // over the other directions: (Σλ)² / Σλ² ≈ 200² / (5 · 38.5²) ≈ 5.4.
    expect(e.participationRatio).toBeGreaterThan(4.8);
    expect(e.participationRatio).toBeLessThan(5.6);
    // More strategies than blocks: the blocks × blocks path, same answer as the n × n one.
    const few = rows.map((r) => r.subarray(0, 64));
    const wide = effectiveNumberOfTrials(sums(few));
    const direct = (() => {
      const z = few.map((r) => {
        const mean = r.reduce((a, b) => a + b, 0) / r.length;
        const c = r.map((v) => v - mean);
        const norm = Math.sqrt(c.reduce((a, b) => a + b * b, 0));
        return c.map((v) => v / norm);
      });
      let s = 0;
      for (const a of z) for (const b of z) s += a.reduce((acc, v, i) => acc + v * b[i], 0) ** 2;
      return (z.length * z.length) / s;
    })();
    expect(wide.participationRatio).toBeCloseTo(direct, 10);
    expect(wide.participationRatio).toBeLessThanOrEqual(63 + 1e-9); // rank ≤ blocks − 1
  });

  it('independent strategies are each a trial; flat ones are not counted', () => {
    const draw = normals(9);
    const rows = Array.from({ length: 20 }, () => Float64Array.from({ length: 4000 }, draw));
    rows.push(new Float64Array(4000), new Float64Array(4000).fill(0.1));
    const e = effectiveNumberOfTrials(sums(rows));
    expect(e.strategies).toBe(20);
    expect(e.clusters).toBe(20);
    expect(e.participationRatio).toBeGreaterThan(19);
    expect(e.appendix).toBeGreaterThan(19.5);
  });

  it('stays between 1 and n, and clusters fall as the threshold falls', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 3, max: 20 }), fc.integer(), (n, blocks, seed) => {
      const draw = normals(seed);
      const common = Float64Array.from({ length: blocks }, draw);
      const rows = Array.from({ length: n }, () => common.map((v) => v + draw()));
      const strict = effectiveNumberOfTrials(sums(rows), { threshold: 0.9 });
      const loose = effectiveNumberOfTrials(sums(rows), { threshold: 0.1 });
      expect(strict.participationRatio).toBeGreaterThanOrEqual(1 - 1e-9);
      expect(strict.participationRatio).toBeLessThanOrEqual(Math.min(n, blocks - 1) + 1e-9);
      expect(loose.clusters).toBeLessThanOrEqual(strict.clusters);
      expect(strict.clusters).toBeLessThanOrEqual(n);
      expect(loose.clusters).toBeGreaterThanOrEqual(1);
    }), { numRuns: 100 });
  });

  it('clusters exactly as naive complete-linkage agglomeration cut at the threshold', () => {
    // Naive O(n³): merge the closest pair of clusters (complete linkage: largest member distance) while it is ≤ 1 − ρ.
    const naive = (rows: Float64Array[], threshold: number) => {
      const z = rows.map((r) => {
        const mean = r.reduce((a, b) => a + b, 0) / r.length;
        const c = r.map((v) => v - mean);
        const norm = Math.sqrt(c.reduce((a, b) => a + b * b, 0));
        return c.map((v) => v / norm);
      });
      const corr = (i: number, j: number) => z[i].reduce((acc, v, k) => acc + v * z[j][k], 0);
      let clusters = z.map((_, i) => [i]);
      for (;;) {
        let best = Number.POSITIVE_INFINITY, pair: [number, number] = [-1, -1];
        for (let a = 0; a < clusters.length; a++) {
          for (let b = a + 1; b < clusters.length; b++) {
            const d = Math.max(...clusters[a].flatMap((i) => clusters[b].map((j) => 1 - corr(i, j))));
            if (d < best) [best, pair] = [d, [a, b]];
          }
        }
        if (pair[0] < 0 || best > 1 - threshold) return clusters.length;
        clusters = [...clusters.filter((_, k) => k !== pair[0] && k !== pair[1]), [...clusters[pair[0]], ...clusters[pair[1]]]];
      }
    };
    fc.assert(fc.property(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 4, max: 12 }), fc.integer(), fc.double({ min: -0.5, max: 0.95, noNaN: true }),
      (n, blocks, seed, threshold) => {
        const draw = normals(seed);
        const factors = [0, 1, 2].map(() => Float64Array.from({ length: blocks }, draw));
        const rows = Array.from({ length: n }, (_, i) => factors[i % 3].map((v) => v + (0.3 + (i % 4) * 0.4) * draw()));
        expect(effectiveNumberOfTrials(sums(rows), { threshold }).clusters).toBe(naive(rows, threshold));
      }), { numRuns: 150 });
  });

  it('refuses bad input', () => {
    expect(() => effectiveNumberOfTrials({ strategies: 2, blocks: 4, sum: new Float64Array(7) })).toThrow(InputError);
    expect(() => effectiveNumberOfTrials({ strategies: 1, blocks: 4, sum: Float64Array.of(1, Number.NaN, 0, 0) })).toThrow(/finite/);
    expect(() => effectiveNumberOfTrials({ strategies: 1, blocks: 4, sum: Float64Array.of(1, 2, 0, 0) }, { threshold: 2 })).toThrow(/threshold/);
  });
});
