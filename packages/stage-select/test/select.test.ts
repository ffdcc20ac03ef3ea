import { parseRunConfig, type Strategy } from '@overfit/core';
import { getJson, putJson, type BestStrategyDocument } from '@overfit/store';
import { tempStore } from '@overfit/testing/stores';
import { parseEvent, run } from '../src';

const data = { kind: 'synthetic', bars: 1000, seed: 1, intervalSeconds: 3600 } as const;
const strategy = (id: string): Strategy => ({
  id,
  family: 'momentum',
  lookback: 5,
  threshold: 0,
  direction: 'long_only',
});
const header =
  'strategy_id,family,direction,params,total_return,cagr,sharpe,sortino,max_drawdown,calmar,win_rate,hit_rate,trades,exposure,profit_factor';
const row = (id: string, winRate: string, trades: number, sharpe: string) =>
  `${id},momentum,long_only,"{}",0.1,0.1,${sharpe},1,0.2,0.5,${winRate},0.5,${trades},0.5,1.2`;
// s3 has the best win rate but only 4 trades; s4 has none defined; s2 and s5 tie at 0.6 (the earlier wins).
const csv = [
  header,
  row('s1', '0.55', 40, '1.5'),
  row('s2', '0.6', 20, '0.2'),
  row('s3', '0.9', 4, '3'),
  row('s4', '', 0, ''),
  row('s5', '0.6', 50, '0.9'),
].join('\n');

describe('select', () => {
  it('writes best_strategy.json with the training metrics and the leaders', async () => {
    const { store, dispose } = await tempStore('overfit-select-');
    await store.put('runs/r1/results/training_performance.csv', csv);
    await putJson(store, 'runs/r1/strategies/strategies.json', {
      strategies: ['s1', 's2', 's3', 's4', 's5'].map(strategy),
    });
    const event = {
      runId: 'r1',
      config: {},
      data,
      strategiesKey: 'runs/r1/strategies/strategies.json',
      trainingPerformanceKey: 'runs/r1/results/training_performance.csv',
    };
    const output = await run(parseEvent(event), { store });
    expect(output).toEqual({
      bestStrategyKey: 'runs/r1/results/best_strategy.json',
      bestId: 's2',
      eligible: 3,
      trainingPerformanceKey: 'runs/r1/results/training_performance.csv',
      validationPerformanceKey: 'runs/r1/results/validation_performance.csv',
      blockMomentsKey: 'runs/r1/results/block_moments.bin',
    });
    const best = await getJson<BestStrategyDocument>(store, output.bestStrategyKey);
    expect(best).toMatchObject({
      strategy: strategy('s2'),
      selectBy: 'win_rate',
      minTrades: 10,
      candidates: 5,
      eligible: 3,
      training: { winRate: 0.6, trades: 20, sharpe: 0.2 },
    });
    expect(best.leaders).toEqual([
      { id: 's2', value: 0.6 },
      { id: 's5', value: 0.6 },
      { id: 's1', value: 0.55 },
    ]);

    await expect(run({ ...parseEvent(event), config: parseRunConfig({ minTrades: 100 }) }, { store })).rejects.toThrow(
      'none of the 5 strategies made at least 100 trades',
    );
    await dispose();
  });
});
