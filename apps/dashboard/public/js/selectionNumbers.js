// The selection in numbers: the selected strategy's metrics on training and validation beside buy-and-hold, and
// the two charts of how it stood out among all strategies and what happened after the split.
import { api, formatChange, h } from './common.js';
import {
  ANNUALISED_NAMES,
  formatMetric,
  isWindowTotal,
  MIN_ANNUALISED_MONTHS,
  METRIC_LABELS,
  METRICS,
  notAnnualised,
  windowDays,
} from './metrics.js';
import { comparisonChart, histogramChart } from './charts.js';
import { selectedField } from './verdictCard.js';

// What the two bar charts compare (a choice of this page; which metrics are percentages is metrics.js's).
const RATE_BARS = ['winRate', 'hitRate', 'totalReturn', 'maxDrawdown', 'exposure'];
const RATIO_BARS = ['sharpe', 'sortino', 'calmar', 'profitFactor'];

export function metricsTable(validation) {
  const { windows } = validation;
  // An annual rate of a window under three months is not shown (as in performance_comparison.png), and says why.
  const cell = (m, window, value) =>
    notAnnualised(m, windows[window])
      ? h(
          'td',
          { class: 'num', title: `a yearly rate from ${windowDays(windows[window])} days is an extrapolation` },
          '— *',
        )
      : h('td', { class: 'num' }, formatMetric(m, value));
  const short = ['training', 'validation'].filter((w) => METRICS.some((m) => notAnnualised(m, windows[w])));
  // A total over a window changes with the window's length: between unequal windows its change is not shown.
  const unequal = windows.training.bars !== windows.validation.bars;
  const changeCell = (m) =>
    notAnnualised(m, windows.training) || notAnnualised(m, windows.validation)
      ? h('td', { class: 'num' }, '—')
      : unequal && isWindowTotal(m)
        ? h('td', { class: 'num', title: 'totals over windows of different lengths are not comparable' }, '— †')
        : h('td', { class: 'num' }, formatChange(validation.relativeChange[m]));
  const table = h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Metric'),
        h('th', { class: 'num' }, 'Training'),
        h('th', { class: 'num' }, 'Validation'),
        h('th', { class: 'num' }, 'Change'),
        h('th', { class: 'num' }, 'Buy & hold, training'),
        h('th', { class: 'num' }, 'Buy & hold, validation'),
      ),
    ),
    h(
      'tbody',
      {},
      METRICS.map((m) =>
        h(
          'tr',
          { class: m === selectedField(validation) ? 'best' : '' },
          h('td', {}, METRIC_LABELS[m]),
          cell(m, 'training', validation.training[m]),
          cell(m, 'validation', validation.validation[m]),
          changeCell(m),
          cell(m, 'training', validation.buyAndHold.training[m]),
          cell(m, 'validation', validation.buyAndHold.validation[m]),
        ),
      ),
    ),
  );
  const note =
    short.length === 0
      ? null
      : h(
          'p',
          { class: 'small muted', 'data-testid': 'not-annualised' },
          `* ${ANNUALISED_NAMES} are yearly rates: not shown for a window under ${MIN_ANNUALISED_MONTHS} months ` +
            `(${short.map((w) => `${w}: ${windowDays(windows[w])} days`).join(', ')}), where a yearly rate would be ` +
            "an extrapolation. Total return is the window's own.",
        );
  const totals = METRICS.filter(isWindowTotal).map((m) => METRIC_LABELS[m] ?? m);
  const totalsNote = unequal
    ? h(
        'p',
        { class: 'small muted', 'data-testid': 'window-totals' },
        `† ${totals.join(' and ')} are totals over a window; the windows differ (${windowDays(windows.training)} ` +
          `and ${windowDays(windows.validation)} days), so their change says nothing about the strategy. ` +
          'The yearly rate (CAGR) compares them.',
      )
    : null;
  return h('div', {}, h('div', { class: 'table-wrap' }, table), note, totalsNote);
}

/** Two Chart.js charts: how the selected strategy stands out among all, and what happened after the split. */
export async function chartsSection(detail) {
  const { validation, manifest } = detail;
  const field = selectedField(validation);
  const histogramCanvas = h('canvas', { id: 'chart-histogram', 'aria-label': 'Histogram of the selection metric' });
  const percentCanvas = h('canvas', { id: 'chart-comparison', 'aria-label': 'Training vs validation' });
  const ratioCanvas = h('canvas', { id: 'chart-ratios', 'aria-label': 'Training vs validation ratios' });
  const section = h(
    'section',
    {},
    h('h2', {}, 'The selection and the fall'),
    h(
      'div',
      { class: 'grid' },
      h(
        'div',
        { class: 'card fill' },
        h('h3', {}, `${METRIC_LABELS[field]} of all ${manifest.config?.strategies ?? ''} strategies on training`),
        h(
          'p',
          { class: 'small muted' },
          'The best of many random strategies sits in the right tail by luck. The solid line is where it was picked; the dashed line is where it landed on data it had never seen.',
        ),
        h('div', { class: 'chart-box' }, histogramCanvas),
      ),
      h(
        'div',
        { class: 'card' },
        h('h3', {}, 'Training vs validation'),
        h(
          'p',
          { class: 'small muted' },
          'The same strategy, the same rules, before and after the split, beside simply holding Bitcoin over the validation window.',
        ),
        h('div', { class: 'chart-box' }, percentCanvas),
        h('div', { class: 'chart-box' }, ratioCanvas),
      ),
    ),
  );
  const histogram = await api(
    `/api/runs/${encodeURIComponent(manifest.runId)}/histogram?metric=${encodeURIComponent(field)}&bins=30`,
  );
  // Drawn once the canvases are in the page (Chart.js measures its container).
  section.draw = () => {
    histogramChart(histogramCanvas, histogram, {
      training: validation.selection.training,
      validation: validation.selection.validation,
    });
    comparisonChart(percentCanvas, validation, RATE_BARS, 'Rates and returns (%)');
    // Calmar is an annual rate: left out when either window is too short to annualise (the table says why).
    const { training, validation: held } = validation.windows;
    const ratios = RATIO_BARS.filter((m) => !notAnnualised(m, training) && !notAnnualised(m, held));
    comparisonChart(ratioCanvas, validation, ratios, 'Risk-adjusted ratios');
  };
  return section;
}
