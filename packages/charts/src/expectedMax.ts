// expected_max_sharpe.png: the training Sharpe the best of N skill-less strategies shows on average, against the
// selected one. The curve is an average of the maximum, not a threshold: above it is not a significance test.
import { niceTicks, type Axis } from './axes';
import { finiteExtent, linearScale, size, subtitle, title } from './figure';
import { COLORS, encodePng, withChart } from './render';

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

/** Powers of ten from 1 to the last that fits under `top`; every other one past six decades, so labels stay flat. */
export function decadeTicks(top: number): number[] {
  const decades = Math.max(1, Math.floor(Math.log10(Math.max(top, 10)) + 1e-9));
  const every = decades > 6 ? 2 : 1;
  return Array.from({ length: Math.floor(decades / every) + 1 }, (_, i) => 10 ** (i * every));
}

/** 1, 10, 100, 1k, 10k, 1M: short enough that a dozen fit in a row without rotating. */
export function shortCount(n: number): string {
  if (n >= 1e6) return `${n / 1e6}M`;
  if (n >= 1e3) return `${n / 1e3}k`;
  return String(n);
}

/** The Sharpe axis: the curve, the observed point and 0 (a Sharpe below the no-skill start is read against 0). */
export function sharpeAxis(expectedMax: ArrayLike<number>, observed: number): Axis & { step: number } {
  const [lo, hi] = finiteExtent(expectedMax, [observed, 0]);
  return niceTicks(lo, hi, { maxTicks: 8 });
}

export async function renderExpectedMaxSharpe(options: ExpectedMaxOptions): Promise<Buffer> {
  const { trials, expectedMax, observed } = options;
  const top = Math.max(...trials, observed.trials);
  const ticks = decadeTicks(top);
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
            label: 'average best Sharpe of N independent strategies with no skill',
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
          title: title('How high the best of N luck-only strategies reaches'),
          subtitle: subtitle(
            `Average best training Sharpe of N skill-less trials on ${options.bars.toLocaleString('en-US')} bars; above the line: higher than that average (not a test by itself)`,
          ),
          legend: { position: 'bottom' },
        },
        scales: {
          x: {
            type: 'logarithmic',
            min: 1,
            max: top,
            title: { display: true, text: 'Independent strategies tried (N, log scale)' },
            grid: { color: COLORS.grid },
            afterBuildTicks: (scale) => {
              scale.ticks = ticks.map((value) => ({ value }));
            },
            ticks: { autoSkip: false, maxRotation: 0, callback: (v) => shortCount(Number(v)) },
          },
          y: {
            ...linearScale(sharpeAxis(expectedMax, observed.sharpeAnnual), 'number'),
            title: { display: true, text: 'Annualised Sharpe ratio' },
          },
        },
      },
    },
    ...size(options),
    encodePng,
  );
}
