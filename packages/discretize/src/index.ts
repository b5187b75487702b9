/**
 * Discretisation of state space systems x' = A x + B u into recurrences x_k = Ā x_{k−1} + B̄ u_k:
 * zoh, bilinear, forward/backward Euler and the generalised bilinear transform for dense systems,
 * batched diagonal (S4D) systems with the S4D kernel factors (zoh, bilinear, dss), the O(N)
 * bilinear stepper of DPLR (S4) systems, and the official Δ transforms and initialisation.
 *
 * Conventions are those of `@statespace/complex`: row-major tensors, complex values interleaved,
 * half-state storage of conjugate-symmetric systems (`[H, N/2]`), outputs in the precision of the
 * state matrix given.
 *
 * @packageDocumentation
 */
export { discretizeDense } from './dense';
export type { DenseDiscretization } from './dense-system';
export { type DiagonalDiscretization, discretizeDiagonal } from './diagonal';
export {
  type DiagonalKernelCoefficients,
  type DiagonalKernelFactors,
  diagonalKernelCoefficients,
  diagonalKernelFactors,
  diagonalStateFactors,
  type KernelOptions,
} from './diagonal-kernel';
export {
  type DiagonalKernelCoefficientsGrad,
  type DiagonalKernelCoefficientsInputGrads,
  type DiagonalKernelFactorsGrad,
  type DiagonalKernelFactorsInputGrads,
  diagonalKernelCoefficientsVjp,
  diagonalKernelFactorsVjp,
} from './diagonal-kernel-vjp';
export {
  type DplrBilinearStepper,
  type DplrDenseSystem,
  dplrBilinear,
  dplrBilinearDense,
} from './dplr-bilinear';
export { DSS_EPSILON, dssMode } from './dss';
export { dssModeVjp } from './dss-vjp';
export { type DtInitOptions, dtFromInvDt, type InvDtInitOptions, initInvDt, initLogDt } from './dt-init';
export { gbtDense } from './gbt-dense';
export { bilinearMode, type KernelMode, zohMode } from './kernel-mode';
export { bilinearModeVjp, type KernelModeGrad, type ModeInputGrad, zohModeVjp } from './kernel-mode-vjp';
export {
  type GbtOptions,
  gbtAlpha,
  KERNEL_METHODS,
  type KernelMethod,
  STEP_METHODS,
  type StepMethod,
} from './methods';
export { invTransform, paramTransform, TRANSFORM_FLOOR, TRANSFORMS, type Transform } from './transforms';
export { paramTransformVjp } from './transforms-vjp';
export { zohDense } from './zoh-dense';
