import { createRng } from '../../src';

/** Seeded standard normal draws (Box–Muller on the project's generator). */
export function normals(seed: number) {
  const rng = createRng(seed);
  return (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** n series of T i.i.d. normal returns with the given per-bar means and standard deviation. */
export function noiseMatrix(
  n: number,
  T: number,
  seed: number,
  mean: (k: number) => number = () => 0,
  sd = 0.01,
): Float64Array[] {
  const draw = normals(seed);
  return Array.from({ length: n }, (_, k) => Float64Array.from({ length: T }, () => mean(k) + sd * draw()));
}
