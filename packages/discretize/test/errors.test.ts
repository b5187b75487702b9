import { describe, expect, it } from 'vitest';
import {
  diagonalKernelCoefficients,
  diagonalKernelFactors,
  diagonalStateFactors,
  discretizeDense,
  discretizeDiagonal,
  dplrBilinear,
  dtFromInvDt,
  gbtDense,
  initInvDt,
  initLogDt,
  invTransform,
  paramTransform,
  type StepMethod,
  type Transform,
  zohDense,
} from '../src/index';

const c = (...v: number[]) => Float64Array.from(v);
const Lambda = { data: c(-0.5, -1, -0.5, -2), shape: [1, 2] };
const B = { data: c(1, 0, 1, 0), shape: [1, 2] };
const P = { data: c(0.1, 0, 0.2, 0), shape: [1, 1, 2] };
const dt = { data: c(0.1), shape: [1] };
const A = { data: c(-1, 0, 0, -2), shape: [2, 2] };
const b = { data: c(1, 1), shape: [2] };

describe('bad input fails with a message naming the argument', () => {
  it.each([
    [
      'Δ = 0 (diagonal)',
      () => discretizeDiagonal(Lambda, B, { data: c(0), shape: [1] }, 'zoh'),
      /dt must be finite and > 0; found 0 at index 0/,
    ],
    [
      'Δ < 0 (kernel)',
      () => diagonalKernelFactors(Lambda, { data: c(-0.1), shape: [1] }, 'zoh'),
      /dt must be finite and > 0; found -0.1/,
    ],
    [
      'Δ NaN (DPLR)',
      () => dplrBilinear(Lambda, P, B, { data: c(Number.NaN), shape: [1] }),
      /dt must be finite and > 0; found NaN/,
    ],
    ['Δ = 0 (dense)', () => discretizeDense(A, b, 0, 'zoh'), /dt must be a finite number > 0; got 0/],
    ['Δ NaN (dense GBT)', () => gbtDense(A, b, Number.NaN, 0.5), /dt must be a finite number > 0; got NaN/],
    [
      'Δ of the wrong shape',
      () => discretizeDiagonal(Lambda, B, { data: c(0.1, 0.1, 0.1), shape: [3] }, 'zoh'),
      /dt must be a Tensor of shape \[1\], \[1, 1\] or \[1, 2\]/,
    ],
    [
      'NaN in Λ',
      () => discretizeDiagonal({ data: c(Number.NaN, 0, 1, 0), shape: [1, 2] }, B, dt, 'zoh'),
      /Lambda must be finite; found NaN at index 0/,
    ],
    [
      'NaN in A',
      () => zohDense({ data: c(1, Number.NaN, 0, 1), shape: [2, 2] }, b, 0.1),
      /A must be finite; found NaN at index 1/,
    ],
    [
      'B of another shape (diagonal)',
      () => discretizeDiagonal(Lambda, { data: c(1, 0), shape: [1, 1] }, dt, 'bilinear'),
      /B must end in shape \[1, 2\] like Lambda; got \[1, 1\]/,
    ],
    [
      'C of another shape (kernel)',
      () => diagonalKernelCoefficients(Lambda, B, { data: c(1, 0, 1, 0, 1, 0), shape: [1, 3] }, dt, 'zoh'),
      /C must end in shape \[1, 2\] like Lambda/,
    ],
    [
      'Λ data of the wrong length',
      () => discretizeDiagonal({ data: c(1, 0, 1), shape: [1, 2] }, B, dt, 'zoh'),
      /Lambda.data must hold 4 numbers \(interleaved complex\)/,
    ],
    [
      'Λ not [H, N/2]',
      () => diagonalStateFactors({ data: c(1, 0), shape: [1] }, dt, 'zoh'),
      /Lambda must be a ComplexTensor of shape \[H, N\/2\]/,
    ],
    [
      'B length ≠ n (dense)',
      () => discretizeDense(A, { data: c(1, 2, 3), shape: [3] }, 0.1, 'bilinear'),
      /B must be a vector \[2\] to match A; got shape \[3\]/,
    ],
    [
      'A not square',
      () => discretizeDense({ data: c(1, 2), shape: [1, 2] }, b, 0.1, 'zoh'),
      /A must be a square matrix \[n, n\]/,
    ],
    [
      'A data neither real nor complex',
      () => discretizeDense({ data: c(1, 2, 3), shape: [2, 2] }, b, 0.1, 'zoh'),
      /A.data must hold 4 real or 8 interleaved complex numbers/,
    ],
    [
      'P without a rank dimension',
      () => dplrBilinear(Lambda, B, B, dt),
      /P must have shape \[rank, H, N\/2\] with rank ≥ 1/,
    ],
    [
      'P of another size',
      () => dplrBilinear(Lambda, { data: c(1, 0), shape: [1, 1, 1] }, B, dt),
      /P must end in shape \[1, 2\] like Lambda/,
    ],
    [
      'a step of a state of odd length',
      () => dplrBilinear(Lambda, P, B, dt).step(c(1, 0, 1, 0, 1, 0), c(1)),
      /x must hold the half state \[1, 2\] or the full state \[1, 4\]/,
    ],
    [
      'a step with u of the wrong length',
      () => dplrBilinear(Lambda, P, B, dt).step(c(1, 0, 1, 0), c(1, 2)),
      /u must hold 1 values; got 2/,
    ],
    [
      'N odd for per-mode Δ',
      () => initLogDt(2, { dt_tie: false, N: 7, seed: 0 }),
      /N must be an even integer ≥ 2 when dt_tie is false/,
    ],
    ['a random Δ without seed', () => initLogDt(2), /seed is required/],
    ['dt_min > dt_max', () => initLogDt(2, { seed: 0, dt_min: 0.2, dt_max: 0.1 }), /dt_min must be ≤ dt_max/],
    ['dt_min ≤ 0', () => initLogDt(2, { seed: 0, dt_min: 0 }), /dt_min must be a finite number > 0/],
    [
      'deterministic untied',
      () => initLogDt(2, { deterministic: true, dt_tie: false, N: 4 }),
      /deterministic dt initialisation is tied/,
    ],
    ['H = 0', () => initLogDt(0, { seed: 0 }), /H must be an integer ≥ 1; got 0/],
    ['rate ≤ 0', () => dtFromInvDt({ data: c(0), shape: [1] }, 'exp', 0), /rate must be a finite number > 0/],
    ['NaN parameter', () => paramTransform(c(Number.NaN), 'exp'), /param must be finite; found NaN/],
    [
      'sigmoid inverse of 1',
      () => invTransform(c(0.5, 1), 'sigmoid'),
      /value must be < 1 for the 'sigmoid' inverse \(logit\); found 1 at index 1/,
    ],
    [
      'gbt without α',
      () => discretizeDense(A, b, 0.1, 'gbt'),
      /method 'gbt' needs alpha, a number in \[0, 1\]; got undefined/,
    ],
    [
      'α outside [0, 1]',
      () => discretizeDiagonal(Lambda, B, dt, 'gbt', { alpha: 1.5 }),
      /method 'gbt' needs alpha, a number in \[0, 1\]; got 1.5/,
    ],
    [
      'α with a named method',
      () => discretizeDense(A, b, 0.1, 'bilinear', { alpha: 0.5 }),
      /alpha is only accepted with method 'gbt'/,
    ],
    [
      'α outside [0, 1] (gbtDense)',
      () => gbtDense(A, b, 0.1, -0.1),
      /alpha must be a number in \[0, 1\]; got -0.1/,
    ],
    [
      'dss without L',
      () => diagonalKernelFactors(Lambda, dt, 'dss'),
      /method 'dss' needs the kernel length L/,
    ],
    [
      'L not an integer',
      () => diagonalKernelFactors(Lambda, dt, 'dss', { L: 2.5 }),
      /L must be an integer ≥ 1; got 2.5/,
    ],
    [
      'a singular I − αΔA',
      () => gbtDense({ data: c(1), shape: [1, 1] }, { data: c(1), shape: [1] }, 1, 1),
      /I − αΔA is singular for α = 1, Δ = 1/,
    ],
  ])('%s', (_, fn, message) => {
    expect(fn).toThrow(message);
  });
});

