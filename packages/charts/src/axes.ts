// Axis ranges and ticks, as pure functions: Chart.js's own ticks gave odd ends (71.1 %, −103.7 %), let marked
// values fall off the axis and printed log labels over each other. Every figure takes its range and ticks from
// here, so a test can check on numbers alone that what a figure marks lies inside its axes.

export interface Axis {
  min: number;
  max: number;
  /** Tick values, ascending, all within [min, max]. */
  ticks: number[];
}

const MANTISSAS = [1, 2, 5];
/** Drop float noise from k·step (0.30000000000000004 → 0.3) so ticks compare and print exactly. */
const clean = (v: number) => Number(v.toPrecision(12));

/** The smallest step of the form {1, 2, 5} × 10^k that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) throw new Error(`a tick step must be positive and finite, not ${raw}`);
  const exponent = Math.floor(Math.log10(raw));
  for (const m of [...MANTISSAS, 10]) {
    const step = clean(m * 10 ** exponent);
    if (step >= raw * (1 - 1e-9)) return step;
  }
  return clean(10 ** (exponent + 1));
}

/** The 1-2-5 step just below `step`, so a too-sparse axis can be refined. */
function smallerStep(step: number): number {
  return niceStep(step / 2.5) < step ? niceStep(step / 2.5) : niceStep(step / 10);
}

const multiples = (lo: number, hi: number, step: number): number[] => {
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(clean(k * step));
  return out;
};

export interface NiceOptions {
  /** At most this many ticks (default 7, at least 5). */
  maxTicks?: number;
  /** Values the axis may not pass, e.g. −1 for a return (−100 %) or [0, 1] for a rate. */
  floor?: number;
  ceiling?: number;
}

/**
 * A linear axis from the data: ends rounded out to a 1-2-5 step, between 3 and maxTicks ticks, clamped to
 * floor/ceiling.
 */
export function niceTicks(min: number, max: number, options: NiceOptions = {}): Axis & { step: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new Error(`axis ends must be finite: ${min}, ${max}`);
  const maxTicks = Math.max(5, options.maxTicks ?? 7); // below 5, 3 ticks and 1-2-5 steps cannot always both hold
  const floor = options.floor ?? Number.NEGATIVE_INFINITY;
  const ceiling = options.ceiling ?? Number.POSITIVE_INFINITY;
  let [lo, hi] = min <= max ? [min, max] : [max, min];
  // Narrower than float noise (or a flat strategy): a range around the value rather than a zero-width axis.
  if (hi - lo <= 1e-9 * Math.max(1, Math.abs(lo))) {
    const half = Math.abs(lo) < 1e-9 ? 1 : Math.abs(lo) * 0.1;
    [lo, hi] = [lo - half, hi + half];
  }
  [lo, hi] = [Math.max(lo, floor), Math.min(hi, ceiling)];
  const layout = (step: number) => {
    const axisMin = Math.max(floor, clean(Math.floor(lo / step + 1e-9) * step));
    const axisMax = Math.min(ceiling, clean(Math.ceil(hi / step - 1e-9) * step));
    return { min: axisMin, max: axisMax, ticks: multiples(axisMin, axisMax, step), step };
  };
  // Bounded walks, fine to coarse: refine until 3 ticks, then coarsen while over maxTicks unless that drops below 3.
  let best = layout(niceStep((hi - lo) / (maxTicks - 1)));
  for (let i = 0; i < 40 && best.ticks.length < 3; i++) best = layout(smallerStep(best.step));
  for (let i = 0; i < 40 && best.ticks.length > maxTicks; i++) {
    const coarser = layout(niceStep(best.step * 1.01));
    if (coarser.ticks.length < 3) break;
    best = coarser;
  }
  return best;
}

/** Digits after the point that a step needs, so neighbouring tick labels never print the same. */
const decimalsFor = (step: number) => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));

/** A linear tick's label: as many decimals as the step needs (10 %, 12.5 % never "71.1 %" at the end). */
export function formatTick(value: number, step: number, format: 'percent' | 'number'): string {
  const scale = format === 'percent' ? 100 : 1;
  const d = decimalsFor(step * scale);
  const text = (value * scale).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  return format === 'percent' ? `${text} %` : text;
}

