import { describeKernelBackend } from '@statespace/backend-conformance';
import { TOLERANCE } from '@statespace/testing';
import { describe } from 'vitest';
import { createGpuJsBackend } from '../src/index';
import { webGpuAvailable } from './gpu';

// The shared conformance suite (every golden case, the float64 CPU reference, bad input) at the
// float32 tolerance, in the two Node modes CI runs: webgpu on the adapter Dawn finds (lavapipe on a
// CPU-only machine) and WebAssembly. Chromium's webgl2 runs the golden cases in chromium.test.ts.

const webgpu = await webGpuAvailable();

describe.skipIf(!webgpu)('gpu.js webgpu mode', () => {
  describeKernelBackend('gpujs (webgpu)', () => createGpuJsBackend({ mode: 'webgpu' }), {
    tolerance: TOLERANCE.float32,
  });
});

describe('gpu.js webasm mode', () => {
  describeKernelBackend('gpujs (webasm)', () => createGpuJsBackend({ mode: 'webasm' }), {
    tolerance: TOLERANCE.float32,
  });
});
