// The pages in a real browser (Debian chromium driven by playwright-core) against the real app on loopback:
// what a visitor sees, sorting, and starting a run from the Try it page. Screenshots go to test-output/.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { METRIC_LABELS, SELECTION_METRIC_FIELDS } from '@overfit/core';
import type { OverfittingReport } from '@overfit/core';
import type { ValidationResults } from '@overfit/store';
import { buildApp } from '../src/app';
import { datasetCatalog } from '../src/datasets';
import { InProcessLauncher } from '../src/inProcessLauncher';
import { FAILED_RUN, GOOD_RUN, makeEmptyFixture, makeFixture, RecordingLauncher, type Fixture } from './fixtures';
import type { RunProgress } from '../src/runLauncher';

// Debian's chromium (.ci/run installs it); Google Chrome on GitHub's Ubuntu runners.
const CHROMIUM = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].find((p) => p && existsSync(p));
const SCREENSHOTS = join(__dirname, '..', 'test-output');

if (!CHROMIUM && process.env.CI === 'true') {
  throw new Error(
    'CI=true but no chromium was found (/usr/bin/chromium or CHROMIUM_PATH): .ci/run installs it with apt-get',
  );
}
if (!CHROMIUM) {
  console.warn(
    'browser tests skipped: no chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)',
  );
}
const describeInBrowser = CHROMIUM ? describe : describe.skip;

