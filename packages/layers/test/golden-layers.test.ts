import type { DType, RealArray } from '@statespace/complex';
import type { KernelBackend } from '@statespace/kernels';
import { expectClose } from '@statespace/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { S4Block } from '../src/index';
import { layerCases, setTimeStep, timeSlice, timeStep } from './golden';
import { acquireGpuJsBackend, acquireWebGpuBackend } from './gpu';

// Official S4Block state dicts (float32 weights) with their forward outputs and recurrent-step
// outputs: every case of layers.json, on the float64 path (≤ 1e-5), the float32 path (≤ 1e-4), and
// the WebGPU and gpu.js (webgpu, webasm) backends (float32, ≤ 1e-4) when an adapter is available.

const cases = await layerCases();
const webgpu = await acquireWebGpuBackend();
const gpujsWebGpu = await acquireGpuJsBackend('webgpu');
const gpujsWebAsm = await acquireGpuJsBackend('webasm');
afterAll(async () => {
  await webgpu?.dispose();
  webgpu?.gpu.destroy();
  await gpujsWebGpu?.dispose();
  await gpujsWebAsm?.dispose();
});

const TOLERANCE: Record<DType, number> = { float64: 1e-5, float32: 1e-4 };

const paths: { label: string; dtype: DType; backend: () => KernelBackend | 'cpu' | undefined }[] = [
  { label: 'cpu float64', dtype: 'float64', backend: () => 'cpu' },
  { label: 'cpu float32', dtype: 'float32', backend: () => 'cpu' },
  { label: 'webgpu float32', dtype: 'float32', backend: () => webgpu },
  { label: 'gpujs webgpu float32', dtype: 'float32', backend: () => gpujsWebGpu },
  { label: 'gpujs webasm float32', dtype: 'float32', backend: () => gpujsWebAsm },
];

it('layers.json has cases', () => {
  expect(cases.length).toBeGreaterThan(0);
});

for (const path of paths) {
  describe.skipIf(path.backend() === undefined)(path.label, () => {
    describe.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
      const { B, L, H } = c;
      const block = () => {
        const b = new S4Block({
          ...c.options,
          dtype: path.dtype,
          backend: path.backend() as KernelBackend | 'cpu',
        });
        b.loadStateDict(c.weights.tensors);
        return b;
      };
      const x = path.dtype === 'float64' ? c.x : Float32Array.from(c.x);

      it('forward reproduces the official y', async () => {
        const { y } = await block().forward({ data: x, shape: [B, L, H] });
        expect(y.shape).toEqual([B, L, H]);
        expectClose(y.data, c.y, TOLERANCE[path.dtype], `${c.name} y`);
      });

      it('step mode reproduces the official y_step', () => {
        const b = block();
        b.setupStep();
        let state = b.defaultState(B);
        const out: RealArray = new Float64Array(B * L * H);
        for (let t = 0; t < L; t++) {
          const step = b.step({ data: timeStep(x, B, L, H, t), shape: [B, H] }, state);
          setTimeStep(out, step.y.data, B, L, H, t);
          state = step.state;
        }
        expectClose(out, c.yStep ?? c.y, TOLERANCE[path.dtype], `${c.name} y_step`);
      });

      it('chunked forward with states reproduces the official y', async () => {
        const b = block();
        let state = b.defaultState(B);
        const out = new Float64Array(B * L * H);
        const bounds = [0, Math.floor(L / 3), L - 5, L];
        for (let i = 0; i + 1 < bounds.length; i++) {
          const [from, to] = [bounds[i], bounds[i + 1]];
          const chunk = await b.forward(
            { data: timeSlice(x, B, L, H, from, to), shape: [B, to - from, H] },
            { state },
          );
          state = chunk.state as typeof state;
          for (let bt = 0; bt < B; bt++)
            out.set(
              chunk.y.data.subarray(bt * (to - from) * H, (bt + 1) * (to - from) * H),
              (bt * L + from) * H,
            );
        }
        expectClose(out, c.y, TOLERANCE[path.dtype], `${c.name} chunked y`);
      });
    });
  });
}
