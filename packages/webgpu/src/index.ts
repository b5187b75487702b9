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
export { createWebGpuBackend, type WebGpuBackend, type WebGpuBackendOptions } from './webgpu-backend';
