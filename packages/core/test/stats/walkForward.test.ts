import { foldWindows, InputError, walkForward, type BarWindow } from '../../src';

describe('walk-forward', () => {
  it('cuts equal folds, the last one taking the remainder', () => {
    expect(foldWindows({ start: 10, end: 21 }, 3)).toEqual([
      { start: 10, end: 13 },
      { start: 13, end: 16 },
      { start: 16, end: 21 },
    ]);
    expect(() => foldWindows({ start: 0, end: 5 }, 3)).toThrow(InputError);
  });

  it('selects on fold i, holds on fold i + 1, and chains the held returns', () => {
    // Three strategies, constant per-bar returns that change by fold: strategy 0 is best in fold 0 and then
    // loses; strategy 2 is best in fold 1 and keeps winning.
    const perBar: Record<number, number[]> = { 0: [0.01, -0.01, 0], 1: [0, 0, 0.001], 2: [-0.02, 0.02, 0.01] };
    const foldOf = (w: BarWindow) => w.start / 4;
    const scores = (w: BarWindow) => [0, 1, 2].map((k) => perBar[k][foldOf(w)]);
    const returns = (k: number, w: BarWindow) => new Array(w.end - w.start).fill(perBar[k][foldOf(w)]);
    const result = walkForward({ window: { start: 0, end: 12 }, folds: 3, scores, returns });
    expect(result.folds.map((f) => f.selected)).toEqual([0, 2]);
    expect(result.folds[0]).toMatchObject({
      selectedOn: { start: 0, end: 4 },
      heldOn: { start: 4, end: 8 },
      inSample: 0.01,
      outOfSample: -0.01,
    });
    expect(result.folds[0].heldReturn).toBeCloseTo(0.99 ** 4 - 1, 14);
    expect(result.folds[1]).toMatchObject({ inSample: 0.02, outOfSample: 0.01 });
    expect(result.equity).toHaveLength(8);
    expect(result.equity[3]).toBeCloseTo(0.99 ** 4, 14);
    expect(result.totalReturn).toBeCloseTo(0.99 ** 4 * 1.01 ** 4 - 1, 14);
  });

  it('holds flat through a fold where nothing was eligible', () => {
    const result = walkForward({
      window: { start: 0, end: 6 },
      folds: 3,
      scores: (w) => (w.start === 0 ? [Number.NaN] : [1]),
      returns: (_k, w) => new Array(w.end - w.start).fill(0.1),
    });
    expect(result.folds[0]).toMatchObject({ selected: null, heldReturn: 0 });
    expect(Array.from(result.equity.subarray(0, 2))).toEqual([1, 1]);
    expect(result.totalReturn).toBeCloseTo(0.21, 14);
  });
});
