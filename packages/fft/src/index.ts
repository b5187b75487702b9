/**
 * FFT of any length for statespace: complex `fft`/`ifft`, real `rfft`/`irfft` with numpy's `n`
 * semantics, cached plans for float64 and float32, and causal FFT convolution (`causalConv`), the
 * convolution of the official S4 FFTConv.
 *
 * Conventions: complex arrays are interleaved `[re0, im0, re1, im1, …]` (`@statespace/complex`);
 * the forward transform is unscaled and the inverse scaled by 1/n, as numpy; results have the
 * precision of their input.
 *
 * @packageDocumentation
 */
export { type FftPlan, fft, fftPlan, ifft } from './complex-plan';
export { fftVjp, ifftVjp } from './complex-vjp';
export {
  type CausalConvDirectOptions,
  type CausalConvOptions,
  causalConv,
  causalConvDirect,
} from './conv';
export { type CausalConvGrads, causalConvVjp } from './conv-vjp';
export { fastLength } from './factor';
export { clearPlanCache } from './plan-cache';
export { irfft, type RfftPlan, rfft, rfftPlan } from './real';
export { irfftVjp, rfftVjp } from './real-vjp';
