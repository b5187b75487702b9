import { assertInteger, type Tensor, tensor } from '@statespace/complex';
import { checkMeasureSize, type Measure } from './measures';

/** The measures that have a low-rank correction (and hence an NPLR form). */
export const RANK_CORRECTION_MEASURES = [
  'legs',
  'legt',
  'lagt',
  'fourier',
  'fout',
  'fourier_decay',
  'fourier2',
  'fourier_diag',
  'foud',
  'legsd',
] as const satisfies readonly Measure[];

/** A measure with a rank correction (see {@link RANK_CORRECTION_MEASURES}). */
export type NplrMeasure = (typeof RANK_CORRECTION_MEASURES)[number];

/** The number of non-zero rows of a measure's rank correction: 2 for `legt`, else 1. */
export function naturalRank(measure: NplrMeasure): number {
  return measure === 'legt' ? 2 : 1;
}

/**
 * Checks that `measure` has a rank correction, that N suits it and that `rank` reaches its
 * natural rank, with errors that list the accepted measures or name the minimum rank.
 */
export function checkRankCorrection(
  measure: unknown,
  N: number,
  rank: number,
): asserts measure is NplrMeasure {
  checkMeasureSize(measure, N);
  if (!(RANK_CORRECTION_MEASURES as readonly string[]).includes(measure)) {
    throw new RangeError(
      `measure '${measure}' has no rank correction; accepted: ${RANK_CORRECTION_MEASURES.map((m) => `'${m}'`).join(', ')}`,
    );
  }
  const minimum = naturalRank(measure as NplrMeasure);
  assertInteger('rank', rank, minimum);
}

/**
 * The low-rank correction P (rank × N) of `hippo.rank_correction`: A + Σ_r P_r P_rᵀ is normal
 * (a multiple of I plus a skew-symmetric matrix). Rows beyond the measure's natural rank are
 * zero.
 *
 * - `legs`: P_n = √(n + ½); `lagt`: P_n = √½.
 * - `legt`: two rows, √(2n+1)/√2 at odd n and at even n respectively (so `rank` must be ≥ 2).
 * - `fourier`/`fout`: P = B = [1, 0, √2, 0, √2, …]; `fourier_decay`: B/√2; `fourier2`: √2·B.
 * - `fourier_diag`/`foud`, `legsd`: zero (A is already normal).
 *
 * @throws RangeError for a measure without a rank correction (listing those with one), a bad N,
 * or a rank below the natural rank.
 */
export function rankCorrection(measure: NplrMeasure, N: number, rank = 1): Tensor<Float64Array> {
  checkRankCorrection(measure, N, rank);
  const P = new Float64Array(rank * N);
  switch (measure) {
    case 'legs':
      for (let n = 0; n < N; n++) P[n] = Math.sqrt(0.5 + n);
      break;
    case 'legt':
      for (let n = 0; n < N; n++) P[(n % 2 === 1 ? 0 : N) + n] = Math.sqrt(2 * n + 1) * Math.SQRT1_2;
      break;
    case 'lagt':
      P.fill(Math.SQRT1_2, 0, N);
      break;
    case 'fourier':
    case 'fout':
    case 'fourier_decay':
    case 'fourier2': {
      const c = measure === 'fourier_decay' ? Math.SQRT1_2 : measure === 'fourier2' ? Math.SQRT2 : 1;
      for (let n = 0; n < N; n += 2) P[n] = c * (n === 0 ? 1 : Math.SQRT2);
      break;
    }
    case 'fourier_diag':
    case 'foud':
    case 'legsd':
      break;
  }
  return tensor(P, [rank, N]);
}
