// The bars between two dates: --from/--to parsed (ISO dates or times) and turned into indices of the price series.
import { timeFlag } from './flags';

/**
 * The half-open index range [start, end) of the bars whose time lies in [from, to]; a missing bound is the
 * series' first or last bar. May be empty or hold one bar: the caller says why that is too few.
 */
export function barWindow(time: ArrayLike<number>, fromFlag: string | undefined, toFlag: string | undefined) {
  const n = time.length;
  const from = timeFlag(fromFlag, '--from') ?? time[0];
  const to = timeFlag(toFlag, '--to') ?? time[n - 1];
  let start = 0;
  while (start < n && time[start] < from) start++;
  let end = start;
  while (end < n && time[end] <= to) end++;
  return { start, end };
}
