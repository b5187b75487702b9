import { complexTensor, createRng, tensor } from '@statespace/complex';
import { dplr } from '@statespace/hippo';
import { describe, expect, it } from 'vitest';
import { cauchy, diagKernel, dplrKernel, releaseScratch, vandermonde, woodbury } from '../src/index';

describe('reused work arrays', () => {
  const rng = createRng(3);
  const H = 3;
  const { A, P, B } = dplr('legs', 16, { H });
  const dt = tensor(new Float64Array([0.01, 0.05, 0.2]), [H]);
  const C = complexTensor(
    Float64Array.from({ length: 2 * H * 8 }, () => rng.normal()),
    [1, H, 8],
  );
  const s4 = (L: number) => dplrKernel({ Lambda: A, P, B, dt, C, lKernel: L }).K.data;
  const s4d = (L: number) => diagKernel({ Lambda: A, B, C, dt, L, disc: 'zoh' }).K.data;

  it('never carry one call into the next, whatever the order of sizes', () => {
    releaseScratch();
    const sizes = [64, 16, 100];
    const first = new Map(sizes.map((L) => [L, [s4(L), s4d(L)]]));
    const again = new Map([...sizes].reverse().map((L) => [L, [s4(L), s4d(L)]]));
    for (const L of sizes) expect(again.get(L)).toEqual(first.get(L));
  });

  it('returned kernels are not overwritten by a later call', () => {
    const K = s4(64);
    const copy = Float64Array.from(K);
    s4(64);
    expect(K).toEqual(copy);
  });

  it('out arrays of the wrong length are rejected', () => {
    const v = complexTensor(new Float64Array(2 * 4), [1, 1, 4]);
    const w = complexTensor(Float64Array.from([-1, 1, -1, 2, -1, 3, -1, 4]), [1, 4]);
    const z = complexTensor(new Float64Array([0, 1, 0, 2]), [2]);
    expect(() => cauchy(v, w, z, new Float64Array(3))).toThrow(/cauchy: out must hold 4 numbers; got 3/);
    expect(() => vandermonde(v, w, 5, new Float64Array(4))).toThrow(
      /vandermonde: out must hold 5 numbers; got 4/,
    );
    const r = complexTensor(new Float64Array(2 * 4 * 2), [2, 2, 1, 2]);
    expect(() => woodbury(r, 1, new Float64Array(1))).toThrow(/woodbury: out must hold 4 numbers; got 1/);
  });
});
