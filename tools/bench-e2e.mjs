// Whole-run benchmark (not a test): what a user waits for. `npm run bench:e2e [-- --rounds 5 --strategies 500,5000
// --data file.csv --cli a/overfit.cjs,b/overfit.cjs]`. Each sample is one `overfit run --json` process (the CLI
// bundle, as users run it) on the real hourly BTC history, into a store of its own; the sizes (and, with --cli, the
// bundles compared, e.g. a build of main beside this one) alternate round after round, so a change in the machine's
// load hits every case alike. From each run's own timings: every stage, the whole run (the CLI's elapsed time) and
// the ratio whole run / backtest stage, which is measured inside one process and so compares like with like, and the
// run's CPU seconds (all threads: its work, which a busy machine inflates less than elapsed time).
// Medians over the rounds, as a markdown table, with the machine read from this machine.
// Data: --data, else ../shared/data/btc_usd_1h.csv beside the repository (where CI puts the shared data).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machine, median } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'apps/cli/dist/overfit.cjs');
const STAGES = ['generate', 'backtest', 'select', 'validate', 'visualize'];

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    strategies: { type: 'string', default: '500,5000' },
    data: { type: 'string', default: join(root, '../shared/data/btc_usd_1h.csv') },
    cli: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const sizes = values.strategies.split(',').map(Number);
const clis = values.cli ? values.cli.split(',') : [cli];
if (!(Number.isInteger(rounds) && rounds >= 1) || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--rounds and --strategies take whole numbers (e.g. --rounds 5 --strategies 500,5000)');
  process.exit(2);
}
if (!existsSync(values.data)) {
  console.error(`no price file at ${values.data}: pass --data <hourly BTC csv> (see /work/shared/data/README.md)`);
  process.exit(2);
}

if (!values.cli) execFileSync(process.execPath, [join(root, 'tools/build-cli.mjs')], { stdio: 'inherit' });

/** One whole run in a process and a store of its own: its stage timings and elapsed time in ms, its CPU in s. */
function runOnce(bundle, strategies) {
  const store = mkdtempSync(join(tmpdir(), 'overfit-bench-e2e-'));
  const cpuFile = join(store, 'cpu-seconds');
  try {
    const args = ['run', '--data', values.data, '--strategies', String(strategies), '--store', store, '--json'];
    const out = execFileSync(process.execPath, ['--require', join(root, 'tools/cpu-on-exit.cjs'), bundle, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, OVERFIT_BENCH_CPU_FILE: cpuFile },
    });
    const { timings, elapsedMs } = JSON.parse(out);
    const cpu = Number(readFileSync(cpuFile, 'utf8'));
    return { ...timings, whole: elapsedMs, ratio: elapsedMs / timings.backtest, cpu };
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

const cases = clis.flatMap((bundle) => sizes.map((n) => ({ bundle, n, runs: [] })));
const loads = [];
for (let round = 1; round <= rounds; round++) {
  for (const c of cases) {
    loads.push(loadavg()[0]);
    const sample = runOnce(c.bundle, c.n);
    c.runs.push(sample);
    const whole = (sample.whole / 1000).toFixed(2);
    const line = `${whole} s, ×${sample.ratio.toFixed(2)}, CPU ${sample.cpu.toFixed(1)} s`;
    console.error(`round ${round}/${rounds}, ${c.bundle}, ${c.n} strategies: ${line}`);
  }
}

const seconds = (ms) => (ms / 1000).toFixed(2);

const compared = clis.length > 1;
const lines = [
  `Machine: ${machine()}`,
  `Data: ${values.data}; ${rounds} alternating rounds; medians; load average before the runs ` +
    `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (quiet: below 1)`,
  '',
  `|${compared ? ' CLI |' : ''} strategies | ${STAGES.join(' s | ')} s | whole run s | whole run / backtest | CPU s |`,
  `|${compared ? '---|' : ''}---:|${STAGES.map(() => '---:').join('|')}|---:|---:|---:|`,
];
for (const { bundle, n, runs } of cases) {
  const stages = STAGES.map((s) => seconds(median(runs.map((r) => r[s]))));
  const whole = seconds(median(runs.map((r) => r.whole)));
  const ratio = median(runs.map((r) => r.ratio)).toFixed(2);
  const cpu = median(runs.map((r) => r.cpu)).toFixed(1);
  const size = n.toLocaleString('en');
  lines.push(`|${compared ? ` ${bundle} |` : ''} ${size} | ${stages.join(' | ')} | ${whole} | ${ratio}× | ${cpu} |`);
}
console.log(lines.join('\n'));
