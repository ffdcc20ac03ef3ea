// equity_curve.png: the selected strategy's equity across training and validation, the split marked, with
// buy-and-hold beside it: where the curve bends at the split is the overfitting, in one picture.
import type { Plugin } from 'chart.js';
import { logRange, niceTicks } from './axes';
import { allPositive, day, equityScale, finiteExtent, timeAxis } from './figure';
import { COLORS, encodePng, withChart } from './render';

export interface EquityCurveOptions {
  time: ArrayLike<number>;
  strategy: ArrayLike<number>;
  buyAndHold: ArrayLike<number>;
  splitIndex: number;
  strategyLabel: string;
  title?: string;
  logScale?: boolean;
  width?: number;
  height?: number;
  /** At most this many points per line; long histories are reduced to the min and max of each bucket. */
  maxPoints?: number;
}

type Point = { x: number; y: number };

/**
 * Keep the shape of a long series in few points: per bucket its first, min and max (in time order), plus the last
 * point and the split point exactly, so extremes and the split survive the reduction.
 */
export function downsample(
  time: ArrayLike<number>,
  values: ArrayLike<number>,
  maxPoints: number,
  keep: number,
): Point[] {
  const n = values.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => ({ x: time[i], y: values[i] }));
  const buckets = Math.max(1, Math.floor(maxPoints / 3));
  const size = n / buckets;
  const indices = new Set<number>([0, n - 1]);
  if (keep > 0 && keep < n) indices.add(keep);
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    indices.add(from).add(lo).add(hi);
  }
  return [...indices].sort((a, b) => a - b).map((i) => ({ x: time[i], y: values[i] }));
}

/**
 * The two lines of both equity figures, downsampled alike (`keep` survives): the strategy's in `equity.color`, and
 * buy-and-hold's thinner one in the benchmark colour.
 */
export function equityLines(
  time: ArrayLike<number>,
  maxPoints: number,
  keep: number,
  equity: { label: string; values: ArrayLike<number>; color: string },
  buyAndHold: { label: string; values: ArrayLike<number> },
) {
  const line = (label: string, values: ArrayLike<number>, borderColor: string, borderWidth: number) => ({
    label,
    data: downsample(time, values, maxPoints, keep),
    borderColor,
    borderWidth,
    pointRadius: 0,
  });
  return [
    line(equity.label, equity.values, equity.color, 2),
    line(buyAndHold.label, buyAndHold.values, COLORS.benchmark, 1.5),
  ];
}

const splitMarker = (splitTime: number): Plugin => ({
  id: 'splitMarker',
  beforeDatasetsDraw: (chart) => {
    const { ctx, chartArea, scales } = chart;
    const x = scales.x.getPixelForValue(splitTime);
    ctx.save();
    ctx.fillStyle = 'rgba(234, 88, 12, 0.07)';
    ctx.fillRect(x, chartArea.top, chartArea.right - x, chartArea.bottom - chartArea.top);
    ctx.strokeStyle = COLORS.validation;
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(x, chartArea.top);
    ctx.lineTo(x, chartArea.bottom);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = '600 13px Inter';
    // The longest wording that fits its side of the split: a split near an edge must not push text off the plot.
    const fitting = (room: number, texts: string[]) => texts.find((t) => ctx.measureText(t).width <= room) ?? '';
    ctx.fillStyle = COLORS.training;
    ctx.textAlign = 'right';
    const before = fitting(x - 8 - chartArea.left, ['◀ training (selection)', '◀ training']);
    ctx.fillText(before, x - 8, chartArea.top + 16);
    ctx.fillStyle = COLORS.validation;
    ctx.textAlign = 'left';
    const after = fitting(chartArea.right - x - 8, [`validation from ${day(splitTime)} ▶`, 'validation ▶']);
    ctx.fillText(after, x + 8, chartArea.top + 16);
    ctx.restore();
  },
});

/** Share of the plot kept empty above the lines: the split labels are drawn there, never on the data. */
const LABEL_ROOM = 0.12;

/** The equity axis: log when asked and every value is positive (a log axis cannot show ≤ 0), else linear. */
export function equityAxis(strategy: ArrayLike<number>, buyAndHold: ArrayLike<number>, log: boolean) {
  const [lo, hi] = finiteExtent(strategy, buyAndHold);
  if (log && allPositive(strategy, buyAndHold))
    return { log: true as const, ...logRange(lo, hi, { headroom: LABEL_ROOM }) };
  return { log: false as const, ...niceTicks(lo, hi + (hi - lo) * LABEL_ROOM) };
}

export async function renderEquityCurve(options: EquityCurveOptions): Promise<Buffer> {
  const { time, strategy, buyAndHold, splitIndex, width = 1000, height = 560, maxPoints = 2000 } = options;
  const n = time.length;
  if (n < 2 || strategy.length !== n || buyAndHold.length !== n)
    throw new Error(
      `equity curves need ≥ 2 points and equal lengths (time ${n}, strategy ${strategy.length}, buy-and-hold ${buyAndHold.length})`,
    );
  if (!(splitIndex > 0 && splitIndex < n)) throw new Error(`split index ${splitIndex} is outside 1…${n - 1}`);
  const axis = equityAxis(strategy, buyAndHold, options.logScale ?? false);
  return withChart(
    {
      type: 'line',
      data: {
        datasets: equityLines(
          time,
          maxPoints,
          splitIndex,
          { label: options.strategyLabel, values: strategy, color: COLORS.training },
          { label: 'buy and hold', values: buyAndHold },
        ),
      },
      options: {
        parsing: false,
        plugins: {
          title: {
            display: true,
            text: options.title ?? 'Equity of the selected strategy',
            font: { size: 18, weight: 600 },
          },
          subtitle: {
            display: true,
            text: 'Growth of 1 unit, net of costs; the strategy was chosen on the training part only',
            color: COLORS.muted,
          },
          legend: { position: 'bottom' },
        },
        scales: {
          x: timeAxis(time[0], time[n - 1]),
          y: {
            ...equityScale(axis),
          },
        },
      },
      plugins: [splitMarker(time[splitIndex])],
    },
    width,
    height,
    encodePng,
  );
}
