// How many independent trials a search really made. Five hundred strategies drawn from nine families are not five
// hundred independent bets: two moving-average crosses with nearby periods hold the same position most of the
// time. The deflated Sharpe ratio needs the number of independent trials (Bailey & López de Prado 2014, appendix),
// and counting every strategy makes luck's benchmark too high to ever clear.
//
// The estimate here is the participation ratio of the eigenvalues of the strategies' correlation matrix,
// (Σλ)² / Σλ² = N² / ‖C‖²_F = N / (1 + (N − 1)·ρ̄²), with ρ̄² the mean squared correlation between two different
// strategies. N identical strategies give 1, N independent ones N, k independent groups of equal size k.
// Correlations come from the per-block return sums (64 observations per strategy); with B observations two
// independent series still show E[r²] = 1/(B − 1), so ρ̄² is debiased by that before use.
import { InputError } from '../errors';

export interface EffectiveTrials {
  /** Strategies whose block sums vary (a strategy that never trades is the same flat series as every other). */
  varying: number;
  /** Mean squared correlation between two different varying strategies, debiased for the B observations. */
  meanSquaredCorrelation: number;
  /** N / (1 + (N − 1)·ρ̄²), at least 1 (0 when nothing varies). */
  trials: number;
}

/**
 * Effective number of independent trials among `strategies` series of `blocks` observations each, laid out
 * [i · blocks + b]. Cost: N · B², never an N × N matrix (‖C‖_F = ‖Σ zᵢzᵢᵀ‖_F, a B × B Gram matrix).
 */
export function effectiveTrials(sums: ArrayLike<number>, strategies: number, blocks: number): EffectiveTrials {
  if (!Number.isInteger(blocks) || blocks < 3) throw new InputError(`needs at least 3 observations per strategy (got ${blocks})`, 'blocks');
  if (sums.length !== strategies * blocks) throw new InputError(`holds ${sums.length} values, expected ${strategies} × ${blocks}`, 'sums');
  const gram = new Float64Array(blocks * blocks);
  const z = new Float64Array(blocks);
  let varying = 0;
  for (let i = 0; i < strategies; i++) {
    let mean = 0;
    for (let b = 0; b < blocks; b++) {
      const v = sums[i * blocks + b];
      if (!Number.isFinite(v)) throw new InputError(`must be finite (strategy ${i}, block ${b} is ${v})`, 'sums');
      mean += v / blocks;
    }
    let norm = 0;
    for (let b = 0; b < blocks; b++) {
      z[b] = sums[i * blocks + b] - mean;
      norm += z[b] * z[b];
    }
    // Rounding noise around a constant (a strategy that never trades) is not a series.
    if (!(norm > blocks * (mean * 1e-12) ** 2) || norm === 0) continue;
    varying++;
    const scale = 1 / Math.sqrt(norm);
    for (let b = 0; b < blocks; b++) z[b] *= scale;
    for (let a = 0; a < blocks; a++) {
      const za = z[a];
      if (za === 0) continue;
      for (let b = 0; b < blocks; b++) gram[a * blocks + b] += za * z[b];
    }
  }
  if (varying < 2) return { varying, meanSquaredCorrelation: Number.NaN, trials: varying };
  let frobenius = 0;
  for (let k = 0; k < gram.length; k++) frobenius += gram[k] * gram[k];
  const raw = (frobenius - varying) / (varying * (varying - 1));
  const chance = 1 / (blocks - 1);
  const meanSquaredCorrelation = Math.min(1, Math.max(0, ((raw - chance) * (blocks - 1)) / (blocks - 2)));
  const trials = Math.max(1, varying / (1 + (varying - 1) * meanSquaredCorrelation));
  return { varying, meanSquaredCorrelation, trials };
}
