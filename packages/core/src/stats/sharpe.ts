// Is a Sharpe ratio real, given how it was found? The probabilistic and deflated Sharpe ratios and the minimum
// track record length (Bailey & López de Prado 2012, 2014), the minimum backtest length (Bailey, Borwein,
// López de Prado & Zhu 2014) and the haircut Sharpe ratio (Harvey & Liu 2015). Sharpe ratios are per bar.
import { InputError } from '../errors';
import { normalCdf, normalQuantile } from './normal';

export const EULER_MASCHERONI = 0.5772156649015329;

function check(ok: boolean, field: string, rule: string, value: unknown): void {
  if (!ok) throw new InputError(`must be ${rule} (got ${value})`, field);
}

/** 1 − γ3·SR + (γ4 − 1)/4 · SR²: how non-normal returns widen the Sharpe ratio's standard error. */
function sharpeVarianceFactor(sharpe: number, skewness: number, kurtosis: number): number {
  check(Number.isFinite(skewness), 'skewness', 'finite', skewness);
  check(Number.isFinite(kurtosis) && kurtosis >= 1, 'kurtosis', 'Pearson kurtosis ≥ 1 (3 for a normal)', kurtosis);
  const factor = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (!(factor > 0))
    throw new InputError(
      `1 − skewness·SR + (kurtosis − 1)/4·SR² is ${factor}, not positive: these moments cannot come from one series`,
      'skewness',
    );
  return factor;
}

export interface PsrInput {
  sharpe: number;
  benchmarkSharpe: number;
  observations: number;
  skewness: number;
  kurtosis: number;
}

/** PSR: the probability that the true Sharpe exceeds the benchmark, given T observations and their moments. */
export function probabilisticSharpeRatio({
  sharpe,
  benchmarkSharpe,
  observations,
  skewness,
  kurtosis,
}: PsrInput): number {
  check(Number.isFinite(sharpe), 'sharpe', 'finite', sharpe);
  check(Number.isFinite(benchmarkSharpe), 'benchmarkSharpe', 'finite', benchmarkSharpe);
  check(Number.isInteger(observations) && observations >= 2, 'observations', 'an integer ≥ 2', observations);
  const factor = sharpeVarianceFactor(sharpe, skewness, kurtosis);
  return normalCdf(((sharpe - benchmarkSharpe) * Math.sqrt(observations - 1)) / Math.sqrt(factor));
}

/** MinTRL: the bars of track record needed for PSR(benchmark) to reach `confidence`; Infinity if SR ≤ SR*. */
export function minimumTrackRecordLength(input: Omit<PsrInput, 'observations'> & { confidence: number }): number {
  const { sharpe, benchmarkSharpe, skewness, kurtosis, confidence } = input;
  // Without these checks a NaN benchmark fell through `!(SR > SR*)` and came back as "never" (Infinity).
  check(Number.isFinite(sharpe), 'sharpe', 'finite', sharpe);
  check(Number.isFinite(benchmarkSharpe), 'benchmarkSharpe', 'finite', benchmarkSharpe);
  check(confidence > 0 && confidence < 1, 'confidence', 'strictly between 0 and 1', confidence);
  const factor = sharpeVarianceFactor(sharpe, skewness, kurtosis);
  if (!(sharpe > benchmarkSharpe)) return Number.POSITIVE_INFINITY;
  return 1 + factor * (normalQuantile(confidence) / (sharpe - benchmarkSharpe)) ** 2;
}

/**
 * (1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)): the expected maximum of N independent standard normals. Computed as
 * −(1 − γ)·Φ⁻¹(1/N) − γ·Φ⁻¹(1/(N·e)) (Φ⁻¹(1 − q) = −Φ⁻¹(q)): 1 − 1/N keeps only ~16 − log10 N digits of 1/N, which
 * made the value drift from N ≈ 1e12 and become Infinity at N = 2^53 (1 − 2^−53 rounds to 1).
 */
export function expectedMaxStandardNormal(trials: number): number {
  check(Number.isInteger(trials) && trials >= 1, 'trials', 'an integer ≥ 1', trials);
  if (trials === 1) return 0; // one draw: its expectation; the approximation's Φ⁻¹(0) has no meaning there
  return (
    -(1 - EULER_MASCHERONI) * normalQuantile(1 / trials) - EULER_MASCHERONI * normalQuantile(1 / (trials * Math.E))
  );
}

/** E[max SR] of N unskilled trials whose Sharpe ratios vary with variance V across trials. */
export function expectedMaxSharpe({ trials, sharpeVariance }: { trials: number; sharpeVariance: number }): number {
  check(Number.isFinite(sharpeVariance) && sharpeVariance >= 0, 'sharpeVariance', 'finite and ≥ 0', sharpeVariance);
  return Math.sqrt(sharpeVariance) * expectedMaxStandardNormal(trials);
}

/** DSR: PSR against the Sharpe the best of N unskilled trials would show: is the best better than luck? */
export function deflatedSharpeRatio(
  input: Omit<PsrInput, 'benchmarkSharpe'> & { trials: number; sharpeVariance: number },
): number {
  const benchmarkSharpe = expectedMaxSharpe(input);
  return probabilisticSharpeRatio({ ...input, benchmarkSharpe });
}

