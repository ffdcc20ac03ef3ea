// <selectBy>_histogram.png (win_rate_histogram.png by default): the selection metric of every strategy on the
// training window, with the selected strategy's training value and its validation value marked — the "best" sits in
// the lucky tail, then falls back.
import type { Plugin } from 'chart.js';
import { niceTicks, type Axis } from './axes';
import { linearScale } from './figure';
import { COLORS, encodePng, formatValue, withChart } from './render';

export interface MetricHistogramOptions {
  values: ArrayLike<number>;
  metricLabel: string;
  format?: 'percent' | 'number';
  best: { id: string; training: number; validation: number | null };
  /** Which strategies the selection could choose (enough trades); the others are drawn grey, stacked on top. */
  eligible?: ArrayLike<boolean>;
  /** The metric's possible range, e.g. [0, 1] for a rate: the axis never pads past it. */
  bounds?: [number, number];
  title?: string;
  bins?: number;
  width?: number;
  height?: number;
}

/** Freedman–Diaconis bin count (2·IQR/∛n wide), kept between 10 and 60 so the shape stays readable. */
export function binCount(sorted: Float64Array): number {
  const n = sorted.length;
  const q = (p: number) => sorted[Math.min(n - 1, Math.floor(p * (n - 1)))];
  const width = (2 * (q(0.75) - q(0.25))) / Math.cbrt(n);
  const range = sorted[n - 1] - sorted[0];
  const bins = width > 0 ? Math.ceil(range / width) : 10;
  return Math.min(60, Math.max(10, bins));
}

/**
 * The x axis: every bin and both marked values (the winner's training value and its validation value), ends
 * rounded to a 1-2-5 step inside the metric's bounds, then widened by 2 % of the range without ticks, so a line
 * at an end (a 100 % win rate) is drawn inside the plot rather than on its border.
 */
export function histogramAxis(
  lo: number,
  hi: number,
  marked: number[],
  bounds?: [number, number],
): Axis & { step: number; tickMin: number; tickMax: number } {
  const xs = [lo, hi, ...marked].filter(Number.isFinite);
  const nice = niceTicks(Math.min(...xs), Math.max(...xs), { maxTicks: 11, floor: bounds?.[0], ceiling: bounds?.[1] });
  const pad = (nice.max - nice.min) * 0.02;
  return { ...nice, min: nice.min - pad, max: nice.max + pad, tickMin: nice.min, tickMax: nice.max };
}

/** The count axis: whole numbers, 20 % above the tallest bar, where the markers' two label rows are drawn. */
export function countAxis(tallest: number): Axis & { step: number } {
  return niceTicks(0, Math.max(5, Math.ceil(tallest * 1.2)), { maxTicks: 8 });
}

/**
 * Where a marker's label starts (its left edge, in pixels): on the side away from the other marker, so it never
 * crosses the other line; when that side has no room, past the other line too (both labels then line up on one
 * side, each on its own row); else wherever it fits, and at worst clamped inside the plot.
 */
export function markerLabelLeft(
  x: number,
  otherX: number,
  textWidth: number,
  area: { left: number; right: number },
): number {
  const rightOf = (px: number) => px + 6;
  const leftOf = (px: number) => px - 6 - textWidth;
  const candidates =
    !Number.isFinite(otherX) || x >= otherX
      ? [rightOf(x), leftOf(Math.min(x, otherX)), leftOf(x)]
      : [leftOf(x), rightOf(Math.max(x, otherX)), rightOf(x)];
  const fits = (left: number) => left >= area.left && left + textWidth <= area.right;
  return candidates.find(fits) ?? Math.max(area.left, Math.min(candidates[0], area.right - textWidth));
}

