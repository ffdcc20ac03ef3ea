// Benchmark (not a test): the calibration of the verdict (packages/calibrate/README.md). Bundles
// packages/calibrate/src/cli.ts with esbuild, so this measures the JavaScript the CLI runs, and runs the bundle
// with the arguments given: npm run calibrate -- --runs 5 --markets random_walk,trend_regimes
// `node tools/calibrate.mjs validation-tests …` (npm run bench:validation-tests) runs src/validationTestsCli.ts
// instead: the size of the candidate out-of-sample tests.
// The real hourly history is looked for in ../shared/data beside the repository, then beside the main worktree.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleInTemp, ROOT } from './bench-bundle.mjs';

const root = ROOT;
const args = process.argv.slice(2);
const ENTRIES = { 'validation-tests': 'validationTestsCli.ts', 'snooping-pipeline': 'snoopingSizeCli.ts' };
const entry = ENTRIES[args[0]] ?? 'cli.ts';
if (ENTRIES[args[0]]) args.shift();
const { dir, file: bundle } = await bundleInTemp(join(root, 'packages/calibrate/src', entry), 'calibrate');

if (!args.includes('--data')) {
  const candidates = [resolve(root, '../shared/data/btc_usd_1h.csv')];
  try {
    // A git worktree: its main checkout's ../shared/data too.
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    candidates.push(resolve(dirname(common), '../shared/data/btc_usd_1h.csv'));
  } catch {
    // not a git checkout: the first candidate only
  }
  const found = candidates.find((p) => existsSync(p));
  args.push('--data', found ?? candidates[0]);
}
const result = spawnSync(process.execPath, [bundle, ...args], { stdio: 'inherit', cwd: root });
rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
