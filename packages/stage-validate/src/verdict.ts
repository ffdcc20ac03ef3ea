// One verdict about the strategy the run selected: is it skilled or lucky? It rests on two pieces of evidence from
// data that do not overlap, and combines them:
//   1. In sample, after the search: its training Sharpe against luck among the trials — the deflation test (the
//      chance that the best of the N correlated trials shows this Sharpe without skill) and the null-market Monte
//      Carlo test (the same selection on no-edge markets), Bonferroni-combined: p_train = min(1, 2·min of the two).
//   2. Out of sample: its Sharpe on the validation bars, which it was not chosen on (one strategy, one test: no
//      correction for the search is needed there), p_val = 1 − PSR(SR > 0).
// When the strategy has no edge the validation bars are independent of the selection, so p_val and p_train are
// independent and Fisher's −2·(ln p_train + ln p_val) is χ² with 4 degrees of freedom: "evidence of skill" when its
// p-value is ≤ 0.05 and the validation Sharpe is positive, which keeps the false alarm rate at 5 % while a strong
// training result needs less of the short validation window than a test of each at 5 % would.
// "Overfitting likely" when it is not skill and the selection visibly fell apart out of sample: the selection metric
// dropped by more than the threshold and by more than noise (p < 0.05), or PBO ≥ 0.5. "Inconclusive" when the
// validation window gave the strategy too few trades to judge. The error rates of these rules are measured by
// `npm run calibrate` (packages/calibrate) and shown in docs/verdict.md.
import {
  METRIC_LABELS,
  SELECTION_METRIC_FIELDS,
  type OverfittingReport,
  type VerdictLevel,
  type VerdictTest,
} from '@overfit/core';

export const ALPHA = 0.05;
const DSR_CONFIDENCE = 0.95;

type ReportBody = Omit<OverfittingReport, 'verdict'>;

const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(Math.abs(x) < 0.1 ? 1 : 0)} %`;
const p = (x: number) => (x < 0.001 ? '< 0.001' : x.toFixed(3));
/** A count as people read it: 5,256, not 5256. */
const count = (n: number) => n.toLocaleString('en-US');
const metricName = (report: ReportBody) => METRIC_LABELS[SELECTION_METRIC_FIELDS[report.inputs.selectBy]].toLowerCase();

function test(id: VerdictTest['id'], label: string, about: string, pValue: number | null | undefined): VerdictTest {
  const value = pValue ?? null;
  return { id, label, about, pValue: value, fires: value === null ? null : value <= ALPHA };
}

function verdictTests(report: ReportBody): VerdictTest[] {
  const {
    selected,
    deflatedSharpe: dsr,
    nullMarkets: nulls,
    pbo,
    dataSnooping: snoop,
    walkForward: wf,
    inputs,
  } = report;
  const who = `the selected strategy (${selected.strategyId})`;
  const psrValidation = selected.validation?.probabilisticSharpe;
  return [
    test(
      'validation',
      'Out-of-sample Sharpe',
      `${who} on the ${count(inputs.validationBars)} validation bars`,
      psrValidation == null ? null : 1 - psrValidation,
    ),
    test(
      'deflated_sharpe',
      'Deflated Sharpe',
      `${who}'s training Sharpe against the best of ${count(inputs.strategies)} correlated trials with no skill`,
      dsr?.pValue,
    ),
    test(
      'null_markets',
      'Null markets',
      `the whole selection repeated on ${nulls.markets} market${nulls.markets === 1 ? '' : 's'} with no edge`,
      nulls.sharpePValue,
    ),
    test(
      'pbo',
      'PBO against null markets',
      `the selection rule (by ${pbo?.rankedBy ?? 'its metric'}) on half/half splits`,
      nulls.pboPValue,
    ),
    test(
      'reality_check',
      "White's Reality Check",
      `the best of ${count(snoop?.strategiesTested ?? 0)} strategies against buy-and-hold`,
      snoop?.realityCheck.pValue,
    ),
    test(
      'spa',
      "Hansen's SPA",
      `the best of ${count(snoop?.strategiesTested ?? 0)} strategies against buy-and-hold`,
      snoop?.spa.consistent,
    ),
    test(
      'walk_forward',
      'Walk-forward',
      `selecting on each of ${wf?.folds ?? 0} folds and holding the next`,
      wf?.probabilisticSharpe == null ? null : 1 - wf.probabilisticSharpe,
    ),
  ];
}

