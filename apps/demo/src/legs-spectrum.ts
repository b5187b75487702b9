import { nplr, nplrReconstructionError } from '@statespace/hippo';

/** The NPLR spectrum of HiPPO-LegS: A = V(Λ − P̃P̃*)V*, Λ = −½ + i·ω. */
export interface LegsSpectrum {
  N: number;
  /** The N/2 eigenvalues with negative imaginary part, ascending: Λ_n = −½ + i·omega[n]. */
  omega: Float64Array;
  /** max |A − V(Λ − P̃P̃*)V*| / max |A| over the full conjugate-expanded decomposition. */
  reconstructionError: number;
  /** How many of the N/2 modes the default B clip (|B̃| ≤ 2) limits. */
  clippedModes: number;
}

/** Diagonalises the normal part of HiPPO-LegS (the S4 default) and checks the reconstruction. */
export function legsSpectrum(N: number): LegsSpectrum {
  const unclipped = nplr('legs', N, { bClip: null });
  const clipped = nplr('legs', N);
  const omega = new Float64Array(N / 2);
  let clippedModes = 0;
  for (let n = 0; n < N / 2; n++) {
    omega[n] = unclipped.Lambda[2 * n + 1];
    const changed =
      unclipped.B[2 * n] !== clipped.B[2 * n] || unclipped.B[2 * n + 1] !== clipped.B[2 * n + 1];
    if (changed) clippedModes++;
  }
  return { N, omega, reconstructionError: nplrReconstructionError('legs', unclipped), clippedModes };
}
