// Benchmark (not a test) of the backtest kernel: `npm run bench [-- --quick] [--rounds N] [--data f.csv]`. Prints
// Markdown.
// 1. The kernel's targets as ratios measured in one run, since absolute times depend on the machine and its load:
//    `--rounds` (default 5) alternating rounds, each timing in processes of their own, one after the other, 500
//    sma_cross strategies on the kernel with 1 and with 2 worker threads (`overfit bench --json`: the CLI bundle, as
//    users run it), the yardstick and the indicatorts peer; every ratio is taken within a round, and the median of
//    the rounds is printed.
// 2. Unless --quick, one `overfit bench` row per family and for the mix at 500, 5,000 and 100,000 strategies.
// The yardstick is the minimal fused loop of ../shared/docs/PERFORMANCE-NOTES.md (the same crossovers, long only, no
// costs: equity, trades and wins only); the peer computes the same crossovers with indicatorts (its sma() twice, its
// Action[] and applyActions(), long only, no costs, no metrics: less work than ours).
// Data: --data, else ../shared/data/btc_usd_1h.csv (71,214 hourly bars) when present, else a synthetic market of the
// same size.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);
const cli = join(root, 'apps/cli/dist/overfit.cjs');
const require = createRequire(import.meta.url);

/** The kernel's targets (issue 17): kernel / yardstick on 1 and 2 workers, 2-worker scaling, peer / kernel. */
const TARGETS = { oneWorker: 1.7, twoWorkers: 0.9, scaling: 1.9, peer: 8 };

/** Median of 3 timed runs after a warm-up, as one JSON line on stdout (the peers run in processes of their own). */
function report(once, strategyBars) {
  once(); // warm-up
  const times = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    once();
    times.push((performance.now() - started) / 1000);
  }
  const seconds = median(times);
  const nsPerStrategyBar = (seconds * 1e9) / strategyBars;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(JSON.stringify({ seconds, strategyBars, nsPerStrategyBar, peakRssMb }));
}

/** Closing prices and the strategies of `overfit bench --families sma_cross` (its default seed, 42). */
async function smaCrossInputs(coreBundle, dataPath, count) {
  const { generateStrategies, readPriceCsv } = require(coreBundle);
  const close = (await readPriceCsv(dataPath)).series.close;
  return { close, strategies: generateStrategies({ count, seed: 42, families: ['sma_cross'] }) };
}

/** The peer, in its own process: `node tools/bench.mjs --baseline <core bundle> <data.csv> <strategies>`. */
async function baseline(coreBundle, dataPath, count) {
  const { sma, applyActions, Action } = require('indicatorts');
  const { close, strategies } = await smaCrossInputs(coreBundle, dataPath, count);
  const closings = Array.from(close);
  report(() => {
    let checksum = 0;
    for (const { fast, slow } of strategies) {
      const f = sma(closings, { period: fast });
      const s = sma(closings, { period: slow });
      const actions = new Array(closings.length);
      let holding = false;
      for (let t = 0; t < closings.length; t++) {
        // indicatorts' first averages are partial: wait for a full slow window
        const want = t >= slow - 1 && f[t] > s[t];
        actions[t] = want === holding ? Action.HOLD : want ? Action.BUY : Action.SELL;
        holding = want;
      }
      const gains = applyActions(closings, actions);
      checksum += gains[gains.length - 1];
    }
    return checksum;
  }, count * closings.length);
}

/**
 * The yardstick, in its own process: `node tools/bench.mjs --minimal-loop <core bundle> <data.csv> <strategies>`.
 * PERFORMANCE-NOTES' code as printed there (fee 0 as it was measured), deliberately not the kernel's: it is the
 * machine's measure of the least work a crossover backtest can do, and the kernel's targets are ratios to it, so it
 * must not change when the kernel does.
 */
async function minimalLoop(coreBundle, dataPath, count) {
  const { close, strategies } = await smaCrossInputs(coreBundle, dataPath, count);
  const n = close.length;
  report(() => {
    let checksum = 0;
    for (const { fast: f, slow: s } of strategies) {
      const fee = 0;
      let sumF = 0;
      let sumS = 0;
      let pos = 0;
      let eq = 1;
      let entryEq = 1;
      let trades = 0;
      let wins = 0;
      for (let t = 0; t < n - 1; t++) {
        const c = close[t];
        sumF += c;
        if (t >= f) sumF -= close[t - f];
        sumS += c;
        if (t >= s) sumS -= close[t - s];
        const want = t >= s - 1 && sumF / f > sumS / s ? 1 : 0;
        if (want !== pos) {
          if (want === 1) {
            entryEq = eq;
            eq *= 1 - fee;
            trades++;
          } else {
            eq *= 1 - fee;
            if (eq > entryEq) wins++;
          }
          pos = want;
        }
        if (pos === 1) eq *= close[t + 1] / c;
      }
      checksum += eq + trades + wins;
    }
    return checksum;
  }, count * n);
}

const runJson = (args) =>
  JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 }));

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const tableRow = (...cells) => `| ${cells.join(' | ')} |`;
const ns = (run) => run.nsPerStrategyBar.toFixed(2);

