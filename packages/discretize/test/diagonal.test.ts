import { type ComplexTensor, cdiv, cexp, cmul, createRng, getComplex } from '@statespace/complex';
import { expectClose, TOLERANCE } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { discretizeDense, discretizeDiagonal, STEP_METHODS, type StepMethod } from '../src/index';
import { diagMatrix, randomComplex, randomDt, row } from './helpers';

const rng = createRng(11);
const H = 3;
const halfN = 6;
const Lambda = randomComplex(rng, [H, halfN], { reScale: 2, imScale: 20, stable: true });
const B = randomComplex(rng, [H, halfN]);
const dt = randomDt(rng, H);
dt.data[0] = 0.5; // one row with large |ΔΛ|

const options = (method: StepMethod) => (method === 'gbt' ? { alpha: 0.3 } : undefined);

/** The diagonal of a complex [n, n] matrix. */
function diagonalOf(m: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = m[2 * (i * n + i)];
    out[2 * i + 1] = m[2 * (i * n + i) + 1];
  }
  return out;
}

describe('diagonal formulas equal the dense discretisation of diag(Λ)', () => {
  it.each(STEP_METHODS)('%s', (method) => {
    const { dA, dB } = discretizeDiagonal(Lambda, B, dt, method, options(method));
    expect(dA.shape).toEqual([H, halfN]);
    for (let h = 0; h < H; h++) {
      const dense = discretizeDense(
        diagMatrix(row(Lambda, h)),
        { data: row(B, h), shape: [halfN] },
        dt.data[h],
        method,
        options(method),
      );
      // Off-diagonal entries of the dense Ā vanish.
      const offDiagonal = Array.from(dense.dA.data).filter((_, i) => Math.floor(i / 2) % (halfN + 1) !== 0);
      expect(Math.max(...offDiagonal.map(Math.abs))).toBeLessThan(1e-14);
      expectClose(row(dA, h), diagonalOf(dense.dA.data, halfN), 1e-12, `Ā row ${h}`);
      expectClose(row(dB, h), dense.dB.data, 1e-12, `B̄ row ${h}`);
    }
  });

  it.each(STEP_METHODS)('%s with per-mode Δ (dt_tie=false): each mode is its own 1×1 system', (method) => {
    const perMode = {
      data: Float64Array.from({ length: H * halfN }, () => 0.001 + 0.2 * rng.uniform()),
      shape: [H, halfN],
    };
    const { dA, dB } = discretizeDiagonal(Lambda, B, perMode, method, options(method));
    for (let i = 0; i < H * halfN; i++) {
      const lam = { data: Float64Array.of(Lambda.data[2 * i], Lambda.data[2 * i + 1]), shape: [1, 1] };
      const b = { data: Float64Array.of(B.data[2 * i], B.data[2 * i + 1]), shape: [1] };
      const dense = discretizeDense(lam, b, perMode.data[i], method, options(method));
      expectClose([dA.data[2 * i], dA.data[2 * i + 1]], dense.dA.data, 1e-13, `Ā mode ${i}`);
      expectClose([dB.data[2 * i], dB.data[2 * i + 1]], dense.dB.data, 1e-13, `B̄ mode ${i}`);
    }
  });
});

describe('official formulas (SSMKernelDiag._setup_step)', () => {
  it('zoh: Ā = e^{ΔΛ}, B̄ = B·(e^{ΔΛ} − 1)/Λ', () => {
    const { dA, dB } = discretizeDiagonal(Lambda, B, dt, 'zoh');
    for (let i = 0; i < H * halfN; i++) {
      const d = dt.data[Math.floor(i / halfN)];
      const lam = getComplex(Lambda.data, i);
      const e = cexp({ re: d * lam.re, im: d * lam.im });
      const b = cmul(getComplex(B.data, i), cdiv({ re: e.re - 1, im: e.im }, lam));
      expectClose([dA.data[2 * i], dA.data[2 * i + 1]], [e.re, e.im], 1e-14, 'Ā');
      expectClose([dB.data[2 * i], dB.data[2 * i + 1]], [b.re, b.im], 1e-12, 'B̄');
    }
  });

  it('bilinear: Ā = (1 + ΔΛ/2)/(1 − ΔΛ/2), B̄ = B·Δ/(1 − ΔΛ/2)', () => {
    const { dA, dB } = discretizeDiagonal(Lambda, B, dt, 'bilinear');
    for (let i = 0; i < H * halfN; i++) {
      const d = dt.data[Math.floor(i / halfN)];
      const lam = getComplex(Lambda.data, i);
      const den = { re: 1 - (d * lam.re) / 2, im: (-d * lam.im) / 2 };
      const a = cdiv({ re: 1 + (d * lam.re) / 2, im: (d * lam.im) / 2 }, den);
      const b = cdiv(cmul(getComplex(B.data, i), { re: d, im: 0 }), den);
      expectClose([dA.data[2 * i], dA.data[2 * i + 1]], [a.re, a.im], 1e-15, 'Ā');
      expectClose([dB.data[2 * i], dB.data[2 * i + 1]], [b.re, b.im], 1e-15, 'B̄');
    }
  });

  it('zoh at Λ = 0 takes the limit B̄ = Δ·B (the official formula divides by zero)', () => {
    const zero: ComplexTensor = { data: new Float64Array(2), shape: [1, 1] };
    const { dA, dB } = discretizeDiagonal(
      zero,
      { data: Float64Array.of(2, -1), shape: [1, 1] },
      { data: Float64Array.of(0.1), shape: [1] },
      'zoh',
    );
    expect(Array.from(dA.data)).toEqual([1, 0]);
    expectClose(dB.data, [0.2, -0.1], 1e-15, 'B̄');
  });

  it('Δ of shape [H, 1] equals Δ of shape [H]', () => {
    const a = discretizeDiagonal(Lambda, B, dt, 'zoh');
    const b = discretizeDiagonal(Lambda, B, { data: dt.data, shape: [H, 1] }, 'zoh');
    expect(Array.from(b.dA.data)).toEqual(Array.from(a.dA.data));
  });
});

describe('precision', () => {
  it.each(['zoh', 'bilinear', 'forward_euler'] as const)('%s: float32 in, float32 out', (method) => {
    const lam32 = { data: Float32Array.from(Lambda.data), shape: Lambda.shape };
    const f32 = discretizeDiagonal(lam32, B, dt, method);
    const f64 = discretizeDiagonal(
      { data: Float64Array.from(lam32.data), shape: Lambda.shape },
      B,
      dt,
      method,
    );
    expect(f32.dA.data).toBeInstanceOf(Float32Array);
    expect(f32.dB.data).toBeInstanceOf(Float32Array);
    expectClose(f32.dA.data, f64.dA.data, TOLERANCE.float32, 'Ā');
    expectClose(f32.dB.data, f64.dB.data, TOLERANCE.float32, 'B̄');
  });
});
