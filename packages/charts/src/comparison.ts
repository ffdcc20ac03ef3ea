// performance_comparison.png: training vs validation for the key metrics. Their units differ (a win rate, a
// Sharpe ratio, a drawdown), so each metric gets its own small panel rather than one shared axis. Buy-and-hold
// stands beside the strategy where it has the metric too (return, Sharpe, drawdown): "fell" or "kept" means little
// without what simply holding did on the same window.
import { createCanvas } from '@napi-rs/canvas';
import type { Plugin } from 'chart.js';
import { niceTicks, type Axis } from './axes';
import { linearScale } from './figure';
import { COLORS, encodePng, FONT_FAMILY, formatValue, setUpCharts, withChart } from './render';

export interface ComparedMetric {
  label: string;
  training: number;
  validation: number;
  format: 'percent' | 'number';
  /** Buy-and-hold's value on the same windows, drawn grey beside the strategy's. */
  benchmark?: { training: number; validation: number };
  /** Values the metric cannot pass, e.g. [−1, ∞) for a return: the axis never shows −103.7 %. */
  bounds?: [number, number];
}

export interface PerformanceComparisonOptions {
  metrics: ComparedMetric[];
  title?: string;
  verdict?: string;
  /** Under each group of bars, e.g. ['training, 5.7 years', 'validation, 2.4 years']. */
  windowLabels?: [string, string];
  width?: number;
  height?: number;
}

/** Room above (and below, for negative values) the bars for their value labels, as a share of the data's span. */
const LABEL_ROOM = 0.22;

/** A panel's axis: 0 and every value, room for the labels, 1-2-5 ends clamped to the metric's bounds. */
export function comparisonAxis(values: number[], bounds?: [number, number]): Axis & { step: number } {
  const finite = values.filter(Number.isFinite);
  const [lo, hi] = [Math.min(0, ...finite), Math.max(0, ...finite)];
  const room = (hi - lo || 1) * LABEL_ROOM;
  // The bounds never cut a value off: a value past them (it should not happen) widens the axis instead.
  const floor = Math.min(bounds?.[0] ?? Number.NEGATIVE_INFINITY, lo);
  const ceiling = Math.max(bounds?.[1] ?? Number.POSITIVE_INFINITY, hi);
  return niceTicks(lo < 0 ? lo - room : 0, hi > 0 ? hi + room : 0, { maxTicks: 6, floor, ceiling });
}

const BENCHMARK_FILL = '#9ca3af';

const valueLabels = (format: 'percent' | 'number'): Plugin => ({
  id: 'valueLabels',
  afterDatasetsDraw: (chart) => {
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.font = `600 12px ${FONT_FAMILY}`;
    ctx.textAlign = 'center';
    chart.data.datasets.forEach((dataset, d) => {
      chart.getDatasetMeta(d).data.forEach((bar, i) => {
        const v = (dataset.data as number[])[i];
        ctx.fillStyle = d === 1 ? COLORS.muted : i === 0 ? COLORS.training : COLORS.validation;
        let y = Number.isFinite(v) ? (v >= 0 ? bar.y - 6 : bar.y + 16) : chartArea.bottom - 6;
        // A bar down to the axis floor (−100 %) has no room below it: its label goes inside, in white.
        if (y > chartArea.bottom - 2) [y, ctx.fillStyle] = [bar.y - 8, '#ffffff'];
        ctx.fillText(formatValue(v, format), bar.x, y);
      });
    });
    ctx.restore();
  },
});

/** Wrap text to lines no wider than `width` pixels in the current font. */
function wrap(ctx: { measureText(t: string): { width: number } }, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (ctx.measureText(next).width > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export async function renderPerformanceComparison(options: PerformanceComparisonOptions): Promise<Buffer> {
  const { metrics, width = 1000, height = 560 } = options;
  if (metrics.length === 0) throw new Error('no metrics to compare');
  setUpCharts();
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);

  // Header: title, then the verdict wrapped, then a legend.
  ctx.fillStyle = COLORS.text;
  ctx.textAlign = 'center';
  ctx.font = `600 18px ${FONT_FAMILY}`;
  ctx.fillText(options.title ?? 'Training vs validation', width / 2, 28);
  let y = 50;
  if (options.verdict) {
    ctx.font = `400 13px ${FONT_FAMILY}`;
    ctx.fillStyle = COLORS.muted;
    for (const line of wrap(ctx, options.verdict, width - 60)) {
      ctx.fillText(line, width / 2, y);
      y += 18;
    }
  }
  ctx.font = `600 13px ${FONT_FAMILY}`;
  const withBenchmark = metrics.some((m) => m.benchmark);
  const legend: [string, string][] = [
    ['training', COLORS.training],
    ['validation', COLORS.validation],
    ...(withBenchmark ? [['buy and hold, same window', BENCHMARK_FILL] as [string, string]] : []),
  ];
  legend.forEach(([label, color], i) => {
    const x = width / 2 - (withBenchmark ? 190 : 90) + i * 110;
    ctx.fillStyle = color;
    ctx.fillRect(x, y - 10, 14, 14);
    ctx.fillStyle = COLORS.text;
    ctx.textAlign = 'left';
    ctx.fillText(label, x + 20, y + 2);
  });
  const top = y + 14;

  const columns = Math.min(3, metrics.length);
  const rows = Math.ceil(metrics.length / columns);
  const panelWidth = Math.floor(width / columns);
  const panelHeight = Math.floor((height - top) / rows);
  for (const [i, metric] of metrics.entries()) {
    const values = [metric.training, metric.validation];
    const benchmark = metric.benchmark ? [metric.benchmark.training, metric.benchmark.validation] : undefined;
    const axis = comparisonAxis([...values, ...(benchmark ?? [])], metric.bounds);
    const bars = { barPercentage: 0.9, categoryPercentage: benchmark ? 0.85 : 0.8 };
    await withChart(
      {
        type: 'bar',
        data: {
          labels: (options.windowLabels ?? ['training', 'validation']).map((l) => l.split(', ')),
          datasets: [
            { data: values, backgroundColor: [COLORS.training, COLORS.validation], ...bars },
            ...(benchmark ? [{ data: benchmark, backgroundColor: BENCHMARK_FILL, ...bars }] : []),
          ],
        },
        options: {
          layout: { padding: { left: 6, right: 14, top: 4, bottom: 4 } },
          plugins: {
            legend: { display: false },
            title: { display: true, text: metric.label, font: { size: 15, weight: 600 } },
          },
          scales: {
            x: { grid: { display: false } },
            y: linearScale(axis, metric.format),
          },
        },
        plugins: [valueLabels(metric.format)],
      },
      panelWidth,
      panelHeight,
      (panel) => ctx.drawImage(panel, (i % columns) * panelWidth, top + Math.floor(i / columns) * panelHeight),
    );
  }
  return encodePng(canvas);
}
