import { type ComplexTensor, complexLength, type Tensor } from '@statespace/complex';
import {
  assertKnownFields,
  caseName,
  expectClose,
  GOLDEN_FIELDS,
  type GoldenCase,
  goldenComplex,
  goldenReal,
  loadGoldenCases,
  TOLERANCE,
} from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import {
  diagonalKernelCoefficients,
  diagonalStateFactors,
  discretizeDiagonal,
  dplrBilinear,
  dplrBilinearDense,
  type KernelMethod,
} from '../src/index';
import { naiveKernel } from './helpers';

// Conformance with the official S4 (kernels.json): every case of the file. Discretisation is checked
// through what the official code computes from it: K, dA/dB, stepped outputs, state kernels.

const cases = loadGoldenCases('kernels.json');

function complexField(c: GoldenCase, key: string): ComplexTensor<Float64Array> {
  return goldenComplex(c[key], key);
}

function deltaOf(c: GoldenCase): Tensor<Float64Array> {
  const logDt = goldenReal(c.log_dt, 'log_dt');
  return { data: logDt.data.map(Math.exp), shape: logDt.shape };
}

/** 2·Re Σ_n c_n x_n of one row. */
function output(c: Float64Array, x: ArrayLike<number>, offset: number, halfN: number): number {
  let y = 0;
  for (let n = 0; n < halfN; n++)
    y += c[offset + 2 * n] * x[offset + 2 * n] - c[offset + 2 * n + 1] * x[offset + 2 * n + 1];
  return 2 * y;
}

function checkDplr(c: GoldenCase): void {
  const H = c.H as number;
  const L = c.L as number;
  const halfN = (c.N as number) / 2;
  expect(c.disc).toBe('bilinear');
  const C = complexField(c, 'C').data;
  const stepper = dplrBilinear(
    complexField(c, 'Lambda'),
    complexField(c, 'P'),
    complexField(c, 'B'),
    deltaOf(c),
  );
  // Impulse response: x_0 = B̄ (one step from 0 with u = 1), x_{l+1} = Ā x_l; K_l = 2·Re(C x_l).
  const K = new Float64Array(H * L);
  let x = stepper.step(new Float64Array(2 * H * halfN), new Float64Array(H).fill(1));
  const zeros = new Float64Array(H);
  for (let l = 0; l < L; l++) {
    for (let h = 0; h < H; h++) K[h * L + l] = output(C, x, 2 * h * halfN, halfN);
    x = stepper.step(x, zeros, x);
  }
  expectClose(K, goldenReal(c.K, 'K').data, TOLERANCE.float64, 'K');
  if (c.dA !== undefined) {
    const dense = dplrBilinearDense(stepper);
    expect(dense.dA.shape).toEqual(goldenComplex(c.dA).shape);
    expectClose(dense.dA.data, complexField(c, 'dA').data, TOLERANCE.float64, 'dA');
    expectClose(dense.dB.data, complexField(c, 'dB').data, TOLERANCE.float64, 'dB');
  }
  if (c.K_krylov !== undefined) expectClose(K, goldenReal(c.K_krylov).data, TOLERANCE.float64, 'K_krylov');
  if (c.y_step !== undefined) {
    const u = goldenReal(c.u, 'u').data;
    const y = new Float64Array(H * L);
    const state = new Float64Array(2 * H * halfN);
    const uk = new Float64Array(H);
    for (let l = 0; l < L; l++) {
      for (let h = 0; h < H; h++) uk[h] = u[h * L + l];
      stepper.step(state, uk, state);
      for (let h = 0; h < H; h++) y[h * L + l] = output(C, state, 2 * h * halfN, halfN);
    }
    expectClose(y, goldenReal(c.y_step).data, TOLERANCE.float64, 'y_step');
  }
}

function checkDiag(c: GoldenCase): void {
  const H = c.H as number;
  const L = c.L as number;
  const halfN = (c.N as number) / 2;
  const method = c.disc as KernelMethod;
  const Lambda = complexField(c, 'Lambda');
  const B = complexField(c, 'B');
  const C = complexField(c, 'C');
  const dt = deltaOf(c);
  const kernelOf = (b: ComplexTensor) => {
    const { coefficients, exponent, shift, scale } = diagonalKernelCoefficients(Lambda, b, C, dt, method, {
      L,
    });
    const K = new Float64Array(H * L);
    for (let h = 0; h < H; h++) {
      const rows = (a: ArrayLike<number>, w: number) =>
        Array.prototype.slice.call(a, w * h * halfN, w * (h + 1) * halfN);
      K.set(
        naiveKernel(rows(coefficients.data, 2), rows(exponent.data, 2), rows(shift.data, 1), scale, L),
        h * L,
      );
    }
    return K;
  };
  expectClose(kernelOf(B), goldenReal(c.K, 'K').data, TOLERANCE.float64, 'K');
  if (c.state0 !== undefined) {
    // The state's B row: state0 ⊙ factors.
    const f = diagonalStateFactors(Lambda, dt, method).data;
    const s0 = complexField(c, 'state0').data;
    const s = new Float64Array(s0.length);
    for (let i = 0; i < s.length; i += 2) {
      s[i] = s0[i] * f[i] - s0[i + 1] * f[i + 1];
      s[i + 1] = s0[i] * f[i + 1] + s0[i + 1] * f[i];
    }
    expectClose(
      kernelOf({ data: s, shape: [H, halfN] }),
      goldenReal(c.K_state).data,
      TOLERANCE.float64,
      'K_state',
    );
    // The state after u from state0: x ← Ā ⊙ x + B̄·u_l.
    const { dA, dB } = discretizeDiagonal(Lambda, B, dt, method as 'zoh' | 'bilinear');
    const u = goldenReal(c.u).data;
    const x = Float64Array.from(s0);
    for (let l = 0; l < L; l++) {
      for (let i = 0; i < complexLength(x); i++) {
        const ul = u[Math.floor(i / halfN) * L + l];
        const [xr, xi] = [x[2 * i], x[2 * i + 1]];
        x[2 * i] = dA.data[2 * i] * xr - dA.data[2 * i + 1] * xi + dB.data[2 * i] * ul;
        x[2 * i + 1] = dA.data[2 * i] * xi + dA.data[2 * i + 1] * xr + dB.data[2 * i + 1] * ul;
      }
    }
    expectClose(x, complexField(c, 'next_state').data, TOLERANCE.float64, 'next_state');
  }
}

describe('golden kernels.json (official S4, float64)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));
  it.each(cases.map((c) => [caseName(c), c] as const))('%s', (_, c) => {
    assertKnownFields(c, GOLDEN_FIELDS['kernels.json']);
    if (c.kind === 'dplr') checkDplr(c);
    else if (c.kind === 'diag') checkDiag(c);
    else throw new Error(`unknown kind ${String(c.kind)}`);
  });
});
