// is_vs_oos_scatter.png: every strategy's training vs validation score. Points on the diagonal kept their score
// out of sample; the Spearman ρ says whether a good training score tells anything about validation.
import { niceTicks, type Axis } from './axes';
import { finiteExtent, linearScale, size, subtitle, title } from './figure';
import { COLORS, encodePng, withChart } from './render';

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

/**
 * One axis for both windows (so the diagonal is the 45° "same on both" line), over every drawn value. The
 * diagonal's label lives in the legend: no place inside a cloud of thousands of points is sure to be empty.
 */
export function scatterAxis(training: ArrayLike<number>, validation: ArrayLike<number>): Axis & { step: number } {
  const [lo, hi] = finiteExtent(training, validation);
  const nice = Number.isFinite(lo) ? niceTicks(lo, hi, { maxTicks: 11 }) : niceTicks(0, 1);
  // 2 % beyond the end ticks, so a point on an end (a 100 % win rate) is drawn whole, not cut by the border.
  const pad = (nice.max - nice.min) * 0.02;
  return { ...nice, min: nice.min - pad, max: nice.max + pad };
}

/** What ρ says, in words that agree with its value. */
export function rhoReading(rho: number | null): string {
  if (rho === null) return 'ρ is undefined (a score is the same for every strategy)';
  const value = `ρ = ${rho.toFixed(2)}`;
  if (Math.abs(rho) < 0.2) return `${value}: near 0, a good training score says little about validation`;
  if (rho > 0) return `${value}: strategies that rank high in training tend to rank high on validation too`;
  return `${value}: strategies that rank high in training tend to rank low on validation`;
}

export async function renderIsOosScatter(options: ScatterOptions): Promise<Buffer> {
  const { training, validation, eligible, selected, metricLabel, format = 'number' } = options;
  const points = (keep: (i: number) => boolean) => {
    const out: { x: number; y: number }[] = [];
    for (let i = 0; i < training.length; i++)
      if (keep(i) && Number.isFinite(training[i]) && Number.isFinite(validation[i]))
        out.push({ x: training[i], y: validation[i] });
    return out;
  };
  const axis = scatterAxis(training, validation);
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
            data: points((i) => i === selected),
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
          {
            type: 'line',
            label: 'same score on both windows',
            data: [
              { x: axis.min, y: axis.min },
              { x: axis.max, y: axis.max },
            ],
            borderColor: COLORS.benchmark,
            borderDash: [6, 4],
            borderWidth: 1.5,
            pointRadius: 0,
            order: 10, // drawn under the points
          },
        ],
      },
      options: {
        plugins: {
          title: title(`${metricLabel}: training vs validation, every strategy`),
          subtitle: subtitle(`${shown}Spearman rank correlation over all strategies ${rhoReading(options.rho)}`),
          legend: { position: 'bottom' },
        },
        scales: {
          x: { ...linearScale(axis, format), title: { display: true, text: `${metricLabel} on training` } },
          y: { ...linearScale(axis, format), title: { display: true, text: `${metricLabel} on validation` } },
        },
      },
    },
    ...size(options),
    encodePng,
  );
}
