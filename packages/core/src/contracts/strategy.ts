// The strategy record contract: what strategies.json, best_strategy.json and `overfit backtest --strategy` hold.
// One object schema per family; the family field tells them apart.
import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { choiceOf } from './check';

export const STRATEGY_FAMILIES = [
  'coin_flip',
  'sma_cross',
  'ema_cross',
  'rsi_reversion',
  'bollinger',
  'donchian_breakout',
  'momentum',
  'macd',
  'seasonal',
] as const;
export type StrategyFamily = (typeof STRATEGY_FAMILIES)[number];

export const DIRECTIONS = ['long_only', 'long_short'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** An indicator's window in bars. */
const period = (min = 1) => Type.Integer({ minimum: min, maximum: 100_000 });

const family = <F extends StrategyFamily, P extends TProperties>(name: F, properties: P) =>
  Type.Object({
    // Stable id within a run, e.g. "s0001".
    id: Type.String({ minLength: 1, maxLength: 64, description: 'a non-empty string of at most 64 characters' }),
    direction: choiceOf(DIRECTIONS),
    family: Type.Literal(name),
    ...properties,
  });

// The original Python version's null strategy: each bar's position is a seeded coin flip on (seed, bar time);
// probabilityLong is the chance of being long on a bar, otherwise flat (long_only) or short (long_short).
const COIN_FLIP = family('coin_flip', {
  seed: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
  probabilityLong: Type.Number({ minimum: 0, maximum: 1 }),
});
// `slow` must also exceed `fast`: a rule between two fields, checked by parseStrategy.
const SMA_CROSS = family('sma_cross', { fast: period(), slow: period() });
const EMA_CROSS = family('ema_cross', { fast: period(), slow: period() });
const RSI_REVERSION = family('rsi_reversion', {
  period: period(2),
  lower: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 50 }),
  upper: Type.Number({ exclusiveMinimum: 50, exclusiveMaximum: 100 }),
});
const BOLLINGER = family('bollinger', {
  period: period(2),
  k: Type.Number({ exclusiveMinimum: 0, maximum: 10 }),
  mode: choiceOf(['reversion', 'breakout'] as const),
});
const DONCHIAN_BREAKOUT = family('donchian_breakout', { period: period() });
// threshold: the rate of change (a fraction) that must be exceeded to take a position.
const MOMENTUM = family('momentum', {
  lookback: period(),
  threshold: Type.Number({ minimum: 0, exclusiveMaximum: 10 }),
});
const MACD = family('macd', { fast: period(), slow: period(), signal: period() });
// UTC hours of day (0–23) and days of week (0 = Sunday … 6) in which to be long.
const distinct = (max: number) =>
  Type.Array(Type.Integer({ minimum: 0, maximum: max }), { minItems: 1, uniqueItems: true });
const SEASONAL = family('seasonal', { hours: distinct(23), weekdays: distinct(6) });

export const STRATEGY_SCHEMA = Type.Union([
  COIN_FLIP,
  SMA_CROSS,
  EMA_CROSS,
  RSI_REVERSION,
  BOLLINGER,
  DONCHIAN_BREAKOUT,
  MOMENTUM,
  MACD,
  SEASONAL,
]);

export type CoinFlipStrategy = Static<typeof COIN_FLIP>;
export type SmaCrossStrategy = Static<typeof SMA_CROSS>;
export type EmaCrossStrategy = Static<typeof EMA_CROSS>;
export type RsiReversionStrategy = Static<typeof RSI_REVERSION>;
export type BollingerStrategy = Static<typeof BOLLINGER>;
export type DonchianBreakoutStrategy = Static<typeof DONCHIAN_BREAKOUT>;
export type MomentumStrategy = Static<typeof MOMENTUM>;
export type MacdStrategy = Static<typeof MACD>;
export type SeasonalStrategy = Static<typeof SEASONAL>;
export type Strategy = Static<typeof STRATEGY_SCHEMA>;
