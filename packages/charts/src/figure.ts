// What every Chart.js figure shares: its size, title and subtitle styles, and axes whose range and ticks come from
// the pure functions of axes.ts rather than from Chart.js's own tick generation.
import type { Scale } from 'chart.js';
import { formatLogTick, formatTick, logTicks, type Axis } from './axes';
import { COLORS } from './render';

export const size = (o: { width?: number; height?: number }) => [o.width ?? 1000, o.height ?? 560] as const;
export const title = (text: string) => ({ display: true, text, font: { size: 18, weight: 600 as const } });
// Padding below the subtitle: the top tick label is centred on the plot's top edge and would touch it otherwise.
export const subtitle = (text: string) => ({
  display: true,
  text,
  color: COLORS.muted,
  padding: { top: 0, bottom: 12 },
});

const setTicks = (scale: Scale, values: number[]) => {
  scale.ticks = values.map((value) => ({ value }));
};

/** A linear scale drawn exactly as `axis` says: its ends, its ticks, labels with the decimals its step needs. */
export function linearScale(axis: Axis & { step: number }, format: 'percent' | 'number') {
  return {
    type: 'linear' as const,
    min: axis.min,
    max: axis.max,
    afterBuildTicks: (scale: Scale) => setTicks(scale, axis.ticks),
    ticks: {
      autoSkip: false,
      maxRotation: 0,
      callback: (v: number | string) => formatTick(Number(v), axis.step, format),
    },
    grid: { color: COLORS.grid },
  };
}

/** A vertical log scale over [min, max] whose ticks are chosen for the height it gets, so labels never overlap. */
function logScale(range: { min: number; max: number }) {
  return {
    type: 'logarithmic' as const,
    min: range.min,
    max: range.max,
    // The scale's height is known here (set before ticks are built); 400 px if a Chart.js version says otherwise.
    afterBuildTicks: (scale: Scale) =>
      setTicks(scale, logTicks(range.min, range.max, scale.height > 50 ? scale.height : 400)),
    ticks: { autoSkip: false, maxRotation: 0, callback: (v: number | string) => formatLogTick(Number(v)) },
    grid: { color: COLORS.grid },
  };
}

/** The smallest and largest finite values of some series (NaN, NaN when there are none). */
export function finiteExtent(...series: ArrayLike<number>[]): [number, number] {
  let [lo, hi] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const s of series)
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    }
  return lo <= hi ? [lo, hi] : [Number.NaN, Number.NaN];
}

/** Are all values > 0, so a log axis can show them? */
export function allPositive(...series: ArrayLike<number>[]): boolean {
  for (const s of series) for (let i = 0; i < s.length; i++) if (!(s[i] > 0)) return false;
  return true;
}

export const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A time x axis from `first` to `last` (epoch ms), labelled by day: the equity and walk-forward figures share it. */
export const timeAxis = (first: number, last: number) => ({
  type: 'linear' as const,
  min: first,
  max: last,
  ticks: { maxTicksLimit: 8, maxRotation: 0, callback: (v: string | number) => day(Number(v)) },
  grid: { color: COLORS.grid },
});

/** An equity y axis (growth of 1), logarithmic when the range asks for it, with its title. */
export const equityScale = (axis: { min: number; max: number; log: true } | (Axis & { step: number; log: false })) => ({
  ...(axis.log ? logScale(axis) : linearScale(axis, 'number')),
  title: { display: true, text: `Equity (start = 1${axis.log ? ', log scale' : ''})` },
});
