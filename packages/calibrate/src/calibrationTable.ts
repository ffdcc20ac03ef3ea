// The calibration's markdown table: one row per market × metric × fees, in the order the markets were given.
import { CALIBRATION_METRICS } from './calibrate';
import { LEVELS, type CellSummary, type Rate, type Tabulation } from './tallies';

const LEVEL_HEADERS: Record<string, string> = {
  evidence_of_skill: 'evidence_of_skill %',
  overfit_likely: 'overfit_likely %',
  no_evidence_of_skill: 'no_evidence %',
  inconclusive: 'inconclusive %',
  other: 'other %',
};

const percent = (r: Rate | undefined): string => (!r || r.rate === null ? '–' : (100 * r.rate).toFixed(1));
const interval = (r: Rate): string =>
  r.rate === null ? '–' : `${(100 * r.rate).toFixed(1)} [${(100 * r.low!).toFixed(1)}, ${(100 * r.high!).toFixed(1)}]`;

/** The markdown table: one row per market × metric × fees. */
export function markdownTable(tab: Tabulation): string {
  const showOther = tab.cells.some((c) => c.levels.other.count > 0);
  const levels = [...LEVELS, ...(showOther ? ['other'] : [])];
  const header = [
    'market',
    'select by',
    'fees',
    'runs',
    'true edge',
    'fresh SR/yr',
    'skill rate [95 % CI]',
    ...levels.map((l) => LEVEL_HEADERS[l]),
    ...tab.tests.map((t) => `${t.id} fires %`),
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < 3 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const c of tab.cells) {
    const cells = [
      c.market + (c.planted ? ' (planted)' : ''),
      c.selectBy,
      `${c.feesBps} bps`,
      String(c.runs),
      `${c.trueEdge.count}/${c.runs}`,
      c.freshSharpeAnnual === null ? '–' : c.freshSharpeAnnual.toFixed(1),
      `${interval(c.skill)}${c.planted ? ` of ${c.skill.of}` : ''}`,
      ...levels.map((l) => percent(c.levels[l])),
      ...tab.tests.map((t) => percent(c.tests[t.id])),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Sort cells: market order as given, then metric, then fees descending. */
export function sortCells(cells: CellSummary[], markets: readonly string[]): CellSummary[] {
  return [...cells].sort(
    (a, b) =>
      markets.indexOf(a.market) - markets.indexOf(b.market) ||
      CALIBRATION_METRICS.indexOf(a.selectBy as never) - CALIBRATION_METRICS.indexOf(b.selectBy as never) ||
      b.feesBps - a.feesBps,
  );
}
