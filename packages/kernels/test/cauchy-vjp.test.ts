import { complexTensor, createRng, tensor } from '@statespace/complex';
import { expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cauchy, cauchyLimit, cauchyLimitVjp, cauchyVjp, frequencyNodes } from '../src/index';

const rng = createRng(21);
const randn = (n: number, scale = 1) => Float64Array.from({ length: n }, () => scale * rng.normal());

/** Stable poles: negative real parts, spread imaginary parts. */
function poles(H: number, N2: number): Float64Array {
  const w = randn(2 * H * N2);
  for (let i = 0; i < H * N2; i++) w[2 * i] = -0.2 - Math.abs(w[2 * i]);
  return w;
}

describe('cauchyVjp', () => {
  it.each([
    ['S4 nodes with the Nyquist marker', frequencyNodes(8).z],
    ['general complex nodes', randn(10)],
  ])('matches central differences at %s', (_, z) => {
    const batch = 2;
    const H = 2;
    const N2 = 3;
    const Lz = z.length / 2;
    const inputs = { v: randn(2 * batch * H * N2), w: poles(H, N2) };
    const g = randn(2 * batch * H * Lz);
    const run = (a: typeof inputs) =>
      cauchy(complexTensor(a.v, [batch, H, N2]), complexTensor(a.w, [H, N2]), complexTensor(z, [Lz])).data;
    const grads = cauchyVjp(
      complexTensor(inputs.v, [batch, H, N2]),
      complexTensor(inputs.w, [H, N2]),
      complexTensor(z, [Lz]),
      complexTensor(g, [batch, H, Lz]),
    );
    expect(grads.v.shape).toEqual([batch, H, N2]);
    expect(grads.w.shape).toEqual([H, N2]);
    expectGradients(run, inputs, g, { v: grads.v.data, w: grads.w.data });
  });

  it('names a grad of the wrong shape and keeps float32', () => {
    const v = complexTensor(new Float32Array(2 * 3), [1, 1, 3]);
    const w = complexTensor(poles(1, 3), [1, 3]);
    const z = complexTensor(frequencyNodes(4).z, [3]);
    expect(() => cauchyVjp(v, w, z, complexTensor(new Float64Array(4), [1, 1, 2]))).toThrow(
      /grad must have shape/,
    );
    expect(cauchyVjp(v, w, z, complexTensor(new Float64Array(6), [1, 1, 3])).w.data).toBeInstanceOf(
      Float32Array,
    );
  });
});

describe('cauchyLimitVjp', () => {
  it('matches central differences', () => {
    const inputs = { v: randn(2 * 2 * 3 * 4) };
    const g = randn(2 * 3);
    const grad = cauchyLimitVjp(complexTensor(inputs.v, [2, 3, 4]), tensor(g, [2, 3]));
    expectGradients((a) => cauchyLimit(complexTensor(a.v, [2, 3, 4])).data, inputs, g, { v: grad.data });
  });
});
