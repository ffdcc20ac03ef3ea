// Walk-forward: the honest way to use a selection rule. Cut the history into k folds; pick the best strategy on
// fold i by the selection metric, then hold it on fold i + 1, which it was not chosen on; chain those
// out-of-sample stretches into one equity curve. Each fold's scores use only that fold's bars, so nothing
// chosen ever sees the bars it is judged on.
import { InputError } from '../errors';
import type { BarWindow } from '../types';

export interface WalkForwardInput {
  /** The bars to roll over, cut into `folds` equal folds (the last one takes the remainder). */
  window: BarWindow;
  folds: number;
  /** Per fold, the selection metric of every strategy (higher is better; NaN = not eligible). */
  scores: (fold: BarWindow) => ArrayLike<number>;
  /** Net per-bar returns of one strategy over a window. */
  returns: (strategy: number, window: BarWindow) => ArrayLike<number>;
}

export interface WalkForwardFold {
  /** Where the strategy was selected, and where it was then held. */
  selectedOn: BarWindow;
  heldOn: BarWindow;
  /** Index of the selected strategy; null when no strategy was eligible (the fold is then held flat). */
  selected: number | null;
  inSample: number | null;
  outOfSample: number | null;
  /** Compounded net return over the held fold. */
  heldReturn: number;
}

export interface WalkForwardResult {
  folds: WalkForwardFold[];
  /** Equity over every held bar, chained across folds, starting from 1 before the first. */
  equity: Float64Array;
  totalReturn: number;
}

export function foldWindows(window: BarWindow, folds: number): BarWindow[] {
  const bars = window.end - window.start;
  if (!Number.isInteger(folds) || folds < 2 || folds > bars / 2)
    throw new InputError(`must be a whole number from 2 to ${Math.floor(bars / 2)} (got ${folds})`, 'folds');
  const size = Math.floor(bars / folds);
  return Array.from({ length: folds }, (_, i) => ({
    start: window.start + i * size,
    end: i === folds - 1 ? window.end : window.start + (i + 1) * size,
  }));
}

/** Highest finite score, the earliest strategy on ties (as the select stage breaks them). */
function argmax(scores: ArrayLike<number>): number | null {
  let best: number | null = null;
  for (let i = 0; i < scores.length; i++)
    if (Number.isFinite(scores[i]) && (best === null || scores[i] > scores[best])) best = i;
  return best;
}

export function walkForward(input: WalkForwardInput): WalkForwardResult {
  const windows = foldWindows(input.window, input.folds);
  const heldBars = input.window.end - windows[1].start;
  const equity = new Float64Array(heldBars);
  let level = 1,
    at = 0;
  let scores = input.scores(windows[0]);
  const folds: WalkForwardFold[] = [];
  for (let i = 0; i + 1 < windows.length; i++) {
    const next = input.scores(windows[i + 1]);
    const selected = argmax(scores);
    const held = windows[i + 1];
    const start = level;
    if (selected === null) {
      equity.fill(level, at, at + held.end - held.start);
      at += held.end - held.start;
    } else {
      const r = input.returns(selected, held);
      for (let t = 0; t < r.length; t++) equity[at++] = level *= 1 + r[t];
    }
    const value = (x: number) => (Number.isFinite(x) ? x : null);
    folds.push({
      selectedOn: windows[i],
      heldOn: held,
      selected,
      inSample: selected === null ? null : value(scores[selected]),
      outOfSample: selected === null ? null : value(next[selected]),
      heldReturn: level / start - 1,
    });
    scores = next;
  }
  return { folds, equity, totalReturn: level - 1 };
}
