/**
 * The gpu.js implementation of the statespace `KernelBackend`: conjugate-pair Cauchy sums, the
 * Woodbury correction, Vandermonde products and their transpose, FFTs of any length, batched causal
 * convolution (direct or by FFT), complex elementwise operations, and the S4 and S4D kernels of a
 * layer, in float32 gpu.js kernels on WebGL2 or WebGPU in browsers, and on WebGPU (Dawn), headless
 * GL, WebAssembly or plain JavaScript in Node. The gpu.js kernel class that actually ran is
 * reported, and a mode that is unavailable is an error unless a fallback was asked for.
 *
 * @packageDocumentation
 */
export type { GpuJsModeOptions, ModeFailure } from './acquire';
export { GpuJsFallbackError, GpuJsUnavailableError } from './errors';
export { createGpuJsBackend, type GpuJsBackend, type GpuJsBackendOptions } from './gpujs-backend';
export {
  defaultFallbackOrder,
  defaultMode,
  GPU_MODES,
  GPUJS_MODES,
  type GpuJsKernelClass,
  type GpuJsMode,
  KERNEL_CLASSES,
} from './modes';
export { convolutionLength, DIRECT_MAX_TAPS } from './ops/conv';
export {
  COMPLEX_ELEMENTWISE_OPS,
  type ComplexElementwiseOp,
  complexAdd,
  complexConj,
  complexMul,
  complexScale,
  type HasRuntime,
} from './ops/elementwise';
export { MAX_VANDERMONDE_INDEX } from './ops/vandermonde';
export { MAX_GPUJS_RANK } from './ops/woodbury';
export type { DeviceValue, GpuJsRuntime, GpuJsRuntimeOptions, KernelSpec } from './runtime';
