// npm run calibrate [-- options]: the calibration benchmark (README.md). tools/calibrate.mjs bundles this file with
// esbuild and runs the bundle; with --workers k > 1 the bundle starts k − 1 more copies of itself as worker threads.
// Its options are read in cliOptions.ts, the jobs run in calibrationWorkers.ts and the result printed by
// calibrationReport.ts.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { readPriceCsv } from '@overfit/data';
import type { CalibrationSettings, RunJob, RunOutcome } from './calibrate';
import { fmtTime, printReport } from './calibrationReport';
import { runAll, workerMain } from './calibrationWorkers';
import { parseArgs } from './cliOptions';
import { MARKET_KINDS, type MarketKind } from './marketKinds';
import { describeMarket } from './markets';
import { prepareRealSource, type RealSource } from './realSource';

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
  printReport(o, outcomes, source, notes, started);
}

if (isMainThread) {
  main().catch((error: unknown) => {
    process.stderr.write(`calibrate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  workerMain();
}
