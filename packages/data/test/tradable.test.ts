// Prices that read fine row by row but cannot be backtested are refused before a run starts (issue 14, item 12).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PriceSeries } from '@overfit/core';
import {
  assertTradablePrices,
  assertTradableSeries,
  EXTREME_MOVE,
  MAX_BAR_MOVE,
  readPriceCsv,
  syntheticMarket,
} from '../src';

jest.setTimeout(120_000);

const SHARED = resolve(__dirname, '../../../../shared/data');

const series = (close: number[]): PriceSeries => {
  const time = Float64Array.from(close, (_, i) => Date.UTC(2024, 0, 1) + i * 3_600_000);
  const c = Float64Array.from(close);
  return { time, open: c, high: c, low: c, close: c, volume: new Float64Array(close.length), hasOhlc: false };
};
const refusal = (close: number[]) => {
  try {
    assertTradableSeries(series(close), 'prices.csv');
  } catch (error) {
    expect((error as Error).name).toBe('InputError');
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('assertTradableSeries', () => {
  it('refuses constant prices, in the user’s words, naming the file', () => {
    expect(refusal(Array(3000).fill(100))).toBe(
      'prices.csv: every close is 100: constant prices have no returns to trade, measure or imitate; give a file of real prices',
    );
  });

  it(`refuses a bar moving by more than a factor of ${MAX_BAR_MOVE}, naming its time`, () => {
    const close = Array.from({ length: 100 }, (_, i) => 100 + (i % 7));
    close[50] = 1e9;
    expect(refusal(close)).toBe(
      `prices.csv: the close goes from ${close[49]} to 1000000000 in one bar, at 2024-01-03T02:00:00Z: more than a factor of 10, which is no market's move but a typo or a broken row; fix or remove it`,
    );
    expect(refusal(Array.from({ length: 100 }, (_, i) => (i % 2 ? 1e9 : 1e-8)))).toContain('more than a factor of 10');
  });

  it('refuses prices that keep jumping (alternating spikes), which would overflow a strategy’s equity', () => {
    expect(refusal(Array.from({ length: 3000 }, (_, i) => (i % 2 ? 900 : 100)))).toMatch(
      /^prices\.csv: 42 bars up to \S+ move the close by more than a factor of 1\.2 each, together by more than 1e\+40/,
    );
    expect(refusal(Array.from({ length: 3000 }, (_, i) => (i % 2 ? 150 : 100)))).toContain(
      'by more than a factor of 1.2 each',
    );
  });

  it('accepts what markets do: a random walk, a crash, a few extreme bars, a step, nearly constant prices', () => {
    expect(() =>
      assertTradableSeries(syntheticMarket({ bars: 20_000, seed: 3, annualVolatility: 1.5 }), 'gbm'),
    ).not.toThrow();
    const crash = Array.from({ length: 500 }, (_, i) => 100 * 1.001 ** i);
    crash[300] = crash[299] / 2; // −50 % in one bar, and back up over the next bars
    for (let i = 301; i < 500; i++) crash[i] = crash[i - 1] * 1.003;
    expect(() => assertTradableSeries(series(crash), 'crash')).not.toThrow();
    expect(() =>
      assertTradableSeries(
        series(Array.from({ length: 400 }, (_, i) => (i % 40 === 0 ? 100 * EXTREME_MOVE * 1.1 : 100))),
        'spikes',
      ),
    ).not.toThrow();
    expect(() =>
      assertTradableSeries(series([...Array(1500).fill(100), ...Array(1500).fill(110)]), 'step'),
    ).not.toThrow();
    expect(() => assertTradableSeries(series([...Array(2999).fill(100), 101]), 'almost')).not.toThrow();
  });

  (existsSync(join(SHARED, 'btc_usd_1d.csv')) ? it : it.skip)(
    'accepts the real daily, hourly and 5-minute histories',
    async () => {
      for (const name of ['btc_usd_1d.csv', 'btc_usd_1h.csv', 'btc_usd_5m_2024.csv']) {
        const prices = await readPriceCsv(join(SHARED, name));
        expect(() => assertTradablePrices(prices)).not.toThrow();
      }
    },
    120_000,
  );
});
