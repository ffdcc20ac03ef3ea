// The calibration's targets (issue 12), checked against a tabulation: few false "skill" verdicts on no-edge
// markets, high power on planted ones, and every test's empirical size near its 5 % level.
import type { CellSummary, Rate, Tabulation } from './tallies';

/** Targets of issue 12: false "skill" on no-edge markets, power on planted ones, empirical size of each test. */
export const TARGETS = { maxFalseSkill: 0.05, minPower: 0.8, sizeLow: 0.02, sizeHigh: 0.08 } as const;

export interface TargetCheck {
  name: string;
  ok: boolean | null;
  detail: string;
}

/** The issue's targets, row by row. */
export function checkTargets(tab: Tabulation): TargetCheck[] {
  const pct = (r: Rate) => (r.rate === null ? 'n/a' : `${(100 * r.rate).toFixed(1)} %`);
  const row = (c: CellSummary) => `${c.market}/${c.selectBy}/${c.feesBps}bps`;
  const checks: TargetCheck[] = [];
  const noEdge = tab.cells.filter((c) => !c.planted);
  const planted = tab.cells.filter((c) => c.planted);

  const falseSkill = noEdge.filter((c) => c.skill.rate !== null && c.skill.rate > TARGETS.maxFalseSkill);
  checks.push({
    name: `evidence_of_skill ≤ ${100 * TARGETS.maxFalseSkill} % on no-edge rows`,
    ok: noEdge.length === 0 ? null : falseSkill.length === 0,
    detail:
      noEdge.length === 0
        ? 'no no-edge rows'
        : falseSkill.length === 0
          ? `max ${pct(noEdge.reduce((a, c) => ((c.skill.rate ?? 0) > (a.rate ?? 0) ? c.skill : a), noEdge[0].skill))}`
          : falseSkill.map((c) => `${row(c)} ${pct(c.skill)}`).join(', '),
  });

  const measured = planted.filter((c) => c.skill.of > 0);
  const weak = measured.filter((c) => (c.skill.rate ?? 0) < TARGETS.minPower);
  checks.push({
    name: `evidence_of_skill ≥ ${100 * TARGETS.minPower} % on planted rows (runs with a true edge)`,
    ok: measured.length === 0 ? null : weak.length === 0,
    detail:
      planted.length === 0
        ? 'no planted rows'
        : planted
            .map(
              (c) =>
                `${row(c)} ${c.skill.of === 0 ? 'n/a (no run with a true edge)' : `${pct(c.skill)} of ${c.skill.of}`}`,
            )
            .join(', '),
  });

  // Per test, the range of its fire rate over the no-edge rows at 0 bps, and the rows outside the target band.
  const boundary = noEdge.filter((c) => c.feesBps === 0);
  const perTest: string[] = [];
  let outside = 0;
  for (const t of tab.tests) {
    const rates = boundary.map((c) => ({ c, r: c.tests[t.id] })).filter((x) => x.r && x.r.rate !== null);
    if (rates.length === 0) continue;
    const values = rates.map((x) => x.r.rate!);
    const bad = rates.filter((x) => x.r.rate! < TARGETS.sizeLow || x.r.rate! > TARGETS.sizeHigh);
    outside += bad.length;
    perTest.push(
      `${t.id} ${(100 * Math.min(...values)).toFixed(1)}–${(100 * Math.max(...values)).toFixed(1)} %` +
        (bad.length === 0
          ? ''
          : bad.length === rates.length
            ? ` (outside on all ${bad.length} rows)`
            : ` (outside on ${bad.map((x) => `${x.c.market}/${x.c.selectBy}`).join(', ')})`),
    );
  }
  checks.push({
    name: `every test's size within ${100 * TARGETS.sizeLow}–${100 * TARGETS.sizeHigh} % on no-edge rows at 0 bps`,
    ok: boundary.length === 0 || perTest.length === 0 ? null : outside === 0,
    detail:
      boundary.length === 0
        ? 'not measured: add 0 to --fees-bps'
        : perTest.length === 0
          ? 'the reports list no tests'
          : perTest.join('; '),
  });
  return checks;
}
