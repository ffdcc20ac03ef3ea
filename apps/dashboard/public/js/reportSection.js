// The report section of a run: each statistic of overfitting in results/overfitting_report.json as a card that
// says what its value means for this run, the report's findings, and the full report as JSON.
import { formatCount, h } from './common.js';
import { REPORT_FORMAT } from './verdictCard.js';

const number = (v, digits = 2) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—');
const percent = (v) => (typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—');
const signedPercent = (v) =>
  typeof v === 'number' && Number.isFinite(v) ? `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)} %` : '—';

/**
 * results/overfitting_report.json (format overfit-report/2): each statistic with what its value means for this
 * run. A report in another format is still shown, as JSON.
 */
export function reportSection(report) {
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
        `${selected.strategyId}'s annual Sharpe on the ${formatCount(inputs.validationBars)} validation bars, which it was not chosen on. ` +
          `The chance of a Sharpe this high if it had no edge: p = ${pValue(pNoEdge)} ` +
          '(one strategy, one test: the search does not inflate it).',
      ),
    );
  }
  if (dsr) {
    const independent = formatCount(dsr.effectiveTrials);
    cards.push(
      statCard(
        'Deflated Sharpe ratio of the selected strategy',
        percent(dsr.value),
        `The probability that ${dsr.strategyId}'s true Sharpe ratio beats what luck gives the best of ${independent} independent skill-less trials ` +
          `(${formatCount(dsr.trials)} strategies tried; their return correlations make them ${independent} independent ones), about ${number(dsr.expectedMaxSharpeAnnual)} a year on ${formatCount(dsr.observations)} bars. ` +
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
        `Over ${formatCount(pbo.combinations)} ways of splitting the training window into ${pbo.partitions} halves-and-halves (CSCV), the strategy with the best ${pbo.rankedBy} on one half ranked below the median on the other ${percent(pbo.pbo)} of the time. ` +
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
        `Could the best of ${formatCount(dataSnooping.strategiesTested)} strategies beat buy-and-hold by this much through luck alone? ` +
          `${formatCount(dataSnooping.replicates)} stationary-bootstrap replays of the history say p = ${number(spa.consistent, 3)} (Hansen's SPA; White's Reality Check: ${number(realityCheck.pValue, 3)}). ` +
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
        `With ${formatCount(minBtl.trials)} independent trials, a backtest needs about ${number(minBtl.years, 1)} years ` +
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
          `${formatCount(haircut.trials)} trials (Benjamini–Hochberg–Yekutieli, one-sided); ` +
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
        `Spearman's ρ between the ${formatCount(rankCorrelation.pairs)} strategies' ${rankCorrelation.metric.replace(/_/g, ' ')} ranks on training and on validation. ` +
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
        `${formatCount(inputs.strategies)} strategies tried ` +
          `(${formatCount(effectiveTrials.trials)} independent) on ${formatCount(inputs.trainingBars)} ` +
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
