// `overfit data inspect|fetch|synth`: look at a price file, download one from an exchange, or make a null market.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError, type PriceSeries } from '@overfit/core';
import {
  EXCHANGES,
  fetchPrices,
  formatInterval,
  loadPrices,
  parseInterval,
  readPriceCsv,
  SYNTH_MODELS,
  assertTradableSeries,
  synthesizeMarketLike,
  syntheticMarket,
  writePriceCsv,
  type LoadedPrices,
  type SynthesizedMarket,
  type SynthModel,
} from '@overfit/data';
import { formatDataReport } from './dataReport';
import { csvOptionsFromFlags } from './flags';
import { progressBar } from './format';
import { CSV_FLAGS, DEFAULT_DATA_PATH, JSON_FLAG, type CommandSpec } from './optionTable';
import type { FlagValues } from './parseFlags';

export const DATA_INSPECT_SPEC: CommandSpec = {
  name: 'data inspect',
  summary: 'the data report of a price file: layout, rows, range, spacing, gaps, problems',
  positionals: [{ name: 'FILE', description: 'the price CSV' }],
  flags: [JSON_FLAG, ...CSV_FLAGS],
};

export const DATA_FETCH_SPEC: CommandSpec = {
  name: 'data fetch',
  summary: 'download real history from an exchange (continues --out), then print its data report',
  flags: [
    { name: 'exchange', type: 'choice', value: 'X', default: 'binance', choices: EXCHANGES, description: 'where from' },
    {
      name: 'symbol',
      type: 'string',
      value: 'S',
      description: 'the market (default BTCUSDT on binance, BTC-USD on coinbase)',
    },
    {
      name: 'interval',
      type: 'string',
      value: 'BAR',
      default: '1h',
      description: 'bar length the exchange serves, e.g. 1h',
    },
    {
      name: 'from',
      type: 'date',
      value: 'DATE',
      description: 'first bar (required unless --out exists: then after its last)',
    },
    { name: 'to', type: 'date', value: 'DATE', description: 'last bar (default: the last complete one)' },
    {
      name: 'out',
      type: 'string',
      value: 'FILE',
      default: DEFAULT_DATA_PATH,
      description: 'the CSV to write or continue',
    },
    { name: 'attempts', type: 'integer', value: 'N', default: 6, min: 1, max: 20, description: 'tries per request' },
    { name: 'base-url', type: 'string', value: 'URL', description: 'another server speaking the exchange’s API' },
    JSON_FLAG,
  ],
  notes: ['Example: overfit data fetch --exchange binance --symbol BTCUSDT --interval 1h --from 2018-01-01'],
};

export const DATA_SYNTH_SPEC: CommandSpec = {
  name: 'data synth',
  summary: 'write a seeded null market: a random walk, or GARCH or a block bootstrap fitted to a real file',
  flags: [
    {
      name: 'model',
      type: 'choice',
      value: 'M',
      default: 'gbm',
      choices: SYNTH_MODELS,
      description: 'how prices move',
    },
    { name: 'like', type: 'string', value: 'FILE', description: 'the real history to imitate (garch, bootstrap)' },
    { name: 'bars', type: 'integer', value: 'N', min: 2, max: 10_000_000, description: 'bars (default: as --like)' },
    { name: 'interval', type: 'string', value: 'BAR', description: 'bar length without --like (default 1h)' },
    { name: 'seed', type: 'integer', value: 'N', default: 42, min: 0, max: 0xffffffff, description: 'random seed' },
    { name: 'out', type: 'string', value: 'FILE', description: 'the CSV to write (required)' },
    { name: 'volatility', type: 'number', value: 'V', default: 0.65, min: 0, max: 100, description: 'annual, gbm' },
    { name: 'block-length', type: 'number', value: 'L', min: 1, description: 'mean block length in bars, bootstrap' },
    { name: 'start', type: 'date', value: 'DATE', description: 'first bar time without --like' },
    JSON_FLAG,
  ],
};

export async function inspectCommand(values: FlagValues, positionals: string[]): Promise<string> {
  const path = positionals[0];
  if (!path) throw new InputError('needs a CSV file: overfit data inspect file.csv [--json]', 'data inspect');
  const { source, report } = await loadPrices({ kind: 'file', path, ...csvOptionsFromFlags(values) });
  if (values.boolean('json'))
    return JSON.stringify({ file: path, layout: source.layout, sha256: source.sha256, ...report }, null, 2);
  const resample = values.string('resample');
  return formatDataReport(report, `${path} (${source.layout} layout${resample ? `, resampled to ${resample}` : ''})`);
}

