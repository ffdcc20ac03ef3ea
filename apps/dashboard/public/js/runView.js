// How a finished run is shown, on the Overview (the latest run) and on its own page: the verdict first, then the
// numbers behind it, the charts, the statistics of overfitting when the run has them, and the figures.
import { api, badge, clear, errorBox, formatChange, formatMetric, h, METRIC_LABELS, METRICS, SELECTION_FIELDS, VERDICT_LABELS } from './common.js';
import { comparisonChart, histogramChart } from './charts.js';

const PERCENT_METRICS = ['winRate', 'hitRate', 'totalReturn', 'maxDrawdown', 'exposure'];
const RATIO_METRICS = ['sharpe', 'sortino', 'calmar', 'profitFactor'];

export function selectedField(validation) {
  return SELECTION_FIELDS[validation.selectBy] ?? 'winRate';
}

export function verdictCard(detail) {
  const { validation, manifest } = detail;
  if (!validation) {
    return h('section', { class: 'card verdict' },
      h('div', { class: 'label' }, manifest.status === 'failed' ? 'Run failed' : 'No validation results'),
      manifest.error ? h('p', {}, `${manifest.error.stage}: ${manifest.error.message}`) : null);
  }
  const field = selectedField(validation);
  const { selection } = validation;
  const drop = selection.drop;
  return h('section', { class: `card verdict ${validation.verdict}`, 'data-testid': 'verdict' },
    h('div', { class: 'label' }, VERDICT_LABELS[validation.verdict] ?? validation.verdict),
    h('p', { class: 'headline' },
      `Strategy ${validation.strategy.id} (${validation.strategy.family.replace(/_/g, ' ')}, ${validation.strategy.direction.replace('_', '-')}) was picked as the best of `,
      `${manifest.config?.strategies ?? '?'} by ${METRIC_LABELS[field].toLowerCase()}: `,
      h('strong', {}, formatMetric(field, selection.training)), ' on training, ',
      h('strong', {}, formatMetric(field, selection.validation)), ' on the held-out validation data',
      drop === null ? '.' : ` (${formatChange(-drop)}).`),
    h('p', { class: 'muted' }, validation.explanation),
    h('p', { class: 'small muted' },
      `Overfitting is flagged when the selection metric falls by more than ${(validation.overfitThreshold * 100).toFixed(0)} % of its training value. `,
      `Training: ${validation.windows.training.bars.toLocaleString()} bars (${validation.windows.training.first.slice(0, 10)} – ${validation.windows.training.last.slice(0, 10)}); `,
      `validation: ${validation.windows.validation.bars.toLocaleString()} bars (${validation.windows.validation.first.slice(0, 10)} – ${validation.windows.validation.last.slice(0, 10)}).`));
}

export function metricsTable(validation) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {},
      h('th', {}, 'Metric'), h('th', { class: 'num' }, 'Training'), h('th', { class: 'num' }, 'Validation'), h('th', { class: 'num' }, 'Change'),
      h('th', { class: 'num' }, 'Buy & hold, training'), h('th', { class: 'num' }, 'Buy & hold, validation'))),
    h('tbody', {}, METRICS.map((m) => h('tr', { class: m === selectedField(validation) ? 'best' : '' },
      h('td', {}, METRIC_LABELS[m]),
      h('td', { class: 'num' }, formatMetric(m, validation.training[m])),
      h('td', { class: 'num' }, formatMetric(m, validation.validation[m])),
      h('td', { class: 'num' }, formatChange(validation.relativeChange[m])),
      h('td', { class: 'num' }, formatMetric(m, validation.buyAndHold.training[m])),
      h('td', { class: 'num' }, formatMetric(m, validation.buyAndHold.validation[m])))))));
}

