import { complexTensor, createRng, tensor } from '@statespace/complex';
import { expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import {
  applyBilinearFactor,
  applyBilinearFactorVjp,
  frequencyNodes,
  woodbury,
  woodburyLimit,
  woodburyLimitVjp,
  woodburyVjp,
} from '../src/index';

const rng = createRng(22);
const randn = (n: number, scale = 1) => Float64Array.from({ length: n }, () => scale * rng.normal());

describe('woodburyVjp', () => {
  // [nb, nc, rank]: every code path of the forward (R = 0, 1, 2 closed forms, R = 3 LU).
  it.each([
    [1, 1, 0],
    [1, 1, 1],
    [2, 3, 1],
    [2, 2, 2],
    [1, 2, 3],
  ] as const)('matches central differences for nb = %i, nc = %i, rank %i', (nb, nc, R) => {
    const H = 2;
    const Lz = 3;
    const shape = [nb + R, nc + R, H, Lz];
    const inputs = { r: randn(2 * (nb + R) * (nc + R) * H * Lz, 0.4) };
    const g = randn(2 * nb * nc * H * Lz);
    const grad = woodburyVjp(complexTensor(inputs.r, shape), R, complexTensor(g, [nb, nc, H, Lz]));
    expect(grad.shape).toEqual(shape);
    expectGradients((a) => woodbury(complexTensor(a.r, shape), R).data, inputs, g, { r: grad.data });
  });

  it('names a grad of the wrong shape', () => {
    const r = complexTensor(randn(2 * 4 * 3), [2, 2, 1, 3]);
    expect(() => woodburyVjp(r, 1, complexTensor(randn(4), [1, 1, 1, 2]))).toThrow(
      /grad must have the shape of k_f/,
    );
  });
});

describe('woodburyLimitVjp', () => {
  it('matches central differences', () => {
    const inputs = { r: randn(3 * 4 * 2) };
    const g = randn(2 * 3 * 2);
    const grad = woodburyLimitVjp(tensor(g, [2, 3, 2]), 1);
    expect(grad.shape).toEqual([3, 4, 2]);
    expectGradients((a) => woodburyLimit(tensor(a.r, [3, 4, 2]), 1).data, inputs, g, { r: grad.data });
  });
});

describe('applyBilinearFactorVjp', () => {
  it.each([6, 7])('matches central differences for L = %i (with and without the Nyquist node)', (L) => {
    const { omega, count } = frequencyNodes(L);
    const inputs = { kf: randn(2 * 2 * 3 * count), limit: randn(2 * 3) };
    const g = randn(2 * 2 * 3 * count);
    const run = (a: typeof inputs) =>
      applyBilinearFactor(complexTensor(a.kf, [2, 3, count]), omega, tensor(a.limit, [2, 3])).data;
    const grads = applyBilinearFactorVjp(complexTensor(g, [2, 3, count]), omega);
    expect(grads.limit.shape).toEqual([2, 3]);
    expectGradients(run, inputs, g, { kf: grads.kf.data, limit: grads.limit.data });
  });
});
