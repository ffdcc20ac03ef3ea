// How a finished run is shown, on the Overview (the latest run) and on its own page: the verdict first, then the
// numbers behind it, the charts, the statistics of overfitting when the run has them, and the figures.
import {
  api,
  clear,
  errorBox,
  formatChange,
  h,
  METRIC_LABELS,
  METRICS,
  SELECTION_FIELDS,
  VERDICT_LABELS,
  verdictTone,
} from './common.js';
import { formatMetric } from './metrics.js';
import { comparisonChart, histogramChart } from './charts.js';

const PERCENT_METRICS = ['winRate', 'hitRate', 'totalReturn', 'maxDrawdown', 'exposure'];
const RATIO_METRICS = ['sharpe', 'sortino', 'calmar', 'profitFactor'];

export function selectedField(validation) {
  return SELECTION_FIELDS[validation.selectBy] ?? 'winRate';
}

const REPORT_FORMAT = 'overfit-report/2';

/**
 * The run's one verdict (overfitting_report.json): its level and headline, then the selection behind it and the
 * original rule as one line. Runs made before the report had a verdict show the original rule's.
 */
export function verdictCard(detail) {
  const { validation, manifest } = detail;
  if (!validation) {
    return h(
      'section',
      { class: 'card verdict' },
      h('div', { class: 'label' }, manifest.status === 'failed' ? 'Run failed' : 'No validation results'),
      manifest.error ? h('p', {}, `${manifest.error.stage}: ${manifest.error.message}`) : null,
    );
  }
  const verdict = detail.report?.format === REPORT_FORMAT ? detail.report.verdict : null;
  const rule = validation.originalRule ?? { verdict: validation.verdict, explanation: validation.explanation };
  const level = verdict?.level ?? rule.verdict;
  const field = selectedField(validation);
  const { selection } = validation;
  const drop = selection.drop;
  const span = (w) => `${w.bars.toLocaleString()} bars (${w.first.slice(0, 10)} – ${w.last.slice(0, 10)})`;
  return h(
    'section',
    { class: `card verdict ${verdictTone(level, verdict?.tone)}`, 'data-testid': 'verdict' },
    h('div', { class: 'label' }, VERDICT_LABELS[level] ?? level),
    verdict ? h('p', { class: 'headline', 'data-testid': 'headline' }, verdict.headline) : null,
    h(
      'p',
      {},
      `Strategy ${validation.strategy.id} (${validation.strategy.family.replace(/_/g, ' ')}, ${validation.strategy.direction.replace('_', '-')}) was picked as the best of `,
      `${manifest.config?.strategies ?? '?'} by ${METRIC_LABELS[field].toLowerCase()}: `,
      h('strong', {}, formatMetric(field, selection.training)),
      ' on training, ',
      h('strong', {}, formatMetric(field, selection.validation)),
      ' on the held-out validation data',
      drop === null ? '.' : ` (${formatChange(-drop)}).`,
    ),
    h(
      'p',
      { class: 'small muted' },
      `The original rule — overfit when the selection metric falls by more than ${(validation.overfitThreshold * 100).toFixed(0)} % — says `,
      h('strong', {}, (VERDICT_LABELS[rule.verdict] ?? rule.verdict).toLowerCase()),
      `: ${rule.explanation} `,
      `Training: ${span(validation.windows.training)}; `,
      `validation: ${span(validation.windows.validation)}.`,
    ),
  );
}

function metricsTable(validation) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
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
            h('td', { class: 'num' }, formatMetric(m, validation.training[m])),
            h('td', { class: 'num' }, formatMetric(m, validation.validation[m])),
            h('td', { class: 'num' }, formatChange(validation.relativeChange[m])),
            h('td', { class: 'num' }, formatMetric(m, validation.buyAndHold.training[m])),
            h('td', { class: 'num' }, formatMetric(m, validation.buyAndHold.validation[m])),
          ),
        ),
      ),
    ),
  );
}

