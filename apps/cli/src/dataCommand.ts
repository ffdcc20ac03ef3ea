// `overfit data inspect|fetch|synth`: look at a price file, download one from an exchange, or make a null market.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError, type PriceSeries } from '@overfit/core';
import {
  fetchPrices,
  formatInterval,
  loadPrices,
  parseInterval,
  printable,
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
import { csvOptionsFromFlags, DEFAULT_DATA_PATH, integerFlag, numberFlag, parse, timeFlag } from './flags';
import { progressBar } from './format';

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<string>> = {
  inspect: inspectCommand,
  fetch: fetchCommand,
  synth: synthCommand,
};

export async function dataCommand(args: string[]): Promise<string> {
  const [sub, ...rest] = args;
  const command = SUBCOMMANDS[sub ?? ''];
  if (!command)
    throw new InputError(
      `unknown data command "${printable(sub ?? '')}" (known: ${Object.keys(SUBCOMMANDS).join(', ')})`,
      'data',
    );
  return command(rest);
}

const CSV_FLAGS = {
  format: { type: 'string' },
  lenient: { type: 'boolean', default: false },
  resample: { type: 'string' },
} as const;

async function inspectCommand(args: string[]): Promise<string> {
  const { values, positionals } = parse(args, { json: { type: 'boolean', default: false }, ...CSV_FLAGS }, 1);
  const path = positionals[0];
  if (!path) throw new InputError('needs a CSV file: overfit data inspect file.csv [--json]', 'data inspect');
  const { source, report } = await loadPrices({ kind: 'file', path, ...csvOptionsFromFlags(values) });
  if (values.json)
    return JSON.stringify({ file: path, layout: source.layout, sha256: source.sha256, ...report }, null, 2);
  return formatDataReport(
    report,
    `${path} (${source.layout} layout${values.resample ? `, resampled to ${values.resample}` : ''})`,
  );
}

async function fetchCommand(args: string[]): Promise<string> {
  const { values } = parse(args, {
    exchange: { type: 'string', default: 'binance' },
    symbol: { type: 'string' },
    interval: { type: 'string', default: '1h' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string', default: DEFAULT_DATA_PATH },
    'base-url': { type: 'string' },
    attempts: { type: 'string', default: '6' },
    json: { type: 'boolean', default: false },
  });
  const maxAttempts = integerFlag(values.attempts, '--attempts', 1, 20)!;
  const symbol = values.symbol ?? (values.exchange === 'coinbase' ? 'BTC-USD' : 'BTCUSDT');
  await mkdir(dirname(values.out), { recursive: true });
  const bar = progressBar(`fetch ${symbol} ${values.interval}`);
  const result = await fetchPrices({
    exchange: values.exchange,
    symbol,
    interval: values.interval,
    out: values.out,
    baseUrl: values['base-url'],
    maxAttempts,
    from: timeFlag(values.from, '--from'),
    to: timeFlag(values.to, '--to'),
    onProgress: (done, total) => bar.update(done, total),
  }).finally(() => bar.end());
  const { written, added, missing, resumedAfter, requests } = result;
  if (values.json)
    return JSON.stringify(
      {
        out: values.out,
        exchange: values.exchange,
        symbol,
        interval: values.interval,
        added,
        missing,
        resumedAfter,
        requests,
        ...written.report,
      },
      null,
      2,
    );
  const what =
    added === 0
      ? `${values.out} is up to date (last bar ${resumedAfter})`
      : `Fetched ${added} ${values.interval} bars of ${symbol} from ${values.exchange} in ${requests} requests${resumedAfter ? `, after the last bar already there (${resumedAfter})` : ''}` +
        (missing ? `\n${missing} bars of the range are not in ${values.exchange}'s history (the gaps below)` : '');
  return `${what}\n${formatDataReport(written.report, values.out)}`;
}

async function synthCommand(args: string[]): Promise<string> {
  const { values } = parse(args, {
    model: { type: 'string', default: 'gbm' },
    like: { type: 'string' },
    bars: { type: 'string' },
    interval: { type: 'string' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string' },
    volatility: { type: 'string' },
    'block-length': { type: 'string' },
    start: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const model = values.model as SynthModel;
  if (!(SYNTH_MODELS as readonly string[]).includes(model))
    throw new InputError(`must be one of ${SYNTH_MODELS.join(', ')} (got "${printable(values.model)}")`, '--model');
  if (!values.out) throw new InputError('needs the file to write, e.g. --out data/null_market.csv', '--out');
  const seed = integerFlag(values.seed, '--seed', 0, 0xffffffff)!;
  const bars = integerFlag(values.bars, '--bars', 2, 10_000_000);
  const intervalSeconds = values.interval === undefined ? undefined : parseInterval(values.interval, '--interval');

  let made: SynthesizedMarket;
  let like: LoadedPrices | undefined;
  if (values.like) {
    like = await readPriceCsv(values.like);
    if (intervalSeconds !== undefined && intervalSeconds !== like.report.spacingSeconds) {
      throw new InputError(
        `${values.like} has ${formatInterval(like.report.spacingSeconds)} bars; leave out --interval or resample the file first`,
        '--interval',
      );
    }
    if (values.volatility !== undefined || values.start !== undefined)
      throw new InputError('comes from the --like file; leave out --volatility and --start', '--like');
    assertTradableSeries(like.series, values.like);
    made = synthesizeMarketLike(like.series, {
      model,
      seed,
      bars,
      meanBlockLength: numberFlag(values['block-length'], '--block-length'),
      where: values.like,
    });
  } else {
    if (model !== 'gbm')
      throw new InputError(`${model} imitates a real history: give one with --like file.csv`, '--like');
    if (bars === undefined)
      throw new InputError('needs the number of bars (or --like file.csv to copy its length)', '--bars');
    const annualVolatility = numberFlag(values.volatility, '--volatility') ?? 0.65;
    const series: PriceSeries = syntheticMarket({
      bars,
      seed,
      annualVolatility,
      intervalMs: (intervalSeconds ?? 3600) * 1000,
      start: timeFlag(values.start, '--start'),
    });
    made = { series, fitted: { annualVolatility } };
  }
  await mkdir(dirname(values.out), { recursive: true });
  const written = await writePriceCsv(made.series, values.out);
  if (values.json)
    return JSON.stringify(
      { out: values.out, model, seed, like: values.like ?? null, fitted: made.fitted, ...written.report },
      null,
      2,
    );
  return [
    `Wrote ${values.out} (seed ${seed}): a ${describeModel(made, values.like)}`,
    formatDataReport(written.report, values.out),
  ].join('\n');
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
