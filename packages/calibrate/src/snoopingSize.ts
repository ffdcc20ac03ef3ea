// Which SPA statistic should the report use? On the pipeline's own inputs — the training block sums of 500 strategies
// on a no-edge market at 0 bps, against buy-and-hold's — count how often Reality Check and SPA (consistent p-value)
// reject at 5 %, with SPA studentised as a bootstrap-t and not studentised. No report and no null markets: these
// tests read only the block sums. Run by `npm run bench:snooping-pipeline`; the result is in docs/verdict.md.
import {
  backtestAll,
  createMarket,
  DEFAULT_RUN_CONFIG,
  dataSnoopingTests,
  generateStrategies,
  NO_COSTS,
  splitWindows,
} from '@overfit/core';
import { snoopingInput } from '@overfit/stage-validate';
import { deriveSeed } from './calibrate';
import type { MarketKind } from './marketKinds';
import { generateMarket } from './markets';
import type { RealSource } from './realSource';
import { PIPELINE_BLOCKS } from './runInMemory';

export const SNOOPING_VARIANTS = ['reality_check', 'spa_bootstrap_t', 'spa_plain'] as const;
type SnoopingVariant = (typeof SNOOPING_VARIANTS)[number];

export interface SnoopingSample {
  market: MarketKind;
  run: number;
  p: Record<SnoopingVariant, number>;
}

/** One no-edge market's training block sums and the p-value of each variant. */
export function snoopingSample(
  market: MarketKind,
  run: number,
  options: { seed: number; bars: number; source: RealSource | null },
): SnoopingSample {
  const seed = deriveSeed(options.seed, market, run, 'market');
  const { series } = generateMarket(market, { bars: options.bars, seed, source: options.source });
  const m = createMarket(series);
  const windows = splitWindows(options.bars, DEFAULT_RUN_CONFIG.trainFraction);
  const count = DEFAULT_RUN_CONFIG.strategies;
  const strategies = generateStrategies({
    count,
    seed: deriveSeed(options.seed, run, 'strategies'),
    families: DEFAULT_RUN_CONFIG.families,
  });
  const results = backtestAll(strategies, m, windows, NO_COSTS, { blocks: PIPELINE_BLOCKS, selectBy: 'sharpe' });
  const config = { ...DEFAULT_RUN_CONFIG, seed: deriveSeed(options.seed, run, 'bootstrap') };
  const input = snoopingInput({ market: m, windows, moments: results.trainingMoments, config });
  const studentised = dataSnoopingTests(input);
  const plain = dataSnoopingTests({ ...input, studentise: false });
  return {
    market,
    run,
    p: {
      reality_check: studentised.realityCheck.pValue,
      spa_bootstrap_t: studentised.spa.consistent,
      spa_plain: plain.spa.consistent,
    },
  };
}