async function main() {
  const quick = process.argv.includes('--quick');
  const roundsFlag = process.argv.indexOf('--rounds');
  const rounds = roundsFlag > 0 ? Number(process.argv[roundsFlag + 1]) : 5;
  const dir = mkdtempSync(join(tmpdir(), 'overfit-bench-'));
  try {
    execFileSync(process.execPath, [join(root, 'tools/build-cli.mjs')], { stdio: 'inherit' });
    const coreBundle = join(dir, 'core.cjs');
    await build({
      stdin: {
        contents:
          "export * from '@overfit/core'; export { readPriceCsv, syntheticMarket, formatPriceCsv } from '@overfit/data';",
        resolveDir: root,
        loader: 'ts',
      },
      outfile: coreBundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    const { STRATEGY_FAMILIES, syntheticMarket, formatPriceCsv } = require(coreBundle);
    const dataFlag = process.argv.indexOf('--data');
    let data = dataFlag > 0 ? process.argv[dataFlag + 1] : join(root, '../shared/data/btc_usd_1h.csv');
    if (!existsSync(data)) {
      data = join(dir, 'synthetic_1h.csv');
      writeFileSync(data, formatPriceCsv(syntheticMarket({ bars: 71_214, seed: 1 })));
    }
    const loadBefore = load();
    const kernel = (strategies, families, workers, repeats = 3) => {
      const flags = { data, strategies, families, workers, repeats };
      return runJson([cli, 'bench', ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)]), '--json']);
    };
    const peerRun = (mode) => runJson([self, mode, coreBundle, data, '500']);

    const ratios = { oneWorker: [], twoWorkers: [], scaling: [], peer: [] };
    const times = { one: [], two: [], yardstick: [], peer: [] };
    for (let round = 1; round <= rounds; round++) {
      const yardstick = peerRun('--minimal-loop');
      const one = kernel(500, 'sma_cross', 1);
      const two = kernel(500, 'sma_cross', 2);
      const peer = peerRun('--baseline');
      for (const [key, run] of Object.entries({ one, two, yardstick, peer })) times[key].push(run);
      ratios.oneWorker.push(one.nsPerStrategyBar / yardstick.nsPerStrategyBar);
      ratios.twoWorkers.push(two.nsPerStrategyBar / yardstick.nsPerStrategyBar);
      ratios.scaling.push(one.nsPerStrategyBar / two.nsPerStrategyBar);
      ratios.peer.push(peer.nsPerStrategyBar / two.nsPerStrategyBar);
      process.stderr.write(
        `  round ${round}: ns/strategy-bar yardstick ${ns(yardstick)}, kernel 1 worker ${ns(one)}, ` +
          `2 workers ${ns(two)}, indicatorts ${ns(peer)}\n`,
      );
    }
    const ratioRow = (label, key, target, below) => {
      const [value, values] = [median(ratios[key]), ratios[key]];
      const range = `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
      const met = below ? value <= target : value >= target;
      return tableRow(label, `${below ? '≤' : '≥'} ${target}`, value.toFixed(2), range, met ? 'met' : 'not met');
    };
    const medianNs = (k) => median(times[k].map((r) => r.nsPerStrategyBar)).toFixed(2);
    const lines = [
      `Backtest kernel, 500 sma_cross strategies on ${times.one[0].bars.toLocaleString('en')} bars of ` +
        `${basename(times.one[0].data)}; ${machine()}. Load average ${loadBefore} at the start, ${load()} after the ratios.`,
      '',
      `Ratios: the median of ${rounds} alternating rounds, each ratio taken within one round.`,
      '',
      '| ratio | target | median | range | |',
      '| --- | ---: | ---: | ---: | --- |',
      ratioRow('kernel on 1 worker ÷ yardstick', 'oneWorker', TARGETS.oneWorker, true),
      ratioRow('kernel on 2 workers ÷ yardstick', 'twoWorkers', TARGETS.twoWorkers, true),
      ratioRow('2-worker scaling (1 worker ÷ 2 workers)', 'scaling', TARGETS.scaling, false),
      ratioRow('indicatorts ÷ kernel on 2 workers', 'peer', TARGETS.peer, false),
      '',
      'Median ns per strategy-bar over the rounds: ' +
        `yardstick ${medianNs('yardstick')}, kernel ${medianNs('one')} on 1 worker and ${medianNs('two')} on 2, ` +
        `indicatorts ${medianNs('peer')}.`,
    ];
    if (!quick) lines.push('', ...stageRows(kernel, STRATEGY_FAMILIES));
    console.log(lines.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One `overfit bench` row per family (2 workers) and for the mix of all families at 500, 5,000 and 100,000. */
function stageRows(kernel, families) {
  const runs = [
    ...families.map((family) => ({ label: family, strategies: 500, families: family, workers: 2 })),
    { label: 'mix (all families)', strategies: 500, families: families.join(','), workers: 1 },
    { label: 'mix', strategies: 500, families: families.join(','), workers: 2 },
    { label: 'mix', strategies: 5000, families: families.join(','), workers: 2 },
    { label: 'mix', strategies: 100_000, families: families.join(','), workers: 2, repeats: 1 },
  ];
  const rows = runs.map((run) => {
    const r = kernel(run.strategies, run.families, run.workers, run.repeats);
    process.stderr.write(`  ${run.label}, ${run.strategies}, ${run.workers} worker(s): ${ns(r)} ns/strategy-bar\n`);
    const perSecond = (r.strategyBars / r.seconds / 1e6).toFixed(0);
    const cells = [run.label, r.strategies.toLocaleString('en'), r.workers, r.seconds.toFixed(3), ns(r), perSecond];
    return tableRow(...cells, r.stageSeconds.toFixed(2), r.peakRssMb);
  });
  return [
    'Every strategy on training + validation with block moments, on the worker pool the warm-up started; median of ' +
      `3 runs after the warm-up (100,000: one run). Load average at the end: ${load()}.`,
    '',
    '| run | strategies | workers | seconds | ns / strategy-bar | M strategy-bars / s | whole stage s | peak RSS MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ];
}

if (process.argv[2] === '--baseline') await baseline(process.argv[3], process.argv[4], Number(process.argv[5]));
else if (process.argv[2] === '--minimal-loop')
  await minimalLoop(process.argv[3], process.argv[4], Number(process.argv[5]));
else await main();
