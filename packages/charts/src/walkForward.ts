// walk_forward_equity.png: select on one fold, hold on the next, chained; buy-and-hold beside it. A log axis, so
// a −87 % path is not drawn flat next to a +2,400 % one: equal slopes are equal growth rates.
import { logRange, niceTicks } from './axes';
import { equityLines } from './equityCurve';
import { allPositive, equityScale, finiteExtent, size, subtitle, timeAxis, title } from './figure';
import { COLORS, encodePng, formatValue, withChart } from './render';

export interface WalkForwardChartOptions {
  time: ArrayLike<number>;
  equity: ArrayLike<number>;
  buyAndHold: ArrayLike<number>;
  /** Indices into time where each held fold begins (the first is 0). */
  foldStarts: number[];
  foldLabels: string[];
  totalReturn: number;
  width?: number;
  height?: number;
}

/** Share of the plot kept empty above the lines: the fold labels take two staggered rows there. */
const LABEL_ROOM = 0.14;

/** The equity axis: log with room for the fold labels when every value is positive, else linear. */
export function walkForwardAxis(equity: ArrayLike<number>, buyAndHold: ArrayLike<number>) {
  const [lo, hi] = finiteExtent(equity, buyAndHold);
  if (allPositive(equity, buyAndHold)) return { log: true as const, ...logRange(lo, hi, { headroom: LABEL_ROOM }) };
  return { log: false as const, ...niceTicks(lo, hi + (hi - lo) * LABEL_ROOM) };
}

/** +1,467.1 %, −87.0 %: thousands apart and a real minus, as returns are read in a title. */
const signed = (r: number) =>
  Number.isFinite(r)
    ? `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r * 100).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`
    : formatValue(r, 'percent');

export async function renderWalkForwardEquity(options: WalkForwardChartOptions): Promise<Buffer> {
  const { time, equity, buyAndHold, foldStarts, foldLabels } = options;
  const n = time.length;
  if (n < 2 || equity.length !== n || buyAndHold.length !== n)
    throw new Error(
      `walk-forward curves need ≥ 2 points and equal lengths (time ${n}, equity ${equity.length}, buy-and-hold ${buyAndHold.length})`,
    );
  const axis = walkForwardAxis(equity, buyAndHold);
  const held = buyAndHold[n - 1] - 1;
  return withChart(
    {
      type: 'line',
      data: {
        datasets: equityLines(
          time,
          2000,
          0,
          { label: 'walk-forward: chosen on the previous fold', values: equity, color: COLORS.validation },
          { label: 'buy and hold, same bars', values: buyAndHold },
        ),
      },
      options: {
        parsing: false,
        plugins: {
          title: title(
            `Walk-forward: ${signed(options.totalReturn)} out of sample, buy-and-hold ${signed(held)} on the same bars`,
          ),
          subtitle: subtitle(
            `Each fold holds the strategy that scored best on the fold before it; growth of 1 unit, net of costs${axis.log ? ', log scale' : ''}`,
          ),
          legend: { position: 'bottom' },
        },
        scales: {
          x: timeAxis(time[0], time[n - 1]),
          y: {
            ...equityScale(axis),
          },
        },
      },
      plugins: [
        {
          id: 'folds',
          beforeDatasetsDraw: (chart) => {
            const { ctx, chartArea, scales } = chart;
            ctx.save();
            ctx.font = '12px Inter';
            foldStarts.forEach((start, i) => {
              const x = scales.x.getPixelForValue(time[start]);
              ctx.strokeStyle = COLORS.grid;
              ctx.lineWidth = 2;
              ctx.beginPath();
              ctx.moveTo(x, chartArea.top);
              ctx.lineTo(x, chartArea.bottom);
              ctx.stroke();
              ctx.fillStyle = COLORS.muted;
              ctx.fillText(foldLabels[i] ?? '', x + 6, chartArea.top + 14 + (i % 2) * 16);
            });
            ctx.restore();
          },
        },
      ],
    },
    ...size(options),
    encodePng,
  );
}
