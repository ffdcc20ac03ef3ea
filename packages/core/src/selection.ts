// The selection rule, in one place: which strategies may be selected and in what order. The select stage picks the
// first of the ranking; the validate stage re-applies the same rule to null markets and to growing prefixes of the
// strategies, so both must agree exactly (ties, undefined metrics and all).
import { SELECTION_METRIC_FIELDS, type SelectionMetric } from './metrics';
import type { MetricsTable } from './types';

/** The two settings of a run the rule reads. */
export interface SelectionRule {
  selectBy: SelectionMetric;
  minTrades: number;
}

/** Row i is eligible when it made at least minTrades trades and its selection metric is defined. */
function eligibility(table: MetricsTable, rule: SelectionRule) {
  const values = table.columns[SELECTION_METRIC_FIELDS[rule.selectBy]];
  const trades = table.columns.trades;
  const eligible = (i: number) => trades[i] >= rule.minTrades && !Number.isNaN(values[i]);
  // Highest metric first; a tie (±Infinity included: their difference is NaN) goes to the earlier strategy, so the
  // choice never depends on sort stability.
  const before = (a: number, b: number) => values[b] - values[a] || a - b;
  return { eligible, before };
}

/** The eligible rows ranked by the selection metric, best first. */
export function rankEligible(table: MetricsTable, rule: SelectionRule): number[] {
  const { eligible, before } = eligibility(table, rule);
  const rows: number[] = [];
  for (let i = 0; i < table.ids.length; i++) if (eligible(i)) rows.push(i);
  return rows.sort(before);
}

/** The row the rule selects among the first `rows` (rankEligible's first, in one pass); -1 when none is eligible. */
export function selectedRow(table: MetricsTable, rule: SelectionRule, rows = table.ids.length): number {
  const { eligible, before } = eligibility(table, rule);
  let best = -1;
  for (let i = 0; i < rows; i++) if (eligible(i) && (best < 0 || before(i, best) < 0)) best = i;
  return best;
}
