// Plain-text output for people: aligned tables, percentages, and a progress bar on stderr.
import { METRIC_LABELS, METRIC_NAMES, type MetricName, type Metrics, type OverfittingReport } from '@overfit/core';

const PERCENT = new Set<MetricName>(['totalReturn', 'cagr', 'maxDrawdown', 'winRate', 'hitRate', 'exposure']);

export function formatMetric(name: MetricName, value: number | null): string {
  if (value === null || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (name === 'trades') return String(value);
  return PERCENT.has(name) ? `${(value * 100).toFixed(2)} %` : value.toFixed(3);
}

/** Columns aligned by padding: the first to the left, the others to the right (numbers) or left (text). */
export function table(rows: string[][], align: 'numbers' | 'text' = 'numbers'): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const pad = (cell: string, c: number) => (c === 0 || align === 'text' ? cell.padEnd(widths[c]) : cell.padStart(widths[c]));
  return rows.map((r) => r.map(pad).join('  ').trimEnd()).join('\n');
}

export function metricsTable(columns: { title: string; metrics: Partial<Metrics> }[], names: readonly MetricName[] = METRIC_NAMES): string {
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
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% (${done}/${total})`);
    },
    end() {
      if (tty && last >= 0) process.stderr.write('\n');
    },
  };
}

/** The four headline statistics of overfitting_report.json, for the summary (text and --json). */
export function overfittingHeadline(report: OverfittingReport) {
  return {
    level: report.verdict.level,
    pbo: report.pbo?.pbo ?? null,
    deflatedSharpe: report.deflatedSharpe?.value ?? null,
    spaPValue: report.dataSnooping?.spa.consistent ?? null,
    nullMarketPercentile: report.nullMarkets.percentile,
    nullMarkets: report.nullMarkets.markets,
  };
}

export function overfittingLines(report: OverfittingReport): string[] {
  const h = overfittingHeadline(report);
  const value = (x: number | null, digits: number) => (x === null ? '—' : x.toFixed(digits));
  const rows = [
    ['PBO (CSCV)', value(h.pbo, 2), 'share of half/half splits where the in-sample best ends in the bottom half out of sample'],
    ['Deflated Sharpe', value(h.deflatedSharpe, 2), `probability the best Sharpe beats the luckiest of ${report.inputs.strategies} skill-less trials (≥ 0.95 to trust)`],
    ['SPA p-value', value(h.spaPValue, 3), 'no strategy beats buy-and-hold, after the search, unless this is < 0.05'],
    ['Null-market pct.', h.nullMarketPercentile === null ? (h.nullMarkets === 0 ? '— (--null-markets 0)' : '—') : `${h.nullMarketPercentile.toFixed(0)} %`,
      `where the real best falls among the bests of ${h.nullMarkets} markets with no edge`],
  ];
  return [`Statistics: ${report.verdict.summary}`, table(rows, 'text').split('\n').map((l) => `  ${l}`).join('\n')];
}
