// Plain-text output for people: aligned tables, percentages, and a progress bar on stderr.
import {
  COMPOUNDED_ANNUAL_METRICS,
  METRIC_LABELS,
  METRIC_NAMES,
  MIN_ANNUALISED_YEARS,
  PERCENT_METRICS,
  YEAR_MS,
  type MetricName,
  type Metrics,
  type OverfittingReport,
} from '@overfit/core';

const PERCENT = new Set<MetricName>(PERCENT_METRICS);
const COMPOUNDED = new Set<MetricName>(COMPOUNDED_ANNUAL_METRICS);

/** What a metric cell shows for a window too short to annualise (see the note under the table). */
const NOT_ANNUALISED = 'n/a*';

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

/** Years from the first to the last bar of a window. */
export const spanYears = (firstMs: number, lastMs: number): number => (lastMs - firstMs) / YEAR_MS;

const spanText = (years: number) =>
  years >= 1 / 6 ? `${(years * 12).toFixed(1)} months` : `${Math.round(years * 365)} days`;

/**
 * Metrics side by side, one column per window. A window shorter than MIN_ANNUALISED_YEARS shows no CAGR or Calmar
 * ratio (a yearly rate from weeks of data is an extrapolation: 3,000 five-minute bars "earn" millions of percent a
 * year); a note under the table says which windows and why. `years` is each column's span (absent: not checked).
 */
export function metricsTable(
  columns: { title: string; metrics: Partial<Metrics>; years?: number }[],
  names: readonly MetricName[] = METRIC_NAMES,
): string {
  const short = columns.filter((c) => c.years !== undefined && c.years < MIN_ANNUALISED_YEARS);
  const cell = (m: MetricName, c: (typeof columns)[number]) =>
    COMPOUNDED.has(m) && short.includes(c) ? NOT_ANNUALISED : formatMetric(m, c.metrics[m] ?? null);
  const rows = table([
    ['metric', ...columns.map((c) => c.title)],
    ...names.map((m) => [METRIC_LABELS[m], ...columns.map((c) => cell(m, c))]),
  ]);
  if (short.length === 0 || !names.some((m) => COMPOUNDED.has(m))) return rows;
  const spans = [...new Set(short.map((c) => spanText(c.years ?? 0)))].join(' and ');
  const labels = COMPOUNDED_ANNUAL_METRICS.map((m) => METRIC_LABELS[m]).join(' and ');
  return `${rows}\n${NOT_ANNUALISED} ${labels} are not annualised on a window shorter than ${MIN_ANNUALISED_YEARS * 12} months (here ${spans}): a yearly rate would be an extrapolation.`;
}

interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * A one-line progress bar redrawn in place on stderr. Silent unless stderr is a terminal (logs and pipes stay
 * clean) and when `quiet` (--json: the output is for a program). A new label starts a new line.
 */
export function progressBar(
  quiet: boolean,
  stream: ProgressStream = process.stderr,
): { update(label: string, done: number, total: number): void; end(): void } {
  const on = !quiet && stream.isTTY === true;
  let last = '';
  let shown = '';
  return {
    update(label, done, total) {
      if (!on || total <= 0) return;
      const percent = Math.min(100, Math.floor((done / total) * 100));
      const key = `${label} ${percent}`;
      if (key === last) return;
      if (shown && shown !== label) stream.write('\n');
      last = key;
      shown = label;
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% (${done}/${total})`);
    },
    end() {
      if (on && shown) stream.write('\n');
      shown = '';
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
