import { type ComplexTensor, createRng, type Tensor } from '@statespace/complex';
import { vandermonde, vandermondeTranspose } from '@statespace/kernels';
import { expectClose, TOLERANCE } from '@statespace/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { GpuContext } from '../src/gpu-context';
import { vandermondeOp, vandermondeTransposeOp } from '../src/ops/vandermonde';
import { acquireGpu } from './gpu';

const gpu = await acquireGpu();

/** Float32-rounded data held in float64, so the CPU reference sees exactly the GPU's inputs. */
function rounded(data: Float64Array): Float64Array {
  return Float64Array.from(Float32Array.from(data));
}

function randomComplex(shape: number[], seed: number): ComplexTensor<Float64Array> {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: rounded(Float64Array.from({ length: 2 * n }, () => rng.normal())), shape };
}

function randomReal(shape: number[], seed: number): Tensor<Float64Array> {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: rounded(Float64Array.from({ length: n }, () => rng.normal())), shape };
}

/**
 * S4D-Lin log-poles x = Δ·Λ with Λ = −½ + iπn, Δ up to 0.1 (Im x up to ~10 rad per step, phases
 * up to ~1.6e5 rad at L = 16384); every third mode has a tiny real part so its terms stay O(1) over
 * the whole length, and with `growing` every fifth mode has Re x > 0.
 */
function s4dLinExponents(H: number, N2: number, seed: number, growing = false): ComplexTensor<Float64Array> {
  const rng = createRng(seed);
  const data = new Float64Array(2 * H * N2);
  for (let h = 0; h < H; h++) {
    const dt = 0.001 + 0.099 * rng.uniform();
    for (let n = 0; n < N2; n++) {
      const m = h * N2 + n;
      const re = n % 3 === 0 ? -1e-4 * rng.uniform() : -0.5;
      data[2 * m] = growing && n % 5 === 1 ? 2e-4 * rng.uniform() : dt * re;
      data[2 * m + 1] = dt * Math.PI * (n + 0.3 * rng.normal());
    }
  }
  return { data: rounded(data), shape: [H, N2] };
}

describe.skipIf(!gpu)('vandermonde on WebGPU', () => {
  const ctx = new GpuContext(gpu as NonNullable<typeof gpu>);
  afterAll(() => ctx.dispose());

  const cases: [string, number, number, number, number, boolean][] = [
    // name, batch, H, N2, L, growing modes
    ['L = 16384, large phases', 2, 3, 32, 16384, false],
    ['L = 16384, modes with Re x > 0', 1, 2, 32, 16384, true],
    ['L = 1', 1, 2, 8, 1, false],
    ['L = 100, N2 = 70 (several mode tiles)', 3, 2, 70, 100, true],
    ['L = 4097 (partial tile)', 1, 4, 16, 4097, false],
  ];

  for (const [name, batch, H, N2, L, growing] of cases) {
    it(`vandermonde matches the float64 CPU reference: ${name}`, async () => {
      const v = randomComplex([batch, H, N2], 1);
      const x = s4dLinExponents(H, N2, 2, growing);
      const { out } = await vandermondeOp.run(ctx, { v, x, L });
      expect(out.shape).toEqual([batch, H, L]);
      expect(out.data).toBeInstanceOf(Float32Array);
      expectClose(out.data, vandermonde(v, x, L).data, TOLERANCE.float32, 'K');
    });

    it(`vandermondeTranspose matches the float64 CPU reference: ${name}`, async () => {
      const u = randomReal([batch, H, L], 3);
      const v = randomComplex([H, N2], 4);
      const x = s4dLinExponents(H, N2, 5, growing);
      const { out } = await vandermondeTransposeOp.run(ctx, { u, v, x });
      expect(out.shape).toEqual([batch, H, N2]);
      expectClose(out.data, vandermondeTranspose(u, v, x).data, TOLERANCE.float32, 's');
    });
  }

  it('vandermondeTranspose of an empty sequence (L = 0) is zero', async () => {
    const { out } = await vandermondeTransposeOp.run(ctx, {
      u: { data: new Float32Array(0), shape: [2, 3, 0] },
      v: randomComplex([3, 4], 6),
      x: s4dLinExponents(3, 4, 7),
    });
    expect(out.data.length).toBe(2 * 2 * 3 * 4);
    expect(out.data.every((value) => value === 0)).toBe(true);
  });

  it('rejects mismatched shapes, naming the argument', async () => {
    const v = randomComplex([1, 2, 4], 8);
    await expect(vandermondeOp.run(ctx, { v, x: s4dLinExponents(3, 4, 9), L: 8 })).rejects.toThrow(
      /x must have shape/,
    );
    await expect(vandermondeOp.run(ctx, { v, x: s4dLinExponents(2, 4, 9), L: 0 })).rejects.toThrow(
      /L must be/,
    );
  });
});
