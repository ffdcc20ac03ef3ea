import fc from 'fast-check';
import {
  createRng,
  emptyBlockMoments,
  InputError,
  probabilityOfBacktestOverfitting,
  sharpeScore,
  type BlockMoments,
  type BlockScores,
} from '../../src';
import { noiseMatrix, normals } from './helpers';

/** The win rate of a union of blocks from its wins and trades; NaN without trades. A `BlockScores` score. */
const winRateScore = (wins: number, trades: number): number => (trades > 0 ? wins / trades : Number.NaN);

/**
 * Block moments as `BlockScores` ranked by Sharpe, a loss when it is negative out of sample: the moments path's rule.
 */
function sharpeBlockScores(moments: BlockMoments): BlockScores {
  const { strategies, blocks, blockBars } = moments;
  const loss = (sum: number, sumSquares: number, bars: number) => sharpeScore(sum, sumSquares, bars) < 0;
  return {
    strategies,
    blocks,
    blockBars,
    x: moments.sum,
    y: moments.sumSquares,
    score: sharpeScore,
    loss,
    label: 'sharpe',
  };
}

/** Returns in 64ths: every sum and product below is exact in floating point, so paths can be compared bit for bit. */
const q = (...xs: number[]) => Float64Array.from(xs, (x) => x / 64);

/** Per-block moments of series cut into `blocks` blocks of ⌊T/blocks⌋ bars (what the backtest kernel emits). */
function momentsOf(returns: Float64Array[], blocks: number): BlockMoments {
  const m = emptyBlockMoments(returns.length, blocks, returns[0].length);
  returns.forEach((series, i) => {
    for (let t = 0; t < blocks * m.blockBars; t++) {
      const at = i * blocks + Math.floor(t / m.blockBars);
      m.sum[at] += series[t];
      m.sumSquares[at] += series[t] * series[t];
    }
  });
  return m;
}

// The oracle: every split evaluated from the bars themselves. Sharpe ratios are compared exactly: SR·|SR| =
// s·|s| / (n·q − s²) up to a factor common to every strategy, and with returns in 64ths every s, q and product here
// is exact, so a/b < c/d is decided as a·d < c·b.
type Ratio = { num: number; den: number };
function sharpeSquared(xs: number[]): Ratio {
  let s = 0,
    sq = 0;
  for (const x of xs) [s, sq] = [s + x, sq + x * x];
  const spread = xs.length * sq - s * s;
  return spread > 0 ? { num: s * Math.abs(s), den: spread } : { num: 0, den: 1 }; // no variation: Sharpe 0
}
const compare = (a: Ratio, b: Ratio) => a.num * b.den - b.num * a.den;
const subsets = (n: number, k: number): number[][] =>
  k === 0 ? [[]] : n < k ? [] : [...subsets(n - 1, k - 1).map((s) => [...s, n - 1]), ...subsets(n - 1, k)];

/** Logits of every split, in the order of the splits' bit masks (increasing). */
function bruteForceLogits(returns: Float64Array[], S: number, size: number): number[] {
  const bars = (part: number[], i: number) =>
    part.flatMap((p) => Array.from(returns[i].subarray(p * size, (p + 1) * size)));
  const masks = subsets(S, S / 2)
    .map((set) => set.reduce((m, p) => m | (1 << p), 0))
    .sort((a, b) => a - b);
  return masks.map((mask) => {
    const inSample = [...Array(S).keys()].filter((p) => mask & (1 << p));
    const outOfSample = [...Array(S).keys()].filter((p) => !(mask & (1 << p)));
    const is = returns.map((_, i) => sharpeSquared(bars(inSample, i)));
    const oos = returns.map((_, i) => sharpeSquared(bars(outOfSample, i)));
    const best = is.reduce((b, r, i) => (compare(r, is[b]) > 0 ? i : b), 0); // the first of equal ones
    let below = 0,
      equal = 0;
    for (const v of oos) {
      const d = compare(v, oos[best]);
      if (d < 0) below++;
      else if (d === 0) equal++;
    }
    const omega = (below + (equal + 1) / 2) / (returns.length + 1);
    return Math.log(omega / (1 - omega));
  });
}

