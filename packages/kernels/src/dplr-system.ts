import type { ComplexTensor, Tensor } from '@statespace/complex';
import { dplrBilinear, dplrBilinearDense } from '@statespace/discretize';

/**
 * The parameters of H DPLR (S4) systems after the parameter transforms: the state matrix is
 * A = diag(Λ) − P P* (Q = conj P, tied), half-state storage of N2 = N/2 modes per row.
 */
export interface DplrSystem {
  /** Diagonal part Λ, complex [H, N2]. */
  Lambda: ComplexTensor;
  /** Low-rank part P, complex [rank, H, N2]. */
  P: ComplexTensor;
  /** Input matrix B, complex [H, N2]. */
  B: ComplexTensor;
  /** Step sizes Δ, real [H]. */
  dt: Tensor;
}

/**
 * The dense bilinear discretisation of each system over the full conjugate-expanded state
 * (official `_setup_state`): dA complex [H, N, N], dB complex [H, N], float64.
 */
export function denseBilinear(system: DplrSystem): { dA: ComplexTensor; dB: ComplexTensor } {
  return dplrBilinearDense(dplrBilinear(system.Lambda, system.P, system.B, system.dt));
}
