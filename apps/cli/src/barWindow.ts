// The bars between two times (--from/--to, already read as epoch ms) as indices of the price series.

/**
 * The half-open index range [start, end) of the bars whose time lies in [from, to]; a missing bound is the
 * series' first or last bar. May be empty or hold one bar: the caller says why that is too few.
 */
export function barWindow(time: ArrayLike<number>, fromMs: number | undefined, toMs: number | undefined) {
  const n = time.length;
  const from = fromMs ?? time[0];
  const to = toMs ?? time[n - 1];
  let start = 0;
  while (start < n && time[start] < from) start++;
  let end = start;
  while (end < n && time[end] <= to) end++;
  return { start, end };
}
