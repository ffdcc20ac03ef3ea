// `overfit run`: the whole pipeline on one engine, then its summary as text for people or JSON (--json).
import { METRIC_LABELS, SELECTION_METRIC_FIELDS } from '@overfit/core';
import type { DataReport } from '@overfit/data';
import type { RunSummary } from '@overfit/pipeline';
import { count, droppedRowsLines, gapsText } from './dataReport';
import { ENGINE_FLAG, runOnEngine, SHARDING_FLAGS } from './engines';
import { dataRefFromFlags, runConfigFromFlags } from './flags';
import {
  metricsTable,
  overfittingHeadline,
  overfittingLines,
  progressBar,
  spanYears,
  table,
  verdictLines,
} from './format';
import {
  CSV_FLAGS,
  DATA_FLAG,
  DEFAULT_DATA_PATH,
  JSON_FLAG,
  RUN_CONFIG_FLAGS,
  S3_ENDPOINT_FLAG,
  STORE_FLAG,
  type CommandSpec,
} from './optionTable';
import type { FlagValues } from './parseFlags';
import { inStore, shortPath } from './storePaths';

export const RUN_SPEC: CommandSpec = {
  name: 'run',
  summary: 'the whole pipeline (generate, backtest, select, validate, visualize); the verdict first',
  flags: [
    DATA_FLAG,
    ...CSV_FLAGS,
    ...Object.values(RUN_CONFIG_FLAGS),
    STORE_FLAG,
    JSON_FLAG,
    ENGINE_FLAG,
    S3_ENDPOINT_FLAG,
    ...SHARDING_FLAGS,
  ],
  notes: [
    'Examples:',
    '  overfit run --data data/btc_usd_1h.csv --strategies 2000 --select-by sharpe',
    '  overfit run --data messy.csv --lenient --resample 4h --json',
    `Without --data, run reads ${DEFAULT_DATA_PATH} when present, otherwise a seeded synthetic market (and says so).`,
    'Progress goes to stderr when it is a terminal, never with --json.',
  ],
};

export async function runCommand(values: FlagValues): Promise<string> {
  const config = runConfigFromFlags(values.given);
  const bar = progressBar(values.boolean('json'));
  const started = performance.now();
  const { summary, report } = await runOnEngine(
    values,
    config,
    () => dataRefFromFlags(values, config.seed),
    (event) => {
      if (event.kind === 'backtest') bar.update('backtest', event.done, event.total);
      else if (event.kind === 'validate') bar.update(`validate: ${event.step}`, event.done, event.total);
    },
  ).finally(() => bar.end());
  const elapsedMs = Math.round(performance.now() - started);
  return values.boolean('json')
    ? JSON.stringify({ ...summaryObject(summary, report), elapsedMs }, null, 2)
    : formatSummary(summary, report, elapsedMs);
}

function summaryObject(s: RunSummary, report: DataReport) {
  const r = s.results;
  return {
    runId: s.runId,
    runFolder: inStore(s.store, `runs/${s.runId}`),
    data: s.data,
    gaps: report.gaps,
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

/** The data rows of the summary: source, bars, and the gaps when there are any. */
function dataRows(s: RunSummary, report: DataReport): string[][] {
  const w = s.results.windows;
  const rows = [
    [
      'Data',
      s.data.synthetic
        ? `${s.data.source} — SYNTHETIC: no real data (looked for ${DEFAULT_DATA_PATH}; pass --data file.csv)`
        : s.data.source,
    ],
    [
      'Bars',
      `${count(s.data.rows)} from ${s.data.first} to ${s.data.last}; training ${count(w.training.bars)} (to ${w.training.last}), validation ${count(w.validation.bars)}`,
    ],
  ];
  if (report.gaps.count > 0)
    rows.push(['Gaps', `${gapsText(report.gaps)}: a return across a gap spans more than one bar`]);
  return rows;
}

const DROPPED_ELSEWHERE = 'overfit data inspect FILE --lenient --json lists them all';

/** The dropped rows one by one, under the table's "Dropped" row (the label column is 7 wide, then 2 spaces). */
const droppedList = (s: RunSummary): string[] =>
  s.data.dropped
    ? droppedRowsLines(s.data.dropped.rows, s.data.dropped.count, ' '.repeat(9), DROPPED_ELSEWHERE).slice(1)
    : [];

function formatSummary(s: RunSummary, report: DataReport, elapsedMs: number): string {
  const r = s.results;
  const { id, family, direction, ...params } = r.strategy;
  const field = SELECTION_METRIC_FIELDS[r.selectBy];
  const w = r.windows;
  const years = (window: typeof w.training) => spanYears(Date.parse(window.first), Date.parse(window.last));
  const lines = [
    `Overfitting Lab — run ${s.runId}`,
    '',
    ...(s.overfitting ? [...verdictLines(s.overfitting), ''] : []),
    table(
      [
        ...dataRows(s, report),
        [
          'Tested',
          `${count(s.config.strategies)} random strategies, ${count(s.eligible)} with ≥ ${s.config.minTrades} trades eligible; selected by ${METRIC_LABELS[field].toLowerCase()}`,
        ],
        ['Best', `${id}  ${family}  ${direction}  ${JSON.stringify(params)}`],
        // Last, so that the rows listed under it follow it.
        ...(s.data.dropped ? [['Dropped', droppedRowsLines([], s.data.dropped.count, '')[0]]] : []),
      ],
      'text',
    ),
    ...droppedList(s),
    '',
    metricsTable([
      { title: 'training', metrics: r.training, years: years(w.training) },
      { title: 'validation', metrics: r.validation, years: years(w.validation) },
      { title: 'buy&hold train', metrics: r.buyAndHold.training, years: years(w.training) },
      { title: 'buy&hold valid.', metrics: r.buyAndHold.validation, years: years(w.validation) },
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
