// The overfit binary as a user runs it: the built bundle in a child process, its stdout, stderr and exit code.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parsePerformanceTable } from '@overfit/store';
import { cliTempRootWithPrices, expectQuietSuccess, flags, overfitIn } from './spawnCli';

const SHARED_HOURLY = resolve(__dirname, '../../../../shared/data/btc_usd_1h.csv');
const EVENTS = resolve(__dirname, '../events');

const overfit = (args: string[], cwd = root) => overfitIn(cwd, args);

let root: string;
let prices: string;
beforeAll(async () => {
  ({ root, prices } = await cliTempRootWithPrices('overfit-cli-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('overfit run', () => {
  it('prints the summary as one JSON object and writes the run', async () => {
    const result = await overfit([
      'run',
      ...flags({ data: prices, strategies: 40, 'null-markets': 1, store: 'store-json', json: true }),
    ]);
    expectQuietSuccess(result);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ strategies: 40, selectBy: 'win_rate', data: { synthetic: false, rows: 3000 } });
    expect(['evidence_of_skill', 'no_evidence_of_skill', 'overfit_likely', 'inconclusive']).toContain(
      summary.verdict.level,
    );
    expect(summary.verdict.headline).toMatch(/for buy-and-hold\.$/);
    expect(['overfit', 'held_up', 'inconclusive']).toContain(summary.originalRule.verdict);
    expect(Object.keys(summary.training)).toEqual(
      expect.arrayContaining(['winRate', 'sharpe', 'maxDrawdown', 'profitFactor']),
    );
    for (const artifact of summary.artifacts) expect(existsSync(artifact)).toBe(true);
    expect(summary.artifacts).toHaveLength(14);
    expect(Object.keys(summary.verdict)).toEqual([
      'level',
      'headline',
      'tone',
      'pValue',
      'tests',
      'pbo',
      'deflatedSharpe',
      'effectiveTrials',
      'nullMarkets',
    ]);
    expect(summary.verdict.tests.map((t: { id: string }) => t.id)).toEqual([
      'validation',
      'deflated_sharpe',
      'null_markets',
      'pbo',
      'reality_check',
      'spa',
      'walk_forward',
    ]);
    expect(JSON.parse(await readFile(join(root, 'store-json/latest.json'), 'utf8'))).toEqual({ runId: summary.runId });
  }, 300_000); // a whole run in a child process

  it('falls back to the synthetic market without data and says so, in the output and the manifest', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'overfit-empty-'));
    const { code, stdout } = await overfit(['run', '--strategies', '30', '--null-markets', '1'], cwd);
    expect(code).toBe(0);
    expect(stdout).toMatch(/SYNTHETIC: no real data/);
    expect(stdout).toMatch(/^Verdict: (EVIDENCE OF SKILL|NO EVIDENCE OF SKILL|OVERFITTING LIKELY|INCONCLUSIVE)$/m);
    expect(stdout).toMatch(/^The original rule: win_rate /m);
    // Each test of "it is luck" with its p-value and what it is about.
    expect(stdout).toMatch(
      /^ {2}Out-of-sample Sharpe +p (\d\.\d{3}|< 0\.001) +(rejects luck|luck fits) +the selected strategy \(s\d+\)/m,
    );
    expect(stdout).toMatch(/^ {2}Deflated Sharpe +p (\d\.\d{3}|< 0\.001)/m);
    expect(stdout).toMatch(/^ {2}Hansen's SPA +p \d\.\d{3}/m);
    expect(stdout).toMatch(
      /^ {2}Null markets +p (0\.500|1\.000) +luck fits +the whole selection repeated on 1 market with no edge/m,
    );
    const { runId } = JSON.parse(await readFile(join(cwd, '.overfit/latest.json'), 'utf8'));
    const manifest = JSON.parse(await readFile(join(cwd, '.overfit/runs', runId, 'manifest.json'), 'utf8'));
    expect(manifest.data.synthetic).toBe(true);
    await rm(cwd, { recursive: true, force: true });
  }, 300_000); // a whole run in a child process
});

