// `overfit backtest`: one strategy (JSON from --strategy) on a window of the price data, with its metrics.
import { assertCosts, backtestStrategy, createMarket, InputError, parseStrategy } from '@overfit/core';
import { cachedPriceLoader, describeDataRef } from '@overfit/data';
import { barWindow } from './barWindow';
import { count } from './dataReport';
import { dataRefFromFlags } from './flags';
import { metricsTable, spanYears } from './format';
import { COST_FLAGS, DATA_FLAG, JSON_FLAG, type CommandSpec } from './optionTable';
import type { FlagValues } from './parseFlags';

const EXAMPLE = '{"family":"sma_cross","fast":10,"slow":50,"direction":"long_only"}';

// --data, the costs and --json mean what they mean for `overfit run`: the same definitions.
export const BACKTEST_SPEC: CommandSpec = {
  name: 'backtest',
  summary: 'one strategy on one window of the prices, with its metrics',
  flags: [
    DATA_FLAG,
    { name: 'strategy', type: 'string', value: 'JSON', description: `the strategy, e.g. '${EXAMPLE}' (required)` },
    { name: 'from', type: 'date', value: 'DATE', description: 'first bar time, UTC unless it ends in Z or ±HH:MM' },
    { name: 'to', type: 'date', value: 'DATE', description: 'last bar time (default: the last bar)' },
    ...COST_FLAGS,
    JSON_FLAG,
  ],
};

export async function backtestCommand(values: FlagValues): Promise<string> {
  const text = values.string('strategy');
  if (!text) throw new InputError(`needs a strategy as JSON, e.g. '${EXAMPLE}'`, '--strategy');
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    throw new InputError(`is not valid JSON (${(error as Error).message})`, '--strategy', { cause: error });
  }
  if (record && typeof record === 'object' && !('id' in record)) record = { id: 'cli', ...record };
  const strategy = parseStrategy(record, '--strategy');
  const ref = dataRefFromFlags(values);
  const { series } = await cachedPriceLoader()(ref);
  const { start, end } = barWindow(series.time, values.number('from'), values.number('to'));
  const bound = (name: string, absent: string) => {
    const ms = values.number(name);
    return ms === undefined ? absent : new Date(ms).toISOString();
  };
  if (end - start < 2)
    throw new InputError(
      `the window ${bound('from', 'start')} … ${bound('to', 'end')} holds ${end - start} bars of ${describeDataRef(ref)}; it needs at least 2`,
      '--from/--to',
    );
  const costs = { feesBps: values.number('fees-bps') as number, slippageBps: values.number('slippage-bps') as number };
  assertCosts(costs.feesBps, costs.slippageBps, '--fees-bps/--slippage-bps');
  const metrics = backtestStrategy(strategy, createMarket(series), { start, end }, costs);
  if (values.boolean('json')) return JSON.stringify({ bars: end - start, metrics }, null, 2);
  const firstBar = new Date(series.time[start]).toISOString();
  const lastBar = new Date(series.time[end - 1]).toISOString();
  return [
    `${strategy.family} ${JSON.stringify(strategy)} on ${describeDataRef(ref)}`,
    `${count(end - start)} bars from ${firstBar} to ${lastBar}; costs ${costs.feesBps} + ${costs.slippageBps} bps`,
    '',
    metricsTable([{ title: 'value', metrics, years: spanYears(series.time[start], series.time[end - 1]) }]),
  ].join('\n');
}
