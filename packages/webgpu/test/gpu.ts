import { requestWebGpuDevice, type WebGpuDevice, WebGpuUnavailableError } from '../src/device';

/**
 * Whether GPU tests must run: with `STATESPACE_REQUIRE_GPU=1` (CI) a missing adapter or browser is
 * a failure; otherwise those tests are reported as skipped.
 */
export const gpuRequired = process.env.STATESPACE_REQUIRE_GPU === '1';

let acquired: Promise<WebGpuDevice | undefined> | undefined;

/**
 * The WebGPU device shared by the tests of one file, or `undefined` when this machine has none:
 * the tests then use `describe.skipIf(!gpu)`, which vitest reports as skipped.
 * @throws when no device can be had and {@link gpuRequired} is set, with the reason.
 */
export async function acquireGpu(): Promise<WebGpuDevice | undefined> {
  acquired ??= requestWebGpuDevice().catch((error: unknown) => {
    if (!(error instanceof WebGpuUnavailableError)) throw error;
    if (gpuRequired) throw new Error(`STATESPACE_REQUIRE_GPU=1 but ${error.message}`, { cause: error });
    console.warn(`WebGPU tests skipped: ${error.message}`);
    return undefined;
  });
  return acquired;
}
