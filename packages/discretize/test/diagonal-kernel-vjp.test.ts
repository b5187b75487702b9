import { createRng, tensor } from '@statespace/complex';
import { expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import {
  diagonalKernelCoefficients,
  diagonalKernelCoefficientsVjp,
  diagonalKernelFactors,
  diagonalKernelFactorsVjp,
  KERNEL_METHODS,
} from '../src/index';

const H = 2;
const N2 = 3;

/** S4D-Lin-like modes −½ + iπn, one with Re Λ > 0 (reflected by dss), one tiny (zoh's series). */
const LAMBDA = Float64Array.from([
  -0.5,
  0.4,
  -0.5,
  Math.PI,
  0.3,
  2.1,
  -0.5,
  2 * Math.PI,
  -2e-3,
  1e-3,
  -0.9,
  7.5,
]);

const DT = {
  '[H]': tensor(Float64Array.from([0.05, 0.2]), [H]),
  '[H, 1]': tensor(Float64Array.from([0.11, 0.03]), [H, 1]),
  '[H, N/2]': tensor(Float64Array.from([0.05, 0.2, 0.1, 0.03, 0.07, 0.15]), [H, N2]),
};

describe('diagonalKernelFactorsVjp', () => {
  const rng = createRng(31);
  const g = Float64Array.from({ length: 4 * H * N2 }, () => rng.normal());

  it.each(
    KERNEL_METHODS.flatMap((m) => (Object.keys(DT) as (keyof typeof DT)[]).map((s) => [m, s] as const)),
  )('%s with dt %s matches central differences', (method, shape) => {
    const dt = DT[shape];
    const options = { L: 16 };
    const run = (a: { Lambda: Float64Array; dt: Float64Array }) => {
      const f = diagonalKernelFactors(
        { data: a.Lambda, shape: [H, N2] },
        tensor(a.dt, dt.shape),
        method,
        options,
      );
      return [...f.factor.data, ...f.exponent.data];
    };
    const half = 2 * H * N2;
    const grads = diagonalKernelFactorsVjp(
      { data: LAMBDA, shape: [H, N2] },
      dt,
      method,
      {
        factor: { data: g.subarray(0, half), shape: [H, N2] },
        exponent: { data: g.subarray(half), shape: [H, N2] },
      },
      options,
    );
    expect(grads.dt.shape).toEqual(dt.shape);
    const inputs = { Lambda: Float64Array.from(LAMBDA), dt: Float64Array.from(dt.data) };
    expectGradients(run, inputs, g, { Lambda: grads.Lambda.data, dt: grads.dt.data });
  });

  it('treats an absent gradient as 0 and checks its arguments', () => {
    const Lambda = { data: LAMBDA, shape: [H, N2] };
    const none = diagonalKernelFactorsVjp(Lambda, DT['[H]'], 'zoh', {});
    expect(Array.from(none.Lambda.data).every((v) => v === 0)).toBe(true);
    expect(() => diagonalKernelFactorsVjp(Lambda, DT['[H]'], 'dss', {})).toThrow(/needs the kernel length L/);
    expect(() =>
      diagonalKernelFactorsVjp(Lambda, DT['[H]'], 'zoh', {
        factor: { data: new Float64Array(4), shape: [1, 2] },
      }),
    ).toThrow(/grad.factor must end in shape \[2, 3\]/);
  });
});

describe('diagonalKernelCoefficientsVjp', () => {
  const rng = createRng(32);
  const randn = (n: number) => Float64Array.from({ length: n }, () => rng.normal());

  it.each(KERNEL_METHODS)('%s matches central differences for Λ, B, C and Δ', (method) => {
    const inputs = {
      Lambda: Float64Array.from(LAMBDA),
      B: randn(2 * 2 * H * N2),
      C: randn(2 * 3 * H * N2),
      dt: Float64Array.from([0.05, 0.2]),
    };
    const options = { L: 16 };
    const run = (a: typeof inputs) => {
      const out = diagonalKernelCoefficients(
        { data: a.Lambda, shape: [H, N2] },
        { data: a.B, shape: [2, H, N2] },
        { data: a.C, shape: [3, H, N2] },
        tensor(a.dt, [H]),
        method,
        options,
      );
      return [...out.coefficients.data, ...out.exponent.data];
    };
    const g = randn(2 * 6 * H * N2 + 2 * H * N2);
    const split = 2 * 6 * H * N2;
    const grads = diagonalKernelCoefficientsVjp(
      { data: inputs.Lambda, shape: [H, N2] },
      { data: inputs.B, shape: [2, H, N2] },
      { data: inputs.C, shape: [3, H, N2] },
      tensor(inputs.dt, [H]),
      method,
      {
        coefficients: { data: g.subarray(0, split), shape: [2, 3, H, N2] },
        exponent: { data: g.subarray(split), shape: [H, N2] },
      },
      options,
    );
    expect(grads.B.shape).toEqual([2, H, N2]);
    expect(grads.C.shape).toEqual([3, H, N2]);
    expectGradients(run, inputs, g, {
      Lambda: grads.Lambda.data,
      B: grads.B.data,
      C: grads.C.data,
      dt: grads.dt.data,
    });
  });

  it('names a coefficient gradient of the wrong shape', () => {
    const Lambda = { data: LAMBDA, shape: [H, N2] };
    const B = { data: new Float64Array(2 * H * N2), shape: [H, N2] };
    expect(() =>
      diagonalKernelCoefficientsVjp(Lambda, B, B, DT['[H]'], 'zoh', {
        coefficients: { data: new Float64Array(4 * H * N2), shape: [2, H, N2] },
      }),
    ).toThrow(/grad.coefficients must have the shape of the coefficients \[2, 3\]/);
  });
});