export async function fetchCommand(values: FlagValues): Promise<string> {
  const exchange = values.string('exchange') as string;
  const interval = values.string('interval') as string;
  const out = values.string('out') as string;
  const json = values.boolean('json');
  const symbol = values.string('symbol') ?? (exchange === 'coinbase' ? 'BTC-USD' : 'BTCUSDT');
  await mkdir(dirname(out), { recursive: true });
  const bar = progressBar(json);
  const result = await fetchPrices({
    exchange,
    symbol,
    interval,
    out,
    baseUrl: values.string('base-url'),
    maxAttempts: values.number('attempts'),
    from: values.number('from'),
    to: values.number('to'),
    onProgress: (done, total) => bar.update(`fetch ${symbol} ${interval}`, done, total),
  }).finally(() => bar.end());
  const { written, added, missing, resumedAfter, requests } = result;
  if (json)
    return JSON.stringify(
      { out, exchange, symbol, interval, added, missing, resumedAfter, requests, ...written.report },
      null,
      2,
    );
  const what =
    added === 0
      ? `${out} is up to date (last bar ${resumedAfter})`
      : `Fetched ${added} ${interval} bars of ${symbol} from ${exchange} in ${requests} requests${resumedAfter ? `, after the last bar already there (${resumedAfter})` : ''}` +
        (missing ? `\n${missing} bars of the range are not in ${exchange}'s history (the gaps below)` : '');
  return `${what}\n${formatDataReport(written.report, out)}`;
}

export async function synthCommand(values: FlagValues): Promise<string> {
  const model = values.string('model') as SynthModel;
  const out = values.string('out');
  if (!out) throw new InputError('needs the file to write, e.g. --out data/null_market.csv', '--out');
  const seed = values.number('seed') as number;
  const bars = values.number('bars');
  const interval = values.string('interval');
  const intervalSeconds = interval === undefined ? undefined : parseInterval(interval, '--interval');
  const like = values.string('like');

  let made: SynthesizedMarket;
  if (like) {
    const real: LoadedPrices = await readPriceCsv(like);
    if (intervalSeconds !== undefined && intervalSeconds !== real.report.spacingSeconds) {
      throw new InputError(
        `${like} has ${formatInterval(real.report.spacingSeconds)} bars; leave out --interval or resample the file first`,
        '--interval',
      );
    }
    if (values.has('volatility') || values.has('start'))
      throw new InputError('comes from the --like file; leave out --volatility and --start', '--like');
    assertTradableSeries(real.series, like);
    made = synthesizeMarketLike(real.series, {
      model,
      seed,
      bars,
      meanBlockLength: values.number('block-length'),
      where: like,
    });
  } else {
    if (model !== 'gbm')
      throw new InputError(`${model} imitates a real history: give one with --like file.csv`, '--like');
    if (bars === undefined)
      throw new InputError('needs the number of bars (or --like file.csv to copy its length)', '--bars');
    const annualVolatility = values.number('volatility') as number;
    const series: PriceSeries = syntheticMarket({
      bars,
      seed,
      annualVolatility,
      intervalMs: (intervalSeconds ?? 3600) * 1000,
      start: values.number('start'),
    });
    made = { series, fitted: { annualVolatility } };
  }
  await mkdir(dirname(out), { recursive: true });
  const written = await writePriceCsv(made.series, out);
  if (values.boolean('json'))
    return JSON.stringify({ out, model, seed, like: like ?? null, fitted: made.fitted, ...written.report }, null, 2);
  return [`Wrote ${out} (seed ${seed}): a ${describeModel(made, like)}`, formatDataReport(written.report, out)].join(
    '\n',
  );
}

function describeModel(made: SynthesizedMarket, like: string | undefined): string {
  const volatility = `${(made.fitted.annualVolatility * 100).toFixed(1)} % annualised volatility`;
  const { garch, meanBlockLength } = made.fitted;
  if (garch) {
    const g = (x: number) => x.toPrecision(4);
    const parameters =
      `ω = ${g(garch.omega)}, α = ${g(garch.alpha)}, β = ${g(garch.beta)} (α + β = ${g(garch.alpha + garch.beta)}), ` +
      `μ = ${g(garch.mu)} per bar`;
    const fit = `log-likelihood ${garch.logLikelihood.toFixed(1)} over ${garch.observations} returns`;
    return `GARCH(1,1) market fitted to ${like} by maximum likelihood with variance targeting: ${parameters}, ${fit}; ${volatility}`;
  }
  if (meanBlockLength)
    return `stationary block bootstrap of ${like} (mean block ${meanBlockLength} bars; ${volatility})`;
  return `geometric random walk${like ? ` like ${like}` : ''} (${volatility})`;
}
