import { createRng, tensor } from '@statespace/complex';
import { expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { causalConv, causalConvVjp } from '../src/index';

const rng = createRng(10);
const randn = (n: number) => Float64Array.from({ length: n }, () => rng.normal());

describe('causalConvVjp', () => {
  // [B, H, L, Lk]: kernel shorter, equal and longer than L.
  it.each([
    [2, 3, 10, 4],
    [1, 2, 9, 9],
    [2, 1, 6, 10],
    [1, 1, 1, 1],
  ] as const)('matches central differences for B = %i, H = %i, L = %i, Lk = %i', (B, H, L, Lk) => {
    const inputs = { u: randn(B * H * L), k: randn(H * Lk), D: randn(H) };
    const g = randn(B * H * L);
    for (const method of ['fft', 'direct'] as const) {
      const run = (a: typeof inputs) =>
        causalConv(tensor(a.u, [B, H, L]), tensor(a.k, [H, Lk]), { D: a.D, method }).data;
      const grads = causalConvVjp(
        tensor(inputs.u, [B, H, L]),
        tensor(inputs.k, [H, Lk]),
        tensor(g, [B, H, L]),
        {
          D: inputs.D,
          method,
        },
      );
      expect(grads.u.shape).toEqual([B, H, L]);
      expect(grads.k.shape).toEqual([H, Lk]);
      expectGradients(run, inputs, g, { u: grads.u.data, k: grads.k.data, D: grads.D as Float64Array });
    }
  });

  it('omits D when the forward had none, and names a bad grad', () => {
    const u = tensor(randn(8), [1, 2, 4]);
    const k = tensor(randn(4), [2, 2]);
    expect(causalConvVjp(u, k, tensor(randn(8), [1, 2, 4])).D).toBeUndefined();
    expect(() => causalConvVjp(u, k, tensor(randn(8), [2, 1, 4]))).toThrow(/grad must have the shape of y/);
    expect(() => causalConvVjp(u, k, tensor(new Float32Array(8), [1, 2, 4]) as never)).toThrow(
      /grad.data must have the precision/,
    );
  });
});