/**
 * CSCV as the paper states it, on the full matrix with plain loops: for every split, each strategy's per-bar Sharpe
 * (mean / sample std; 0 without variation) over the bars of each half, the first of equal in-sample bests, average
 * ranks out of sample, ω = rank / (N + 1), PBO = share of λ ≤ 0, P(loss) = share with out-of-sample Sharpe < 0.
 */
function paperCscv(rows: Float64Array[], S: number) {
  const N = rows.length,
    size = Math.floor(rows[0].length / S);
  const sharpe = (row: Float64Array, parts: number[]) => {
    let sum = 0,
      squares = 0;
    for (const p of parts) for (let t = p * size; t < (p + 1) * size; t++) sum += row[t];
    const n = parts.length * size,
      mean = sum / n;
    for (const p of parts) for (let t = p * size; t < (p + 1) * size; t++) squares += (row[t] - mean) ** 2;
    const sd = Math.sqrt(squares / (n - 1));
    return sd > 0 ? mean / sd : 0;
  };
  const masks = subsets(S, S / 2)
    .map((set) => set.reduce((m, p) => m | (1 << p), 0))
    .sort((a, b) => a - b);
  const logits: number[] = [],
    winners: number[] = [];
  let overfit = 0,
    losses = 0;
  for (const mask of masks) {
    const inSample = [...Array(S).keys()].filter((p) => mask & (1 << p));
    const outOfSample = [...Array(S).keys()].filter((p) => !(mask & (1 << p)));
    const is = rows.map((row) => sharpe(row, inSample));
    const oos = rows.map((row) => sharpe(row, outOfSample));
    let best = 0;
    for (let i = 1; i < N; i++) if (is[i] > is[best]) best = i;
    let below = 0,
      equal = 0;
    for (let i = 0; i < N; i++) {
      if (oos[i] < oos[best]) below++;
      else if (oos[i] === oos[best]) equal++;
    }
    const omega = (below + (equal + 1) / 2) / (N + 1);
    logits.push(Math.log(omega / (1 - omega)));
    winners.push(best);
    if (logits[logits.length - 1] <= 0) overfit++;
    if (oos[best] < 0) losses++;
  }
  return { logits, winners, pbo: overfit / masks.length, probabilityOfLoss: losses / masks.length };
}

