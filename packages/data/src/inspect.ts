// The data report: what a file holds and what looks wrong in it, as facts (the CLI and the dashboard word them),
// kept in the loaded prices so a run can say what it ran on.
import type { PriceSeries } from '@overfit/core';
import { medianSpacingMs } from '@overfit/core';

export interface DataProblem {
  kind: 'ohlc_inconsistent' | 'zero_volume' | 'extreme_move';
  count: number;
  example?: string;
}

export interface DataReport {
  rows: number;
  first: string;
  last: string;
  /** Median spacing between bars. */
  spacingSeconds: number;
  /** Spacings longer than 1.5 × the median; missingBars counts the bars that would fill them. */
  gaps: { count: number; missingBars: number; largestSeconds: number; largestAt: string | null };
  problems: DataProblem[];
  /** Rows a lenient read left out, with why. */
  dropped: DroppedRow[];
}

/** A row a lenient read left out: its line, what was wrong (the kind), and the message a strict read stops with. */
export interface DroppedRow {
  line: number;
  kind: 'field_count' | 'bad_time' | 'duplicate_time' | 'out_of_order' | 'bad_price' | 'bad_volume';
  reason: string;
}

/** A bar moving more than this from the previous close is reported: real crashes exist, typos too. */
const EXTREME_MOVE = 0.2;

export function inspectPrices(series: PriceSeries, dropped: DataReport['dropped'] = []): DataReport {
  const { time, open, high, low, close, volume } = series;
  const n = time.length;
  const iso = (i: number) => new Date(time[i]).toISOString();
  const spacing = n > 1 ? medianSpacingMs(time) : 0;
  const gaps = { count: 0, missingBars: 0, largestSeconds: 0, largestAt: null as string | null };
  const found: Record<DataProblem['kind'], DataProblem> = {
    ohlc_inconsistent: { kind: 'ohlc_inconsistent', count: 0 },
    zero_volume: { kind: 'zero_volume', count: 0 },
    extreme_move: { kind: 'extreme_move', count: 0 },
  };
  const note = (kind: DataProblem['kind'], i: number, what: string) => {
    const p = found[kind];
    if (p.count++ === 0) p.example = `${iso(i)}: ${what}`;
  };
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const step = time[i] - time[i - 1];
      if (step > 1.5 * spacing) {
        gaps.count++;
        gaps.missingBars += Math.max(0, Math.round(step / spacing) - 1);
        if (step / 1000 > gaps.largestSeconds) {
          gaps.largestSeconds = step / 1000;
          gaps.largestAt = iso(i - 1);
        }
      }
      const move = close[i] / close[i - 1] - 1;
      if (Math.abs(move) > EXTREME_MOVE) note('extreme_move', i, `close moved ${(move * 100).toFixed(1)} %`);
    }
    if (series.hasOhlc) {
      if (high[i] < Math.max(open[i], close[i]) || low[i] > Math.min(open[i], close[i]) || high[i] < low[i]) {
        note('ohlc_inconsistent', i, `open ${open[i]} high ${high[i]} low ${low[i]} close ${close[i]}`);
      }
      if (volume[i] === 0) note('zero_volume', i, 'volume 0');
    }
  }
  return {
    rows: n,
    first: n ? iso(0) : '',
    last: n ? iso(n - 1) : '',
    spacingSeconds: spacing / 1000,
    gaps,
    problems: Object.values(found).filter((p) => p.count > 0),
    dropped,
  };
}
