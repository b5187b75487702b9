import { complexTensor, createRng, tensor } from '@statespace/complex';
import { KERNEL_METHODS } from '@statespace/discretize';
import { expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { diagKernel, diagKernelVjp } from '../src/index';

// diagKernelVjp against central differences of diagKernel: every discretisation, tied and
// per-mode Δ, a rate and a band limit.
describe('diagKernelVjp', () => {
  it.each(
    KERNEL_METHODS.flatMap(
      (disc) =>
        [
          [disc, false, 1, undefined],
          [disc, true, 0.5, 0.3],
        ] as const,
    ),
  )(
    '%s, per-mode Δ %s, rate %f, bandlimit %s: Λ, B, C and Δ match central differences',
    (disc, perMode, rate, bandlimit) => {
      const rng = createRng(3);
      const H = 2;
      const N2 = 3;
      const channels = 2;
      const L = 10;
      const dtShape = perMode ? [H, N2] : [H];
      const inputs = {
        Lambda: Float64Array.from({ length: 2 * H * N2 }, (_, i) =>
          i % 2 === 0 ? -0.2 - 0.3 * rng.uniform() : 4 * rng.normal(),
        ),
        B: Float64Array.from({ length: 2 * H * N2 }, () => rng.normal()),
        C: Float64Array.from({ length: 2 * channels * H * N2 }, () => rng.normal()),
        dt: Float64Array.from({ length: perMode ? H * N2 : H }, () => 0.05 + 0.3 * rng.uniform()),
      };
      const params = (a: typeof inputs) => ({
        Lambda: complexTensor(a.Lambda, [H, N2]),
        B: complexTensor(a.B, [H, N2]),
        C: complexTensor(a.C, [channels, H, N2]),
        dt: tensor(a.dt, dtShape),
        L,
        disc,
        rate,
        ...(bandlimit === undefined ? {} : { bandlimit }),
      });
      const g = Float64Array.from({ length: channels * H * L }, () => rng.normal());
      const grads = diagKernelVjp(params(inputs), tensor(g, [channels, H, L]));
      if (bandlimit !== undefined) expect(grads.C.data.some((v) => v === 0)).toBe(true);
      expectGradients((a) => diagKernel(params(a)).K.data, inputs, g, {
        Lambda: grads.Lambda.data,
        B: grads.B.data,
        C: grads.C.data,
        dt: grads.dt.data,
      });
    },
  );
});
