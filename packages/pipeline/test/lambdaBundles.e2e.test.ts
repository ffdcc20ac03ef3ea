// The Lambda packages as AWS runs them: each dist/lambda/<name>/ (the zip's content) copied outside the repo, so
// nothing resolves from the workspace's node_modules, and its index.handler called in a fresh Node process.
// `npm run build` (nx: pipeline:build, which this package's test depends on) makes them.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FUNCTION_NAMES, parseRunConfig } from '@overfit/core';
import { LocalStore, runKeys } from '@overfit/store';
import { runLocalPipeline } from '../src';

const DIST = resolve(__dirname, '../../../dist/lambda');

let root: string;
beforeAll(async () => {
  if (!existsSync(join(DIST, 'finalize.zip')))
    throw new Error(`${DIST} is missing: build it with npm run build (or node tools/build-lambdas.mjs)`);
  root = await mkdtemp(join(tmpdir(), 'overfit-lambda-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Copy a function's package outside the repository and call its handler with `event` in a new process. */
function invoke(
  name: string,
  event: unknown,
  env: Record<string, string> = {},
): Promise<{ ok: boolean; value: string }> {
  const folder = join(root, name);
  if (!existsSync(folder)) cpSync(join(DIST, name), folder, { recursive: true });
  const script = `require('./index.js').handler(JSON.parse(process.argv[1])).then(
    (out) => process.stdout.write('RESULT ' + JSON.stringify(out) + '\\n'), (e) => process.stdout.write('ERROR ' + e.name + ': ' + e.message + '\\n'))`;
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['-e', script, JSON.stringify(event)],
      {
        cwd: folder,
        env: { PATH: process.env.PATH, POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', ...env },
        timeout: 300_000,
      },
      (error, stdout) => {
        if (error) return fail(error);
        const line = stdout.split('\n').find((l) => l.startsWith('RESULT ') || l.startsWith('ERROR '));
        if (!line) return fail(new Error(`no result in ${stdout}`));
        done({ ok: line.startsWith('RESULT '), value: line.slice(line.indexOf(' ') + 1) });
      },
    );
  });
}

describe('the Lambda packages', () => {
  it.each(FUNCTION_NAMES)(
    '%s.zip is a zip whose index.js exports a handler that validates its event',
    async (name) => {
      expect(
        readFileSync(join(DIST, `${name}.zip`))
          .subarray(0, 2)
          .toString(),
      ).toBe('PK');
      expect(existsSync(join(DIST, name, 'index.js.map'))).toBe(true);
      expect(await invoke(name, 'not an object')).toEqual({
        ok: false,
        value: expect.stringMatching(/^InputError: event: must be a JSON object\b/),
      });
    },
    300_000,
  );

  it('backtest and validate ship the worker pool thread script beside the bundle', () => {
    expect(existsSync(join(DIST, 'backtest', 'backtest-worker.cjs'))).toBe(true);
    expect(existsSync(join(DIST, 'validate', 'backtest-worker.cjs'))).toBe(true);
  });

  it('visualize draws the figures with only what its package carries (canvas binary, Inter font)', async () => {
    const storeDir = join(root, 'store');
    const config = parseRunConfig({ strategies: 30, seed: 4, nullMarkets: 0 });
    const data = { kind: 'synthetic', bars: 2000, seed: 2, intervalSeconds: 3600 } as const;
    const { runId } = await runLocalPipeline({ config, data, store: new LocalStore(storeDir), runId: 'bundle-run' });
    const keys = runKeys(runId);
    const event = {
      runId,
      config,
      data,
      trainingPerformanceKey: keys.trainingPerformance,
      validationPerformanceKey: keys.validationPerformance,
      validationResultsKey: keys.validationResults,
      overfittingReportKey: keys.overfittingReport,
    };
    const before = readFileSync(join(storeDir, keys.winRateHistogram));
    rmSync(join(storeDir, keys.winRateHistogram));
    const result = await invoke('visualize', event, { USE_S3: 'false', STORE_DIR: storeDir });
    expect(result.ok).toBe(true);
    const { plotKeys } = JSON.parse(result.value) as { plotKeys: string[] };
    expect(plotKeys).toContain(keys.winRateHistogram);
    // The same figure the workspace drew, byte for byte: same renderer, same font.
    expect(readFileSync(join(storeDir, keys.winRateHistogram)).equals(before)).toBe(true);
  }, 600_000);
});