describeInBrowser('the dashboard in chromium', () => {
  let fixture: Fixture;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  const problems: string[] = [];

  beforeAll(async () => {
    fixture = await makeFixture();
    app = await buildApp({
      store: fixture.store,
      launcher: new InProcessLauncher(fixture.store),
      datasets: await datasetCatalog(),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Playwright waits 30 s for an element by default: not enough for a busy machine.
    page.setDefaultTimeout(240_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await fixture?.cleanUp();
  });

  afterEach(() => {
    // Every page must load without a script error, a failed request or a CSP violation.
    expect(problems).toEqual([]);
  });

  /** Pixels that are not blank: a chart that drew something. */
  const paintedPixels = (selector: string) =>
    page.$eval(selector, (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
      return { width: c.width, height: c.height, painted };
    });

  test('the overview shows the latest run’s verdict and draws its charts and figures', async () => {
    const results = JSON.parse(
      await readFile(join(fixture.dir, 'runs', GOOD_RUN, 'results/validation_results.json'), 'utf8'),
    ) as ValidationResults;
    const report = JSON.parse(
      await readFile(join(fixture.dir, 'runs', GOOD_RUN, 'results/overfitting_report.json'), 'utf8'),
    ) as OverfittingReport;
    await page.goto(`${base}/`);
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    // One verdict, the report's: its level, then its headline, then the original rule as one line.
    const label = {
      evidence_of_skill: 'Evidence of skill',
      no_evidence_of_skill: 'No evidence of skill',
      overfit_likely: 'Overfitting likely',
      inconclusive: 'Inconclusive',
    }[report.verdict.level];
    expect(await verdict.locator('.label').textContent()).toBe(label);
    expect(await verdict.getAttribute('class')).toContain(report.verdict.tone);
    expect(await page.getByTestId('headline').textContent()).toBe(report.verdict.headline);
    expect(await verdict.textContent()).toContain(`Strategy ${results.strategy.id}`);
    expect(await verdict.textContent()).toContain(results.originalRule.explanation);
    // The tests behind it sit under the verdict, each with its p-value.
    const validationTest = report.verdict.tests.find((t) => t.id === 'validation')!;
    expect(await page.getByTestId('key-statistics').textContent()).toContain(
      `Out-of-sample Sharpep ${validationTest.pValue! < 0.001 ? '< 0.001' : validationTest.pValue!.toFixed(3)}`,
    );
    for (const chart of ['#chart-histogram', '#chart-comparison', '#chart-ratios']) {
      // The charts come after the verdict (they wait for the histogram's data): on a busy machine, later.
      await page.locator(chart).waitFor();
      let pixels = await paintedPixels(chart);
      for (let tries = 0; pixels.painted <= 1000 && tries < 50; tries++) {
        await page.waitForTimeout(200);
        pixels = await paintedPixels(chart);
      }
      expect(pixels.width).toBeGreaterThan(200);
      expect(pixels.painted).toBeGreaterThan(1000);
    }
    // Every figure of the run is shown, and decodes as an image.
    const widths = await page.$$eval('.figures img, figure.equity img', (images) =>
      Promise.all(
        images.map(async (img) => {
          const image = img as HTMLImageElement;
          image.loading = 'eager';
          await image.decode();
          return image.naturalWidth;
        }),
      ),
    );
    const plots = (await readdir(join(fixture.dir, 'runs', GOOD_RUN, 'plots'))).filter((name) => name.endsWith('.png'));
    expect(plots.length).toBeGreaterThanOrEqual(3);
    expect(widths.length).toBe(plots.length);
    expect(widths.every((w) => w > 100)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });
  }, 300_000);

  test('the run page explains the overfitting report', async () => {
    const report = JSON.parse(
      (await fixture.store.get(`runs/${GOOD_RUN}/results/overfitting_report.json`)).toString('utf8'),
    );
    await page.goto(`${base}/run.html?id=${GOOD_RUN}`);
    const section = page.getByTestId('report');
    await section.waitFor();
    const text = await section.textContent();
    expect(text).toContain(`PBO: probability of backtest overfitting${(report.pbo.pbo * 100).toFixed(1)} %`);
    expect(text).toContain(
      `Deflated Sharpe ratio of the selected strategy${(report.deflatedSharpe.value * 100).toFixed(1)} %`,
    );
    expect(text).toContain(report.verdict.findings[0]); // the original rule, with its test
    await section.screenshot({ path: join(SCREENSHOTS, 'report.png') });
  }, 300_000);

  test('the run page sorts the strategies table by a column, both ways', async () => {
    await page.goto(`${base}/run.html?id=${GOOD_RUN}`);
    await page.locator('#strategies tbody tr').first().waitFor();
    const sharpeColumn = async () => {
      const index = await page.$$eval('#strategies thead th', (cells) =>
        cells.findIndex((c) => c.getAttribute('data-sort') === 'sharpe'),
      );
      return page.$$eval(`#strategies tbody tr td:nth-child(${index + 1})`, (cells) =>
        cells.map((c) => c.textContent ?? ''),
      );
    };
    const header = page.locator('#strategies th[data-sort="sharpe"]');
    await header.click();
    await page.locator('#strategies th[data-sort="sharpe"][aria-sort="descending"]').waitFor();
    const descending = (await sharpeColumn()).filter((t) => t !== '—').map(Number);
    expect(descending.length).toBeGreaterThan(10);
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await page.locator('#strategies th[data-sort="sharpe"]').click();
    await page.locator('#strategies th[data-sort="sharpe"][aria-sort="ascending"]').waitFor();
    const ascending = (await sharpeColumn()).filter((t) => t !== '—').map(Number);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(await page.locator('#page-info').textContent()).toContain('of 120 strategies');
    // The fixture's windows (88 and 37 days of hourly bars) are too short to annualise: CAGR and Calmar are not
    // shown as yearly rates, and the page says why.
    expect(await page.getByTestId('not-annualised').textContent()).toContain(
      'CAGR and Calmar ratio are yearly rates: not shown for a window under 3 months (training: 88 days, validation: 37 days)',
    );
    for (const metric of ['CAGR', 'Calmar ratio']) {
      const row = page.locator('tr', { has: page.locator('td', { hasText: new RegExp(`^${metric}$`) }) });
      expect(await row.locator('td').allTextContents()).toEqual([metric, '— *', '— *', '—', '— *', '— *']);
    }
    // Total return and trades add up over a window: across an 88- and a 37-day window their change is not shown.
    expect(await page.getByTestId('window-totals').textContent()).toContain(
      'Total return and Trades are totals over a window; the windows differ (88 and 37 days)',
    );
    for (const metric of ['Total return', 'Trades']) {
      const row = page.locator('tr', { has: page.locator('td', { hasText: new RegExp(`^${metric}$`) }) });
      expect((await row.locator('td').allTextContents())[3]).toBe('— †');
    }
    const sharpeRow = page.locator('tr', { has: page.locator('td', { hasText: /^Sharpe ratio$/ }) });
    expect((await sharpeRow.locator('td').allTextContents())[3]).toMatch(/^[+−-]?[\d.,]+ %$|^—$/);
    // Where the numbers come from: the data fingerprint of the manifest.
    const manifest = JSON.parse((await fixture.store.get(`runs/${GOOD_RUN}/manifest.json`)).toString('utf8'));
    expect(await page.locator('#provenance').textContent()).toContain(manifest.data.sha256);
    await page.screenshot({ path: join(SCREENSHOTS, 'run-detail.png'), fullPage: true });
    await page.locator('#strategies-section').screenshot({ path: join(SCREENSHOTS, 'strategies-table.png') });
  }, 300_000);

  // 40 strategies: the page's flow is the point; the run computes in this process, under jest (200 took seconds).
  test('Try it starts a 40-strategy run, shows its progress and then its verdict', async () => {
    await page.goto(`${base}/try.html`);
    await page.locator('#dataset option[value="synthetic-quick"]').waitFor({ state: 'attached' });
    await page.fill('#strategies', '40');
    await page.fill('#nullMarkets', '1');
    await page.selectOption('#dataset', 'synthetic-quick');
    await page.click('#start');
    await page.getByTestId('progress').waitFor();
    const link = page.getByTestId('run-link');
    await link.waitFor({ timeout: 240_000 });
    expect(await page.locator('#result [data-testid="verdict"] .label').textContent()).toMatch(
      /^(Evidence of skill|No evidence of skill|Overfitting likely|Inconclusive)$/,
    );
    expect(await page.getByTestId('progress-text').textContent()).toBe('');
    await page.screenshot({ path: join(SCREENSHOTS, 'try-it.png'), fullPage: true });

    // The run is in the store, committed, with the settings from the form.
    const runId = new URL((await link.getAttribute('href'))!, base).searchParams.get('id')!;
    const manifest = JSON.parse(await readFile(join(fixture.dir, 'runs', runId, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      status: 'succeeded',
      config: { strategies: 40, nullMarkets: 1 },
      data: { rows: 3000, synthetic: true },
    });
  }, 300_000);

  test('an empty store says how to make a run; a server with a token asks for it and refuses without', async () => {
    const empty = await makeEmptyFixture();
    const guarded = await buildApp({
      store: empty.store,
      launcher: new InProcessLauncher(empty.store),
      datasets: await datasetCatalog(),
      runTriggerToken: 'a-long-enough-secret-token',
    });
    await guarded.listen({ host: '127.0.0.1', port: 0 });
    const guardedBase = `http://127.0.0.1:${(guarded.server.address() as AddressInfo).port}`;
    try {
      await page.goto(`${guardedBase}/`);
      await page.locator('#run-caption', { hasText: 'No run has finished yet' }).waitFor();

      await page.goto(`${guardedBase}/try.html`);
      await page.locator('#token-fieldset:not([hidden])').waitFor();
      // the bounds come from the run config's schema through /api/options (1 to 1,000,000)
      await page.fill('#strategies', '0');
      await page.click('#start');
      await page.locator('#result .error', { hasText: 'from 1 to 1,000,000' }).waitFor();
      await page.fill('#strategies', '50');
      // The browser logs the refused request itself; that one console line is expected here.
      const before = problems.length;
      await page.click('#start');
      await page.locator('#result .error', { hasText: 'needs the right run token' }).waitFor();
      problems.push(...problems.splice(before).filter((p) => !p.includes('status of 401')));
      expect(await empty.store.list('runs/')).toEqual([]);
    } finally {
      await guarded.close();
      await empty.cleanUp();
    }
  }, 300_000);

  test('after the Try it run, the runs page compares the two runs; a failed run explains itself; learn draws its chart', async () => {
    await page.goto(`${base}/runs.html`);
    await page.locator('#runs-table tbody tr').first().waitFor();
    const boxes = page.locator('#runs-table input[type="checkbox"]:not([disabled])');
    expect(await boxes.count()).toBe(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.click('#compare');
    await page.locator('#comparison-table').waitFor();
    expect(await page.locator('#comparison-table thead th').count()).toBe(3);
    await page.screenshot({ path: join(SCREENSHOTS, 'runs.png'), fullPage: true });

    // The pages read the metric names from the server (they have no build step): the engine's.
    // (A string: compiled for jest, an import() in a function would become a require().)
    const copied = await page.evaluate(
      "import('/js/metrics.js').then((m) => ({ labels: m.METRIC_LABELS, fields: m.SELECTION_FIELDS }))",
    );
    expect(copied).toEqual({ labels: METRIC_LABELS, fields: SELECTION_METRIC_FIELDS });
    // Which metrics are percentages comes from the server (/api/options), not from a copy in the pages.
    const formatted = await page.evaluate(
      "import('/js/metrics.js').then((m) => [m.formatMetric('winRate', 0.5), m.formatMetric('sharpe', 0.5)])",
    );
    expect(formatted).toEqual(['50.0 %', '0.50']);
    // The one header, drawn by header.js, marks the section (a run's page is under Runs).
    const currentSection = () => page.locator('header.top nav a.current').allTextContents();
    expect(await currentSection()).toEqual(['Runs']);

    await page.goto(`${base}/run.html?id=${FAILED_RUN}`);
    await page.locator('.verdict', { hasText: 'Run failed' }).waitFor();
    expect(await page.locator('.verdict').textContent()).toContain('backtest: the disk was full');
    expect(await currentSection()).toEqual(['Runs']);
    expect(await page.locator('header.top nav a').allTextContents()).toEqual(['Overview', 'Runs', 'Try it', 'Learn']);

    await page.goto(`${base}/learn.html`);
    await page.locator('#chart-expected-max').waitFor();
    expect(await currentSection()).toEqual(['Learn']);
    expect((await paintedPixels('#chart-expected-max')).painted).toBeGreaterThan(1000);
    await page.screenshot({ path: join(SCREENSHOTS, 'learn.png'), fullPage: true });
  }, 300_000);

  // Issue 15: no page is wider than a 390 px phone or a 1,280 px desktop; what is wider (a table) scrolls in its own
  // box; the header's background spans the page; every figure opens full size.
  test('every page fits a 390 px phone and a 1,280 px desktop without sideways scrolling', async () => {
    const pages = [
      { path: '/', ready: '#chart-histogram' },
      { path: '/runs.html', ready: '#runs-table' },
      { path: `/runs.html?compare=${GOOD_RUN},${GOOD_RUN}`, ready: '#comparison-table' },
      { path: `/run.html?id=${GOOD_RUN}`, ready: '#strategies tbody tr' },
      { path: `/run.html?id=${FAILED_RUN}`, ready: '.verdict' },
      { path: '/try.html', ready: '#dataset option' },
      { path: '/learn.html', ready: '#chart-expected-max' },
    ];
    const measured: string[] = [];
    for (const width of [390, 1280]) {
      const sized = await browser.newPage({ viewport: { width, height: 900 } });
      sized.setDefaultTimeout(240_000);
      sized.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      try {
        for (const { path, ready } of pages) {
          await sized.goto(`${base}${path}`);
          await sized.locator(ready).first().waitFor({ state: 'attached' });
          await sized.waitForLoadState('networkidle');
          const layout = await sized.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            header: document.querySelector('header.top')!.getBoundingClientRect().width,
            // Elements sticking out of the page, not counting what scrolls inside a table's box.
            outside: Array.from(document.querySelectorAll('body *'))
              .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('.table-wrap'))
              .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}`),
            // Wider tables scroll in their box, which is no wider than the page.
            boxes: Array.from(document.querySelectorAll('.table-wrap')).map((box) => ({
              width: box.getBoundingClientRect().right,
              scrolls: getComputedStyle(box).overflowX,
              overflow: box.scrollWidth - box.clientWidth,
              table: box.querySelector('table')?.id ?? box.id,
            })),
          }));
          measured.push(`${width} ${path}: ${layout.scrollWidth}`);
          expect({ width, path, ...layout, boxes: undefined }).toEqual({
            width,
            path,
            scrollWidth: width,
            innerWidth: width,
            header: width,
            outside: [],
            boxes: undefined,
          });
          for (const box of layout.boxes) {
            expect(box.width).toBeLessThanOrEqual(width);
            expect(box.scrolls).toBe('auto');
            // On a desktop every table fits as it is (the Runs table's "Change", the strategies' last column).
            if (width === 1280) expect([path, box.table, box.overflow]).toEqual([path, box.table, 0]);
          }
          if (width === 390 && path === '/') await sized.screenshot({ path: join(SCREENSHOTS, 'overview-phone.png') });
        }
        // Every figure is a link to its PNG: a tap opens it full size.
        await sized.goto(`${base}/run.html?id=${GOOD_RUN}`);
        await sized.locator('.figures img').first().waitFor({ state: 'attached' });
        const links = await sized.$$eval('.figures img, figure.equity img', (images) =>
          images.map((img) => [img.closest('a')?.getAttribute('href'), img.getAttribute('src')]),
        );
        expect(links.length).toBeGreaterThanOrEqual(3);
        for (const [href, src] of links) expect(href).toBe(src);
      } finally {
        await sized.close();
      }
    }
    expect(measured).toHaveLength(2 * pages.length);
  }, 600_000);

  test('a run in validate shows the step and moves the bar within the stage; a refused setting names the field', async () => {
    // A launcher with a scripted status (the pipeline's validate events, as the in-process launcher keeps them).
    const scripted = new RecordingLauncher();
    const RUN = '20260301T000000Z-000009';
    let status: RunProgress = {
      runId: RUN,
      state: 'running',
      stage: 'validate',
      backtest: { done: 120, total: 120 },
      validate: { step: 'null markets', done: 3, total: 10 },
      error: null,
      startedAt: '2026-03-01T00:00:00.000Z',
      finishedAt: null,
    };
    scripted.status = async (runId) => (runId === RUN ? status : null);
    const watched = await buildApp({ store: fixture.store, launcher: scripted, datasets: await datasetCatalog() });
    await watched.listen({ host: '127.0.0.1', port: 0 });
    const watchedBase = `http://127.0.0.1:${(watched.server.address() as AddressInfo).port}`;
    try {
      await page.goto(`${watchedBase}/run.html?id=${RUN}`);
      const text = page.getByTestId('progress-text');
      await page.locator('[data-testid="progress-text"]', { hasText: 'validate' }).waitFor();
      expect(await text.textContent()).toBe('Stage 4 of 5: validate (null markets, 30 % of validation done)');
      // Stage 4 of 5 with 3 of 10 of validate done: (3 + 0.3) / 5 of the way.
      expect(await page.$eval('progress', (bar) => (bar as HTMLProgressElement).value)).toBeCloseTo(0.66, 5);
      status = { ...status, validate: { step: 'walk-forward', done: 8, total: 10 } };
      await page.locator('[data-testid="progress-text"]', { hasText: 'walk-forward' }).waitFor();
      expect(await page.$eval('progress', (bar) => (bar as HTMLProgressElement).value)).toBeCloseTo(0.76, 5);
      status = { ...status, state: 'failed', error: 'validate: stopped by the test', finishedAt: status.startedAt };
      await page.locator('.error', { hasText: 'stopped by the test' }).waitFor();

      // The server's refusal in the form's own words: its label, then the problem.
      await page.goto(`${watchedBase}/try.html`);
      await page.locator('#dataset option').first().waitFor({ state: 'attached' });
      await page.fill('#trainFraction', '1.5');
      // The browser logs the refused request itself; that one console line is expected here.
      const before = problems.length;
      await page.click('#start');
      await page.locator('#result .error').waitFor();
      problems.push(...problems.splice(before).filter((p) => !p.includes('status of 400')));
      expect(await page.locator('#result .error').textContent()).toBe('Training share must be less than 1');
      expect(scripted.requests).toEqual([]);
    } finally {
      await watched.close();
    }
  }, 300_000);
});
