// `overfit run`: the whole pipeline on one engine, then its summary as text for people or JSON (--json).
import { METRIC_LABELS, SELECTION_METRIC_FIELDS } from '@overfit/core';
import type { RunSummary } from '@overfit/pipeline';
import { runOnEngine } from './engines';
import { dataRefFromFlags, DEFAULT_DATA_PATH, parse, RUN_OPTIONS, runConfigFromFlags } from './flags';
import { metricsTable, overfittingHeadline, overfittingLines, progressBar, table, verdictLines } from './format';
import { inStore, shortPath } from './storePaths';

export async function runCommand(args: string[]): Promise<string> {
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
