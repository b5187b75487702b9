import {
  type Complex,
  cabs2,
  cconj,
  cdiv,
  cexp,
  cmul,
  createRng,
  csub,
  getComplex,
} from '@statespace/complex';
import { expectClose, TOLERANCE } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import {
  DSS_EPSILON,
  diagonalKernelCoefficients,
  diagonalKernelFactors,
  diagonalStateFactors,
  discretizeDiagonal,
} from '../src/index';
import { naiveKernel, randomComplex, randomDt, row } from './helpers';

const rng = createRng(5);
const H = 2;
const halfN = 5;
const L = 48;
const Lambda = randomComplex(rng, [H, halfN], { reScale: 1, imScale: 10, stable: true });
const B = randomComplex(rng, [H, halfN]);
const C = randomComplex(rng, [H, halfN]);
const dt = randomDt(rng, H);

/** K of row h from kernel coefficients, by the naive Vandermonde sum. */
function kernelRow(
  k: {
    coefficients: { data: Float64Array };
    exponent: { data: Float64Array };
    shift: { data: Float64Array };
    scale: number;
  },
  h: number,
  offset = 0,
): Float64Array {
  const c = k.coefficients.data.subarray(offset + 2 * h * halfN, offset + 2 * (h + 1) * halfN);
  const w = k.exponent.data.subarray(2 * h * halfN, 2 * (h + 1) * halfN);
  const s = k.shift.data.subarray(h * halfN, (h + 1) * halfN);
  return naiveKernel(c, w, s, k.scale, L);
}

/** 2·Re Σ_n C_n·Ā_n^{l + power}·v_n of row h, by the recurrence. */
function recurrenceKernel(dA: Float64Array, v: Float64Array, h: number, power: number): Float64Array {
  const K = new Float64Array(L);
  for (let n = 0; n < halfN; n++) {
    const i = h * halfN + n;
    const a = getComplex(dA, i);
    let x = getComplex(v, i);
    for (let p = 0; p < power; p++) x = cmul(a, x);
    for (let l = 0; l < L; l++) {
      K[l] += 2 * cmul(getComplex(C.data, i), x).re;
      x = cmul(a, x);
    }
  }
  return K;
}

describe('zoh and bilinear kernel coefficients', () => {
  it.each(['zoh', 'bilinear'] as const)(
    '%s: K equals the impulse response 2·Re Σ C Ā^l B̄ of the recurrence',
    (method) => {
      const k = diagonalKernelCoefficients(Lambda, B, C, dt, method);
      expect(k.scale).toBe(2);
      expect(Array.from(k.shift.data).every((s) => s === 0)).toBe(true);
      const { dA, dB } = discretizeDiagonal(Lambda, B, dt, method);
      for (let h = 0; h < H; h++) {
        expectClose(kernelRow(k, h), recurrenceKernel(dA.data, dB.data, h, 0), 1e-12, `K row ${h}`);
      }
    },
  );

  it.each(['zoh', 'bilinear'] as const)(
    '%s: the state factors give K_state = 2·Re Σ C Ā^{l+1} x₀',
    (method) => {
      const x0 = randomComplex(rng, [H, halfN]);
      const f = diagonalStateFactors(Lambda, dt, method);
      const s = new Float64Array(x0.data.length);
      for (let i = 0; i < H * halfN; i++) {
        const v = cmul(getComplex(x0.data, i), getComplex(f.data, i));
        s[2 * i] = v.re;
        s[2 * i + 1] = v.im;
      }
      const k = diagonalKernelCoefficients(Lambda, { data: s, shape: [H, halfN] }, C, dt, method);
      const { dA } = discretizeDiagonal(Lambda, B, dt, method);
      for (let h = 0; h < H; h++) {
        expectClose(kernelRow(k, h), recurrenceKernel(dA.data, x0.data, h, 1), 1e-12, `K_state row ${h}`);
      }
    },
  );

  it('batches every B row with every C row, as the official (B[:, None] * C)', () => {
    const B2 = randomComplex(rng, [2, H, halfN]);
    const C3 = randomComplex(rng, [3, H, halfN]);
    const k = diagonalKernelCoefficients(Lambda, B2, C3, dt, 'zoh');
    expect(k.coefficients.shape).toEqual([2, 3, H, halfN]);
    const { factor } = diagonalKernelFactors(Lambda, dt, 'zoh');
    const block = H * halfN;
    for (let b = 0; b < 2; b++) {
      for (let c = 0; c < 3; c++) {
        for (let i = 0; i < block; i++) {
          const expected = cmul(
            cmul(getComplex(B2.data, b * block + i), getComplex(C3.data, c * block + i)),
            getComplex(factor.data, i),
          );
          const got = getComplex(k.coefficients.data, (b * 3 + c) * block + i);
          expectClose([got.re, got.im], [expected.re, expected.im], 1e-15, `coefficient ${b},${c},${i}`);
        }
      }
    }
  });

  it('per-mode Δ (dt_tie=false) matches the recurrence with per-mode Δ', () => {
    const perMode = {
      data: Float64Array.from({ length: H * halfN }, () => 0.001 + 0.1 * rng.uniform()),
      shape: [H, halfN],
    };
    const k = diagonalKernelCoefficients(Lambda, B, C, perMode, 'bilinear');
    const { dA, dB } = discretizeDiagonal(Lambda, B, perMode, 'bilinear');
    expectClose(kernelRow(k, 1), recurrenceKernel(dA.data, dB.data, 1, 0), 1e-12, 'K');
  });
});

