import type { DType } from '@statespace/complex';
import type { KernelBackend } from '@statespace/kernels';
import { expectClose } from '@statespace/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S4Block, Tape } from '../src/index';
import { layerCases } from './golden';
import { acquireGpuJsBackend, acquireWebGpuBackend } from './gpu';

// The official gradients of Σ y·G with respect to every parameter of an S4Block and to x
// (layers.json `grads`), by backpropagation through a Tape on the CPU paths (max-norm relative,
// per tensor): float32 ≤ 1e-3, float64 ≤ 1e-5. The official gradients are float32 numbers (torch
// ran the float32 module), whose rounding in the kernel's long sums reaches 7.2e-6 for inv_dt
// and 1–3e-6 for A_real, A_imag, C and P; the float64 gradients agree with central differences
// of the float64 forward to ~1e-10 and are checked at 1e-6 against them in
// s4-block-gradients.test.ts. The kernels' and the convolution's VJPs run on the module's backend:
// the CPU in both precisions, and WebGPU and gpu.js (float32) when an adapter is available.

const cases = await layerCases();
const TOLERANCE: Record<DType, number> = { float64: 1e-5, float32: 1e-3 };
const webgpu = await acquireWebGpuBackend();
const gpujsWebGpu = await acquireGpuJsBackend('webgpu');
const gpujsWebAsm = await acquireGpuJsBackend('webasm');
afterAll(async () => {
  await webgpu?.dispose();
  webgpu?.gpu.destroy();
  await gpujsWebGpu?.dispose();
  await gpujsWebAsm?.dispose();
});

const paths: { label: string; dtype: DType; backend: KernelBackend | 'cpu' | undefined }[] = [
  { label: 'cpu float64', dtype: 'float64', backend: 'cpu' },
  { label: 'cpu float32', dtype: 'float32', backend: 'cpu' },
  { label: 'webgpu float32', dtype: 'float32', backend: webgpu },
  { label: 'gpujs webgpu float32', dtype: 'float32', backend: gpujsWebGpu },
  { label: 'gpujs webasm float32', dtype: 'float32', backend: gpujsWebAsm },
];

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
  it('official gradients are float32 numbers (which bounds the float64 comparison)', () => {
    for (const g of c.grads.values()) expect(g.every((v) => Math.fround(v) === v)).toBe(true);
  });
});

describe.each(paths.filter((p) => p.backend).map((p) => [p.label, p] as const))('%s', (_, path) => {
  const { dtype, backend } = path;
  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const grads = new Map<string, Float64Array>();
    beforeAll(async () => {
      const block = new S4Block({ ...c.options, dtype, backend: backend as KernelBackend | 'cpu' });
      block.loadStateDict(c.weights.tensors);
      const x = dtype === 'float64' ? Float64Array.from(c.x) : Float32Array.from(c.x);
      const tape = new Tape();
      const { y } = await block.forward({ data: x, shape: [c.B, c.L, c.H] }, { tape });
      await tape.backward(y.data, c.G);
      for (const [name, g] of tape.gradients(block)) grads.set(name, g);
      grads.set('x', tape.grad(x) ?? new Float64Array(x.length));
      // A GPU adapter compiles its shaders on first use: minutes on a software one (lavapipe).
    }, 300_000);

    it('has a gradient for every official one and no other', () => {
      expect([...grads.keys()].sort()).toEqual([...c.grads.keys()].sort());
    });

    it.each([...c.grads.keys()].map((name) => [name] as const))(
      '∂/∂%s matches the official gradient',
      (name) => {
        expectClose(
          grads.get(name) ?? [],
          c.grads.get(name) ?? [],
          TOLERANCE[dtype],
          `${c.name} ${dtype} ∂/∂${name}`,
        );
      },
    );
  });
});