describe('PBO by CSCV', () => {
  // Two partitions of two bars; Sharpe of a pair (a, b) is (a + b)/2 / (|a − b|/√2).
  //   A: (1, 3 | −1, −3)  Sharpe  1.414 | −1.414
  //   B: (0, 2 |  0,  2)           0.707 |  0.707
  //   C: (−1, 1 | 2, 4)            0     |  2.121
  //   E: (−1, 1 | 0, 2)            0     |  0.707
  // IS = first half: A wins, ranks last OOS (1 of 4) → ω = 1/5.
  // IS = second half: C wins, OOS it ties E for last → rank 1.5, ω = 1.5/5.
  const matrix = [q(1, 3, -1, -3), q(0, 2, 0, 2), q(-1, 1, 2, 4), q(-1, 1, 0, 2)];

  it('matches the hand-computed two-partition case, ties averaged', () => {
    const r = probabilityOfBacktestOverfitting(matrix, { partitions: 2 });
    expect(r).toMatchObject({ combinations: 2, allCombinations: 2 });
    expect(Array.from(r.logits)).toEqual([Math.log(0.2 / 0.8), Math.log(0.3 / 0.7)]);
    expect(r.pbo).toBe(1);
    expect(r.probabilityOfLoss).toBe(0.5); // A loses OOS (−1.414); C's OOS Sharpe is 0, not a loss
    expect(r.inSampleSharpe[0]).toBeCloseTo(Math.SQRT2, 14);
    expect(r.outOfSampleSharpe[1]).toBe(0);
    // Two points (1.414, −1.414) and (2.121, 0): slope 2, intercept −3√2, a perfect fit.
    expect(r.degradation.slope).toBeCloseTo(2, 12);
    expect(r.degradation.intercept).toBeCloseTo(-3 * Math.SQRT2, 12);
    expect(r.degradation.r2).toBeCloseTo(1, 12);
  });

  it('gives the same answer from block moments when the blocks tile the partitions', () => {
    const fromReturns = probabilityOfBacktestOverfitting(matrix, { partitions: 2 });
    const fromMoments = probabilityOfBacktestOverfitting(momentsOf(matrix, 4), { partitions: 2 });
    expect(fromMoments).toEqual(fromReturns);
  });

  it('agrees with a brute-force evaluation of every split', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 3 })
          .chain((halfS) =>
            fc.record({
              S: fc.constant(2 * halfS),
              size: fc.integer({ min: 1, max: 3 }),
              n: fc.integer({ min: 2, max: 5 }),
              extra: fc.integer({ min: 0, max: 2 * halfS - 1 }),
            }),
          )
          .chain(({ S, size, n, extra }) =>
            fc.record({
              S: fc.constant(S),
              size: fc.constant(size),
              rows: fc.array(
                fc.array(fc.integer({ min: -4, max: 4 }), { minLength: S * size + extra, maxLength: S * size + extra }),
                { minLength: n, maxLength: n },
              ),
            }),
          )
          .filter(({ S, size }) => (S / 2) * size >= 2),
        ({ S, size, rows }) => {
          const returns = rows.map((r) => q(...r));
          const result = probabilityOfBacktestOverfitting(returns, { partitions: S });
          expect(Array.from(result.logits)).toEqual(bruteForceLogits(returns, S, size));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('agrees with brute force on thousands of strategies, twins far apart included', () => {
    // 5,000 strategies; every 1,000th repeats strategy 7, so equal Sharpe ratios far apart must share their rank.
    const draw = normals(3);
    const rows = Array.from({ length: 5000 }, () => q(...Array.from({ length: 8 }, () => Math.round(2 * draw()))));
    for (let i = 1000; i < rows.length; i += 1000) rows[i] = rows[7];
    const result = probabilityOfBacktestOverfitting(rows, { partitions: 4 });
    expect(Array.from(result.logits)).toEqual(bruteForceLogits(rows, 4, 2));
  });

  it("keeps exact ties exact: variants sharing most partitions, checked against the paper's algorithm on the full matrix", () => {
    // 12 strategies × 96 bars, S = 16 (6 bars per partition, 12,870 splits): 4 families of 3 variants that share
    // 15 of 16 partitions (as Donchian variants share most block sums). Returns are continuous draws, so nothing but
    // identical data ties. Out-of-sample = total − in-sample, or in-sample sums carried from split to split, leave
    // rounding residue that breaks the twins' ties: the old code gave PBO 0.526 and P(loss) 0.431 here, the paper's
    // algorithm 0.664 and 0.590.
    const draw = normals(18);
    const rng = createRng(18);
    const S = 16,
      size = 6;
    const rows: Float64Array[] = [];
    for (let family = 0; family < 4; family++) {
      const base = Float64Array.from({ length: 96 }, () => 0.01 * draw());
      rows.push(base);
      for (let v = 0; v < 2; v++) {
        const variant = base.slice();
        const p = rng.int(0, S - 1);
        for (let t = p * size; t < (p + 1) * size; t++) variant[t] = 0.01 * draw();
        rows.push(variant);
      }
    }
    const reference = paperCscv(rows, S);
    const result = probabilityOfBacktestOverfitting(rows, { partitions: S });
    expect(Array.from(result.logits)).toEqual(reference.logits);
    expect(result.pbo).toBe(reference.pbo);
    expect(result.pbo).toBeCloseTo(0.664, 3);
    expect(result.probabilityOfLoss).toBe(reference.probabilityOfLoss);
    expect(result.probabilityOfLoss).toBeCloseTo(0.59, 3);
    expect(Array.from(result.winners)).toEqual(reference.winners);
    // The same from block moments, one block per partition.
    expect(probabilityOfBacktestOverfitting(momentsOf(rows, S), { partitions: S }).logits).toEqual(result.logits);
  });

  it('can evaluate a seeded sample of the splits: each sampled split as in the full run', () => {
    const draw = normals(5);
    const rows = Array.from({ length: 40 }, () => q(...Array.from({ length: 64 }, () => Math.round(3 * draw()))));
    const full = probabilityOfBacktestOverfitting(rows, { partitions: 8 }); // 70 splits
    expect(probabilityOfBacktestOverfitting(rows, { partitions: 8, maxSplits: 70 })).toEqual(full);
    const sample = probabilityOfBacktestOverfitting(rows, { partitions: 8, maxSplits: 20, seed: 1 });
    expect(sample).toMatchObject({ combinations: 20, allCombinations: 70 });
    // Exact inputs: a split's logit does not depend on which splits came before it, so the sample is a sub-multiset.
    const remaining = Array.from(full.logits);
    for (const l of sample.logits) {
      expect(remaining).toContain(l);
      remaining.splice(remaining.indexOf(l), 1);
    }
    expect(probabilityOfBacktestOverfitting(rows, { partitions: 8, maxSplits: 20, seed: 1 })).toEqual(sample);
    expect(probabilityOfBacktestOverfitting(rows, { partitions: 8, maxSplits: 20, seed: 2 }).logits).not.toEqual(
      sample.logits,
    );
    expect(() => probabilityOfBacktestOverfitting(rows, { partitions: 8, maxSplits: 0 })).toThrow(/maxSplits/);
    // Fewer splits than the 2 · 2^(S/2) subset sums of the tables: each split is summed directly, bit for bit the same.
    const wide = probabilityOfBacktestOverfitting(rows.slice(0, 12), { partitions: 16 });
    const few = probabilityOfBacktestOverfitting(rows.slice(0, 12), { partitions: 16, maxSplits: 100, seed: 3 });
    const index = new Map(Array.from(wide.splits, (mask, c) => [mask, c]));
    expect(few.splits).toHaveLength(100);
    few.winners.forEach((w, c) => {
      const at = index.get(few.splits[c])!;
      expect([w, few.logits[c], few.outOfSampleScore[c]]).toEqual([
        wide.winners[at],
        wide.logits[at],
        wide.outOfSampleScore[at],
      ]);
    });
  });

  it('is about 0.5 on pure noise', () => {
    const r = probabilityOfBacktestOverfitting(noiseMatrix(100, 1600, 7), { partitions: 16 });
    expect(r.combinations).toBe(12_870);
    expect(r.pbo).toBeGreaterThan(0.3);
    expect(r.pbo).toBeLessThan(0.7);
  });

  it('is about 0 when one strategy has a large planted edge', () => {
    // Strategy 0 earns 0.25 σ per bar: its in-sample Sharpe wins every split and stays top out of sample.
    const r = probabilityOfBacktestOverfitting(
      noiseMatrix(100, 1600, 7, (k) => (k === 0 ? 0.0025 : 0)),
      { partitions: 16 },
    );
    expect(r.pbo).toBeLessThan(0.01);
    expect(r.probabilityOfLoss).toBeLessThan(0.01);
  });

  it('refuses block moments that are not finite numbers', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const m = momentsOf(matrix, 4);
      m.sum[5] = bad;
      expect(() => probabilityOfBacktestOverfitting(m, { partitions: 2 })).toThrow(InputError);
      const n = momentsOf(matrix, 4);
      n.sumSquares[2] = bad;
      expect(() => probabilityOfBacktestOverfitting(n, { partitions: 2 })).toThrow(/moments/);
    }
  });

  it('refuses impossible partitions and ragged input', () => {
    expect(() => probabilityOfBacktestOverfitting(matrix, { partitions: 3 })).toThrow(InputError);
    expect(() => probabilityOfBacktestOverfitting(momentsOf(matrix, 4), { partitions: 16 })).toThrow(/partitions/);
    expect(() => probabilityOfBacktestOverfitting(momentsOf(noiseMatrix(3, 96, 1), 48), { partitions: 32 })).toThrow(
      /partitions/,
    );
    expect(() => probabilityOfBacktestOverfitting([q(1, 2, 3, 4), q(1, 2, 3)], { partitions: 2 })).toThrow(
      /same length/,
    );
    expect(() => probabilityOfBacktestOverfitting([q(1, 2, 3, 4)], { partitions: 2 })).toThrow(/at least 2 strategies/);
  });
});

