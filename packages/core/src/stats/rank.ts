// Rank correlation between two scores of the same strategies (e.g. the selection metric on training and on
// validation). If selection found skill, strategies good in training stay good; ρ near 0 means ranking by the
// training metric carries no information about the future.
import { InputError } from '../errors';

/** Ranks 1…n, ties sharing the average of the ranks they span. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let j = start; j < end; j++) ranks[order[j]] = rank;
    start = end;
  }
  return ranks;
}

/** Spearman's ρ over the pairs where both values are defined (finite); NaN when either side has no variation. */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): { rho: number; pairs: number } {
  if (x.length !== y.length)
    throw new InputError(`needs two series of equal length (got ${x.length} and ${y.length})`, 'spearman');
  const kept: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]) && Number.isFinite(y[i])) kept.push(i);
  const n = kept.length;
  if (n < 2) return { rho: Number.NaN, pairs: n };
  const rx = averageRanks(kept.map((i) => x[i]));
  const ry = averageRanks(kept.map((i) => y[i]));
  const mean = (n + 1) / 2;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i] - mean,
      dy = ry[i] - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return { rho: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN, pairs: n };
}
