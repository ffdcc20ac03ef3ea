// overfit bench: how fast the backtest kernel runs on this machine. It times what the backtest stage computes —
// every strategy on the training and validation windows plus the training block moments — after an untimed warm-up
// run (which also starts the worker pool and warms its JIT), and reports the median. Then it runs the whole stage
// once (reading strategies, writing the CSVs and moments to an in-memory store) to show what the rest costs.
import {
  costsOf,
  createMarket,
  generateStrategies,
  splitWindows,
  STRATEGY_FAMILIES,
  type DataRef,
  type RunConfig,
  type StrategyFamily,
} from '@overfit/core';
import { cachedPriceLoader, describeDataRef } from '@overfit/data';
import { MemoryStore, putJson } from '@overfit/store';
import * as backtest from '@overfit/stage-backtest';
import { count } from './dataReport';
import { dataRefFromFlags, runConfigFromFlags } from './flags';
import { table } from './format';
import { DATA_FLAG, JSON_FLAG, RUN_CONFIG_FLAGS, type CommandSpec } from './optionTable';
import type { FlagValues } from './parseFlags';

export const BENCH_SPEC: CommandSpec = {
  name: 'bench',
  summary: 'time the backtest kernel on this machine (median of timed runs after a warm-up)',
  flags: [
    DATA_FLAG,
    RUN_CONFIG_FLAGS.strategies,
    RUN_CONFIG_FLAGS.families,
    RUN_CONFIG_FLAGS.seed,
    { name: 'workers', type: 'integer', value: 'K', min: 1, max: 64, description: 'worker threads (default: by size)' },
    { name: 'repeats', type: 'integer', value: 'N', default: 3, min: 1, max: 100, description: 'timed runs' },
    JSON_FLAG,
  ],
};

interface BenchResult {
  data: string;
  bars: number;
  strategies: number;
  families: StrategyFamily[];
  workers: number;
  strategyBars: number;
  /** Median wall time of the timed runs. */
  seconds: number;
  nsPerStrategyBar: number;
  runsSeconds: number[];
  /** The whole stage once: read strategies, backtest, write both CSVs and the moments. */
  stageSeconds: number;
  peakRssMb: number;
}

async function benchBacktest(options: {
  data: DataRef;
  config: RunConfig;
  workers?: number;
  repeats: number;
}): Promise<BenchResult> {
  const { config } = options;
  const loadPrices = cachedPriceLoader();
  const prices = await loadPrices(options.data);
  const market = createMarket(prices.series);
  const bars = prices.series.close.length;
  const windows = splitWindows(bars, config.trainFraction);
  const strategies = generateStrategies({ count: config.strategies, seed: config.seed, families: config.families });
  const costs = costsOf(config);
  const blocks = Math.min(backtest.MOMENT_BLOCKS, windows.training.end - windows.training.start);
  const workers = options.workers ?? backtest.defaultWorkers(strategies.length, bars);
  const once = (subset = strategies) =>
    backtest.backtestInParallel(subset, market, windows, costs, { blocks, workers });

  // warm-up (JIT, allocator); a subset is enough, and 100,000 would double the wait
  await once(strategies.slice(0, 2000));
  const runsSeconds: number[] = [];
  for (let i = 0; i < options.repeats; i++) {
    const started = performance.now();
    await once();
    runsSeconds.push((performance.now() - started) / 1000);
  }
  const seconds = [...runsSeconds].sort((a, b) => a - b)[Math.floor(runsSeconds.length / 2)];

  const store = new MemoryStore(); // the bench measures computing and formatting, not the disk
  await putJson(store, 'runs/bench/strategies/strategies.json', { strategies });
  const stageStarted = performance.now();
  await backtest.run(
    { runId: 'bench', config, data: options.data, strategiesKey: 'runs/bench/strategies/strategies.json' },
    { store, loadPrices, workers },
  );
  const stageSeconds = (performance.now() - stageStarted) / 1000;

  const strategyBars = strategies.length * bars;
  return {
    data: describeDataRef(options.data),
    bars,
    strategies: strategies.length,
    families: config.families,
    workers,
    strategyBars,
    seconds,
    nsPerStrategyBar: (seconds * 1e9) / strategyBars,
    runsSeconds,
    stageSeconds,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

export async function benchCommand(values: FlagValues): Promise<string> {
  const result = await benchBacktest({
    data: dataRefFromFlags(values),
    config: runConfigFromFlags(values.given),
    workers: values.number('workers'),
    repeats: values.number('repeats') as number,
  });
  if (values.boolean('json')) return JSON.stringify(result);
  return table([
    [
      'data',
      'bars',
      'strategies',
      'families',
      'workers',
      'strategy-bars',
      'seconds',
      'ns / strategy-bar',
      'whole stage s',
      'peak RSS MB',
    ],
    [
      result.data,
      count(result.bars),
      count(result.strategies),
      result.families.length === STRATEGY_FAMILIES.length ? 'all' : result.families.join(','),
      String(result.workers),
      result.strategyBars.toExponential(2),
      result.seconds.toFixed(3),
      result.nsPerStrategyBar.toFixed(2),
      result.stageSeconds.toFixed(3),
      String(result.peakRssMb),
    ],
  ]);
}
