// "Did you mean": the known name nearest to what was typed, by Damerau–Levenshtein distance (optimal string
// alignment: an insertion, a deletion, a substitution or a swap of two neighbours each cost 1), so `--strategie`,
// `--stratgeies` and `--seleect-by` each find their flag.

/** Edits (insert, delete, substitute, swap neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known name nearest to `typed`: the only one it begins (`--strat` → strategies), or the closest within a third
 * of its length (at least 1, at most 3 edits); undefined when nothing is that close, since a far guess misleads.
 */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  const prefixed = known.filter((name) => word.length >= 3 && name.startsWith(word));
  if (prefixed.length === 1) return prefixed[0];
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of known) {
    const distance = editDistance(word, name);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

/** "; did you mean --strategies?" or nothing, to end a message about an unknown name. */
export function didYouMean(typed: string, known: readonly string[], prefix = ''): string {
  const found = nearest(typed, known);
  return found === undefined ? '' : `; did you mean ${prefix}${found}?`;
}
