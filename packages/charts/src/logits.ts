// pbo_logits.png: the CSCV logits λ; the mass at λ ≤ 0 (red) is the probability of backtest overfitting.
import { niceTicks, type Axis } from './axes';
import { linearScale, size, subtitle, title } from './figure';
import { encodePng, withChart } from './render';

const LOSS = '#dc2626';

export interface LogitsOptions {
  logits: ArrayLike<number>;
  pbo: number;
  partitions: number;
  /** What strategies were ranked by in each half: the run's selection metric. */
  rankedBy: string;
  width?: number;
  height?: number;
}

/** The λ axis: every logit and 0 (the line that splits red from blue), ends rounded to a 1-2-5 step. */
export function logitAxis(logits: number[]): Axis & { step: number } {
  return niceTicks(Math.min(...logits, -0.5), Math.max(...logits, 0.5), { maxTicks: 11 });
}

/** pbo_logits.png: the histogram of λ; the mass at λ ≤ 0 (red) is the PBO. */
export async function renderPboLogits(options: LogitsOptions): Promise<Buffer> {
  const logits = Array.from(options.logits).filter(Number.isFinite);
  if (logits.length === 0) throw new Error('no logits to draw');
  // Bins span the rounded axis (always across λ = 0), so the ticks are round numbers such as −4, −2, 0, 2.
  const axis = logitAxis(logits);
  const [lo, hi] = [axis.min, axis.max];
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
            ...linearScale(axis, 'number'),
            title: { display: true, text: 'logit λ  (0 = median out of sample)' },
          },
          y: {
            ...linearScale(niceTicks(0, Math.max(...counts) / logits.length, { maxTicks: 6 }), 'percent'),
            title: { display: true, text: 'Share of splits' },
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
