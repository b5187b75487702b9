import { type ComplexTensor, createRng } from '@statespace/complex';
import { expectClose, TOLERANCE } from '@statespace/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { GpuContext } from '../src/gpu-context';
import { diagonalScan } from '../src/ops/scan';
import { acquireGpu } from './gpu';

const gpu = await acquireGpu();

/** Random complex data, float32-rounded so that the float64 reference sees the GPU's inputs. */
function randomComplex(shape: number[], seed: number, radius?: number): ComplexTensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    if (radius === undefined) {
      data[2 * i] = rng.normal();
      data[2 * i + 1] = rng.normal();
    } else {
      // |a| < radius < 1, phases anywhere.
      const r = radius * Math.sqrt(rng.uniform());
      const phi = 2 * Math.PI * rng.uniform();
      data[2 * i] = r * Math.cos(phi);
      data[2 * i + 1] = r * Math.sin(phi);
    }
  }
  return { data, shape };
}

/** The recurrence x_t = a_t·x_{t−1} + b_t in float64, sequentially. */
function sequential(a: ComplexTensor, b: ComplexTensor, x0?: ComplexTensor): Float64Array {
  const [batch, L, channels] = b.shape;
  const out = new Float64Array(b.data.length);
  for (let r = 0; r < batch; r++) {
    for (let p = 0; p < channels; p++) {
      let xr = x0 ? x0.data[2 * (r * channels + p)] : 0;
      let xi = x0 ? x0.data[2 * (r * channels + p) + 1] : 0;
      for (let t = 0; t < L; t++) {
        const ai =
          a.shape.length === 3 ? (r * L + t) * channels + p : a.shape.length === 2 ? t * channels + p : p;
        const ar = a.data[2 * ai];
        const aim = a.data[2 * ai + 1];
        const k = (r * L + t) * channels + p;
        const nr = ar * xr - aim * xi + b.data[2 * k];
        xi = ar * xi + aim * xr + b.data[2 * k + 1];
        xr = nr;
        out[2 * k] = xr;
        out[2 * k + 1] = xi;
      }
    }
  }
  return out;
}

describe.skipIf(!gpu)('diagonalScan on WebGPU', () => {
  const ctx = new GpuContext(gpu as NonNullable<typeof gpu>);
  afterAll(() => ctx.dispose());

  for (const L of [1, 7, 1024, 5000]) {
    it(`L = ${L}: time-varying a, batch 2, 3 channels, with x0`, async () => {
      const a = randomComplex([2, L, 3], L, 0.999);
      const b = randomComplex([2, L, 3], L + 1);
      const x0 = randomComplex([2, 3], L + 2);
      const states = await diagonalScan(ctx, { a, b, x0 });
      expect(states.shape).toEqual([2, L, 3]);
      expectClose(states.data, sequential(a, b, x0), TOLERANCE.float32, 'states');
    });
  }

  it('constant a (S5: Λ̄ per state), batch 3, 64 channels, no x0, L = 5000', async () => {
    const a = randomComplex([64], 1, 0.99);
    const b = randomComplex([3, 5000, 64], 2);
    const states = await diagonalScan(ctx, { a, b });
    expectClose(states.data, sequential(a, b), TOLERANCE.float32, 'states');
  });

  it('a shared by the batch rows, a single channel (L = 1024)', async () => {
    const a = randomComplex([1024, 1], 3, 0.9);
    const b = randomComplex([2, 1024, 1], 4);
    const x0 = randomComplex([2, 1], 5);
    const states = await diagonalScan(ctx, { a, b, x0 });
    expectClose(states.data, sequential(a, b, x0), TOLERANCE.float32, 'states');
  });

  it('rejects mismatched shapes, naming the argument', async () => {
    const b = randomComplex([1, 8, 2], 6);
    await expect(diagonalScan(ctx, { a: randomComplex([8, 3], 7), b })).rejects.toThrow(/^a must have shape/);
    await expect(
      diagonalScan(ctx, { a: randomComplex([2], 7), b, x0: randomComplex([2], 8) }),
    ).rejects.toThrow(/^x0 must have shape/);
  });
});