/** The official DSS mode, written out: coefficient B·C·num·r, S_l = e^{x(l − shift)}. */
function officialDss(lambda: Complex, b: Complex, c: Complex, d: number, len: number) {
  const x = { re: d * lambda.re, im: d * lambda.im };
  const gt = lambda.re > 0;
  const xNeg = gt ? { re: -x.re, im: -x.im } : x;
  const num = csub(cexp(xNeg), { re: 1, im: 0 });
  const den = csub(cexp({ re: xNeg.re * len, im: xNeg.im * len }), { re: 1, im: 0 });
  const y = cmul(den, lambda);
  const r = cdiv(cconj(y), { re: cabs2(y) + 1e-7, im: 0 });
  return { coefficient: cmul(cmul(cmul(b, c), num), r), exponent: x, shift: gt ? len - 1 : 0 };
}

describe('dss kernel (official DSS-exp path)', () => {
  const lam = {
    // Stable modes, modes with Re Λ > 0 (reflected) and modes with Re Λ = 0, in two rows.
    data: Float64Array.of(-0.5, -3, -2, 1, 0.7, -2.5, 0, -4, -0.1, -8, 1.5, 6, 0, 2, -1, 0),
    shape: [2, 4],
  };
  const b = randomComplex(rng, [2, 4]);
  const c = randomComplex(rng, [2, 4]);
  const step = { data: Float64Array.of(0.05, 0.2), shape: [2] };

  it('factors, exponent and shift equal the official formulas, including the Re Λ > 0 reflection', () => {
    const k = diagonalKernelCoefficients(lam, b, c, step, 'dss', { L });
    expect(k.scale).toBe(1);
    expect(DSS_EPSILON).toBe(1e-7);
    for (let i = 0; i < 8; i++) {
      const o = officialDss(
        getComplex(lam.data, i),
        getComplex(b.data, i),
        getComplex(c.data, i),
        step.data[i >> 2],
        L,
      );
      const got = getComplex(k.coefficients.data, i);
      expectClose([got.re, got.im], [o.coefficient.re, o.coefficient.im], 1e-12, `coefficient ${i}`);
      expectClose(
        [k.exponent.data[2 * i], k.exponent.data[2 * i + 1]],
        [o.exponent.re, o.exponent.im],
        1e-15,
        'exponent',
      );
      expect(k.shift.data[i]).toBe(o.shift);
    }
    expect(Array.from(k.shift.data)).toEqual([0, 0, L - 1, 0, 0, L - 1, 0, 0]);
  });

  it('K = Re Σ (no ×2) of the unreflected formula (e^x − 1)/(Λ(e^{xL} − 1))·e^{xl}, up to the ε', () => {
    const k = diagonalKernelCoefficients(lam, b, c, step, 'dss', { L });
    for (let h = 0; h < 2; h++) {
      const expected = new Float64Array(L);
      for (let n = 0; n < 4; n++) {
        const i = h * 4 + n;
        const l0 = getComplex(lam.data, i);
        const x = { re: step.data[h] * l0.re, im: step.data[h] * l0.im };
        const coef = cdiv(
          cmul(cmul(getComplex(b.data, i), getComplex(c.data, i)), csub(cexp(x), { re: 1, im: 0 })),
          cmul(l0, csub(cexp({ re: x.re * L, im: x.im * L }), { re: 1, im: 0 })),
        );
        for (let l = 0; l < L; l++) expected[l] += cmul(coef, cexp({ re: x.re * l, im: x.im * l })).re;
      }
      const K = naiveKernel(
        k.coefficients.data.subarray(8 * h, 8 * (h + 1)),
        k.exponent.data.subarray(8 * h, 8 * (h + 1)),
        k.shift.data.subarray(4 * h, 4 * (h + 1)),
        k.scale,
        L,
      );
      expectClose(K, expected, 1e-6, `K row ${h}`);
    }
  });

  it('stays finite for a growing mode over a long kernel (the reflection avoids e^{ΔΛL} overflow)', () => {
    const grow = { data: Float64Array.of(5, -1), shape: [1, 1] };
    const len = 4096; // e^{0.5·4096} overflows float64
    const k = diagonalKernelCoefficients(
      grow,
      { data: Float64Array.of(1, 0), shape: [1, 1] },
      { data: Float64Array.of(1, 0), shape: [1, 1] },
      { data: Float64Array.of(0.1), shape: [1] },
      'dss',
      { L: len },
    );
    const K = naiveKernel(k.coefficients.data, k.exponent.data, k.shift.data, 1, len);
    expect(K.every(Number.isFinite)).toBe(true);
    // The last tap carries the mode's weight (e^x − 1)/(Λ(e^{xL} − 1))·e^{x(L−1)} → (1 − e^{−x})/Λ.
    const x = { re: 0.5, im: -0.1 };
    const last = cdiv(csub({ re: 1, im: 0 }, cexp({ re: -x.re, im: -x.im })), { re: 5, im: -1 });
    expect(K[len - 1]).toBeCloseTo(last.re, 6);
  });

  it('the dss state factor is 1/Δ, as in the official code', () => {
    const f = diagonalStateFactors(lam, step, 'dss');
    expect(Array.from(f.data).filter((_, i) => i % 2 === 0)).toEqual([
      ...Array(4).fill(20),
      ...Array(4).fill(5),
    ]);
  });
});

describe('precision', () => {
  it.each(['zoh', 'bilinear', 'dss'] as const)(
    '%s: float32 Λ gives float32 factors close to float64',
    (method) => {
      const lam32 = { data: Float32Array.from(Lambda.data), shape: Lambda.shape };
      const f32 = diagonalKernelFactors(lam32, dt, method, { L });
      const f64 = diagonalKernelFactors(
        { data: Float64Array.from(lam32.data), shape: Lambda.shape },
        dt,
        method,
        { L },
      );
      expect(f32.factor.data).toBeInstanceOf(Float32Array);
      expect(f32.shift.data).toBeInstanceOf(Float32Array);
      expectClose(f32.factor.data, f64.factor.data, TOLERANCE.float32, 'factor');
      expectClose(f32.exponent.data, f64.exponent.data, TOLERANCE.float32, 'exponent');
      expect(row(f32.exponent, 0).length).toBe(2 * halfN);
    },
  );
});
