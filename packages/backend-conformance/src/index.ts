/**
 * The one conformance suite of the kernel backends. Every `KernelBackend` implementation (CPU in
 * float64 and float32, WebGPU, gpu.js) registers it in its own tests with
 * `describeKernelBackend(...)`: every case of the golden files in `STATESPACE_GOLDEN`, a float64
 * CPU reference on random problems, and bad input.
 *
 * @packageDocumentation
 */
export { type ConformanceOptions, describeKernelBackend } from './suite';
