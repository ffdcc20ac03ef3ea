// Plain-text output for people: aligned tables, percentages, and a progress bar on stderr.
import {
  METRIC_LABELS,
  PERCENT_METRICS,
  METRIC_NAMES,
  type MetricName,
  type Metrics,
  type OverfittingReport,
} from '@overfit/core';

const PERCENT = new Set<MetricName>(PERCENT_METRICS);

function formatMetric(name: MetricName, value: number | null): string {
  if (value === null || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (name === 'trades') return String(value);
  return PERCENT.has(name) ? `${(value * 100).toFixed(2)} %` : value.toFixed(3);
}

/** Columns aligned by padding: the first to the left, the others to the right (numbers) or left (text). */
export function table(rows: string[][], align: 'numbers' | 'text' = 'numbers'): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const pad = (cell: string, c: number) =>
    c === 0 || align === 'text' ? cell.padEnd(widths[c]) : cell.padStart(widths[c]);
  return rows.map((r) => r.map(pad).join('  ').trimEnd()).join('\n');
}

export function metricsTable(
  columns: { title: string; metrics: Partial<Metrics> }[],
  names: readonly MetricName[] = METRIC_NAMES,
): string {
  return table([
    ['metric', ...columns.map((c) => c.title)],
    ...names.map((m) => [METRIC_LABELS[m], ...columns.map((c) => formatMetric(m, c.metrics[m] ?? null))]),
  ]);
}

/** A one-line progress bar redrawn in place; silent when stderr is not a terminal (CI logs stay clean). */
export function progressBar(label: string): { update(done: number, total: number): void; end(): void } {
  const tty = process.stderr.isTTY;
  let last = -1;
  return {
    update(done, total) {
      if (!tty) return;
      const percent = Math.floor((done / total) * 100);
      if (percent === last) return;
      last = percent;
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% (${done}/${total})`,
      );
    },
    end() {
      if (tty && last >= 0) process.stderr.write('\n');
    },
  };
}

/** The run's one verdict and the tests behind it, for --json. */
export function overfittingHeadline(report: OverfittingReport) {
  const { level, headline, tone, pValue, tests } = report.verdict;
  return {
    level,
    headline,
    tone,
    pValue,
    tests: tests.map(({ id, pValue, fires }) => ({ id, pValue, fires })),
    pbo: report.pbo?.pbo ?? null,
    deflatedSharpe: report.deflatedSharpe?.value ?? null,
    effectiveTrials: report.effectiveTrials.trials,
    nullMarkets: report.nullMarkets.markets,
  };
}

const LEVEL_TITLES: Record<OverfittingReport['verdict']['level'], string> = {
  evidence_of_skill: 'EVIDENCE OF SKILL',
  no_evidence_of_skill: 'NO EVIDENCE OF SKILL',
  overfit_likely: 'OVERFITTING LIKELY',
  inconclusive: 'INCONCLUSIVE',
};

/** The verdict at the top of the summary: its level, then the headline sentence. */
export function verdictLines(report: OverfittingReport): string[] {
  return [`Verdict: ${LEVEL_TITLES[report.verdict.level]}`, `  ${report.verdict.headline}`];
}

/** Each test of "it is luck" with its p-value, whether it rejects at 5 %, and what it is about. */
export function overfittingLines(report: OverfittingReport): string[] {
  const rows = report.verdict.tests.map((t) => [
    t.label,
    t.pValue === null ? '—' : `p ${t.pValue < 0.001 ? '< 0.001' : t.pValue.toFixed(3)}`,
    t.fires === null ? 'not run' : t.fires ? 'rejects luck' : 'luck fits',
    t.about,
  ]);
  return [
    report.verdict.findings[0] ?? 'The original rule: —',
    '',
    `Tests of "it is luck" (each at ${Math.round(report.inputs.alpha * 100)} %):`,
    table(rows, 'text')
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  ];
}
