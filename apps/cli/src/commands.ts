// The overfit commands. Each returns the text for stdout; errors propagate to main, which prints one line.
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  assertCosts,
  backtestStrategy,
  createMarket,
  InputError,
  isStageName,
  METRIC_LABELS,
  parseStrategy,
  SELECTION_METRIC_FIELDS,
  STAGE_NAMES,
} from '@overfit/core';
import { cachedPriceLoader, describeDataRef } from '@overfit/data';
import {
  applyGc,
  DEFAULT_GC_MIN_AGE_MS,
  formatBytes,
  LocalStore,
  openStore,
  planGc,
  type GcItem,
} from '@overfit/store';
import { STAGE_DEFINITIONS, type RunSummary } from '@overfit/pipeline';
import { runOnEngine } from './engines';
import {
  dataRefFromFlags,
  DEFAULT_DATA_PATH,
  numberFlag,
  parse,
  RUN_OPTIONS,
  runConfigFromFlags,
  timeFlag,
} from './flags';
import { metricsTable, overfittingHeadline, overfittingLines, progressBar, table, verdictLines } from './format';

type Args = string[];

export async function runCommand(args: Args): Promise<string> {
  const { values } = parse(args, RUN_OPTIONS);
  const config = runConfigFromFlags(values);
  const bar = progressBar('backtest');
  const started = performance.now();
  const summary = await runOnEngine(
    values,
    config,
    () => dataRefFromFlags(values.data, config.seed, values),
    (event) => {
      if (event.kind === 'backtest') bar.update(event.done, event.total);
    },
  );
  bar.end();
  const elapsedMs = Math.round(performance.now() - started);
  return values.json
    ? JSON.stringify({ ...summaryObject(summary), elapsedMs }, null, 2)
    : formatSummary(summary, elapsedMs);
}

function summaryObject(s: RunSummary) {
  const r = s.results;
  return {
    runId: s.runId,
    runFolder: inStore(s.store, `runs/${s.runId}`),
    data: s.data,
    config: s.config,
    strategies: s.config.strategies,
    eligible: s.eligible,
    best: r.strategy,
    selectBy: r.selectBy,
    training: r.training,
    validation: r.validation,
    buyAndHold: r.buyAndHold,
    selection: r.selection,
    verdict: s.overfitting ? overfittingHeadline(s.overfitting) : null,
    overfitThreshold: r.overfitThreshold,
    originalRule: r.originalRule,
    artifacts: s.artifacts.map((key) => inStore(s.store, key)),
    timings: s.timings,
  };
}

/** Where a key is: a path in a folder store, s3://bucket/prefix/key in a bucket. */
const inStore = (location: string, key: string): string =>
  location.startsWith('s3://') ? `${location}/${key}` : join(location, ...key.split('/'));

/** A path under the working directory is shown relative to it: shorter, and what the user would type. */
const shortPath = (path: string): string =>
  path.startsWith(process.cwd() + sep) ? relative(process.cwd(), path) : path;

function formatSummary(s: RunSummary, elapsedMs: number): string {
  const r = s.results;
  const { id, family, direction, ...params } = r.strategy;
  const field = SELECTION_METRIC_FIELDS[r.selectBy];
  const w = r.windows;
  const lines = [
    `Overfitting Lab — run ${s.runId}`,
    '',
    ...(s.overfitting ? [...verdictLines(s.overfitting), ''] : []),
    table(
      [
        [
          'Data',
          s.data.synthetic
            ? `${s.data.source} — SYNTHETIC: no real data (looked for ${DEFAULT_DATA_PATH}; pass --data file.csv)`
            : s.data.source,
        ],
        [
          'Bars',
          `${s.data.rows} from ${s.data.first} to ${s.data.last}; training ${w.training.bars} (to ${w.training.last}), validation ${w.validation.bars}`,
        ],
        [
          'Tested',
          `${s.config.strategies} random strategies, ${s.eligible} with ≥ ${s.config.minTrades} trades eligible; selected by ${METRIC_LABELS[field].toLowerCase()}`,
        ],
        ['Best', `${id}  ${family}  ${direction}  ${JSON.stringify(params)}`],
      ],
      'text',
    ),
    '',
    metricsTable([
      { title: 'training', metrics: r.training },
      { title: 'validation', metrics: r.validation },
      { title: 'buy&hold train', metrics: r.buyAndHold.training },
      { title: 'buy&hold valid.', metrics: r.buyAndHold.validation },
    ]),
    '',
    ...(s.overfitting
      ? [...overfittingLines(s.overfitting), '']
      : [`Original rule: ${r.originalRule.explanation}`, '']),
    `Artifacts: ${shortPath(inStore(s.store, `runs/${s.runId}`))}/ (${s.artifacts.map((k) => k.split('/').pop()).join(', ')})`,
    `Took ${(elapsedMs / 1000).toFixed(1)} s (${Object.entries(s.timings)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ')})`,
  ];
  return lines.join('\n');
}

