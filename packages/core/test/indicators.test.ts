import { bollinger, donchian, ema, macd, rateOfChange, rsi, sma } from '../src';

const f = (xs: number[]) => Float64Array.from(xs);
const expectColumn = (actual: Float64Array, expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  for (const [i, e] of expected.entries()) {
    if (Number.isNaN(e)) expect(actual[i]).toBeNaN();
    else expect(actual[i]).toBeCloseTo(e, 10);
  }
};
const N = Number.NaN;

describe('indicators (values at t use inputs up to t)', () => {
  it('SMA(3) of 1…5', () => expectColumn(sma(f([1, 2, 3, 4, 5]), 3), [N, N, 2, 3, 4]));

  it('EMA(3) is seeded with the SMA of the first 3 values, then α = 0.5', () => {
    // seed (2+4+6)/3 = 4; 4 + 0.5·(8−4) = 6; 6 + 0.5·(7−6) = 6.5
    expectColumn(ema(f([2, 4, 6, 8, 7]), 3), [N, N, 4, 6, 6.5]);
  });

  it("RSI(2) follows Wilder's smoothing", () => {
    // changes +1, +1, −1, +2. t=2: gain 1, loss 0 → 100. t=3: gain (1·1+0)/2 = 0.5, loss (0+1)/2 = 0.5 → 50.
    // t=4: gain (0.5+2)/2 = 1.25, loss (0.5+0)/2 = 0.25 → RS 5 → 100 − 100/6.
    expectColumn(rsi(f([1, 2, 3, 2, 4]), 2), [N, N, 100, 50, 100 - 100 / 6]);
    expectColumn(rsi(f([5, 5, 5]), 2), [N, N, 50]); // no movement at all
  });

  it('Bollinger bands use the population standard deviation', () => {
    // window [1,2]: mean 1.5, σ 0.5 → 1.5 ± 2·0.5; window [2,3]: 2.5 ± 1; window [3,4]: 3.5 ± 1
    const b = bollinger(f([1, 2, 3, 4]), 2, 2);
    expectColumn(b.middle, [N, 1.5, 2.5, 3.5]);
    expectColumn(b.upper, [N, 2.5, 3.5, 4.5]);
    expectColumn(b.lower, [N, 0.5, 1.5, 2.5]);
  });

  it('Donchian channel is the highest high and lowest low of the last n bars, bar t included', () => {
    const d = donchian(f([3, 5, 4, 2, 6]), f([1, 2, 1, 0, 3]), 3);
    expectColumn(d.upper, [N, N, 5, 5, 6]);
    expectColumn(d.lower, [N, N, 1, 0, 0]);
  });

  it('Donchian matches a naive rolling max/min on a long random series', () => {
    const high = Float64Array.from({ length: 500 }, (_, i) => Math.abs(Math.sin(i * 1.7)) * 100);
    const low = Float64Array.from(high, (h, i) => h - Math.abs(Math.cos(i)));
    const d = donchian(high, low, 17);
    for (let t = 16; t < 500; t++) {
      expect(d.upper[t]).toBe(Math.max(...high.subarray(t - 16, t + 1)));
      expect(d.lower[t]).toBe(Math.min(...low.subarray(t - 16, t + 1)));
    }
  });

  it('rate of change', () => expectColumn(rateOfChange(f([100, 110, 121, 99]), 1), [N, 0.1, 0.1, 99 / 121 - 1]));

  it('MACD equals EMA(fast) − EMA(slow), its signal an EMA of that line', () => {
    const close = Float64Array.from({ length: 60 }, (_, i) => 100 + 10 * Math.sin(i / 5) + i / 3);
    const naiveEma = (xs: number[], p: number) => {
      const out = xs.map(() => N);
      const first = xs.findIndex((x) => !Number.isNaN(x));
      let v = xs.slice(first, first + p).reduce((a, b) => a + b, 0) / p;
      out[first + p - 1] = v;
      for (let t = first + p; t < xs.length; t++) out[t] = v = v + (2 / (p + 1)) * (xs[t] - v);
      return out;
    };
    const fast = naiveEma([...close], 5);
    const slow = naiveEma([...close], 12);
    const line = fast.map((x, i) => x - slow[i]);
    const signal = naiveEma(line, 4);
    const m = macd(close, 5, 12, 4);
    expectColumn(m.macd, line);
    expectColumn(m.signal, signal);
    expect(m.signal[13]).toBeNaN(); // line defined from t = 11, signal needs 4 values: first at t = 14
    expect(m.signal[14]).not.toBeNaN();
  });
});
