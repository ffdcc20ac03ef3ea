// Seeded randomness. Every random draw in a run comes from here, so the same seed gives the same run on any
// machine: 32-bit integer arithmetic only (Math.imul, >>> 0), no Math.random.

/** mulberry32: small, fast, and good enough for drawing parameters; period 2^32. */
export function createRng(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    /** Uniform in [0, 1). */
    next,
    /** Uniform integer in [lo, hi], both inclusive. */
    int: (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    /** k distinct items, in ascending order of their position in `items`. */
    sample: <T>(items: readonly T[], k: number): T[] => {
      const chosen = new Set<number>();
      while (chosen.size < k) chosen.add(Math.floor(next() * items.length));
      return [...chosen].sort((a, b) => a - b).map((i) => items[i]);
    },
    uint32: (): number => Math.floor(next() * 4294967296) >>> 0,
  };
}
export type Rng = ReturnType<typeof createRng>;

/** Mix a 32-bit value (murmur3 finaliser): small input changes flip about half the output bits. */
export function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A stateless hash of (seed, value) to [0, 1). coin_flip uses it with the bar's timestamp, so a strategy takes the
 * same position at the same instant whichever window or data slice it is run on.
 */
export function hashToUnit(seed: number, value: number): number {
  // Timestamps in ms fit in 53 bits: hash the low and high 32-bit halves separately.
  const low = (value % 4294967296) >>> 0;
  const high = Math.floor(value / 4294967296) >>> 0;
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  h = mix32(h ^ low);
  h = mix32(h ^ Math.imul(high, 0x27d4eb2d));
  return h / 4294967296;
}
