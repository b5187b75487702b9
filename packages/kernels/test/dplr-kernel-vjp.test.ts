import { complexTensor, createRng, tensor } from '@statespace/complex';
import { dplr } from '@statespace/hippo';
import { expectGradients } from '@statespace/testing';
import { describe, it } from 'vitest';
import { dplrKernel, dplrKernelVjp } from '../src/index';

// dplrKernelVjp against central differences of dplrKernel: every parameter, even and odd
// discrete lengths (with and without the Nyquist node), ranks 1 and 2, tied and per-mode Δ, a rate.
describe('dplrKernelVjp', () => {
  it.each([
    [16, 1, 1, false],
    [15, 2, 1, true],
    [16, 1, 0.5, true],
  ] as const)(
    'lKernel %i, rank %i, rate %f, per-mode Δ %s: Λ, P, B, C̃ and Δ match central differences',
    (lKernel, rank, rate, perMode) => {
      const rng = createRng(7);
      const H = 2;
      const N2 = 3;
      const channels = 2;
      const sys = dplr('legs', 2 * N2, { H, rank });
      const dtShape = perMode ? [H, N2] : [H, 1];
      const inputs = {
        Lambda: Float64Array.from(sys.A.data),
        P: Float64Array.from(sys.P.data, (p) => p + 0.1 * rng.normal()),
        B: Float64Array.from(sys.B.data),
        C: Float64Array.from({ length: 2 * channels * H * N2 }, () => rng.normal()),
        dt: Float64Array.from({ length: perMode ? H * N2 : H }, () => 0.05 + 0.2 * rng.uniform()),
      };
      const params = (a: typeof inputs) => ({
        Lambda: complexTensor(a.Lambda, [H, N2]),
        P: complexTensor(a.P, [rank, H, N2]),
        B: complexTensor(a.B, [H, N2]),
        C: complexTensor(a.C, [channels, H, N2]),
        dt: tensor(a.dt, dtShape),
        lKernel,
        rate,
      });
      const L = Math.round(lKernel / rate) - 1;
      const g = Float64Array.from({ length: channels * H * L }, () => rng.normal());
      const grads = dplrKernelVjp({ ...params(inputs), L }, tensor(g, [channels, H, L]));
      expectGradients((a) => dplrKernel({ ...params(a), L }).K.data, inputs, g, {
        Lambda: grads.Lambda.data,
        P: grads.P.data,
        B: grads.B.data,
        C: grads.C.data,
        dt: grads.dt.data,
      });
    },
  );
});