export async function backtestCommand(args: Args): Promise<string> {
  const { values } = parse(args, {
    data: { type: 'string' },
    strategy: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'fees-bps': { type: 'string' },
    'slippage-bps': { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (!values.strategy)
    throw new InputError(
      `needs a strategy as JSON, e.g. '{"family":"sma_cross","fast":10,"slow":50,"direction":"long_only"}'`,
      '--strategy',
    );
  let record: unknown;
  try {
    record = JSON.parse(values.strategy);
  } catch (error) {
    throw new InputError(`is not valid JSON (${(error as Error).message})`, '--strategy', { cause: error });
  }
  if (record && typeof record === 'object' && !('id' in record)) record = { id: 'cli', ...record };
  const strategy = parseStrategy(record, '--strategy');
  const ref = dataRefFromFlags(values.data);
  const { series } = await cachedPriceLoader()(ref);
  const n = series.time.length;
  const from = timeFlag(values.from, '--from') ?? series.time[0];
  const to = timeFlag(values.to, '--to') ?? series.time[n - 1];
  let start = 0;
  while (start < n && series.time[start] < from) start++;
  let end = start;
  while (end < n && series.time[end] <= to) end++;
  if (end - start < 2)
    throw new InputError(
      `the window ${values.from ?? 'start'} … ${values.to ?? 'end'} holds ${end - start} bars of ${describeDataRef(ref)}; it needs at least 2`,
      '--from/--to',
    );
  const costs = {
    feesBps: numberFlag(values['fees-bps'], '--fees-bps') ?? 10,
    slippageBps: numberFlag(values['slippage-bps'], '--slippage-bps') ?? 0,
  };
  assertCosts(costs.feesBps, costs.slippageBps, '--fees-bps/--slippage-bps');
  const metrics = backtestStrategy(strategy, createMarket(series), { start, end }, costs);
  if (values.json) return JSON.stringify({ bars: end - start, metrics }, null, 2);
  const firstBar = new Date(series.time[start]).toISOString();
  const lastBar = new Date(series.time[end - 1]).toISOString();
  return [
    `${strategy.family} ${JSON.stringify(strategy)} on ${describeDataRef(ref)}`,
    `${end - start} bars from ${firstBar} to ${lastBar}; costs ${costs.feesBps} + ${costs.slippageBps} bps`,
    '',
    metricsTable([{ title: 'value', metrics }]),
  ].join('\n');
}

export async function stageCommand(args: Args): Promise<string> {
  const { values, positionals } = parse(
    args,
    { event: { type: 'string' }, store: { type: 'string', default: '.overfit' }, 's3-endpoint': { type: 'string' } },
    1,
  );
  const name = positionals[0];
  if (!name || !isStageName(name))
    throw new InputError(`must be one of ${STAGE_NAMES.join(', ')} (got ${JSON.stringify(name ?? '')})`, 'stage');
  if (!values.event)
    throw new InputError('needs the path of an event JSON file (examples: apps/cli/events/)', '--event');
  let event: unknown;
  try {
    event = JSON.parse(await readFile(values.event, 'utf8'));
  } catch (error) {
    throw new InputError(`cannot read the event: ${(error as Error).message}`, values.event, { cause: error });
  }
  const store = openStore(values.store, { s3Endpoint: values['s3-endpoint'] });
  const deps = { store, loadPrices: cachedPriceLoader(store) };
  const stage = STAGE_DEFINITIONS[name];
  const output = await stage.run(stage.parseEvent(event), deps);
  return JSON.stringify(output, null, 2);
}

const GC_LABELS: Record<GcItem['kind'], string> = {
  'orphan-run': 'orphan run folder',
  'failed-run-files': 'failed run’s files',
  'temp-file': 'temp file',
};

function describeAge(ms: number): string {
  const hours = ms / 3600_000;
  return hours >= 48
    ? `${Math.floor(hours / 24)} days`
    : hours >= 1
      ? `${Math.floor(hours)} h`
      : `${Math.max(0, Math.floor(ms / 60_000))} min`;
}

function gcLine(item: GcItem): string {
  const what =
    item.kind === 'orphan-run'
      ? `no manifest, last written ${describeAge(item.ageMs)} ago; ${item.files} files`
      : item.kind === 'failed-run-files'
        ? `${item.files} intermediate files; manifest.json kept`
        : `${describeAge(item.ageMs)} old`;
  return `  ${GC_LABELS[item.kind].padEnd(19)} ${item.key}  (${what}, ${formatBytes(item.bytes)})`;
}

/**
 * `overfit store gc`: what crashes and failed runs left in a folder store — run folders without a manifest older
 * than --min-age-hours (a run may still be writing a younger one), `*.tmp` files of interrupted writes, and the
 * intermediates of failed runs (their manifest stays). A dry run unless --apply.
 */
export async function storeCommand(args: Args): Promise<string> {
  const { values, positionals } = parse(
    args,
    {
      store: { type: 'string', default: '.overfit' },
      apply: { type: 'boolean', default: false },
      'min-age-hours': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    1,
  );
  if (positionals[0] !== 'gc')
    throw new InputError(`must be gc (got ${JSON.stringify(positionals[0] ?? '')})`, 'overfit store');
  const store = openStore(values.store);
  if (!(store instanceof LocalStore)) {
    throw new InputError(
      'gc cleans a folder store; for a bucket, an S3 lifecycle rule expires incomplete runs',
      '--store',
    );
  }
  const hours = numberFlag(values['min-age-hours'], '--min-age-hours');
  if (hours !== undefined && !(hours >= 0))
    throw new InputError(`must be a number of hours ≥ 0 (got "${values['min-age-hours']}")`, '--min-age-hours');
  const minAgeMs = hours === undefined ? DEFAULT_GC_MIN_AGE_MS : hours * 3600_000;
  const plan = await planGc(store, { minAgeMs });
  const removed = values.apply ? await applyGc(store, plan) : [];
  if (values.json)
    return JSON.stringify(
      {
        store: plan.store,
        applied: values.apply,
        minAgeHours: minAgeMs / 3600_000,
        items: values.apply ? removed : plan.items,
        bytes: plan.bytes,
      },
      null,
      2,
    );
  const where = shortPath(plan.store);
  if (plan.items.length === 0)
    return `Nothing to collect in ${where} (orphan run folders and temp files younger than ${describeAge(minAgeMs)} are left alone).`;
  const lines = plan.items.map(gcLine);
  const total = `${plan.items.length} item${plan.items.length === 1 ? '' : 's'}, ${plan.files} files, ${formatBytes(plan.bytes)}`;
  return values.apply
    ? [`Removed from ${where}: ${total}.`, ...removed.map(gcLine)].join('\n')
    : [`${where}: ${total} can be removed (dry run: nothing was removed; add --apply to remove them).`, ...lines].join(
        '\n',
      );
}

export const HELP = `overfit — demonstrate and measure backtest overfitting

Usage:
  overfit run [--data file.csv] [--format auto|generic|yahoo|binance|dukascopy|close_only] [--lenient] [--resample 1h]
              [--strategies 500] [--seed 42] [--families a,b] [--train-fraction 0.7]
              [--select-by win_rate] [--min-trades 10] [--fees-bps 10] [--slippage-bps 0]
              [--overfit-threshold 0.15] [--null-markets 19] [--store .overfit | s3://bucket/prefix] [--json]
              [--engine local|stepfunctions-local] [--s3-endpoint URL] [--data-key data/x.csv]
              [--shard-size 1000] [--max-concurrency 10]
  overfit backtest [--data file.csv] --strategy '<json>' [--from ISO] [--to ISO] [--fees-bps 10] [--slippage-bps 0] [--json]
  overfit stage <${STAGE_NAMES.join('|')}> --event event.json [--store .overfit] [--s3-endpoint URL]
  overfit store gc [--store .overfit] [--apply] [--min-age-hours 24] [--json]
  overfit data inspect file.csv [--json] [--lenient] [--format auto|generic|yahoo|binance|dukascopy|close_only] [--resample 1h]
  overfit data fetch --exchange binance|coinbase --symbol BTCUSDT --interval 1h --from 2018-01-01 [--to 2024-12-31]
                     [--out ${DEFAULT_DATA_PATH}] [--attempts 6] [--base-url URL] [--json]
  overfit data synth --model gbm|garch|bootstrap [--like file.csv] [--bars N] [--interval 1h] [--seed 42] --out f.csv
                     [--volatility 0.65] [--block-length L] [--start 2020-01-01] [--json]
  overfit bench [--data file.csv] [--strategies 500] [--families a,b] [--workers k] [--seed 42] [--repeats 3] [--json]
  overfit cloud start --state-machine-arn ARN [--strategies N …] [--data-key data/x.csv] [--shard-size N]
                      [--max-concurrency N] [--region R] [--wait] [--json]
  overfit cloud status EXECUTION_ARN [--region R] [--json]

Without --data, run uses ${DEFAULT_DATA_PATH} when present, otherwise a seeded synthetic market (and says so).
Selection metrics: ${Object.keys(SELECTION_METRIC_FIELDS).join(', ')}.`;
