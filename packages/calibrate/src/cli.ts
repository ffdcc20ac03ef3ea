// npm run calibrate [-- options]: the calibration benchmark (README.md). tools/calibrate.mjs bundles this file with
// esbuild and runs the bundle; with --workers k > 1 the bundle starts k − 1 more copies of itself as worker threads.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DEFAULT_RUN_CONFIG, MAX_COST_BPS, SELECTION_METRICS, type SelectionMetric } from '@overfit/core';
import { readPriceCsv } from '@overfit/data';
import {
  CALIBRATION_METRICS,
  checkTargets,
  FRESH_PATH_FACTOR,
  markdownTable,
  pooledSizes,
  runJob,
  sortCells,
  tabulate,
  type CalibrationSettings,
  type RunJob,
  type RunOutcome,
} from './calibrate';
import {
  DEFAULT_BARS,
  describeMarket,
  isPlanted,
  MARKET_KINDS,
  prepareRealSource,
  type MarketKind,
  type RealSource,
} from './markets';
import { TRUE_EDGE_T } from './runInMemory';

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

interface Options {
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

function parseArgs(argv: string[]): Options {
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
    switch (flag) {
      case '--runs':
        o.runs = int(flag, value(), 1);
        break;
      case '--seed':
        o.seed = int(flag, value(), 0);
        break;
      case '--bars':
        o.bars = int(flag, value(), 200);
        break;
      case '--strategies':
        o.strategies = int(flag, value(), 2);
        break;
      case '--min-trades':
        o.minTrades = int(flag, value(), 0);
        break;
      case '--null-markets':
        o.nullMarkets = int(flag, value(), 0);
        break;
      case '--workers':
        o.workers = int(flag, value(), 1);
        break;
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

interface WorkerSetup {
  settings: CalibrationSettings;
  source: RealSource | null;
}

/** A worker thread: run the jobs it is sent, one at a time, and post each outcome back. */
function workerMain(): void {
  const { settings, source } = workerData as WorkerSetup;
  parentPort!.on('message', (job: RunJob | null) => {
    if (job === null) {
      process.exit(0);
    }
    try {
      parentPort!.postMessage({ ok: true, outcome: runJob(job, settings, source) });
    } catch (error) {
      parentPort!.postMessage({
        ok: false,
        job,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
}

const fmtTime = (s: number) =>
  s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`;

async function runAll(
  jobs: RunJob[],
  setup: WorkerSetup,
  workers: number,
  onOutcome: (o: RunOutcome) => void,
): Promise<void> {
  if (workers <= 1) {
    for (const job of jobs) onOutcome(runJob(job, setup.settings, setup.source));
    return;
  }
  let next = 0;
  await new Promise<void>((done, fail) => {
    let running = 0;
    const feed = (worker: Worker) => {
      if (next < jobs.length) {
        worker.postMessage(jobs[next++]);
      } else {
        worker.postMessage(null);
        if (--running === 0) done();
      }
    };
    for (let w = 0; w < Math.min(workers, jobs.length); w++) {
      const worker = new Worker(__filename, { workerData: setup });
      running++;
      worker.on('message', (message: { ok: true; outcome: RunOutcome } | { ok: false; job: RunJob; error: string }) => {
        if (!message.ok) {
          fail(new Error(`run ${JSON.stringify(message.job)} failed:\n${message.error}`));
          void worker.terminate();
          return;
        }
        onOutcome(message.outcome);
        feed(worker);
      });
      worker.on('error', fail);
      feed(worker);
    }
  });
}

async function loadSource(path: string, markets: MarketKind[]): Promise<RealSource | null> {
  const needs = markets.some((m) => m === 'garch' || m === 'iid_bootstrap' || m === 'block_bootstrap');
  if (!needs || !existsSync(path)) return null;
  const { series } = await readPriceCsv(path);
  return prepareRealSource(series, path);
}

async function main(): Promise<void> {
  const started = performance.now();
  const o = parseArgs(process.argv.slice(2));
  let outcomes: RunOutcome[] = [];
  const notes: string[] = [];
  let source: RealSource | null = null;
  if (o.from) {
    outcomes = readFileSync(o.from, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RunOutcome);
    o.markets = MARKET_KINDS.filter((m) => outcomes.some((x) => x.market === m));
  } else {
    source = await loadSource(o.data, o.markets);
    if (!source) {
      const dropped: MarketKind[] = o.markets.filter((m) => m === 'iid_bootstrap' || m === 'block_bootstrap');
      if (dropped.length > 0)
        notes.push(`${dropped.join(' and ')} skipped: no real history at ${o.data} (pass --data)`);
      o.markets = o.markets.filter((m) => !dropped.includes(m));
    }
    const settings: CalibrationSettings = {
      bars: o.bars,
      strategies: o.strategies,
      seed: o.seed,
      minTrades: o.minTrades,
      slippageBps: 0,
      nullMarkets: o.nullMarkets,
    };
    // Runs outermost, so a partial run (or the progress line) already covers every cell.
    const jobs: RunJob[] = [];
    for (let run = 0; run < o.runs; run++) {
      for (const market of o.markets)
        for (const selectBy of o.metrics) for (const feesBps of o.fees) jobs.push({ market, selectBy, feesBps, run });
    }
    process.stderr.write(
      `calibrate: ${jobs.length} runs (${o.markets.length} markets × ${o.metrics.length} metrics × ${o.fees.length} fee levels × ${o.runs}), ` +
        `${o.strategies} strategies, ${o.bars} bars, ${o.workers} worker${o.workers > 1 ? 's' : ''}\n`,
    );
    for (const m of o.markets) process.stderr.write(`  ${m}: ${describeMarket(m, source)}\n`);
    let lastReport = 0;
    await runAll(jobs, { settings, source }, o.workers, (outcome) => {
      outcomes.push(outcome);
      if (o.out) appendFileSync(o.out, `${JSON.stringify(outcome)}\n`);
      const now = performance.now();
      if (now - lastReport > 5000 || outcomes.length === jobs.length) {
        lastReport = now;
        const elapsed = (now - started) / 1000;
        const eta = (elapsed / outcomes.length) * (jobs.length - outcomes.length);
        const last = `${outcome.market} ${outcome.selectBy} ${outcome.feesBps} bps run ${outcome.run}`;
        process.stderr.write(
          `  [${outcomes.length}/${jobs.length}] ${fmtTime(elapsed)} elapsed, ~${fmtTime(eta)} left; ` +
            `last: ${last} → ${outcome.level} (${outcome.seconds.toFixed(1)} s)\n`,
        );
      }
    });
  }
  const tab = tabulate(outcomes);
  tab.cells = sortCells(tab.cells, o.markets);
  const checks = checkTargets(tab);
  const wallSeconds = (performance.now() - started) / 1000;
  const markets = Object.fromEntries(o.markets.map((m) => [m, describeMarket(m, source)]));
  if (tab.testsSource !== 'verdict.tests')
    notes.push("tests marked * are read from the report's sections (its verdict lists no tests)");

  if (o.json) {
    console.log(
      JSON.stringify(
        {
          options: { ...o, data: source?.path ?? null },
          markets,
          pooledSizes: Object.fromEntries(
            [...new Set(outcomes.map((x) => x.feesBps))].map((f) => [f, pooledSizes(outcomes, tab.tests, f)]),
          ),
          trueEdge: { tStat: TRUE_EDGE_T, freshPathFactor: FRESH_PATH_FACTOR },
          ...tab,
          targets: checks,
          notes,
          wallSeconds,
        },
        null,
        2,
      ),
    );
    return;
  }
  const lines: string[] = [];
  lines.push(
    `Calibration: ${o.from ? `outcomes from ${o.from}` : `${o.runs} runs per row, ${o.strategies} strategies, ${o.bars} bars, seed ${o.seed}`}`,
  );
  lines.push('');
  for (const [m, d] of Object.entries(markets))
    lines.push(`- ${m}${isPlanted(m as MarketKind) ? ' (planted edge)' : ''}: ${d}`);
  lines.push('');
  lines.push(markdownTable(tab));
  lines.push('');
  lines.push(
    `true edge: runs whose selected strategy has t ≥ ${TRUE_EDGE_T} on a fresh path ${FRESH_PATH_FACTOR}× as long (its Sharpe a year there, median: fresh SR/yr). ` +
      'skill rate: evidence_of_skill among all runs on no-edge rows, among runs with a true edge on planted rows. ' +
      'Tests: share of runs where each fires (rejects "no edge" at 5 %).',
  );
  for (const t of tab.tests) {
    const never =
      t.minPValue !== null && t.minPValue > 0.05
        ? ` — its smallest p-value in ${outcomes.length} runs was ${t.minPValue.toPrecision(2)}: it cannot fire with these settings`
        : '';
    lines.push(`- ${t.id}: ${t.label}${never}`);
  }
  for (const n of notes) lines.push(`Note: ${n}`);
  lines.push('');
  const feeLevels = [...new Set(outcomes.map((x) => x.feesBps))].sort((a, b) => a - b);
  const pooled = Object.fromEntries(feeLevels.map((f) => [f, pooledSizes(outcomes, tab.tests, f)]));
  for (const f of feeLevels) {
    const rates = tab.tests.map((t) => ({ t, r: pooled[f][t.id] })).filter((x) => x.r.of > 0);
    if (rates.length > 0) {
      const pct = (x: number | null) => (100 * x!).toFixed(1);
      const sizes = rates.map(({ t, r }) => `${t.id} ${pct(r.rate)} % [${pct(r.low)}, ${pct(r.high)}] of ${r.of}`);
      lines.push(`Size pooled over the no-edge rows at ${f} bps: ${sizes.join('; ')}`);
    }
  }
  lines.push(
    `Targets: ${checks.map((c) => `${c.ok === null ? '–' : c.ok ? 'PASS' : 'FAIL'} ${c.name} (${c.detail})`).join('; ')}`,
  );
  const medians = tab.cells.map((c) => c.medianSeconds).sort((a, b) => a - b);
  const medianRun = tab.cells.length ? fmtTime(medians[tab.cells.length >> 1]) : '–';
  lines.push(
    `${o.from ? 'Tabulated in' : 'Wall time'} ${fmtTime(wallSeconds)}${outcomes.length ? `; median run ${medianRun}` : ''}.`,
  );
  console.log(lines.join('\n'));
}

if (isMainThread) {
  main().catch((error: unknown) => {
    process.stderr.write(`calibrate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  workerMain();
}