/** Two Chart.js charts: how the selected strategy stands out among all, and what happened after the split. */
export async function chartsSection(detail) {
  const { validation, manifest } = detail;
  const field = selectedField(validation);
  const histogramCanvas = h('canvas', { id: 'chart-histogram', 'aria-label': 'Histogram of the selection metric' });
  const percentCanvas = h('canvas', { id: 'chart-comparison', 'aria-label': 'Training vs validation' });
  const ratioCanvas = h('canvas', { id: 'chart-ratios', 'aria-label': 'Training vs validation ratios' });
  const section = h('section', {},
    h('h2', {}, 'The selection and the fall'),
    h('div', { class: 'grid' },
      h('div', { class: 'card' },
        h('h3', {}, `${METRIC_LABELS[field]} of all ${manifest.config?.strategies ?? ''} strategies on training`),
        h('p', { class: 'small muted' }, 'The best of many random strategies sits in the right tail by luck. The solid line is where it was picked; the dashed line is where it landed on data it had never seen.'),
        h('div', { class: 'chart-box' }, histogramCanvas)),
      h('div', { class: 'card' },
        h('h3', {}, 'Training vs validation'),
        h('p', { class: 'small muted' }, 'The same strategy, the same rules, before and after the split, beside simply holding Bitcoin over the validation window.'),
        h('div', { class: 'chart-box' }, percentCanvas),
        h('div', { class: 'chart-box' }, ratioCanvas))));
  const histogram = await api(`/api/runs/${manifest.runId}/histogram?metric=${field}&bins=30`);
  // Drawn once the canvases are in the page (Chart.js measures its container).
  section.draw = () => {
    histogramChart(histogramCanvas, histogram, { training: validation.selection.training, validation: validation.selection.validation });
    comparisonChart(percentCanvas, validation, PERCENT_METRICS, 'Rates and returns (%)');
    comparisonChart(ratioCanvas, validation, RATIO_METRICS, 'Risk-adjusted ratios');
  };
  return section;
}

