// Load benchmark of the dashboard (not a test): the real server bundle on 127.0.0.1, autocannon against the run
// list and a PNG artifact of the latest run, a bounded time each. Needs a run in the store: `npm run demo` first.
// Usage: npm run bench:dashboard [-- --duration 5 --connections 10]  (STORE_DIR picks the store, default .overfit)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { duration: { type: 'string', default: '5' }, connections: { type: 'string', default: '10' } },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const storeDir = process.env.STORE_DIR ?? join(root, '.overfit');

const latest = join(storeDir, 'latest.json');
if (!existsSync(latest)) {
  console.error(`no run in ${storeDir}: run \`npm run demo\` first`);
  process.exit(2);
}
const { runId } = JSON.parse(readFileSync(latest, 'utf8'));

await import(join(root, 'apps/dashboard/build.mjs'));
// The rate limit would answer 429 to a load generator: lift it for the benchmark only.
const server = spawn(process.execPath, [join(root, 'apps/dashboard/dist/server.cjs')], {
  env: {
    ...process.env,
    STORE_DIR: storeDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '1000000000',
  },
  stdio: ['ignore', 'inherit', 'pipe'],
});
const base = await new Promise((resolve, reject) => {
  let text = '';
  server.stderr.on('data', (chunk) => {
    text += chunk;
    const match = /dashboard: (http:\/\/\S+?)\/\s/.exec(text);
    if (match) resolve(match[1]);
  });
  server.on('exit', (code) => reject(new Error(`the server exited (${code}): ${text}`)));
});

const targets = [
  { name: 'GET /api/runs', path: '/api/runs' },
  { name: 'GET PNG artifact (equity_curve.png)', path: `/api/runs/${runId}/artifacts/plots/equity_curve.png` },
  {
    name: 'GET strategies page (50, by win rate)',
    path: `/api/runs/${runId}/strategies?sort=winRate&order=desc&pageSize=50`,
  },
];
const rows = [];
for (const target of targets) {
  const result = await autocannon({ url: `${base}${target.path}`, duration, connections });
  rows.push({
    endpoint: target.name,
    'requests/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    'MB/s': (result.throughput.average / 1e6).toFixed(1),
    'non-2xx': result.non2xx,
    errors: result.errors,
  });
}
server.kill('SIGTERM');
console.log(
  `\ndashboard load benchmark: ${connections} connections, ${duration} s per endpoint, run ${runId}, Node ${process.version}`,
);
console.table(rows);