/** Two Chart.js charts: how the selected strategy stands out among all, and what happened after the split. */
async function chartsSection(detail) {
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
        { class: 'card' },
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
    comparisonChart(percentCanvas, validation, PERCENT_METRICS, 'Rates and returns (%)');
    comparisonChart(ratioCanvas, validation, RATIO_METRICS, 'Risk-adjusted ratios');
  };
  return section;
}

const number = (v, digits = 2) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—');
const percent = (v) => (typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—');
const signedPercent = (v) =>
  typeof v === 'number' && Number.isFinite(v) ? `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)} %` : '—';

/**
 * results/overfitting_report.json (format overfit-report/2): each statistic with what its value means for this
 * run. A report in another format is still shown, as JSON.
 */
function reportSection(report) {
  if (!report || typeof report !== 'object') return null;
  const raw = h(
    'details',
    {},
    h('summary', {}, 'The full report (overfitting_report.json)'),
    h('pre', {}, JSON.stringify(report, null, 2)),
  );
  if (report.format !== REPORT_FORMAT) return h('section', {}, h('h2', {}, 'Statistics of overfitting'), raw);
  const {
    inputs,
    pbo,
    deflatedSharpe: dsr,
    dataSnooping,
    walkForward,
    nullMarkets,
    selected,
    minimumBacktestLength: minBtl,
    haircut,
    rankCorrelation,
    effectiveTrials,
  } = report;
  const cards = [];
  const pValue = (p) => (p === null || p === undefined ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3));

  if (selected?.validation) {
    const { probabilisticSharpe } = selected.validation;
    const pNoEdge = probabilisticSharpe === null ? null : 1 - probabilisticSharpe;
    cards.push(
      statCard(
        'Out-of-sample Sharpe of the selected strategy',
        number(selected.validation.sharpeAnnual),
        `${selected.strategyId}'s annual Sharpe on the ${inputs.validationBars.toLocaleString()} validation bars, which it was not chosen on. ` +
          `The chance of a Sharpe this high if it had no edge: p = ${pValue(pNoEdge)} ` +
          '(one strategy, one test: the search does not inflate it).',
      ),
    );
  }
  if (dsr) {
    const independent = Math.round(dsr.effectiveTrials).toLocaleString();
    cards.push(
      statCard(
        'Deflated Sharpe ratio of the selected strategy',
        percent(dsr.value),
        `The probability that ${dsr.strategyId}'s true Sharpe ratio beats what luck gives the best of ${independent} independent skill-less trials ` +
          `(${dsr.trials.toLocaleString()} strategies tried; their return correlations make them ${independent} independent ones), about ${number(dsr.expectedMaxSharpeAnnual)} a year on ${dsr.observations.toLocaleString()} bars. ` +
          "It accounts for the track record's length, skewness and fat tails. Below 95 % the training Sharpe is not significant after the search.",
      ),
    );
  }
  if (nullMarkets && nullMarkets.markets > 0) {
    cards.push(
      statCard(
        'Null markets',
        `p = ${pValue(nullMarkets.sharpePValue)}`,
        `The whole selection repeated on ${nullMarkets.markets} synthetic markets with the same volatility and drift but no edge (${nullMarkets.model}). ` +
          `The p-value is the share of them (counting the real one) whose selected strategy had a training Sharpe at least as high; ${nullMarkets.markets} markets cannot give less than ${pValue(1 / (nullMarkets.markets + 1))}. ` +
          `Best ${inputs.selectBy.replace(/_/g, ' ')}: p = ${pValue(nullMarkets.metricPValue)}.`,
      ),
    );
  }
  if (pbo) {
    cards.push(
      statCard(
        'PBO: probability of backtest overfitting',
        percent(pbo.pbo),
        `Over ${pbo.combinations.toLocaleString()} ways of splitting the training window into ${pbo.partitions} halves-and-halves (CSCV), the strategy with the best ${pbo.rankedBy} on one half ranked below the median on the other ${percent(pbo.pbo)} of the time. ` +
          (nullMarkets?.pboPValue != null
            ? `On markets with no edge PBO was this low or lower with p = ${pValue(nullMarkets.pboPValue)}: how a strategy trades makes rankings persist even without an edge, so PBO is read against that.`
            : 'About 50 % means picking the best is no better than picking at random.'),
      ),
    );
  }
  if (dataSnooping) {
    const { realityCheck, spa } = dataSnooping;
    cards.push(
      statCard(
        'SPA test p-value (data snooping)',
        number(spa.consistent, 3),
        `Could the best of ${dataSnooping.strategiesTested.toLocaleString()} strategies beat buy-and-hold by this much through luck alone? ` +
          `${dataSnooping.replicates.toLocaleString()} stationary-bootstrap replays of the history say p = ${number(spa.consistent, 3)} (Hansen's SPA; White's Reality Check: ${number(realityCheck.pValue, 3)}). ` +
          'Above 0.05, the apparent edge is consistent with chance.',
      ),
    );
  }
  if (walkForward) {
    cards.push(
      statCard(
        'Walk-forward return',
        signedPercent(walkForward.totalReturn),
        `Selecting on one window and trading the next, ${walkForward.folds} times over the history, returned ${signedPercent(walkForward.totalReturn)} against ${signedPercent(walkForward.buyAndHoldReturn)} for buy-and-hold` +
          (walkForward.sharpeAnnual === null
            ? '.'
            : ` (Sharpe ${number(walkForward.sharpeAnnual)} a year): what the selection procedure delivers when it is done honestly.`),
      ),
    );
  }
  if (minBtl) {
    cards.push(
      statCard(
        'Minimum backtest length',
        `${number(minBtl.years, 1)} years`,
        `With ${minBtl.trials.toLocaleString()} independent trials, a backtest needs about ${number(minBtl.years, 1)} years ` +
          `before an annual Sharpe of ${number(minBtl.targetSharpeAnnual, 1)} (the selected strategy's) could not be luck; ` +
          `this history has ${number(minBtl.availableYears, 1)}.`,
      ),
    );
  }
  if (haircut?.methods?.bhy) {
    cards.push(
      statCard(
        'Haircut Sharpe ratio (BHY)',
        number(haircut.methods.bhy.haircutSharpeAnnual),
        `The selected strategy's annual Sharpe ratio (${number(haircut.sharpeAnnual)}) after correcting its significance for ` +
          `${haircut.trials.toLocaleString()} trials (Benjamini–Hochberg–Yekutieli, one-sided); ` +
          `Bonferroni: ${number(haircut.methods.bonferroni?.haircutSharpeAnnual)}, ` +
          `Holm: ${number(haircut.methods.holm?.haircutSharpeAnnual)}.`,
      ),
    );
  }
  if (rankCorrelation && rankCorrelation.rho !== null) {
    cards.push(
      statCard(
        'Training vs validation rank correlation',
        number(rankCorrelation.rho),
        `Spearman's ρ between the ${rankCorrelation.pairs.toLocaleString()} strategies' ${rankCorrelation.metric.replace(/_/g, ' ')} ranks on training and on validation. ` +
          'How a strategy trades (how often, which way, what it pays) fixes much of it on any market, so ranks persist even on pure noise: a high ρ is not evidence of skill by itself.',
      ),
    );
  }

  return h(
    'section',
    { 'data-testid': 'report' },
    h('h2', {}, 'Statistics of overfitting'),
    h(
      'div',
      { class: 'card' },
      h(
        'ul',
        { class: 'small' },
        report.verdict.findings.map((f) => h('li', {}, f)),
      ),
      h(
        'p',
        { class: 'small muted' },
        `${inputs.strategies.toLocaleString()} strategies tried ` +
          `(${Math.round(effectiveTrials.trials).toLocaleString()} independent) on ${inputs.trainingBars.toLocaleString()} ` +
          `training bars, selected by ${inputs.selectBy.replace(/_/g, ' ')}.`,
      ),
    ),
    h('div', { class: 'grid stats spaced' }, cards),
    raw,
  );
}

