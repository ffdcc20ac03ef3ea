// The calibration CLI's options: its usage text and the parser that turns argv into them, refusing what it cannot
// read with the flag's name.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_RUN_CONFIG, MAX_COST_BPS, SELECTION_METRICS, type SelectionMetric } from '@overfit/core';
import { CALIBRATION_METRICS } from './calibrate';
import { DEFAULT_BARS, MARKET_KINDS, type MarketKind } from './marketKinds';

const USAGE = `Usage: npm run calibrate -- [options]
  --runs N             runs per market × metric × fees (default 60: about 1.5 h on 2 idle cores)
  --seed S             master seed; every run's seeds derive from it (default 1)
  --markets a,b        ${MARKET_KINDS.join(', ')} (default: all; the bootstraps need the real history)
  --metrics a,b        selection metrics (default ${CALIBRATION_METRICS.join(',')})
  --fees-bps a,b       fee levels (default 10,0: the default fees, and 0 where the null holds exactly)
  --bars N             bars per market (default ${DEFAULT_BARS}, two years of hours: the default run's)
  --strategies N       strategies per run (default ${DEFAULT_RUN_CONFIG.strategies})
  --min-trades N       (default ${DEFAULT_RUN_CONFIG.minTrades})
  --null-markets N     the report's null-market control (default ${DEFAULT_RUN_CONFIG.nullMarkets}, the run config's)
  --data PATH          real hourly history for garch and the bootstraps (default ../shared/data/btc_usd_1h.csv)
  --workers K          worker threads (default: min(2, cores))
  --out FILE           append every run's outcome as a JSON line (kept if the run is interrupted)
  --from FILE          tabulate the outcomes in FILE (from --out) instead of running
  --json               machine-readable output on stdout`;

type IntegerOption = 'runs' | 'seed' | 'bars' | 'strategies' | 'minTrades' | 'nullMarkets' | 'workers';

export interface Options {
  runs: number;
  seed: number;
  markets: MarketKind[];
  metrics: SelectionMetric[];
  fees: number[];
  bars: number;
  strategies: number;
  minTrades: number;
  nullMarkets: number;
  data: string;
  workers: number;
  out: string | null;
  from: string | null;
  json: boolean;
}

/** The flags that take an integer: the option each sets and the least value it accepts. */
const INTEGER_FLAGS = new Map<string, { option: IntegerOption; min: number }>([
  ['--runs', { option: 'runs', min: 1 }],
  ['--seed', { option: 'seed', min: 0 }],
  ['--bars', { option: 'bars', min: 200 }],
  ['--strategies', { option: 'strategies', min: 2 }],
  ['--min-trades', { option: 'minTrades', min: 0 }],
  ['--null-markets', { option: 'nullMarkets', min: 0 }],
  ['--workers', { option: 'workers', min: 1 }],
]);

export function parseArgs(argv: string[]): Options {
  const o: Options = {
    runs: 60,
    seed: 1,
    markets: [...MARKET_KINDS],
    metrics: [...CALIBRATION_METRICS],
    fees: [10, 0],
    bars: DEFAULT_BARS,
    strategies: DEFAULT_RUN_CONFIG.strategies,
    minTrades: DEFAULT_RUN_CONFIG.minTrades,
    nullMarkets: DEFAULT_RUN_CONFIG.nullMarkets,
    data: resolve(process.cwd(), '../shared/data/btc_usd_1h.csv'),
    workers: Math.min(2, availableParallelism()),
    out: null,
    from: null,
    json: false,
  };
  const int = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer ≥ ${min} (got ${v})`);
    return n;
  };
  const list = (v: string | undefined) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const selectionMetric = (name: string): SelectionMetric => {
    if (!(SELECTION_METRICS as string[]).includes(name))
      throw new Error(`--metrics: unknown metric "${name}" (known: ${SELECTION_METRICS.join(', ')})`);
    return name as SelectionMetric;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    const integer = INTEGER_FLAGS.get(flag);
    if (integer) {
      o[integer.option] = int(flag, value(), integer.min);
      continue;
    }
    switch (flag) {
      case '--data':
        o.data = resolve(value() ?? '');
        break;
      case '--out':
        o.out = resolve(value() ?? '');
        break;
      case '--from':
        o.from = resolve(value() ?? '');
        break;
      case '--json':
        o.json = true;
        break;
      case '--markets': {
        const names = list(value());
        for (const n of names)
          if (!(MARKET_KINDS as readonly string[]).includes(n))
            throw new Error(`unknown market "${n}" (known: ${MARKET_KINDS.join(', ')})`);
        o.markets = names as MarketKind[];
        break;
      }
      case '--metrics':
        o.metrics = list(value()).map(selectionMetric);
        break;
      case '--fees-bps': {
        o.fees = list(value()).map(Number);
        if (o.fees.length === 0 || o.fees.some((f) => !(f >= 0 && f <= MAX_COST_BPS)))
          throw new Error(`--fees-bps needs fee levels from 0 to ${MAX_COST_BPS}`);
        break;
      }
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return o;
}