const verticalMarkers = (markers: { value: number; color: string; label: string }[]): Plugin => ({
  id: 'verticalMarkers',
  afterDatasetsDraw: (chart) => {
    const { ctx, chartArea, scales } = chart;
    markers.forEach((marker, i) => {
      if (!Number.isFinite(marker.value)) return;
      const x = scales.x.getPixelForValue(marker.value);
      ctx.save();
      ctx.strokeStyle = marker.color;
      ctx.lineWidth = 3;
      ctx.setLineDash(i === 0 ? [] : [8, 5]);
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = marker.color;
      ctx.font = `600 13px Inter`;
      const text = marker.label;
      const textWidth = ctx.measureText(text).width;
      const other = markers[1 - i]?.value;
      const otherX = Number.isFinite(other) ? scales.x.getPixelForValue(other) : Number.NaN;
      const leftEdge = markerLabelLeft(x, otherX, textWidth, chartArea);
      ctx.fillText(text, leftEdge, chartArea.top + 16 + i * 18);
      ctx.restore();
    });
  },
});

/** The caption names exactly the lines drawn: the validation line only when there is a validation value. */
function histogramCaption(
  defined: number,
  total: number,
  eligible: number,
  id: string,
  hasValidation: boolean,
): string {
  const lines = hasValidation
    ? `solid line: the selected ${id} on training, dashed: ${id} on validation`
    : `solid line: the selected ${id} on training (no value on validation)`;
  return `${defined} of ${total} strategies have a value (${eligible} eligible); ${lines}`;
}

export async function renderMetricHistogram(options: MetricHistogramOptions): Promise<Buffer> {
  const { metricLabel, format = 'percent', best, width = 1000, height = 560 } = options;
  const values = Array.from(options.values);
  const isEligible = (i: number) => !options.eligible || options.eligible[i];
  const finite = Float64Array.from(values.filter(Number.isFinite)).sort();
  if (finite.length === 0) throw new Error(`no strategy has a defined ${metricLabel}: nothing to draw`);
  const bins = options.bins ?? binCount(finite);
  const lo = finite[0];
  const hi = finite[finite.length - 1];
  const step = hi > lo ? (hi - lo) / bins : 1;
  const counts = [new Array<number>(bins).fill(0), new Array<number>(bins).fill(0)]; // [eligible, not eligible]
  values.forEach((v, i) => {
    if (Number.isFinite(v)) counts[isEligible(i) ? 0 : 1][Math.min(bins - 1, Math.floor((v - lo) / step))]++;
  });
  const points = (row: number[]) => row.map((count, i) => ({ x: lo + (i + 0.5) * step, y: count }));
  const eligibleCount = values.filter((v, i) => Number.isFinite(v) && isEligible(i)).length;
  const validation = best.validation ?? Number.NaN;
  const axis = histogramAxis(lo, hi, [best.training, validation], options.bounds);
  const bar = { barPercentage: 1, categoryPercentage: 1, borderWidth: 1, stack: 'all' };

  return withChart(
    {
      type: 'bar',
      data: {
        datasets: [
          {
            label: 'eligible strategies',
            data: points(counts[0]),
            backgroundColor: '#93c5fd',
            borderColor: '#60a5fa',
            ...bar,
          },
          {
            label: 'too few trades to be selected',
            data: points(counts[1]),
            backgroundColor: '#e5e7eb',
            borderColor: '#d1d5db',
            ...bar,
          },
        ],
      },
      options: {
        plugins: {
          title: {
            display: true,
            text: options.title ?? `${metricLabel}: ${finite.length} strategies on the training window`,
            font: { size: 18, weight: 600 },
          },
          subtitle: {
            display: true,
            text: histogramCaption(finite.length, values.length, eligibleCount, best.id, Number.isFinite(validation)),
            color: COLORS.muted,
          },
          legend: { display: Boolean(options.eligible), position: 'bottom' },
        },
        scales: {
          x: {
            ...linearScale(axis, format),
            title: { display: true, text: `${metricLabel}${format === 'percent' ? ' (%)' : ''}` },
          },
          y: {
            ...linearScale(countAxis(Math.max(...counts[0].map((c, i) => c + counts[1][i]))), 'number'),
            stacked: true,
            title: { display: true, text: 'Number of strategies' },
          },
        },
      },
      plugins: [
        verticalMarkers([
          {
            value: best.training,
            color: COLORS.training,
            label: `best in training: ${formatValue(best.training, format)}`,
          },
          {
            value: validation,
            color: COLORS.validation,
            label: `same strategy on validation: ${formatValue(validation, format)}`,
          },
        ]),
      ],
    },
    width,
    height,
    encodePng,
  );
}
