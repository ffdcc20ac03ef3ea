// performance_comparison.png: training vs validation for the key metrics. Their units differ (a win rate, a
// Sharpe ratio, a drawdown), so each metric gets its own small panel rather than one shared axis.
import { createCanvas } from '@napi-rs/canvas';
import type { Plugin } from 'chart.js';
import { COLORS, encodePng, FONT_FAMILY, formatValue, setUpCharts, withChart } from './render';

export interface ComparedMetric {
  label: string;
  training: number;
  validation: number;
  format: 'percent' | 'number';
}

export interface PerformanceComparisonOptions {
  metrics: ComparedMetric[];
  title?: string;
  verdict?: string;
  width?: number;
  height?: number;
}

const valueLabels = (format: 'percent' | 'number'): Plugin => ({
  id: 'valueLabels',
  afterDatasetsDraw: (chart) => {
    const { ctx } = chart;
    const meta = chart.getDatasetMeta(0);
    const values = chart.data.datasets[0].data as number[];
    ctx.save();
    ctx.font = `600 13px ${FONT_FAMILY}`;
    ctx.textAlign = 'center';
    meta.data.forEach((bar, i) => {
      const v = values[i];
      ctx.fillStyle = i === 0 ? COLORS.training : COLORS.validation;
      const y = Number.isFinite(v) ? (v >= 0 ? bar.y - 6 : bar.y + 16) : chart.chartArea.bottom - 6;
      ctx.fillText(formatValue(v, format), bar.x, y);
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
  const legend = [
    ['training', COLORS.training],
    ['validation', COLORS.validation],
  ] as const;
  legend.forEach(([label, color], i) => {
    const x = width / 2 - 90 + i * 110;
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
    const finite = values.filter(Number.isFinite);
    const max = Math.max(0, ...finite);
    const min = Math.min(0, ...finite);
    const headroom = (max - min || 1) * 0.2;
    await withChart(
      {
        type: 'bar',
        data: {
          labels: ['training', 'validation'],
          datasets: [
            {
              data: values.map((v) => (Number.isFinite(v) ? v : Number.NaN)),
              backgroundColor: [COLORS.training, COLORS.validation],
            },
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
            y: {
              min: min < 0 ? min - headroom : 0,
              max: max + headroom,
              grid: { color: COLORS.grid },
              ticks: { maxTicksLimit: 5, callback: (v) => formatValue(Number(v), metric.format) },
            },
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
