// The figures of overfitting_report.json: every strategy's training vs validation score, the distribution of
// CSCV logits, the expected maximum Sharpe of N lucky trials against the observed best, and the walk-forward
// equity — each answers "was the winner skill or the luckiest of many draws?" from a different side.
import type { Plugin } from 'chart.js';
import { downsample } from './equityCurve';
import { COLORS, encodePng, formatValue, withChart } from './render';

const LOSS = '#dc2626';
const size = (o: { width?: number; height?: number }) => [o.width ?? 1000, o.height ?? 560] as const;
const title = (text: string) => ({ display: true, text, font: { size: 18, weight: 600 as const } });
const subtitle = (text: string) => ({ display: true, text, color: COLORS.muted });

export interface ScatterOptions {
  training: ArrayLike<number>;
  validation: ArrayLike<number>;
  /** Strategies the selection could choose; the others are drawn grey. */
  eligible: ArrayLike<boolean>;
  selected: number;
  metricLabel: string;
  format?: 'percent' | 'number';
  rho: number | null;
  /** How many strategies the run has, when only a sample of them is passed in. */
  total?: number;
  width?: number;
  height?: number;
}

/** A diagonal y = x: points on it kept their training score out of sample. */
const diagonal: Plugin = {
  id: 'diagonal',
  beforeDatasetsDraw: (chart) => {
    const { ctx, chartArea, scales } = chart;
    const lo = Math.max(scales.x.min, scales.y.min);
    const hi = Math.min(scales.x.max, scales.y.max);
    if (!(hi > lo)) return;
    ctx.save();
    ctx.strokeStyle = COLORS.benchmark;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(scales.x.getPixelForValue(lo), scales.y.getPixelForValue(lo));
    ctx.lineTo(scales.x.getPixelForValue(hi), scales.y.getPixelForValue(hi));
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = COLORS.muted;
    ctx.font = '13px Inter';
    ctx.fillText(
      'same on both windows',
      Math.min(scales.x.getPixelForValue(hi), chartArea.right) - 150,
      scales.y.getPixelForValue(hi) + 18,
    );
    ctx.restore();
  },
};

/** is_vs_oos_scatter.png */
export async function renderIsOosScatter(options: ScatterOptions): Promise<Buffer> {
  const { training, validation, eligible, selected, metricLabel, format = 'number' } = options;
  const points = (keep: (i: number) => boolean) => {
    const out: { x: number; y: number }[] = [];
    for (let i = 0; i < training.length; i++)
      if (keep(i) && Number.isFinite(training[i]) && Number.isFinite(validation[i]))
        out.push({ x: training[i], y: validation[i] });
    return out;
  };
  const chosen = points((i) => i === selected);
  const rho = options.rho === null ? 'undefined' : options.rho.toFixed(2);
  const shown =
    options.total && options.total > training.length
      ? `${training.length.toLocaleString('en')} of ${options.total.toLocaleString('en')} strategies shown; `
      : '';
  return withChart(
    {
      type: 'scatter',
      data: {
        datasets: [
          {
            label: 'selected strategy',
            data: chosen,
            backgroundColor: COLORS.validation,
            borderColor: '#9a3412',
            pointRadius: 8,
            borderWidth: 2,
          },
          {
            label: 'eligible strategies',
            data: points((i) => Boolean(eligible[i]) && i !== selected),
            backgroundColor: 'rgba(37, 99, 235, 0.45)',
            pointRadius: 3,
          },
          {
            label: 'too few trades to be selected',
            data: points((i) => !eligible[i] && i !== selected),
            backgroundColor: 'rgba(156, 163, 175, 0.45)',
            pointRadius: 2.5,
          },
        ],
      },
      options: {
        plugins: {
          title: title(`${metricLabel}: training vs validation, every strategy`),
          subtitle: subtitle(
            `${shown}Spearman rank correlation over all strategies ρ = ${rho}: near 0, a good training score says nothing about validation`,
          ),
          legend: { position: 'bottom' },
        },
        scales: {
          x: {
            title: { display: true, text: `${metricLabel} on training` },
            ticks: { callback: (v) => formatValue(Number(v), format) },
            grid: { color: COLORS.grid },
          },
          y: {
            title: { display: true, text: `${metricLabel} on validation` },
            ticks: { callback: (v) => formatValue(Number(v), format) },
            grid: { color: COLORS.grid },
          },
        },
      },
      plugins: [diagonal],
    },
    ...size(options),
    encodePng,
  );
}

export interface LogitsOptions {
  logits: ArrayLike<number>;
  pbo: number;
  partitions: number;
  /** What strategies were ranked by in each half: the run's selection metric. */
  rankedBy: string;
  width?: number;
  height?: number;
}

