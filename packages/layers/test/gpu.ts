import { createGpuJsBackend, type GpuJsBackend, GpuJsUnavailableError } from '@statespace/gpujs';
import {
  createWebGpuBackend,
  requestWebGpuDevice,
  type WebGpuBackend,
  WebGpuUnavailableError,
} from '@statespace/webgpu';

/**
 * Whether GPU tests must run: with `STATESPACE_REQUIRE_GPU=1` (CI) a missing adapter is a
 * failure; otherwise those tests are reported as skipped.
 */
const gpuRequired = process.env.STATESPACE_REQUIRE_GPU === '1';

let acquired: Promise<WebGpuBackend | undefined> | undefined;

/**
 * The WebGPU backend shared by the tests of one file, or `undefined` when this machine has no
 * adapter (the tests then use `describe.skipIf`).
 * @throws when no adapter can be had and STATESPACE_REQUIRE_GPU=1.
 */
export function acquireWebGpuBackend(): Promise<WebGpuBackend | undefined> {
  acquired ??= requestWebGpuDevice()
    .then((device) => createWebGpuBackend({ device }))
    .catch((error: unknown) => {
      if (!(error instanceof WebGpuUnavailableError)) throw error;
      if (gpuRequired) throw new Error(`STATESPACE_REQUIRE_GPU=1 but ${error.message}`, { cause: error });
      console.warn(`WebGPU tests skipped: ${error.message}`);
      return undefined;
    });
  return acquired;
}

/**
 * The gpu.js backend in `mode`, or `undefined` when that mode cannot run here (`webgpu` without
 * an adapter); `webasm` always runs.
 * @throws when the mode cannot run and STATESPACE_REQUIRE_GPU=1.
 */
export function acquireGpuJsBackend(mode: 'webgpu' | 'webasm'): Promise<GpuJsBackend | undefined> {
  return createGpuJsBackend({ mode }).catch((error: unknown) => {
    if (!(error instanceof GpuJsUnavailableError)) throw error;
    if (gpuRequired) throw new Error(`STATESPACE_REQUIRE_GPU=1 but ${error.message}`, { cause: error });
    console.warn(`gpu.js ${mode} tests skipped: ${error.message}`);
    return undefined;
  });
}