function statCard(title, value, explanation) {
  return h(
    'div',
    { class: 'card stat' },
    h('div', { class: 'what' }, title),
    h('div', { class: 'value' }, value),
    h('p', { class: 'small' }, explanation),
  );
}

const FIGURE_CAPTIONS = {
  'win_rate_histogram.png':
    'The selection metric of every strategy on training; the selected one’s training and validation values marked.',
  'performance_comparison.png': 'Training vs validation for the key metrics, with the verdict.',
  'equity_curve.png': 'The selected strategy’s equity across both windows, the split marked, buy-and-hold beside it.',
  'is_vs_oos_scatter.png': 'In-sample vs out-of-sample performance of every strategy.',
  'pbo_logits.png': 'Distribution of the logits of the winner’s out-of-sample rank over the CSCV splits.',
  'expected_max_sharpe.png': 'How the best Sharpe ratio of pure noise grows with the number of strategies tried.',
  'walk_forward_equity.png': 'Walk-forward: select on one window, trade the next.',
};

const EQUITY_CURVE = 'plots/equity_curve.png';

/** The selected strategy's equity over both windows with the split: where the fall happens, in one picture. */
function equitySection(detail) {
  const figure = detail.figures.find((f) => f.path === EQUITY_CURVE);
  if (!figure) return null;
  return h(
    'section',
    {},
    h('h2', {}, 'The selected strategy over time'),
    h(
      'figure',
      { class: 'card equity' },
      h(
        'a',
        { href: figure.url },
        h('img', { src: figure.url, alt: 'Equity curve of the selected strategy, training then validation' }),
      ),
      h('figcaption', { class: 'small muted' }, FIGURE_CAPTIONS['equity_curve.png']),
    ),
  );
}

