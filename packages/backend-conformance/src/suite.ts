import type { KernelBackend } from '@statespace/kernels';
import { afterAll, beforeAll, describe } from 'vitest';
import { goldenSuite } from './golden-suite';
import { referenceSuite } from './reference-suite';
import { vjpSuite } from './vjp-suite';

export interface ConformanceOptions {
  /**
   * Relative tolerance (max-norm) against the golden files and the float64 reference:
   * 1e-9 for a float64 backend, 1e-4 for float32 (the project's tolerances).
   */
  tolerance: number;
}

/** A lazily created backend shared by the tests of one suite. */
export interface BackendHandle {
  readonly backend: KernelBackend;
  readonly tolerance: number;
}

/**
 * Registers the conformance tests of a backend under `describe(label)`. The backend is created
 * before the tests and disposed after them.
 */
export function describeKernelBackend(
  label: string,
  create: () => KernelBackend | Promise<KernelBackend>,
  options: ConformanceOptions,
): void {
  describe(label, () => {
    let backend: KernelBackend | undefined;
    const handle: BackendHandle = {
      get backend() {
        if (!backend) throw new Error(`${label}: the backend was not created`);
        return backend;
      },
      tolerance: options.tolerance,
    };
    beforeAll(async () => {
      backend = await create();
    });
    afterAll(async () => {
      await backend?.dispose();
    });
    goldenSuite(handle);
    referenceSuite(handle);
    vjpSuite(handle);
  });
}