/** MinBTL in years: below it, N trials can be expected to show an annual Sharpe of `targetSharpe` from noise. */
export function minimumBacktestLength({ trials, targetSharpe }: { trials: number; targetSharpe: number }): number {
  check(
    Number.isFinite(targetSharpe) && targetSharpe > 0,
    'targetSharpe',
    'a positive annual Sharpe ratio',
    targetSharpe,
  );
  return (expectedMaxStandardNormal(trials) / targetSharpe) ** 2;
}

export type HaircutMethod = 'bonferroni' | 'holm' | 'bhy';

export interface HaircutInput {
  sharpe: number;
  observations: number;
  trials: number;
  method: HaircutMethod;
  /**
   * Per-bar Sharpe ratios of all trials (the tested one included) for Holm and BHY, which adjust by the order of
   * every trial's p-value. Without them the tested one is taken as the most significant of the N trials.
   */
  allSharpes?: ArrayLike<number>;
}

export interface HaircutResult {
  /**
   * One-sided p-value of t = SR·√T for H1: SR > 0, unadjusted: Φ(−t). A trading strategy is a discovery only if it
   * makes money, so a strongly losing one has p near 1, not near 0 (the two-sided p counted them as discoveries).
   */
  pValue: number;
  /** The p-value adjusted for the N trials (Bonferroni, Holm or BHY over all trials' one-sided p-values). */
  adjustedPValue: number;
  /**
   * The Sharpe ratio whose single-test p-value is the adjusted one: t* / √T with t* = −Φ⁻¹(p*), floored at 0 (p* ≥ 1/2:
   * no evidence of SR > 0 is left) and never above SR. Unchanged (= SR) when nothing was adjusted (p* = p) and for
   * SR ≤ 0, which has no positive Sharpe to take a haircut from.
   */
  haircutSharpe: number;
  /** 1 − haircut SR / SR: the share of the Sharpe ratio attributed to the number of trials; 0 for SR ≤ 0. */
  haircut: number;
}

/** Φ(−SR·√T): the one-sided p-value of H1: SR > 0. */
const oneSidedP = (sharpe: number, observations: number) => normalCdf(-sharpe * Math.sqrt(observations));

/** Holm's step-down and BHY's step-up adjusted p-value of the trial whose raw p-value is `p`, among `all`. */
function adjustedP(method: HaircutMethod, p: number, trials: number, all: number[] | undefined): number {
  if (method === 'bonferroni') return Math.min(1, trials * p);
  const sorted = all ? [...all].sort((a, b) => a - b) : [p];
  // Its position among the ordered p-values (1-based; the first of equal ones, which gives the smaller p*).
  let position = sorted.findIndex((q) => q >= p) + 1;
  if (position === 0) position = sorted.length;
  if (method === 'holm') {
    // p*(i) = max over j ≤ i of min(1, (N − j + 1)·p(j))
    let adjusted = 0;
    for (let j = 1; j <= position; j++) adjusted = Math.max(adjusted, Math.min(1, (trials - j + 1) * sorted[j - 1]));
    return adjusted;
  }
  // BHY: p*(i) = min over j ≥ i of min(1, N·c(N)·p(j) / j), c(N) = Σ 1/k
  let c = 0;
  for (let k = 1; k <= trials; k++) c += 1 / k;
  let adjusted = 1;
  for (let j = Math.max(position, 1); j <= sorted.length; j++)
    adjusted = Math.min(adjusted, (trials * c * sorted[j - 1]) / j);
  return Math.min(1, adjusted);
}

export function haircutSharpe({ sharpe, observations, trials, method, allSharpes }: HaircutInput): HaircutResult {
  check(Number.isFinite(sharpe), 'sharpe', 'finite', sharpe);
  check(Number.isInteger(observations) && observations >= 2, 'observations', 'an integer ≥ 2', observations);
  check(Number.isInteger(trials) && trials >= 1, 'trials', 'an integer ≥ 1', trials);
  check(['bonferroni', 'holm', 'bhy'].includes(method), 'method', 'bonferroni, holm or bhy', method);
  if (allSharpes && allSharpes.length !== trials)
    throw new InputError(`has ${allSharpes.length} values but trials is ${trials}`, 'allSharpes');
  const pValue = oneSidedP(sharpe, observations);
  const all = allSharpes
    ? Array.from(allSharpes, (s) => (Number.isFinite(s) ? oneSidedP(s, observations) : 1))
    : undefined;
  const adjustedPValue = adjustedP(method, pValue, trials, all);
  if (!(sharpe > 0) || adjustedPValue === pValue) return { pValue, adjustedPValue, haircutSharpe: sharpe, haircut: 0 };
  // t* = −Φ⁻¹(p*) from the small tail: Φ⁻¹(1 − p*) loses digits as p* → 0 and is ∞ once 1 − p* rounds to 1 (t ≳ 8).
  const haircutT = Math.max(0, -normalQuantile(adjustedPValue));
  const haircut = Math.min(sharpe, haircutT / Math.sqrt(observations));
  return { pValue, adjustedPValue, haircutSharpe: haircut, haircut: 1 - haircut / sharpe };
}
