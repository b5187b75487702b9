import { complexTensor, createRng, tensor } from '@statespace/complex';
import {
  diagonalKernelCoefficients,
  diagonalKernelCoefficientsVjp,
  KERNEL_METHODS,
} from '@statespace/discretize';
import { expectGradients } from '@statespace/testing';
import { describe, it } from 'vitest';
import { diagKernel, vandermondeVjp } from '../src/index';

// A whole S4D kernel differentiated by composing VJPs (discretize's coefficients, then the
// Vandermonde sum) and checked against central differences of `diagKernel` itself.
describe('S4D kernel gradients by composed VJPs', () => {
  it.each(KERNEL_METHODS)('%s: Λ, B, C and Δ match central differences of diagKernel', (disc) => {
    const rng = createRng(41);
    const randn = (n: number) => Float64Array.from({ length: n }, () => rng.normal());
    const H = 2;
    const N2 = 3;
    const channels = 2;
    const L = 12;
    // Stable modes (Re Λ < 0): dss has no reflected modes, so its kernel is ½ of the Vandermonde sum.
    const Lambda = Float64Array.from({ length: 2 * H * N2 }, (_, i) =>
      i % 2 === 0 ? -0.3 - 0.2 * (i % 3) : i * 0.7,
    );
    const inputs = {
      Lambda,
      B: randn(2 * H * N2),
      C: randn(2 * channels * H * N2),
      dt: Float64Array.from([0.07, 0.2]),
    };
    const g = randn(channels * H * L);
    const run = (a: typeof inputs) =>
      diagKernel({
        Lambda: complexTensor(a.Lambda, [H, N2]),
        B: complexTensor(a.B, [H, N2]),
        C: complexTensor(a.C, [channels, H, N2]),
        dt: tensor(a.dt, [H]),
        L,
        disc,
      }).K.data;

    // Forward pieces, then the backward pass in reverse order.
    const args = [
      complexTensor(inputs.Lambda, [H, N2]),
      complexTensor(inputs.B, [H, N2]),
      complexTensor(inputs.C, [channels, H, N2]),
      tensor(inputs.dt, [H]),
      disc,
    ] as const;
    const { coefficients, exponent } = diagonalKernelCoefficients(...args, { L });
    const scale = disc === 'dss' ? 0.5 : 1;
    const dv = vandermondeVjp(
      coefficients,
      exponent,
      L,
      tensor(
        g.map((x) => scale * x),
        [channels, H, L],
      ),
    );
    const grads = diagonalKernelCoefficientsVjp(...args, { coefficients: dv.v, exponent: dv.x }, { L });
    expectGradients(run, inputs, g, {
      Lambda: grads.Lambda.data,
      B: grads.B.data,
      C: grads.C.data,
      dt: grads.dt.data,
    });
  });
});
