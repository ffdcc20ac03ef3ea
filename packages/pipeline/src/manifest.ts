// What a run's manifest says about its code and data; shared by the local orchestrator and the finalize Lambda
// (kept apart from localPipeline.ts so the finalize bundle does not pull in every stage).
import type { DataRef } from '@overfit/core';
import { describeDataRef, type LoadedPrices } from '@overfit/data';
import type { RunDataDescription, RunSummaryRecord } from '@overfit/store';

export const CODE_VERSION = process.env.OVERFIT_CODE_VERSION ?? '0.1.0';

/** The manifest's description of a run's data. */
export function describeData(ref: DataRef, prices: LoadedPrices): RunDataDescription {
  const { series, source } = prices;
  const { dropped } = prices.report;
  const n = series.time.length;
  return {
    source: describeDataRef(ref),
    synthetic: ref.kind === 'synthetic',
    sha256: source.sha256,
    rows: n,
    first: new Date(series.time[0]).toISOString(),
    last: new Date(series.time[n - 1]).toISOString(),
    barSeconds: prices.report.spacingSeconds,
    ...(dropped.length > 0 ? { dropped: { count: dropped.length, rows: dropped.slice(0, 100) } } : {}),
  };
}

/** The manifest's summary of a succeeded run, from the select and validate stages' outputs (local or on AWS). */
export function runSummary(
  selected: { bestId: string; eligible: number },
  validated: { verdict: string; headline: string; tone: string; drop: number | null },
  selectBy: string,
): RunSummaryRecord {
  return {
    bestId: selected.bestId,
    eligible: selected.eligible,
    selectBy,
    verdict: validated.verdict,
    headline: validated.headline,
    tone: validated.tone,
    drop: validated.drop,
  };
}
