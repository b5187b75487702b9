/**
 * The WebGPU (WGSL) implementation of the statespace `KernelBackend`: Cauchy, Vandermonde, FFTs of
 * any length, batched FFT convolution, and the S4 and S4D kernels of a layer computed end to end on
 * the GPU. Runs in browsers (`navigator.gpu`) and in Node through Dawn (the `webgpu` package).
 *
 * @packageDocumentation
 */
export {
  requestWebGpuDevice,
  type WebGpuDevice,
  WebGpuDeviceLostError,
  type WebGpuDeviceOptions,
  WebGpuUnavailableError,
} from './device';
export { type GpuArray, GpuContext } from './gpu-context';
// Recorders: each records its kernels into the context's command encoder and returns a GPU array,
// so chains (the S4 kernel into an FFT convolution, say, or the backward operations) run without
// reading back in between.
export { type CauchyDims, recordCauchy } from './ops/cauchy';
export { type ConvolveArrays, recordConvolve } from './ops/conv';
export { type ConvolveGradArrays, recordConvolveVjp } from './ops/conv-vjp';
export { type DiagKernelArrays, recordDiagKernel } from './ops/diag-kernel';
export { recordDiagKernelVjp } from './ops/diag-kernel-vjp';
export { recordDplrKernel } from './ops/dplr-kernel';
export { type DplrKernelVjpArrays, recordDplrKernelVjp } from './ops/dplr-kernel-vjp';
export {
  type ComplexElementwiseOp,
  recordComplexAdd,
  recordComplexConj,
  recordComplexMul,
  recordComplexScale,
} from './ops/elementwise';
export { recordFft, recordIrfft, recordRfft } from './ops/fft';
// The parallel scan of diagonal linear recurrences x_t = a_t ⊙ x_{t−1} + b_t (S5-style layers).
export {
  type DiagonalScanArrays,
  type DiagonalScanInput,
  diagonalScan,
  recordDiagonalScan,
  type ScanCoefficientLayout,
} from './ops/scan';
export { createWebGpuBackend, type WebGpuBackend, type WebGpuBackendOptions } from './webgpu-backend';
