import { createGpuJsBackend, GpuJsUnavailableError } from '../src/index';

/**
 * Whether GPU tests must run: with `STATESPACE_REQUIRE_GPU=1` (CI) a missing adapter or browser is
 * a failure; otherwise those tests are reported as skipped.
 */
export const gpuRequired = process.env.STATESPACE_REQUIRE_GPU === '1';

let probed: Promise<boolean> | undefined;

/**
 * Whether gpu.js's webgpu mode runs here (Dawn finds an adapter: lavapipe on a CPU-only machine),
 * checked once per test file; tests then use `describe.skipIf(!webgpu)`, which vitest reports as
 * skipped.
 * @throws when it does not and {@link gpuRequired} is set, with the reason.
 */
export function webGpuAvailable(): Promise<boolean> {
  probed ??= createGpuJsBackend({ mode: 'webgpu' }).then(
    async (backend) => {
      await backend.dispose();
      return true;
    },
    (error: unknown) => {
      if (!(error instanceof GpuJsUnavailableError)) throw error;
      if (gpuRequired) throw new Error(`STATESPACE_REQUIRE_GPU=1 but ${error.message}`, { cause: error });
      console.warn(`gpu.js webgpu tests skipped: ${error.message}`);
      return false;
    },
  );
  return probed;
}
