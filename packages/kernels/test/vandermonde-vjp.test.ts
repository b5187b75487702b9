import { complexTensor, createRng, tensor } from '@statespace/complex';
import { expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { vandermonde, vandermondeTranspose, vandermondeTransposeVjp, vandermondeVjp } from '../src/index';

const rng = createRng(23);
const randn = (n: number, scale = 1) => Float64Array.from({ length: n }, () => scale * rng.normal());

/** S4D-like log-poles Δ·(−½ + iπn) with a little noise. */
function logPoles(H: number, N2: number): Float64Array {
  const x = new Float64Array(2 * H * N2);
  for (let h = 0; h < H; h++) {
    for (let n = 0; n < N2; n++) {
      x[2 * (h * N2 + n)] = -0.05 - 0.02 * Math.abs(rng.normal());
      x[2 * (h * N2 + n) + 1] = 0.1 * Math.PI * n + 0.05 * rng.normal();
    }
  }
  return x;
}

describe('vandermondeVjp', () => {
  it.each([
    [2, 2, 3, 7],
    [1, 1, 2, 70],
  ] as const)('matches central differences for batch %i, H %i, N2 %i, L %i', (batch, H, N2, L) => {
    const inputs = { v: randn(2 * batch * H * N2), x: logPoles(H, N2) };
    const g = randn(batch * H * L);
    const run = (a: typeof inputs) =>
      vandermonde(complexTensor(a.v, [batch, H, N2]), complexTensor(a.x, [H, N2]), L).data;
    const grads = vandermondeVjp(
      complexTensor(inputs.v, [batch, H, N2]),
      complexTensor(inputs.x, [H, N2]),
      L,
      tensor(g, [batch, H, L]),
    );
    expect(grads.x.shape).toEqual([H, N2]);
    expectGradients(run, inputs, g, { v: grads.v.data, x: grads.x.data });
  });

  it('names a grad of the wrong shape', () => {
    const v = complexTensor(randn(4), [1, 1, 2]);
    const x = complexTensor(logPoles(1, 2), [1, 2]);
    expect(() => vandermondeVjp(v, x, 4, tensor(randn(3), [1, 1, 3]))).toThrow(
      /grad must have shape \[batch = 1, H = 1, L = 4\]/,
    );
  });
});

describe('vandermondeTransposeVjp', () => {
  it.each([
    [2, 2, 3, 7],
    [1, 1, 2, 70],
  ] as const)('matches central differences for batch %i, H %i, N2 %i, L %i', (batch, H, N2, L) => {
    const inputs = { u: randn(batch * H * L), v: randn(2 * H * N2), x: logPoles(H, N2) };
    const g = randn(2 * batch * H * N2);
    const run = (a: typeof inputs) =>
      vandermondeTranspose(
        tensor(a.u, [batch, H, L]),
        complexTensor(a.v, [H, N2]),
        complexTensor(a.x, [H, N2]),
      ).data;
    const grads = vandermondeTransposeVjp(
      tensor(inputs.u, [batch, H, L]),
      complexTensor(inputs.v, [H, N2]),
      complexTensor(inputs.x, [H, N2]),
      complexTensor(g, [batch, H, N2]),
    );
    expect(grads.u.shape).toEqual([batch, H, L]);
    expectGradients(run, inputs, g, { u: grads.u.data, v: grads.v.data, x: grads.x.data });
  });
});