/** A log tick's label: 0.05, 0.6, 1, 20, 1,000 — one or two significant digits, so no trailing zeros. */
export function formatLogTick(value: number): string {
  return clean(value).toLocaleString('en-US', { maximumSignificantDigits: 6 });
}

export interface LogRangeOptions {
  /** Share of the plot's height left empty above the data (labels drawn at the top sit there), default 0.12. */
  headroom?: number;
  /** Share left below the data, default 0.04: a line touching the bottom edge reads as cut. */
  footroom?: number;
}

/** A log axis's ends: the data's range with room above and below, so the line never runs off the axis. */
export function logRange(min: number, max: number, options: LogRangeOptions = {}): { min: number; max: number } {
  if (!(min > 0) || !(max >= min) || !Number.isFinite(max))
    throw new Error(`a log axis needs 0 < min ≤ max: ${min}, ${max}`);
  const headroom = options.headroom ?? 0.12;
  const footroom = options.footroom ?? 0.04;
  // At least ±2 % around a flat line, so it is drawn as a line in the middle rather than on an edge.
  const span = Math.max(Math.log10(max) - Math.log10(min), 0.02);
  const body = span / (1 - headroom - footroom);
  const mid = (Math.log10(max) + Math.log10(min)) / 2;
  const bottom = mid - span / 2 - footroom * body;
  return { min: 10 ** bottom, max: 10 ** (bottom + body) };
}

/**
 * Ticks for a log axis from min to max drawn `pixels` tall: 1-2-5 in every decade when they fit (labels at least
 * minGap pixels apart), else 1 per decade or per few decades; on a range too narrow for three of those (0.6–1.0)
 * linear 1-2-5 steps (0.6, 0.8, 1). Always at least 3 ticks inside the range.
 */
export function logTicks(min: number, max: number, pixels = 400, minGap = 22): number[] {
  if (!(min > 0) || !(max > min)) throw new Error(`log ticks need 0 < min < max: ${min}, ${max}`);
  const [lmin, lmax] = [Math.log10(min), Math.log10(max)];
  const gapOk = (ticks: number[]) =>
    ticks.every((t, i) => i === 0 || ((Math.log10(t) - Math.log10(ticks[i - 1])) / (lmax - lmin)) * pixels >= minGap);
  const decades = (mantissas: number[], every: number) => {
    const out: number[] = [];
    for (let e = Math.floor(lmin); e <= Math.ceil(lmax); e++) {
      if (e % every !== 0) continue;
      for (const m of mantissas) {
        const v = clean(m * 10 ** e);
        if (v >= min && v <= max) out.push(v);
      }
    }
    return out;
  };
  const candidates = [decades(MANTISSAS, 1), decades([1], 1), decades([1], 2), decades([1], 3), decades([1], 5)];
  for (const ticks of candidates) {
    if (ticks.length >= 3 && gapOk(ticks)) return ticks;
    // Fewer than 3 here means the range is narrow: sparser decades would be worse, go linear.
    if (ticks.length < 3) break;
  }
  // Linear 1-2-5 steps (0.6, 0.8, 1): the coarsest with 4 ticks whose labels stay apart, else with 3.
  let step = niceStep(max - min);
  let three: number[] | undefined;
  for (let i = 0; i < 60; i++, step = smallerStep(step)) {
    const ticks = multiples(min, max, step).filter((t) => t > 0);
    if (ticks.length >= 3 && !gapOk(ticks)) break; // finer steps only crowd the labels more
    if (ticks.length >= 4) return ticks;
    if (ticks.length === 3) three ??= ticks;
  }
  if (three) return three;
  // Labels cannot be both 3 and apart (a tiny plot): three evenly spaced in log, rounded to 2 digits.
  return [0.15, 0.5, 0.85].map((f) => Number((10 ** (lmin + f * (lmax - lmin))).toPrecision(2)));
}
