// Benchmark (not a test) of the backtest kernel: `npm run bench [-- --quick]`. Each row is one
// `overfit bench --json` process (the CLI bundle, as users run it), so its peak RSS is its own: every family alone,
// the default mix, 500 / 5,000 / 100,000 strategies, 1 and 2 worker threads. Beside it, in the same run and its own
// process, a peer: the same SMA crossovers computed with indicatorts (its sma() twice, its Action[] and
// applyActions(), long only, no costs, no metrics: less work than ours), and the ratio; and, as a yardstick of this
// machine, the minimal fused loop of ../shared/docs/PERFORMANCE-NOTES.md (the same crossovers, long only, no costs:
// equity, trades and wins only), which the kernel targets were derived from on another CPU.
// Data: ../shared/data/btc_usd_1h.csv (71,214 hourly bars) when present, else a synthetic market of the same size.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'apps/cli/dist/overfit.cjs');
const FAMILIES = [
  'coin_flip',
  'sma_cross',
  'ema_cross',
  'rsi_reversion',
  'bollinger',
  'donchian_breakout',
  'momentum',
  'macd',
  'seasonal',
];

/** Median of 3 timed runs after a warm-up, as one JSON line on stdout (the peers run in processes of their own). */
function report(once, strategyBars) {
  once(); // warm-up
  const times = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    once();
    times.push((performance.now() - started) / 1000);
  }
  const seconds = times.sort((a, b) => a - b)[1];
  process.stdout.write(
    JSON.stringify({
      seconds,
      strategyBars,
      nsPerStrategyBar: (seconds * 1e9) / strategyBars,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

/** The peer, in its own process: `node tools/bench.mjs --baseline <core bundle> <data.csv> <strategies>`. */
async function baseline(coreBundle, dataPath, count) {
  const require = createRequire(import.meta.url);
  const { generateStrategies, readPriceCsv } = require(coreBundle);
  const { sma, applyActions, Action } = require('indicatorts');
  const closings = Array.from((await readPriceCsv(dataPath)).series.close);
  const strategies = generateStrategies({ count, seed: 42, families: ['sma_cross'] }); // overfit bench's default seed
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
 * PERFORMANCE-NOTES' reference loop, in its own process: `node tools/bench.mjs --minimal-loop <core bundle> <data.csv>
 * <strategies>`.
 */
async function minimalLoop(coreBundle, dataPath, count) {
  const require = createRequire(import.meta.url);
  const { generateStrategies, readPriceCsv } = require(coreBundle);
  const close = (await readPriceCsv(dataPath)).series.close;
  const n = close.length;
  const strategies = generateStrategies({ count, seed: 42, families: ['sma_cross'] });
  report(() => {
    let checksum = 0;
    for (const { fast: f, slow: s } of strategies) {
      // The note's code as printed there, fee 0 as it was measured.
      const fee = 0;
      let sumF = 0,
        sumS = 0,
        pos = 0,
        eq = 1,
        entryEq = 1,
        trades = 0,
        wins = 0;
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

function runJson(args) {
  return JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 }));
}

async function main() {
  const quick = process.argv.includes('--quick');
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
    let data = join(root, '../shared/data/btc_usd_1h.csv');
    if (!existsSync(data)) {
      const { syntheticMarket, formatPriceCsv } = createRequire(import.meta.url)(coreBundle);
      data = join(dir, 'synthetic_1h.csv');
      writeFileSync(data, formatPriceCsv(syntheticMarket({ bars: 71_214, seed: 1 })));
    }

    const rows = [];
    const row = (label, strategies, families, workers, repeats = 3) => {
      const r = runJson([
        cli,
        'bench',
        '--data',
        data,
        '--strategies',
        String(strategies),
        '--families',
        families,
        '--workers',
        String(workers),
        '--repeats',
        String(repeats),
        '--json',
      ]);
      rows.push({ label, ...r });
      process.stderr.write(`  ${label}: ${r.nsPerStrategyBar.toFixed(2)} ns/strategy-bar\n`);
      return r;
    };
    const all = FAMILIES.join(',');
    process.stderr.write('running…\n');
    const sma1 = row('sma_cross, 500, 1 worker', 500, 'sma_cross', 1);
    const sma2 = row('sma_cross, 500, 2 workers', 500, 'sma_cross', 2);
    const peer = runJson([fileURLToPath(import.meta.url), '--baseline', coreBundle, data, '500']);
    process.stderr.write(`  indicatorts sma_cross, 500: ${peer.nsPerStrategyBar.toFixed(2)} ns/strategy-bar\n`);
    const yardstick = runJson([fileURLToPath(import.meta.url), '--minimal-loop', coreBundle, data, '500']);
    process.stderr.write(`  minimal fused loop, 500: ${yardstick.nsPerStrategyBar.toFixed(2)} ns/strategy-bar\n`);
    if (!quick)
      for (const family of FAMILIES.filter((f) => f !== 'sma_cross')) row(`${family}, 500, 2 workers`, 500, family, 2);
    row('mix, 500, 1 worker', 500, all, 1);
    row('mix, 500, 2 workers', 500, all, 2);
    if (!quick) {
      row('mix, 5,000, 2 workers', 5000, all, 2);
      row('mix, 100,000, 2 workers', 100_000, all, 2, 1);
    }

    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    /** One row of a Markdown table. */
    const tableRow = (...cells) => `| ${cells.join(' | ')} |`;
    const ratio = (a, b) => a.nsPerStrategyBar / b.nsPerStrategyBar;
    const perSecond = (run) => (run.strategyBars / run.seconds / 1e6).toFixed(0);
    const lines = [
      `Backtest kernel, ${rows[0].bars.toLocaleString('en')} bars of ${rows[0].data}; ${cpus().length} × ${cpu}; Node ${process.version}; ${new Date().toISOString()}`,
      'Time: every strategy on training + validation with block moments, on the worker pool the warm-up started; median of 3 after the warm-up (100,000: one run). Load average at the start: ' +
        loadavg()
          .map((l) => l.toFixed(1))
          .join(' ') +
        '.',
      '',
      '| run | strategies | workers | seconds | ns / strategy-bar | M strategy-bars / s | whole stage s | peak RSS MB |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((r) =>
        tableRow(
          r.label,
          r.strategies.toLocaleString('en'),
          r.workers,
          r.seconds.toFixed(3),
          r.nsPerStrategyBar.toFixed(2),
          perSecond(r),
          r.stageSeconds.toFixed(2),
          r.peakRssMb,
        ),
      ),
      tableRow(
        'indicatorts sma() ×2 + applyActions, sma_cross',
        500,
        1,
        peer.seconds.toFixed(3),
        peer.nsPerStrategyBar.toFixed(2),
        perSecond(peer),
        '—',
        peer.peakRssMb,
      ),
      tableRow(
        'PERFORMANCE-NOTES minimal fused loop (equity, trades, wins), sma_cross',
        500,
        1,
        yardstick.seconds.toFixed(3),
        yardstick.nsPerStrategyBar.toFixed(2),
        perSecond(yardstick),
        '—',
        yardstick.peakRssMb,
      ),
      '',
      `sma_cross, 500: ours is ${ratio(peer, sma1).toFixed(1)}× faster than indicatorts on 1 worker, ${ratio(peer, sma2).toFixed(1)}× on 2; ` +
        `${ratio(sma1, yardstick).toFixed(2)}× the minimal fused loop's time on 1 worker (which measured 2.81 ns on the CPU of PERFORMANCE-NOTES).`,
    ];
    console.log(lines.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--baseline') await baseline(process.argv[3], process.argv[4], Number(process.argv[5]));
else if (process.argv[2] === '--minimal-loop')
  await minimalLoop(process.argv[3], process.argv[4], Number(process.argv[5]));
else await main();