describe('unknown names list the accepted ones', () => {
  it.each([
    [
      'discretizeDense',
      () => discretizeDense(A, b, 0.1, 'euler' as StepMethod),
      /method must be one of 'zoh', 'bilinear', 'forward_euler', 'backward_euler', 'gbt'; got 'euler'/,
    ],
    [
      'discretizeDiagonal',
      () => discretizeDiagonal(Lambda, B, dt, 'dss' as StepMethod),
      /method must be one of 'zoh', 'bilinear', 'forward_euler', 'backward_euler', 'gbt'; got 'dss'/,
    ],
    [
      'diagonalKernelFactors',
      () => diagonalKernelFactors(Lambda, dt, 'forward_euler' as 'zoh'),
      /method must be one of 'zoh', 'bilinear', 'dss'; got 'forward_euler'/,
    ],
    [
      'diagonalStateFactors',
      () => diagonalStateFactors(Lambda, dt, 'foo' as 'zoh'),
      /method must be one of 'zoh', 'bilinear', 'dss'/,
    ],
    [
      'paramTransform',
      () => paramTransform(c(1), 'tanh' as Transform),
      /transform must be one of 'none', 'exp', 'relu', 'sigmoid', 'softplus'; got 'tanh'/,
    ],
    [
      'invTransform',
      () => invTransform(c(1), 'log' as Transform),
      /transform must be one of 'none', 'exp', 'relu', 'sigmoid', 'softplus'; got 'log'/,
    ],
    [
      'initInvDt',
      () => initInvDt(2, { seed: 0, dt_transform: 'abs' as Transform }),
      /dt_transform must be one of 'none', 'exp'/,
    ],
  ])('%s', (_, fn, message) => {
    expect(fn).toThrow(message);
  });
});
