// Prices that read fine row by row but cannot be backtested: a run on them fails late, after its folder exists,
// in the words of a statistic deep inside the validation (`kurtosis: must be Pearson kurtosis ≥ 1`, `returns: must
// be finite numbers`). `assertTradablePrices` says so before the run starts, in the user's words, naming the file.
import { InputError, type PriceSeries } from '@overfit/core';
import type { LoadedPrices } from './readPriceCsv';
import { formatTimestamp } from './timestamps';

/** The largest close-to-close factor one bar may move by (up or down): BTC's largest daily move is about 1.6. */
export const MAX_BAR_MOVE = 10;
/**
 * A move beyond this factor in one bar (+20 % or −16.7 %) counts towards EXTREME_MOVES_BUDGET. BTC's daily history
 * since 2014 has 7 such bars, together a factor of 5.6; its hourly history since 2017 has 2.
 */
export const EXTREME_MOVE = 1.2;
/**
 * How far the extreme moves may multiply together (the product of their factors, ups and downs alike): a strategy
 * on the right side of each would grow by that much, and past ~1e308 equity is no longer a number. A real history
 * has a handful of such bars (a product below 10); alternating spikes have thousands.
 */
export const EXTREME_MOVES_BUDGET = 1e40;

/**
 * Throws an InputError naming `where` when `series` cannot be backtested: constant prices, or moves no market makes.
 */
export function assertTradableSeries(series: PriceSeries, where: string): void {
  const { close, time } = series;
  const n = close.length;
  let first = 1;
  while (first < n && close[first] === close[0]) first++;
  if (first === n)
    throw new InputError(
      `every close is ${close[0]}: constant prices have no returns to trade, measure or imitate; give a file of real prices`,
      where,
    );
  const logBudget = Math.log(EXTREME_MOVES_BUDGET);
  const logExtreme = Math.log(EXTREME_MOVE);
  let extreme = 0;
  let extremeBars = 0;
  for (let i = 1; i < n; i++) {
    const move = Math.abs(Math.log(close[i] / close[i - 1]));
    if (!(move <= Math.log(MAX_BAR_MOVE))) {
      throw new InputError(
        `the close goes from ${close[i - 1]} to ${close[i]} in one bar, at ${formatTimestamp(time[i])}: more than a factor of ${MAX_BAR_MOVE}, which is no market's move but a typo or a broken row; fix or remove it`,
        where,
      );
    }
    if (move > logExtreme) {
      extreme += move;
      extremeBars++;
      if (extreme > logBudget) {
        throw new InputError(
          `${extremeBars} bars up to ${formatTimestamp(time[i])} move the close by more than a factor of ${EXTREME_MOVE} each, together by more than ${EXTREME_MOVES_BUDGET.toExponential(0)}: ` +
            'prices jumping like that are no market, and a strategy riding them would grow past the range of numbers; fix the file',
          where,
        );
      }
    }
  }
}

/** `assertTradableSeries` on loaded prices, naming their file (or store object). Called before a run starts. */
export function assertTradablePrices(prices: LoadedPrices): void {
  assertTradableSeries(prices.series, prices.source.path);
}
