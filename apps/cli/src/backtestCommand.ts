// `overfit backtest`: one strategy (JSON from --strategy) on a window of the price data, with its metrics.
import { assertCosts, backtestStrategy, createMarket, InputError, parseStrategy } from '@overfit/core';
import { cachedPriceLoader, describeDataRef } from '@overfit/data';
import { barWindow } from './barWindow';
import { dataRefFromFlags, numberFlag, parse, RUN_OPTIONS } from './flags';
import { metricsTable } from './format';

export async function backtestCommand(args: string[]): Promise<string> {
  // --data, the costs and --json mean what they mean for `overfit run`: the same definitions.
  const { data, 'fees-bps': feesBps, 'slippage-bps': slippageBps, json } = RUN_OPTIONS;
  const { values } = parse(args, {
    data,
    strategy: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'fees-bps': feesBps,
    'slippage-bps': slippageBps,
    json,
  });
  if (!values.strategy)
    throw new InputError(
      `needs a strategy as JSON, e.g. '{"family":"sma_cross","fast":10,"slow":50,"direction":"long_only"}'`,
      '--strategy',
    );
  let record: unknown;
  try {
    record = JSON.parse(values.strategy);
  } catch (error) {
    throw new InputError(`is not valid JSON (${(error as Error).message})`, '--strategy', { cause: error });
  }
  if (record && typeof record === 'object' && !('id' in record)) record = { id: 'cli', ...record };
  const strategy = parseStrategy(record, '--strategy');
  const ref = dataRefFromFlags(values.data);
  const { series } = await cachedPriceLoader()(ref);
  const { start, end } = barWindow(series.time, values.from, values.to);
  if (end - start < 2)
    throw new InputError(
      `the window ${values.from ?? 'start'} … ${values.to ?? 'end'} holds ${end - start} bars of ${describeDataRef(ref)}; it needs at least 2`,
      '--from/--to',
    );
  const costs = {
    feesBps: numberFlag(values['fees-bps'], '--fees-bps') ?? 10,
    slippageBps: numberFlag(values['slippage-bps'], '--slippage-bps') ?? 0,
  };
  assertCosts(costs.feesBps, costs.slippageBps, '--fees-bps/--slippage-bps');
  const metrics = backtestStrategy(strategy, createMarket(series), { start, end }, costs);
  if (values.json) return JSON.stringify({ bars: end - start, metrics }, null, 2);
  const firstBar = new Date(series.time[start]).toISOString();
  const lastBar = new Date(series.time[end - 1]).toISOString();
  return [
    `${strategy.family} ${JSON.stringify(strategy)} on ${describeDataRef(ref)}`,
    `${end - start} bars from ${firstBar} to ${lastBar}; costs ${costs.feesBps} + ${costs.slippageBps} bps`,
    '',
    metricsTable([{ title: 'value', metrics }]),
  ].join('\n');
}
