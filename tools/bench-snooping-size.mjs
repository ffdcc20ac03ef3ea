// Benchmark (not a test): the empirical size of White's Reality Check and Hansen's SPA (lower / consistent / upper
// p-values) as the validate stage runs them (stationary bootstrap, mean block length 4), on simulated markets where
// the null is true: N strategies whose excess returns over the benchmark have mean 0. Each cell is the share of
// replications with p ≤ 5 %; a test with the right size rejects about 5 % of the time (the binomial standard error
// at 400 replications is 1.1 points).
//   - iid:    independent N(0, 1) excess returns
//   - corr:   one common factor, pairwise correlation 0.5 (strategies built on the same market move together)
//   - t4:     independent Student t with 4 degrees of freedom scaled to variance 1 (fat tails, like block sums of
//             real strategy returns)
// T ∈ {64, 256} observations (the pipeline uses 64 block sums), N ∈ {50, 500} strategies.
// @overfit/core is bundled with esbuild first (as bench-stats does), so this measures the JavaScript the CLI runs.
// Usage: npm run bench:snooping [-- --reps 400 --replicates 200 --root <repo>]
//   --replicates is the bootstrap B inside each test: 200 instead of the pipeline's 1,000 keeps the whole table near
//   a few minutes on 2 shared cores; B only sets the resolution of each p-value, not its expected size.
//   --root bundles another checkout's packages/core (e.g. an older commit exported with git archive) to compare.
import { join, resolve } from 'node:path';
import { loadBundled, ROOT } from './bench-bundle.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const reps = Number(option('reps', 400));
const replicates = Number(option('replicates', 200));
const root = resolve(option('root', ROOT));
const sizes = option('T', '64,256').split(',').map(Number);
const counts = option('N', '50,500').split(',').map(Number);
// --bootstrap-t: SPA studentised as a bootstrap-t (the README's "after" column) instead of the default plain statistic.
const studentise = args.includes('--bootstrap-t');
const kinds = option('kinds', 'iid,corr,t4').split(',');

const core = await loadBundled(join(root, 'packages/core/src/index.ts'), 'bench-snooping', 'error');

/** N × T excess returns under the null, from one seed. */
function simulate(kind, N, T, seed) {
  const rng = core.createRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  // t(4) = Z / √(χ²₄ / 4), χ²₄ = −2 ln(U₁U₂); variance 4/(4 − 2) = 2, so divide by √2.
  const t4 = () => normal() / Math.sqrt((-2 * Math.log((1 - rng.next()) * (1 - rng.next()))) / 4) / Math.SQRT2;
  const factor = Float64Array.from({ length: T }, normal);
  return Array.from({ length: N }, () =>
    Float64Array.from({ length: T }, (_, t) => {
      if (kind === 'iid') return normal();
      if (kind === 'corr') return Math.sqrt(0.5) * factor[t] + Math.sqrt(0.5) * normal();
      return t4();
    }),
  );
}

const started = performance.now();
const header = `${'data'.padEnd(6)} ${'T'.padStart(4)} ${'N'.padStart(4)}   ${['RC', 'SPA lower', 'SPA consistent', 'SPA upper'].map((s) => s.padStart(16)).join('')}`;
console.log(
  `Empirical size at nominal 5 % (share of ${reps} null replications with p ≤ 0.05), mean block length 4, B = ${replicates} (Node ${process.version}):`,
);
console.log(header);
for (const kind of kinds) {
  for (const T of sizes) {
    for (const N of counts) {
      const rejected = [0, 0, 0, 0];
      for (let r = 0; r < reps; r++) {
        const seed =
          core.mix32(r * 7919 + T * 31 + N) ^ (kind === 'iid' ? 0 : kind === 'corr' ? 0x9e3779b9 : 0x7f4a7c15);
        const returns = simulate(kind, N, T, seed);
        const { realityCheck, spa } = core.dataSnoopingTests({
          returns,
          benchmark: new Float64Array(T),
          meanBlockLength: 4,
          replicates,
          seed: seed ^ 0x5bd1e995,
          studentise,
        });
        [realityCheck.pValue, spa.lower, spa.consistent, spa.upper].forEach((p, k) => {
          if (p <= 0.05) rejected[k]++;
        });
      }
      console.log(
        `${kind.padEnd(6)} ${String(T).padStart(4)} ${String(N).padStart(4)}   ` +
          rejected.map((k) => `${((100 * k) / reps).toFixed(1)} %`.padStart(16)).join(''),
      );
    }
  }
}
console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s)`);
