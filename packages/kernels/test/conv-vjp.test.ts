import { createRng, tensor } from '@statespace/complex';
import { expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { convolve, convolveVjp } from '../src/index';

const rng = createRng(24);
const randn = (n: number) => Float64Array.from({ length: n }, () => rng.normal());

describe('convolveVjp', () => {
  // [batch, C, H, L, Lk]: kernels shorter and longer than L, one and two channels.
  it.each([
    [2, 2, 3, 8, 5],
    [1, 1, 2, 6, 9],
    [1, 2, 1, 1, 1],
  ] as const)('matches central differences for batch %i, C %i, H %i, L %i, Lk %i', (batch, C, H, L, Lk) => {
    const inputs = {
      u: randn(batch * H * L),
      k: randn(C * H * Lk),
      D: randn(C * H),
      kReverse: randn(C * H * Lk),
    };
    const g = randn(batch * C * H * L);
    for (const bidirectional of [false, true]) {
      const input = (a: typeof inputs) => ({
        u: tensor(a.u, [batch, H, L]),
        k: tensor(a.k, [C, H, Lk]),
        D: tensor(a.D, [C, H]),
        kReverse: bidirectional ? tensor(a.kReverse, [C, H, Lk]) : undefined,
      });
      const grads = convolveVjp(input(inputs), tensor(g, [batch, C, H, L]));
      expect(grads.kReverse === undefined).toBe(!bidirectional);
      const named: Record<string, ArrayLike<number>> = { u: grads.u.data, k: grads.k.data };
      named.D = grads.D?.data ?? [];
      if (grads.kReverse) named.kReverse = grads.kReverse.data;
      expectGradients((a) => convolve(input(a)).data, inputs, g, named);
    }
  });

  it('names a grad of the wrong shape', () => {
    const input = { u: tensor(randn(4), [1, 1, 4]), k: tensor(randn(2), [1, 1, 2]) };
    expect(() => convolveVjp(input, tensor(randn(4), [1, 1, 4]))).toThrow(
      /grad must have shape \[batch, C, H, L\]/,
    );
  });
});