describe('overfit run on real data', () => {
  (existsSync(SHARED_HOURLY) ? it : it.skip)(
    'runs 100 strategies on the hourly BTC history and writes every artifact',
    async () => {
      // The real file, its windows and every artifact are the point, not the size: 100 strategies and 2 null markets
      // take 3 s of CPU where the defaults (500 and 19) took 18 s.
      const result = await overfit([
        'run',
        ...flags({ data: SHARED_HOURLY, strategies: 100, 'null-markets': 2, store: 'store-real', json: true }),
      ]);
      expectQuietSuccess(result);
      const summary = JSON.parse(result.stdout);
      expect(summary.data).toMatchObject({
        synthetic: false,
        rows: 71_214,
        sha256: '7724cb0760b5dfa0de9d9a0e01d8a597a143ae3091bcd6bbe9b9a8a692a60022',
      });
      const names = summary.artifacts.map((a: string) => a.split('/').slice(-2).join('/')).sort();
      expect(names).toEqual([
        'plots/equity_curve.png',
        'plots/expected_max_sharpe.png',
        'plots/is_vs_oos_scatter.png',
        'plots/pbo_logits.png',
        'plots/performance_comparison.png',
        'plots/walk_forward_equity.png',
        'plots/win_rate_histogram.png',
        'results/best_strategy.json',
        'results/block_moments.bin',
        'results/overfitting_report.json',
        'results/training_performance.csv',
        'results/validation_performance.csv',
        'results/validation_results.json',
        'strategies/strategies.json',
      ]);
      for (const artifact of summary.artifacts) expect(existsSync(artifact)).toBe(true);
      const trainingTable = summary.artifacts.find((a: string) => a.endsWith('training_performance.csv'));
      const table = parsePerformanceTable(await readFile(trainingTable, 'utf8'), trainingTable);
      expect(table.ids).toHaveLength(100);
      // Training is the first 70 % of bars; the selected strategy is eligible and has the top win rate of the CSV.
      const validation = JSON.parse(
        await readFile(
          summary.artifacts.find((a: string) => a.endsWith('validation_results.json')),
          'utf8',
        ),
      );
      expect(validation.windows.training).toMatchObject({ start: 0, end: 49_849, first: '2017-08-17T04:00:00.000Z' });
      expect(validation.windows.validation).toMatchObject({
        start: 49_849,
        end: 71_214,
        last: '2025-10-06T17:00:00.000Z',
      });
      const eligible = [...table.columns.winRate].filter((_, i) => table.columns.trades[i] >= 10);
      expect(eligible.length).toBeGreaterThan(0);
      expect(summary.training.winRate).toBe(Math.max(...eligible));
    },
    600_000,
  );
});

describe('overfit backtest', () => {
  it('backtests one strategy on a time window and prints bars and metrics as JSON', async () => {
    const strategy = JSON.stringify({ family: 'sma_cross', fast: 5, slow: 20, direction: 'long_only' });
    const result = await overfit([
      'backtest',
      ...flags({ data: prices, strategy, from: '2020-01-10T00:00:00Z', to: '2020-01-20T23:00:00Z', json: true }),
    ]);
    expectQuietSuccess(result);
    const out = JSON.parse(result.stdout);
    expect(out.bars).toBe(11 * 24);
    expect(Object.keys(out.metrics).sort()).toEqual([
      'cagr',
      'calmar',
      'exposure',
      'hitRate',
      'maxDrawdown',
      'profitFactor',
      'sharpe',
      'sortino',
      'totalReturn',
      'trades',
      'winRate',
    ]);
  });
});

describe('overfit stage', () => {
  it('runs the five example events in order, like the Lambdas would', async () => {
    const outputs: Record<string, unknown>[] = [];
    for (const stage of ['generate', 'backtest', 'select', 'validate', 'visualize']) {
      const result = await overfit([
        'stage',
        stage,
        ...flags({ event: join(EVENTS, `${stage}.json`), store: 'events-store' }),
      ]);
      expectQuietSuccess(result);
      outputs.push(JSON.parse(result.stdout));
    }
    expect(outputs[0]).toEqual({
      strategiesKey: 'runs/example/strategies/strategies.json',
      count: 50,
      shards: [{ index: 0, start: 0, end: 50 }],
      maxConcurrency: 10,
    });
    expect(outputs[4]).toEqual({ plotKeys: expect.arrayContaining(['runs/example/plots/equity_curve.png']) });
    expect(existsSync(join(root, 'events-store/runs/example/results/validation_results.json'))).toBe(true);
  });
});

describe('overfit data inspect', () => {
  (existsSync(SHARED_HOURLY) ? it : it.skip)('reports the real hourly history as JSON', async () => {
    const { code, stdout } = await overfit(['data', 'inspect', SHARED_HOURLY, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      rows: 71_214,
      first: '2017-08-17T04:00:00.000Z',
      spacingSeconds: 3600,
      gaps: { count: 28, missingBars: 128 },
    });
  });
});