const number = (v, digits = 3) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—');
const percent = (v) => (typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—');

/** The first of several possible names present in an object (the report's field names are not fixed yet). */
function pick(object, ...names) {
  if (!object || typeof object !== 'object') return undefined;
  for (const name of names) if (object[name] !== undefined) return object[name];
  return undefined;
}
const valueOf = (entry, ...names) => (typeof entry === 'number' ? entry : pick(entry, ...names));

/** PBO, DSR, SPA and friends from results/overfitting_report.json, each with a sentence on how to read it. */
export function reportSection(report) {
  if (!report || typeof report !== 'object') return null;
  const cards = [];
  const pbo = pick(report, 'pbo', 'cscv', 'probabilityOfBacktestOverfitting');
  const pboValue = valueOf(pbo, 'pbo', 'value', 'probability');
  if (pboValue !== undefined) {
    cards.push(statCard('PBO (probability of backtest overfitting)', percent(pboValue),
      'How often the strategy that is best in-sample ranks below the median out-of-sample, over every way of splitting the history into halves (CSCV). Near 50 % means selection is no better than chance; near 0 % means the winner keeps winning.'));
  }
  const dsr = pick(report, 'dsr', 'deflatedSharpe', 'deflatedSharpeRatio');
  const dsrValue = valueOf(dsr, 'dsr', 'probability', 'value', 'psr');
  if (dsrValue !== undefined) {
    cards.push(statCard('Deflated Sharpe ratio', percent(dsrValue),
      'The probability that the winner’s true Sharpe ratio is above zero, after accounting for how many strategies were tried and for skewed, fat-tailed returns. Below 95 % the Sharpe ratio is not significant.'));
  }
  const spa = pick(report, 'spa', 'realityCheck', 'whiteRealityCheck', 'bootstrap');
  const spaP = valueOf(spa, 'pValue', 'spaPValue', 'p', 'value');
  const rcP = pick(spa, 'realityCheckPValue', 'rcPValue');
  if (spaP !== undefined) {
    cards.push(statCard('SPA test p-value', number(spaP),
      'Hansen’s Superior Predictive Ability test: could the best of all these strategies beat the benchmark by luck alone? A p-value above 0.05 means yes, the apparent edge is consistent with chance.' +
      (rcP !== undefined ? ` White’s Reality Check p-value: ${number(rcP)}.` : '')));
  }
  const walk = pick(report, 'walkForward', 'walk_forward');
  const walkValue = valueOf(walk, 'efficiency', 'walkForwardEfficiency', 'oosSharpe', 'outOfSampleSharpe');
  if (walkValue !== undefined) {
    cards.push(statCard('Walk-forward', number(walkValue, 2),
      'Re-select the best strategy on a rolling window and trade it on the next, unseen window, again and again: the out-of-sample result of doing selection honestly.'));
  }
  const nullMarket = pick(report, 'nullMarket', 'nullMarkets', 'null_market');
  const nullValue = valueOf(nullMarket, 'percentile', 'rank', 'pValue');
  if (nullValue !== undefined) {
    cards.push(statCard('Null-market control', typeof nullValue === 'number' && nullValue <= 1 ? percent(nullValue) : number(nullValue, 2),
      'The same search on synthetic markets where no strategy can have an edge. If the real winner is no better than the null winners, its result is what luck alone produces.'));
  }
  const summary = pick(report, 'explanation', 'summary', 'verdict');
  return h('section', {},
    h('h2', {}, 'Statistics of overfitting'),
    typeof summary === 'string' ? h('p', {}, summary) : null,
    cards.length > 0 ? h('div', { class: 'grid stats' }, cards) : null,
    h('details', {}, h('summary', {}, 'The full report (overfitting_report.json)'), h('pre', {}, JSON.stringify(report, null, 2))));
}

function statCard(title, value, explanation) {
  return h('div', { class: 'card stat' }, h('div', { class: 'what' }, title), h('div', { class: 'value' }, value), h('p', { class: 'small' }, explanation));
}

const FIGURE_CAPTIONS = {
  'win_rate_histogram.png': 'The selection metric of every strategy on training; the selected one’s training and validation values marked.',
  'performance_comparison.png': 'Training vs validation for the key metrics, with the verdict.',
  'equity_curve.png': 'The selected strategy’s equity across both windows, the split marked, buy-and-hold beside it.',
  'is_vs_oos_scatter.png': 'In-sample vs out-of-sample performance of every strategy.',
  'pbo_logits.png': 'Distribution of the logits of the winner’s out-of-sample rank over the CSCV splits.',
  'expected_max_sharpe.png': 'How the best Sharpe ratio of pure noise grows with the number of strategies tried.',
  'walk_forward_equity.png': 'Walk-forward: select on one window, trade the next.',
};

export function figuresSection(detail) {
  if (detail.figures.length === 0) return null;
  return h('section', {},
    h('h2', {}, 'Figures'),
    h('div', { class: 'figures' }, detail.figures.map((figure) => {
      const name = figure.path.split('/').pop();
      return h('figure', {},
        h('a', { href: figure.url }, h('img', { src: figure.url, alt: name, loading: 'lazy' })),
        h('figcaption', {}, FIGURE_CAPTIONS[name] ?? name));
    })));
}

/** Verdict, charts, numbers, statistics and figures of a run into the container. */
export async function renderRun(container, detail) {
  clear(container);
  container.append(verdictCard(detail));
  if (!detail.validation) return;
  let charts;
  try {
    charts = await chartsSection(detail);
  } catch (error) {
    charts = errorBox(`The charts could not be loaded: ${error.message}`);
  }
  container.append(charts, h('h2', {}, 'The selected strategy in numbers'), metricsTable(detail.validation));
  charts.draw?.();
  const report = reportSection(detail.report);
  if (report) container.append(report);
  const figures = figuresSection(detail);
  if (figures) container.append(figures);
}

export { badge };
