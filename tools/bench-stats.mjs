// Benchmark (not a test): CSCV with S = 16 (12,870 splits) from block moments, for 10,000 strategies over a
// 70,000-bar window (64 blocks of 1,093 bars), and the Reality Check + SPA bootstrap as the validate stage runs them
// (64 block sums, B = 1,000). Moments are drawn directly — building them from an N × T matrix is exactly what
// the kernel avoids. @overfit/core is bundled with esbuild first, so this measures the JavaScript the CLI runs.
// Usage: npm run bench:stats [-- strategies]  (above 20,000 it also times the sampled splits the validate stage uses)
import { join } from 'node:path';
import { loadBundled, ROOT } from './bench-bundle.mjs';

const strategies = Number(process.argv[2] ?? 10_000);
const bars = 70_000,
  blocks = 64;
const core = await loadBundled(join(ROOT, 'packages/core/src/index.ts'), 'bench-stats');

// Noise strategies: per-bar returns N(0, 1 %²), so a block of b bars has Σr ~ N(0, b·σ²) and Σr² ≈ b·σ².
const moments = core.emptyBlockMoments(strategies, blocks, bars);
const rng = core.createRng(1);
const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
const sigma = 0.01,
  b = moments.blockBars;
for (let i = 0; i < strategies * blocks; i++) {
  moments.sum[i] = sigma * Math.sqrt(b) * normal();
  moments.sumSquares[i] = b * sigma * sigma * (1 + 0.05 * normal()) + (moments.sum[i] * moments.sum[i]) / b;
}

const time = (label, work, runs = 3) => {
  const times = [];
  let result;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    result = work();
    times.push(performance.now() - started);
  }
  console.log(
    `  ${label.padEnd(58)} ${(Math.min(...times) / 1000).toFixed(2)} s  (runs ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s)`,
  );
  return result;
};

console.log(
  `Statistics benchmark, ${strategies.toLocaleString('en')} strategies × ${bars.toLocaleString('en')} bars, best of 3 (Node ${process.version}):`,
);
const cscv = time(`CSCV S = 16 from ${blocks} block moments (12,870 splits)`, () =>
  core.probabilityOfBacktestOverfitting(moments, { partitions: 16 }),
);
console.log(`    PBO ${cscv.pbo.toFixed(3)} (noise: expect ≈ 0.5)`);
if (strategies > 20_000) {
  const sampled = time(
    'CSCV S = 16, a seeded sample of 2,000 splits (as the validate stage above 20,000)',
    () => core.probabilityOfBacktestOverfitting(moments, { partitions: 16, maxSplits: 2000, seed: 42 }),
    1,
  );
  console.log(`    PBO ${sampled.pbo.toFixed(3)} from the sample`);
}
const tested = Math.min(strategies, 10_000);
const returns = Array.from({ length: tested }, (_, i) => moments.sum.subarray(i * blocks, (i + 1) * blocks));
const input = { returns, benchmark: new Float64Array(blocks), meanBlockLength: 4, replicates: 1000, seed: 42 };
time(
  `Reality Check + SPA, ${tested.toLocaleString('en')} strategies × ${blocks} block sums, B = 1,000`,
  () => core.dataSnoopingTests(input),
  1,
);
