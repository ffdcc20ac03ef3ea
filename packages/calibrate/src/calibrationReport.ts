// The calibration CLI's output: the outcomes tabulated, checked against the targets and printed, as JSON or as the
// markdown table with its notes, pooled sizes, targets and timing.
import { FRESH_PATH_FACTOR, type RunOutcome } from './calibrate';
import { markdownTable, sortCells } from './calibrationTable';
import type { Options } from './cliOptions';
import { isPlanted, type MarketKind } from './marketKinds';
import { describeMarket } from './markets';
import type { RealSource } from './realSource';
import { TRUE_EDGE_T } from './runInMemory';
import { pooledSizes, tabulate } from './tallies';
import { checkTargets } from './targets';

export const fmtTime = (s: number) =>
  s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`;

/** Print the calibration of `outcomes`; `started` is when the CLI started (for the wall time). */
export function printReport(
  o: Options,
  outcomes: RunOutcome[],
  source: RealSource | null,
  notes: string[],
  started: number,
): void {
  const tab = tabulate(outcomes);
  tab.cells = sortCells(tab.cells, o.markets);
  const checks = checkTargets(tab);
  const wallSeconds = (performance.now() - started) / 1000;
  const markets = Object.fromEntries(o.markets.map((m) => [m, describeMarket(m, source)]));
  if (tab.testsSource !== 'verdict.tests')
    notes.push("tests marked * are read from the report's sections (its verdict lists no tests)");

  if (o.json) {
    console.log(
      JSON.stringify(
        {
          options: { ...o, data: source?.path ?? null },
          markets,
          pooledSizes: Object.fromEntries(
            [...new Set(outcomes.map((x) => x.feesBps))].map((f) => [f, pooledSizes(outcomes, tab.tests, f)]),
          ),
          trueEdge: { tStat: TRUE_EDGE_T, freshPathFactor: FRESH_PATH_FACTOR },
          ...tab,
          targets: checks,
          notes,
          wallSeconds,
        },
        null,
        2,
      ),
    );
    return;
  }
  const lines: string[] = [];
  lines.push(
    `Calibration: ${o.from ? `outcomes from ${o.from}` : `${o.runs} runs per row, ${o.strategies} strategies, ${o.bars} bars, seed ${o.seed}`}`,
  );
  lines.push('');
  for (const [m, d] of Object.entries(markets))
    lines.push(`- ${m}${isPlanted(m as MarketKind) ? ' (planted edge)' : ''}: ${d}`);
  lines.push('');
  lines.push(markdownTable(tab));
  lines.push('');
  lines.push(
    `true edge: runs whose selected strategy has t ≥ ${TRUE_EDGE_T} on a fresh path ${FRESH_PATH_FACTOR}× as long (its Sharpe a year there, median: fresh SR/yr). ` +
      'skill rate: evidence_of_skill among all runs on no-edge rows, among runs with a true edge on planted rows. ' +
      'Tests: share of runs where each fires (rejects "no edge" at 5 %).',
  );
  for (const t of tab.tests) {
    const never =
      t.minPValue !== null && t.minPValue > 0.05
        ? ` — its smallest p-value in ${outcomes.length} runs was ${t.minPValue.toPrecision(2)}: it cannot fire with these settings`
        : '';
    lines.push(`- ${t.id}: ${t.label}${never}`);
  }
  for (const n of notes) lines.push(`Note: ${n}`);
  lines.push('');
  const feeLevels = [...new Set(outcomes.map((x) => x.feesBps))].sort((a, b) => a - b);
  const pooled = Object.fromEntries(feeLevels.map((f) => [f, pooledSizes(outcomes, tab.tests, f)]));
  for (const f of feeLevels) {
    const rates = tab.tests.map((t) => ({ t, r: pooled[f][t.id] })).filter((x) => x.r.of > 0);
    if (rates.length > 0) {
      const pct = (x: number | null) => (100 * x!).toFixed(1);
      const sizes = rates.map(({ t, r }) => `${t.id} ${pct(r.rate)} % [${pct(r.low)}, ${pct(r.high)}] of ${r.of}`);
      lines.push(`Size pooled over the no-edge rows at ${f} bps: ${sizes.join('; ')}`);
    }
  }
  lines.push(
    `Targets: ${checks.map((c) => `${c.ok === null ? '–' : c.ok ? 'PASS' : 'FAIL'} ${c.name} (${c.detail})`).join('; ')}`,
  );
  const medians = tab.cells.map((c) => c.medianSeconds).sort((a, b) => a - b);
  const medianRun = tab.cells.length ? fmtTime(medians[tab.cells.length >> 1]) : '–';
  lines.push(
    `${o.from ? 'Tabulated in' : 'Wall time'} ${fmtTime(wallSeconds)}${outcomes.length ? `; median run ${medianRun}` : ''}.`,
  );
  console.log(lines.join('\n'));
}