/** P(χ²₄ ≥ x) = e^(−x/2)·(1 + x/2). */
const chiSquare4Survival = (x: number) => Math.exp(-x / 2) * (1 + x / 2);

/**
 * The verdict's own p-value of "no edge": Fisher's combination of the training evidence after the search (the
 * smaller of the deflation and null-market p-values, doubled) and the out-of-sample test; null without both.
 */
function skillPValue(tests: VerdictTest[]): number | null {
  const p = (id: VerdictTest['id']) => tests.find((t) => t.id === id)?.pValue ?? null;
  const training = [p('deflated_sharpe'), p('null_markets')].filter((v): v is number => v !== null);
  const validation = p('validation');
  if (training.length === 0 || validation === null) return null;
  const pTraining = Math.min(1, training.length * Math.min(...training));
  return chiSquare4Survival(
    -2 * (Math.log(Math.max(pTraining, Number.MIN_VALUE)) + Math.log(Math.max(validation, Number.MIN_VALUE))),
  );
}

function level(report: ReportBody, skillP: number | null): VerdictLevel {
  const { selected, selectionDrop: drop, pbo } = report;
  if (selected.comparison.validation.trades < drop.minimumValidationTrades || selected.validation?.sharpe == null)
    return 'inconclusive';
  if (skillP !== null && skillP <= ALPHA && selected.validation.sharpe > 0) return 'evidence_of_skill';
  const fell = drop.exceedsThreshold === true && drop.test !== null && drop.test.pValue < ALPHA;
  if (fell || (pbo !== null && pbo.pbo >= 0.5)) return 'overfit_likely';
  return 'no_evidence_of_skill';
}

/** The validation return beside buy-and-hold's, in the words of the headline. */
function money(report: ReportBody): string {
  const v = report.selected.comparison.validation;
  return `on validation it returned ${pct(v.totalReturn)} against ${pct(v.buyAndHoldReturn)} for buy-and-hold`;
}

function headline(report: ReportBody, verdict: VerdictLevel, tests: VerdictTest[]): string {
  const { selected, selectionDrop: drop, inputs } = report;
  const v = selected.comparison.validation;
  const who = `${selected.strategyId}, the best of ${count(inputs.strategies)} strategies by ${metricName(report)},`;
  const trails = v.totalReturn < 0 || v.totalReturn < v.buyAndHoldReturn;
  switch (verdict) {
    case 'evidence_of_skill': {
      const pv = skillPValue(tests)!;
      return (
        `Evidence of skill: ${who} kept an edge out of sample that luck rarely gives (p ${p(pv)})` +
        (trails ? `, but ${money(report)} — an edge over cash, not over holding.` : `; ${money(report)}.`)
      );
    }
    case 'overfit_likely':
      return `Overfitting likely: ${who} was a lucky pick — ${
        drop.test && drop.exceedsThreshold
          ? `its ${metricName(report)} fell ${pct(drop.drop ?? 0).replace('+', '')} out of sample (p ${p(drop.test.pValue)})`
          : `the selection rule does no better than chance on half/half splits (PBO ${report.pbo?.pbo.toFixed(2)})`
      }; ${money(report)}.`;
    case 'inconclusive':
      return `Inconclusive: ${who} made ${v.trades} trade${v.trades === 1 ? '' : 's'} on validation, too few to judge (${drop.minimumValidationTrades} needed); ${money(report)}.`;
    default:
      return `No evidence of skill: ${who} looks like what luck produces among this many strategies; ${money(report)}.`;
  }
}

