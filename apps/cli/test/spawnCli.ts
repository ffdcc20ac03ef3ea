// What the CLI's tests share: the built bundle run in a child process as a user runs it, its result (which
// inProcessCli.ts returns too), flags written as an object, and a temporary working folder. The child is awaited,
// never spawned synchronously, so a server in the test's own process (a fake exchange, s3rver) can answer it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { syntheticMarket, writePriceCsv } from '@overfit/data';

/** The `bin` entry npm links as `overfit`: it loads the bundle, dist/overfit.cjs, with V8's code cache. */
export const BIN_PATH = resolve(__dirname, '../bin/overfit.cjs');
const BUNDLE_PATH = resolve(__dirname, '../dist/overfit.cjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `overfit …args` in `cwd`; a child that outlives `timeoutMs` is killed and counts as a hang (code -1). */
export function overfitIn(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 300_000,
): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN_PATH, ...args],
      { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ...env }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** `{ strategies: 20, json: true, lenient: false }` → `['--strategies', '20', '--json']`, in the object's order. */
export function flags(values: Record<string, string | number | boolean>): string[] {
  return Object.entries(values).flatMap(([name, value]) =>
    value === false ? [] : value === true ? [`--${name}`] : [`--${name}`, String(value)],
  );
}

/** A fresh temporary folder to run in; fails first when the bundle has not been built. */
export async function cliTempRoot(prefix: string): Promise<string> {
  if (!existsSync(BUNDLE_PATH)) throw new Error(`${BUNDLE_PATH} is missing: build it with node tools/build-cli.mjs`);
  return mkdtemp(join(tmpdir(), prefix));
}

/** The temporary folder and, in it, prices.csv: 3,000 seeded synthetic hourly bars (what most tests run on). */
export async function cliTempRootWithPrices(prefix: string): Promise<{ root: string; prices: string }> {
  return withPrices(await cliTempRoot(prefix));
}

/** The same for commands run in the test's process (inProcessCli.ts), which need no bundle. */
export async function tempRootWithPrices(prefix: string): Promise<{ root: string; prices: string }> {
  return withPrices(await mkdtemp(join(tmpdir(), prefix)));
}

async function withPrices(root: string): Promise<{ root: string; prices: string }> {
  const prices = join(root, 'prices.csv');
  await writePriceCsv(syntheticMarket({ bars: 3000, seed: 3 }), prices);
  return { root, prices };
}

/** A command that succeeded quietly: exit 0 and nothing on stderr (stderr first: it says why when it fails). */
export function expectQuietSuccess(result: CliResult): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}
