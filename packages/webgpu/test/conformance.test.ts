import { describeKernelBackend } from '@statespace/backend-conformance';
import { TOLERANCE } from '@statespace/testing';
import { describe } from 'vitest';
import { createWebGpuBackend } from '../src/index';
import { acquireGpu } from './gpu';

// The shared conformance suite (every golden case, the float64 CPU reference, bad input) on the
// device Dawn finds: lavapipe on a CPU-only machine, the real GPU elsewhere.
const gpu = await acquireGpu();

describe.skipIf(!gpu)('WebGPU device', () => {
  describeKernelBackend(`webgpu (${gpu?.adapter})`, () => createWebGpuBackend({ device: gpu }), {
    tolerance: TOLERANCE.float32,
  });
});
