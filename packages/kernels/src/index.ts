/**
 * The computational heart of S4 and S4D: Cauchy and Vandermonde sums, the Woodbury correction,
 * the S4 (DPLR) and S4D (diagonal) convolution kernels with C̃ and state kernels, state forwarding,
 * recurrent steps, FFT convolution, and the {@link KernelBackend} interface with its CPU backend.
 *
 * Conventions are those of `@statespace/complex`: row-major tensors, complex values interleaved,
 * half-state storage (`N2 = N/2` modes; conjugates implied), float64 reference / float32 fast path.
 *
 * @packageDocumentation
 */
export type {
  CauchyInput,
  ConvolveInput,
  KernelBackend,
  VandermondeInput,
  VandermondeTransposeInput,
  WithGrad,
} from './backend';
export {
  BACKEND_LAYOUT,
  type BackendOpName,
  type FieldLayout,
  joinByFeatures,
  type OpLayout,
  splitByFeatures,
  type TransformInput,
} from './backend-layout';
export { cFromCTilde, cTildeFromC, doubleCTilde } from './c-tilde';
export { cTildeFromCVjp } from './c-tilde-vjp';
export { cauchy, cauchyLimit } from './cauchy';
export { type CauchyGrads, cauchyLimitVjp, cauchyVjp } from './cauchy-vjp';
export { checkConvolveInput, convolutionLength, convolve } from './conv';
export { type ConvolveGrads, checkConvolveVjp, convolveVjp, convolveVjpShapes } from './conv-vjp';
export { type CpuBackendOptions, createCpuBackend } from './cpu-backend';
export { type DiagKernelParams, type DiagKernelProblem, diagKernel, prepareDiagKernel } from './diag-kernel';
export {
  type DiagKernelGrads,
  type DiagKernelVjpProblem,
  diagKernelVjp,
  finishDiagKernelVjp,
  prepareDiagKernelVjp,
} from './diag-kernel-vjp';
export {
  DIAG_STEP_DISCS,
  type DiagStepDisc,
  type DiagStepParams,
  type DiagStepper,
  type StepResult,
  setupDiagStep,
} from './diag-step';
export {
  type DplrKernelLengths,
  type DplrKernelParams,
  type DplrKernelProblem,
  dplrKernel,
  dplrKernelLengths,
  prepareDplrKernel,
} from './dplr-kernel';
export {
  cauchyGradsFromSums,
  type DplrCauchyGrads,
  type DplrKernelGrads,
  dplrKernelVjp,
  finishDplrKernelVjp,
  prepareDplrKernelVjp,
} from './dplr-kernel-vjp';
export {
  DPLR_STEP_MODES,
  type DplrStepMode,
  type DplrStepOptions,
  type DplrStepper,
  setupDplrStep,
} from './dplr-step';
export { type DplrSystem, denseBilinear } from './dplr-system';
export {
  type DiagForwardStateParams,
  type DplrForwardStateParams,
  diagForwardState,
  dplrForwardState,
  FORWARD_STATE_METHODS,
} from './forward-state';
export type { SsmKernelArrays, SsmKernelOutput } from './kernel-output';
export { krylovKernel } from './krylov';
export { bilinearFactor, type FrequencyNodes, frequencyNodes, isNyquistNode } from './nodes';
// Shape and value checks that name the argument, for backends validating their inputs.
export { complexShape, realShape } from './parameters';
// Python's round (ties to even), as the official code's kernel-length logic uses it.
export { pythonRound } from './python-round';
export { releaseScratch } from './scratch';
export { vandermonde, vandermondeTranspose } from './vandermonde';
export {
  momentRows,
  type VandermondeGrads,
  type VandermondeTransposeGrads,
  vandermondeMoments,
  vandermondeTransposeVjp,
  vandermondeVjp,
  vandermondeVjpFromMoments,
} from './vandermonde-vjp';
export { applyBilinearFactor, woodbury, woodburyLimit } from './woodbury';
export {
  applyBilinearFactorVjp,
  type BilinearFactorGrads,
  woodburyLimitVjp,
  woodburyVjp,
} from './woodbury-vjp';
