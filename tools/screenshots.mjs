// The README's screenshots (docs/images/*.png), taken in Chromium from the real dashboard on a demo run, so they show
// what the product shows. Usage: node tools/screenshots.mjs [--store DIR] (default: a fresh demo run in a temp
// folder). Builds the CLI and the dashboard's bundle, serves the store on a free port, shoots, stops the server.
// Needs chromium (/usr/bin/chromium, or CHROMIUM_PATH). Each PNG is kept small (a viewport, not the whole page).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'docs', 'images');
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path) => path && existsSync(path),
);
if (!CHROMIUM) throw new Error('no chromium: install it (apt-get install chromium) or set CHROMIUM_PATH');

const storeFlag = process.argv.indexOf('--store');
let store = storeFlag > 0 ? process.argv[storeFlag + 1] : null;
const node = (...args) => execFileSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
node('apps/dashboard/build.mjs');
const temporary = store === null;
if (temporary) {
  // The demo run (seed 42, 500 strategies on the synthetic two-year market), as `npm run demo` makes it.
  store = mkdtempSync(join(tmpdir(), 'overfit-screenshots-'));
  node('tools/build-cli.mjs');
  node('apps/cli/bin/overfit.cjs', 'run', '--store', store, '--json');
}

const server = spawn(process.execPath, [join(ROOT, 'apps/dashboard/dist/server.cjs')], {
  env: { PATH: process.env.PATH, STORE_DIR: store, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'pipe'],
});
const base = await new Promise((resolve, reject) => {
  let said = '';
  server.stderr.on('data', (chunk) => {
    said += chunk;
    const url = /dashboard: (http:\/\/\S+?)\/?\s/.exec(said)?.[1];
    if (url) resolve(url);
  });
  server.on('exit', (code) => reject(new Error(`the dashboard stopped (exit code ${code}): ${said}`)));
});

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  mkdirSync(OUT, { recursive: true });
  const { latestRunId } = await (await fetch(`${base}/api/runs`)).json();
  const shots = [
    // The overview: the verdict, the statistics at a glance, the selection and the fall.
    { name: 'overview.png', path: '/', width: 1280, height: 1100, ready: '#chart-histogram' },
    // A run's page further down: every strategy, sortable, the selected one marked.
    { name: 'run.png', path: `/run.html?id=${latestRunId}`, width: 1280, height: 800, ready: '#strategies tbody tr' },
    // The same overview on a 390 px phone.
    { name: 'phone.png', path: '/', width: 390, height: 844, ready: '#chart-histogram' },
  ];
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: { width: shot.width, height: shot.height } });
    await page.goto(`${base}${shot.path}`);
    await page.locator(shot.ready).first().waitFor({ timeout: 120_000 });
    await page.waitForLoadState('networkidle');
    if (shot.name === 'run.png') await page.$eval('#strategies-section', (section) => section.scrollIntoView());
    const file = join(OUT, shot.name);
    await page.screenshot({ path: file });
    console.log(`${file}: ${Math.round(statSync(file).size / 1024)} KB`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  if (temporary) rmSync(store, { recursive: true, force: true });
}
