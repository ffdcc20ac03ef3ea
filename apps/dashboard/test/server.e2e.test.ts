// The entry point as `npm start` runs it: the esbuild bundle in a child process, configured by the environment.
import { spawn } from 'node:child_process';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatPriceCsv, syntheticMarket } from '@overfit/data';
import { getJson, type RunManifest } from '@overfit/store';
import { makeFixture, type Fixture } from './fixtures';

const BUNDLE = join(__dirname, '..', 'dist', 'server.cjs');
let fixture: Fixture;

// dist/ is built by test/globalSetup.cjs.
beforeAll(async () => {
  fixture = await makeFixture();
}, 300_000);
afterAll(() => fixture.cleanUp());

function start(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BUNDLE], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** The URL the server prints once it listens. */
function urlOf(server: ReturnType<typeof start>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${JSON.stringify(server.output())}`)), 240_000);
    const look = () => {
      const match = /dashboard: (http:\/\/\S+)/.exec(server.output().stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.child.stderr.on('data', look);
    server.child.on('exit', () => reject(new Error(`exited before listening: ${JSON.stringify(server.output())}`)));
  });
}

/** POST /api/runs with these settings; the answer must be 202. */
async function postRun(url: string, settings: Record<string, unknown>): Promise<{ runId: string; statusUrl: string }> {
  const started = await fetch(`${url}api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  expect(started.status).toBe(202);
  return started.json();
}

/** Polls the run's status until `until` holds of it; returns that status. */
async function pollStatus(
  url: string,
  statusUrl: string,
  until: (status: { state: string; stage: string | null; error: string | null }) => boolean,
) {
  for (;;) {
    const status = await (await fetch(`${url}${statusUrl.slice(1)}`)).json();
    if (until(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const finished = (status: { state: string }) => status.state !== 'queued' && status.state !== 'running';

/** The server's log, one JSON object a line. */
const logLines = (server: ReturnType<typeof start>) =>
  server
    .output()
    .stdout.trim()
    .split('\n')
    .map((line) => JSON.parse(line));

test('serves the store on PORT, logs JSON lines, prints its URL, and exits 0 on SIGTERM', async () => {
  const server = start({ STORE_DIR: fixture.dir, PORT: '0', HOST: '127.0.0.1' });
  const url = await urlOf(server);
  const health = await fetch(`${url}healthz`);
  expect(await health.json()).toEqual({ status: 'ok' });
  const runs = await (await fetch(`${url}api/runs`)).json();
  expect(runs.runs).toHaveLength(2);

  // A run started through the bundle computes on its worker thread and lands in the same store.
  const { runId, statusUrl } = await postRun(url, { strategies: 30, dataset: 'synthetic-quick', nullMarkets: 0 });
  expect((await pollStatus(url, statusUrl, finished)).state).toBe('succeeded');
  expect(await fixture.store.exists(`runs/${runId}/manifest.json`)).toBe(true);

  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  const lines = logLines(server);
  expect(
    lines.some((l) => l.msg === 'dashboard ready' && l.store === fixture.store.location && l.launcher === 'in-process'),
  ).toBe(true);
  expect(lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM')).toBe(true);
  expect(lines.some((l) => l.msg === 'run succeeded' && l.runId === runId)).toBe(true);
  // Requests are logged at debug: at the default level (info) none of the requests above left a line.
  expect(lines.filter((l) => l.msg === 'request completed' || l.msg === 'incoming request')).toEqual([]);
}, 300_000);

test('a bad environment stops the boot with every problem and exit code 2', async () => {
  const server = start({ PORT: 'eighty', STATE_MACHINE_ARN: 'nope' });
  expect(await server.exited).toBe(2);
  const { stderr } = server.output();
  expect(stderr).toContain('PORT must be an integer from 0 to 65535 (got "eighty")');
  expect(stderr).toContain(
    'STATE_MACHINE_ARN: is not a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME; got "nope")',
  );
}, 300_000);

test('SIGTERM during a run: the run gets the grace period, then is marked failed with the reason; stale temp files go at start', async () => {
  const stale = join(fixture.dir, 'latest.json.0123456789ab.tmp');
  await writeFile(stale, '{"runId"');
  await utimes(stale, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
  const server = start({ STORE_DIR: fixture.dir, PORT: '0', HOST: '127.0.0.1', SHUTDOWN_GRACE_SECONDS: '0' });
  const url = await urlOf(server);
  const { runId, statusUrl } = await postRun(url, { strategies: 100_000, dataset: 'synthetic-quick', nullMarkets: 0 });
  await pollStatus(url, statusUrl, (status) => status.stage === 'backtest');
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  const manifest = await getJson<RunManifest>(fixture.store, `runs/${runId}/manifest.json`);
  expect(manifest).toMatchObject({
    status: 'failed',
    error: {
      stage: 'backtest',
      message: 'the dashboard received SIGTERM while the run was under way; it was stopped after a grace of 0 s',
    },
  });
  const lines = logLines(server);
  expect(
    lines.some(
      (l) => l.msg === 'removed temp files of interrupted writes' && l.removed.includes('latest.json.0123456789ab.tmp'),
    ),
  ).toBe(true);
  expect(lines.some((l) => l.msg === 'run failed' && l.runId === runId)).toBe(true);
}, 300_000);

test('listening beyond this machine without a token does not start', async () => {
  const server = start({ STORE_DIR: fixture.dir, PORT: '0', HOST: '0.0.0.0' });
  expect(await server.exited).toBe(2);
  expect(server.output().stderr).toContain(
    'HOST=0.0.0.0 listens beyond this machine, so anyone who reaches it could start runs: set RUN_TRIGGER_TOKEN',
  );
}, 300_000);

// Issue 16: a run on a data set kept in the store failed from the page ("no store was given to read it from"). Here
// the whole way: environment → configuration → server → launcher → the run's worker thread.
test('a run started from the page on a data set kept in the store succeeds, with its results', async () => {
  await fixture.store.put('data/prices.csv', formatPriceCsv(syntheticMarket({ bars: 3_000, seed: 11 })));
  const server = start({ STORE_DIR: fixture.dir, PORT: '0', HOST: '127.0.0.1' });
  const url = await urlOf(server);
  const options = await (await fetch(`${url}api/options`)).json();
  expect(options.datasets.map((d: { id: string }) => d.id)).toContain('store:prices.csv');
  const { runId, statusUrl } = await postRun(url, { strategies: 30, dataset: 'store:prices.csv', nullMarkets: 0 });
  expect(await pollStatus(url, statusUrl, finished)).toMatchObject({ state: 'succeeded', error: null });
  const detail = await (await fetch(`${url}api/runs/${runId}`)).json();
  expect(detail.manifest).toMatchObject({
    runId,
    status: 'succeeded',
    data: { source: 'store:data/prices.csv', synthetic: false, rows: 3_000 },
  });
  expect(detail.validation.strategy.id).toMatch(/^s\d{4}$/);
  expect(detail.figures.length).toBeGreaterThan(0);
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}, 300_000);