describe('PBO by CSCV ranked by any metric of per-block components (BlockScores)', () => {
  // Wins / trades per block; 4 blocks of 10 bars, S = 2: partition 0 = blocks 0–1, partition 1 = blocks 2–3.
  //   A: 3/4 3/4 | 0/4 1/4   win rate 0.75 | 0.125
  //   B: 1/2 1/2 | 1/2 1/2            0.5  | 0.5
  //   C: 0/0 0/0 | 2/2 1/1            NaN  | 1        (no trades: undefined, never selected, ranks last)
  const winRates = (): BlockScores => ({
    strategies: 3,
    blocks: 4,
    blockBars: 10,
    x: Float64Array.of(3, 3, 0, 1, 1, 1, 1, 1, 0, 0, 2, 1),
    y: Float64Array.of(4, 4, 4, 4, 2, 2, 2, 2, 0, 0, 2, 1),
    score: winRateScore,
    label: 'win_rate',
  });

  it('matches the hand-computed win-rate case: NaN never wins and ranks last', () => {
    const r = probabilityOfBacktestOverfitting(winRates(), { partitions: 2 });
    // IS = partition 0: A wins (C undefined), OOS A 0.125 < B 0.5 < C 1: rank 1, ω = 1/4.
    // IS = partition 1: C wins (1.0), OOS C is undefined: rank 1 below A 0.75 and B 0.5, ω = 1/4.
    expect(Array.from(r.winners)).toEqual([0, 2]);
    expect(Array.from(r.logits)).toEqual([Math.log(1 / 3), Math.log(1 / 3)]);
    expect(r).toMatchObject({ metric: 'win_rate', pbo: 1, undecided: 0 });
    expect(Array.from(r.inSampleScore)).toEqual([0.75, 1]);
    expect(r.outOfSampleScore[0]).toBe(0.125);
    expect(r.outOfSampleScore[1]).toBeNaN();
    expect(r.probabilityOfLoss).toBeNaN(); // a win rate does not say whether money was lost
  });

  it('selects only eligible strategies and counts losses with a predicate', () => {
    const input = winRates();
    input.eligibility = { counts: input.y, minimum: 4 }; // at least 4 trades in-sample
    input.loss = (wins, trades) => wins / trades < 0.5;
    const r = probabilityOfBacktestOverfitting(input, { partitions: 2 });
    // IS = partition 1: C has 3 trades, not eligible; B (0.5) wins, OOS 0.5: below C (NaN), above... A 0.75 above:
    // rank 2 of 3, ω = 2/4, logit 0 (counts as overfit: λ ≤ 0).
    expect(Array.from(r.winners)).toEqual([0, 1]);
    expect(Array.from(r.logits)).toEqual([Math.log(1 / 3), 0]);
    expect(r.pbo).toBe(1);
    expect(r.probabilityOfLoss).toBe(0.5); // A at 0.125 lost, B at 0.5 did not
  });

  it('leaves splits without an eligible winner out of PBO', () => {
    const input = winRates();
    input.eligibility = { counts: input.y, minimum: 9 }; // only A and B have 8 trades per partition: nobody qualifies
    const none = probabilityOfBacktestOverfitting(input, { partitions: 2 });
    expect(none).toMatchObject({ undecided: 2, combinations: 2 });
    expect(none.pbo).toBeNaN();
    expect(Array.from(none.winners)).toEqual([-1, -1]);
    // A, in partition 0 only
    input.eligibility = { counts: Float64Array.of(9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), minimum: 9 };
    const one = probabilityOfBacktestOverfitting(input, { partitions: 2 });
    expect(one).toMatchObject({ undecided: 1, pbo: 1 });
    expect(one.logits[1]).toBeNaN();
  });

  it('refuses inconsistent or non-finite components', () => {
    const short = { ...winRates(), x: new Float64Array(5) };
    expect(() => probabilityOfBacktestOverfitting(short, { partitions: 2 })).toThrow(/scores/);
    const nan = winRates();
    nan.y[3] = Number.NaN;
    expect(() => probabilityOfBacktestOverfitting(nan, { partitions: 2 })).toThrow(InputError);
    expect(() => probabilityOfBacktestOverfitting(winRates(), { partitions: 6 })).toThrow(/partitions/);
    const badMinimum = { ...winRates(), eligibility: { counts: new Float64Array(12), minimum: Number.NaN } };
    expect(() => probabilityOfBacktestOverfitting(badMinimum, { partitions: 2 })).toThrow(/minimum/);
  });

  it('with Σr, Σr² and the Sharpe score equals the block-moments form bit for bit', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 2, max: 8 }),
          S: fc.constantFrom(2, 4, 8),
          per: fc.integer({ min: 1, max: 2 }),
          seed: fc.integer(),
        }),
        ({ n, S, per, seed }) => {
          const draw = normals(seed);
          const moments = momentsOf(
            Array.from({ length: n }, () => Float64Array.from({ length: S * per * 3 }, () => 0.01 * draw())),
            S * per,
          );
          const maxSplits = seed % 2 === 0 ? undefined : 3; // the direct sums too
          const options = { partitions: S, maxSplits, seed };
          expect(probabilityOfBacktestOverfitting(sharpeBlockScores(moments), options)).toEqual(
            probabilityOfBacktestOverfitting(moments, options),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('agrees with a brute-force evaluation of every split (win rate with eligibility, NaN included)', () => {
    fc.assert(
      fc.property(
        fc
          .record({
            n: fc.integer({ min: 2, max: 6 }),
            S: fc.constantFrom(2, 4, 6),
            per: fc.integer({ min: 1, max: 2 }),
            minimum: fc.integer({ min: 0, max: 6 }),
          })
          .chain(({ n, S, per, minimum }) =>
            fc.record({
              n: fc.constant(n),
              S: fc.constant(S),
              per: fc.constant(per),
              minimum: fc.constant(minimum),
              trades: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n * S * per, maxLength: n * S * per }),
              share: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
                minLength: n * S * per,
                maxLength: n * S * per,
              }),
            }),
          ),
        ({ n, S, per, minimum, trades, share }) => {
          const blocks = S * per;
          const y = Float64Array.from(trades);
          // wins ≤ trades, integers: exact sums
          const x = Float64Array.from(trades, (t, k) => Math.round(t * share[k]));
          const input: BlockScores = {
            strategies: n,
            blocks,
            blockBars: 5,
            x,
            y,
            score: winRateScore,
            eligibility: { counts: y, minimum },
          };
          const result = probabilityOfBacktestOverfitting(input, { partitions: S });
          // Reference: each split from the blocks with plain loops.
          const masks = subsets(S, S / 2)
            .map((set) => set.reduce((m, p) => m | (1 << p), 0))
            .sort((a, b) => a - b);
          masks.forEach((mask, c) => {
            const half = (i: number, inSample: boolean) => {
              let wins = 0,
                count = 0;
              for (let b = 0; b < blocks; b++) {
                if (Boolean(mask & (1 << Math.floor(b / per))) !== inSample) continue;
                wins += x[i * blocks + b];
                count += y[i * blocks + b];
              }
              return { rate: count > 0 ? wins / count : Number.NaN, count };
            };
            let best = -1;
            for (let i = 0; i < n; i++) {
              const h = half(i, true);
              if (!Number.isNaN(h.rate) && h.count >= minimum && (best < 0 || h.rate > half(best, true).rate)) best = i;
            }
            expect(result.winners[c]).toBe(best);
            if (best < 0) return;
            const oos = Array.from({ length: n }, (_, i) => half(i, false).rate).map((v) =>
              Number.isNaN(v) ? -Infinity : v,
            );
            const below = oos.filter((v) => v < oos[best]).length,
              equal = oos.filter((v) => v === oos[best]).length;
            const omega = (below + (equal + 1) / 2) / (n + 1);
            expect(result.logits[c]).toBe(Math.log(omega / (1 - omega)));
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