function findings(report: ReportBody): string[] {
  const out: string[] = [];
  const {
    deflatedSharpe: dsr,
    pbo,
    dataSnooping: snoop,
    nullMarkets: nulls,
    rankCorrelation: rank,
    walkForward: wf,
    selectionDrop: drop,
    inputs,
  } = report;
  const rule =
    drop.drop === null
      ? `The original rule cannot be applied: ${drop.metric} is undefined on ${drop.training === null ? 'training' : 'validation'}.`
      : `The original rule: ${drop.metric} ${drop.drop >= 0 ? `fell ${pct(drop.drop).replace('+', '')}` : `rose ${pct(-drop.drop)}`} from training ` +
        `(${drop.training?.toPrecision(3)}, ${drop.samples.training} ${drop.samples.unit}) to validation (${drop.validation?.toPrecision(3)}, ` +
        `${drop.samples.validation} ${drop.samples.unit}), ${drop.exceedsThreshold ? 'more' : 'less'} than the ${pct(drop.threshold).replace('+', '')} threshold` +
        (drop.test
          ? `; a fall this large from noise alone has p ${p(drop.test.pValue)} (${drop.test.name}).`
          : '; no test of the fall exists for this metric.');
  out.push(rule);
  if (dsr) {
    out.push(
      `Deflated Sharpe ${dsr.value.toFixed(2)}: the selected strategy's training Sharpe (${(dsr.sharpe * Math.sqrt(inputs.periodsPerYear)).toFixed(2)} a year) ` +
        `against ${dsr.expectedMaxSharpeAnnual.toFixed(2)}, what the best of ${count(inputs.strategies)} skill-less strategies with these strategies' correlations shows on average on ` +
        `${dsr.observations} bars (as much as ${Math.round(dsr.effectiveTrials)} independent ones would)${dsr.value >= DSR_CONFIDENCE ? '' : ' — 0.95 needed'}; ` +
        `the best of them reaches this Sharpe by luck with p ${p(dsr.pValue)}.`,
    );
  }
  if (nulls.markets > 0 && nulls.sharpePValue !== null) {
    out.push(
      `Null markets: repeating the whole selection on ${nulls.markets} markets with the same volatility and drift but no edge gave a selected strategy ` +
        `with a training Sharpe at least as high in ${Math.round(nulls.sharpePValue * (nulls.markets + 1)) - 1} of ${nulls.markets} (p ${p(nulls.sharpePValue)}` +
        `${nulls.markets < 19 ? `; with fewer than 19 markets p cannot reach 0.05` : ''}).`,
    );
  }
  if (pbo) {
    out.push(
      `PBO ${pbo.pbo.toFixed(2)}: in ${pct(pbo.pbo).replace('+', '')} of ${pbo.combinations} half/half splits of the training bars, the strategy with the best ${pbo.rankedBy} ` +
        `on one half ranked in the bottom half on the other` +
        (nulls.pboPValue !== null
          ? `; on the null markets PBO was at least this low in ${Math.round(nulls.pboPValue * (nulls.markets + 1)) - 1} of ${nulls.markets} (trading style and costs make rankings persist even without an edge).`
          : '.'),
    );
  }
  if (snoop) {
    out.push(
      `SPA p-value ${snoop.spa.consistent.toFixed(3)} (Reality Check ${snoop.realityCheck.pValue.toFixed(3)}): ` +
        (snoop.spa.consistent < ALPHA
          ? `at least one of the ${count(snoop.strategiesTested)} strategies beat buy-and-hold beyond what the search explains.`
          : `once the search over ${count(snoop.strategiesTested)} strategies is accounted for, none is shown to beat buy-and-hold.`),
    );
  }
  if (rank.rho !== null) {
    out.push(
      `Rank correlation of ${rank.metric} between training and validation: ρ = ${rank.rho.toFixed(2)} over ${rank.pairs} strategies. ` +
        `How a strategy trades (how often, long or short, what it pays in costs) fixes much of its ${rank.metric} on any market, so rankings persist even on pure noise: ` +
        `a high ρ is not by itself evidence of skill.`,
    );
  }
  if (wf) {
    out.push(
      `Walk-forward over ${wf.folds} folds: selecting on each fold and holding on the next returned ${pct(wf.totalReturn)} against ${pct(wf.buyAndHoldReturn)} for buy-and-hold` +
        (wf.sharpeAnnual !== null ? ` (Sharpe ${wf.sharpeAnnual.toFixed(2)} a year).` : '.'),
    );
  }
  return out;
}

export function verdictOf(report: ReportBody): OverfittingReport['verdict'] {
  const tests = verdictTests(report);
  const skillP = skillPValue(tests);
  const verdict = level(report, skillP);
  const v = report.selected.comparison.validation;
  const tone =
    verdict === 'evidence_of_skill' && v.totalReturn > 0 && v.totalReturn >= v.buyAndHoldReturn
      ? 'good'
      : verdict === 'overfit_likely' || v.totalReturn < 0
        ? 'bad'
        : 'neutral';
  return {
    level: verdict,
    headline: headline(report, verdict, tests),
    tone,
    pValue: skillP,
    tests,
    findings: findings(report),
  };
}