function figuresSection(detail) {
  const others = detail.figures.filter((f) => f.path !== EQUITY_CURVE);
  if (others.length === 0) return null;
  return h(
    'section',
    {},
    h('h2', {}, 'Figures'),
    h(
      'div',
      { class: 'figures' },
      others.map((figure) => {
        const name = figure.path.split('/').pop();
        return h(
          'figure',
          {},
          h('a', { href: figure.url }, h('img', { src: figure.url, alt: name, loading: 'lazy' })),
          h('figcaption', {}, FIGURE_CAPTIONS[name] ?? name),
        );
      }),
    ),
  );
}

/** Each test of "it is luck" behind the verdict, at a glance: its p-value and what it says. */
export function keyStatistics(report) {
  if (report?.format !== REPORT_FORMAT) return null;
  const tests = report.verdict.tests.filter((t) => t.pValue !== null);
  if (tests.length === 0) return null;
  return h(
    'div',
    { class: 'grid stats spaced', 'data-testid': 'key-statistics' },
    tests.map((t) =>
      h(
        'div',
        { class: 'card stat', title: t.about },
        h('div', { class: 'what' }, t.label),
        h('div', { class: 'value' }, `p ${t.pValue < 0.001 ? '< 0.001' : t.pValue.toFixed(3)}`),
        h('div', { class: 'small muted' }, t.fires ? 'rejects luck at 5 %' : 'consistent with luck'),
      ),
    ),
  );
}

/** Verdict, charts, numbers, statistics and figures of a run into the container. */
export async function renderRun(container, detail) {
  clear(container);
  container.append(verdictCard(detail));
  const glance = keyStatistics(detail.report);
  if (glance) container.append(glance);
  if (!detail.validation) return;
  let charts;
  try {
    charts = await chartsSection(detail);
  } catch (error) {
    charts = errorBox(`The charts could not be loaded: ${error.message}`);
  }
  container.append(charts);
  const equity = equitySection(detail);
  if (equity) container.append(equity);
  container.append(h('h2', {}, 'The selected strategy in numbers'), metricsTable(detail.validation));
  charts.draw?.();
  let report;
  try {
    report = reportSection(detail.report);
  } catch (error) {
    // A report whose shape this page does not know is still worth seeing, as JSON.
    report = h(
      'section',
      {},
      h('h2', {}, 'Statistics of overfitting'),
      errorBox(`The report could not be read: ${error.message}`),
      h(
        'details',
        {},
        h('summary', {}, 'overfitting_report.json'),
        h('pre', {}, JSON.stringify(detail.report, null, 2)),
      ),
    );
  }
  if (report) container.append(report);
  const figures = figuresSection(detail);
  if (figures) container.append(figures);
}