/** pbo_logits.png: the histogram of λ; the mass at λ ≤ 0 (red) is the PBO. */
export async function renderPboLogits(options: LogitsOptions): Promise<Buffer> {
  const logits = Array.from(options.logits).filter(Number.isFinite);
  if (logits.length === 0) throw new Error('no logits to draw');
  const lo = Math.min(...logits, -0.5);
  const hi = Math.max(...logits, 0.5);
  const bins = 40;
  const step = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const l of logits) counts[Math.min(bins - 1, Math.floor((l - lo) / step))]++;
  const centre = (i: number) => lo + (i + 0.5) * step;
  const share = (i: number) => counts[i] / logits.length;
  return withChart(
    {
      type: 'bar',
      data: {
        datasets: [
          {
            label: 'share of splits',
            data: counts.map((_, i) => ({ x: centre(i), y: share(i) })),
            backgroundColor: counts.map((_, i) =>
              centre(i) <= 0 ? 'rgba(220, 38, 38, 0.65)' : 'rgba(37, 99, 235, 0.55)',
            ),
            barPercentage: 1,
            categoryPercentage: 1,
            borderWidth: 0,
          },
        ],
      },
      options: {
        plugins: {
          title: title(`Probability of backtest overfitting: PBO = ${options.pbo.toFixed(2)}`),
          subtitle: subtitle(
            `Ranked by ${options.rankedBy}. λ = logit of the out-of-sample rank of the in-sample best, over ${logits.length} splits of ${options.partitions} partitions; red (λ ≤ 0): it fell to the bottom half`,
          ),
          legend: { display: false },
        },
        scales: {
          x: {
            type: 'linear',
            min: lo,
            max: hi,
            title: { display: true, text: 'logit λ  (0 = median out of sample)' },
            grid: { color: COLORS.grid },
          },
          y: {
            title: { display: true, text: 'Share of splits' },
            ticks: { callback: (v) => formatValue(Number(v), 'percent') },
            beginAtZero: true,
            grid: { color: COLORS.grid },
          },
        },
      },
      plugins: [
        {
          id: 'zero',
          afterDatasetsDraw: (chart) => {
            const { ctx, chartArea, scales } = chart;
            const x = scales.x.getPixelForValue(0);
            ctx.save();
            ctx.strokeStyle = LOSS;
            ctx.lineWidth = 2;
            ctx.beginPath();
            ctx.moveTo(x, chartArea.top);
            ctx.lineTo(x, chartArea.bottom);
            ctx.stroke();
            ctx.restore();
          },
        },
      ],
    },
    ...size(options),
    encodePng,
  );
}

export interface ExpectedMaxOptions {
  /** E[max SR] (annual) for each N of `trials`. */
  trials: number[];
  expectedMax: number[];
  /** The selected strategy's training Sharpe, at the run's number of independent trials. */
  observed: { trials: number; sharpeAnnual: number; label: string };
  /** Training bars the Sharpe ratios are measured on (the curve's spread is 1/√(T − 1) a bar). */
  bars: number;
  width?: number;
  height?: number;
}

/** expected_max_sharpe.png: the training Sharpe the best of N skill-less strategies shows, against the selected one. */
export async function renderExpectedMaxSharpe(options: ExpectedMaxOptions): Promise<Buffer> {
  const { trials, expectedMax, observed } = options;
  return withChart(
    {
      type: 'line',
      data: {
        datasets: [
          {
            label: observed.label,
            data: [{ x: observed.trials, y: observed.sharpeAnnual }],
            backgroundColor: COLORS.validation,
            borderColor: '#9a3412',
            pointRadius: 9,
            pointBorderWidth: 2,
            showLine: false,
          },
          {
            label: 'expected best Sharpe of N independent strategies with no skill',
            data: trials.map((n, i) => ({ x: n, y: expectedMax[i] })),
            borderColor: COLORS.training,
            borderWidth: 2.5,
            pointRadius: 0,
          },
        ],
      },
      options: {
        parsing: false,
        plugins: {
          title: title('The best of many looks good by luck alone'),
          subtitle: subtitle(
            `E[max Sharpe] of N independent skill-less trials on ${options.bars.toLocaleString('en-US')} training bars; above the line beats it`,
          ),
          legend: { position: 'bottom' },
        },
        scales: {
          x: {
            type: 'logarithmic',
            title: { display: true, text: 'Independent strategies tried (N, log scale)' },
            grid: { color: COLORS.grid },
            ticks: {
              maxRotation: 0,
              autoSkip: false,
              callback: (v) => (Math.log10(Number(v)) % 1 === 0 ? Number(v).toLocaleString('en-US') : ''),
            },
          },
          y: { title: { display: true, text: 'Annualised Sharpe ratio' }, grid: { color: COLORS.grid } },
        },
      },
    },
    ...size(options),
    encodePng,
  );
}

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

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** walk_forward_equity.png: select on one fold, hold on the next, chained. */
export async function renderWalkForwardEquity(options: WalkForwardChartOptions): Promise<Buffer> {
  const { time, equity, buyAndHold, foldStarts, foldLabels } = options;
  const n = time.length;
  if (n < 2 || equity.length !== n || buyAndHold.length !== n)
    throw new Error(
      `walk-forward curves need ≥ 2 points and equal lengths (time ${n}, equity ${equity.length}, buy-and-hold ${buyAndHold.length})`,
    );
  return withChart(
    {
      type: 'line',
      data: {
        datasets: [
          {
            label: 'walk-forward: chosen on the previous fold',
            data: downsample(time, equity, 2000, 0),
            borderColor: COLORS.validation,
            borderWidth: 2,
            pointRadius: 0,
          },
          {
            label: 'buy and hold',
            data: downsample(time, buyAndHold, 2000, 0),
            borderColor: COLORS.benchmark,
            borderWidth: 1.5,
            pointRadius: 0,
          },
        ],
      },
      options: {
        parsing: false,
        plugins: {
          title: title(`Walk-forward equity: ${formatValue(options.totalReturn, 'percent')} out of sample`),
          subtitle: subtitle(
            'Each fold holds the strategy that scored best on the fold before it; growth of 1 unit, net of costs',
          ),
          legend: { position: 'bottom' },
        },
        scales: {
          x: {
            type: 'linear',
            min: time[0],
            max: time[n - 1],
            ticks: { maxTicksLimit: 8, callback: (v) => day(Number(v)) },
            grid: { color: COLORS.grid },
          },
          y: {
            title: { display: true, text: 'Equity (start = 1)' },
            grid: { color: COLORS.grid },
            ticks: { callback: (v) => formatValue(Number(v), 'number') },
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
