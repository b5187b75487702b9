import { createRng } from '@statespace/complex';
import { cidentity, cmatmul, identity, matmul } from '@statespace/linalg';
import { expectClose, TOLERANCE } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { discretizeDense, gbtDense, zohDense } from '../src/index';
import { randomComplex, randomReal } from './helpers';

const rng = createRng(7);
const n = 5;
const A = randomReal(rng, [n, n]);
const B = randomReal(rng, [n]);
const dt = 0.3;

/** M·X for real [n, n] M and X [n, k] (or [n]). */
function times(m: Float64Array, x: Float64Array, k: number): Float64Array {
  return matmul({ data: m, shape: [n, n] }, { data: x, shape: [n, k] }).data;
}

/** I + s·A (real). */
function shifted(s: number): Float64Array {
  const m = identity(n).data;
  for (let i = 0; i < n * n; i++) m[i] += s * A.data[i];
  return m;
}

describe('GBT on a dense system', () => {
  it('α = 0 (forward Euler) is Ā = I + ΔA, B̄ = ΔB exactly', () => {
    const { dA, dB, complex } = discretizeDense(A, B, dt, 'forward_euler');
    expect(complex).toBe(false);
    expect(Array.from(dA.data)).toEqual(Array.from(shifted(dt)));
    expect(Array.from(dB.data)).toEqual(Array.from(B.data, (b) => dt * b));
  });

  it('α = 1 (backward Euler) solves (I − ΔA)Ā = I, (I − ΔA)B̄ = ΔB', () => {
    const { dA, dB } = discretizeDense(A, B, dt, 'backward_euler');
    expectClose(times(shifted(-dt), dA.data as Float64Array, n), identity(n).data, 1e-13, 'Ā');
    expectClose(
      times(shifted(-dt), dB.data as Float64Array, 1),
      B.data.map((b) => dt * b),
      1e-13,
      'B̄',
    );
  });

  it('α = ½ (bilinear) matches the explicit 2×2 inverse', () => {
    const a = { data: Float64Array.of(-1, 2, -3, 0.5), shape: [2, 2] };
    const b = { data: Float64Array.of(1, -2), shape: [2] };
    const h = 0.2;
    // M = I − h/2·A, M⁻¹ = adj(M)/det(M); Ā = M⁻¹(I + h/2·A), B̄ = h·M⁻¹B.
    const [m00, m01, m10, m11] = [1 + h / 2, -h, (3 * h) / 2, 1 - h / 4];
    const det = m00 * m11 - m01 * m10;
    const inv = [m11 / det, -m01 / det, -m10 / det, m00 / det];
    const [p00, p01, p10, p11] = [1 - h / 2, h, (-3 * h) / 2, 1 + h / 4];
    const expectedA = [
      inv[0] * p00 + inv[1] * p10,
      inv[0] * p01 + inv[1] * p11,
      inv[2] * p00 + inv[3] * p10,
      inv[2] * p01 + inv[3] * p11,
    ];
    const expectedB = [h * (inv[0] * 1 + inv[1] * -2), h * (inv[2] * 1 + inv[3] * -2)];
    const { dA, dB } = discretizeDense(a, b, h, 'bilinear');
    expectClose(dA.data, expectedA, 1e-15, 'Ā');
    expectClose(dB.data, expectedB, 1e-15, 'B̄');
  });

  it.each([0, 0.25, 0.5, 0.8, 1])('α = %f satisfies (I − αΔA)Ā = I + (1−α)ΔA', (alpha) => {
    const { dA, dB } = discretizeDense(A, B, dt, 'gbt', { alpha });
    expectClose(
      times(shifted(-alpha * dt), dA.data as Float64Array, n),
      shifted((1 - alpha) * dt),
      1e-13,
      'Ā',
    );
    expectClose(
      times(shifted(-alpha * dt), dB.data as Float64Array, 1),
      B.data.map((b) => dt * b),
      1e-13,
      'B̄',
    );
  });

  it('named methods equal gbtDense with their α', () => {
    const pairs = [
      ['forward_euler', 0],
      ['bilinear', 0.5],
      ['backward_euler', 1],
    ] as const;
    for (const [method, alpha] of pairs) {
      const named = discretizeDense(A, B, dt, method);
      const direct = gbtDense(A, B, dt, alpha);
      expect(Array.from(named.dA.data)).toEqual(Array.from(direct.dA.data));
      expect(Array.from(named.dB.data)).toEqual(Array.from(direct.dB.data));
    }
  });

  it('complex A: (I − ½ΔA)Ā = I + ½ΔA', () => {
    const a = randomComplex(rng, [n, n]);
    const b = randomComplex(rng, [n]);
    const { dA, dB, complex } = discretizeDense(a, b, dt, 'bilinear');
    expect(complex).toBe(true);
    const m = cidentity(n).data;
    const p = cidentity(n).data;
    for (let i = 0; i < 2 * n * n; i++) {
      m[i] -= (dt / 2) * a.data[i];
      p[i] += (dt / 2) * a.data[i];
    }
    const mA = cmatmul({ data: m, shape: [n, n] }, { data: dA.data as Float64Array, shape: [n, n] });
    expectClose(mA.data, p, 1e-13, 'Ā');
    const mB = cmatmul({ data: m, shape: [n, n] }, { data: dB.data as Float64Array, shape: [n, 1] });
    expectClose(
      mB.data,
      b.data.map((v) => dt * v),
      1e-13,
      'B̄',
    );
  });
});

/** Σ_k Δ^k A^k / k! and Σ_k Δ^{k+1} A^k B / (k+1)! by Taylor series (A small enough). */
function zohSeries(terms: number): { dA: Float64Array; dB: Float64Array } {
  const dA = identity(n).data;
  const dB = B.data.map((b) => dt * b);
  let term = identity(n).data; // Δ^k A^k / k!
  for (let k = 1; k < terms; k++) {
    term = times(A.data, term, n).map((v) => (v * dt) / k);
    for (let i = 0; i < n * n; i++) dA[i] += term[i];
    const tb = times(term, B.data, 1).map((v) => (v * dt) / (k + 1));
    for (let i = 0; i < n; i++) dB[i] += tb[i];
  }
  return { dA, dB };
}

/** Integrates x' = A x + B u over [0, Δ] by `steps` RK4 steps. */
function rk4(x0: Float64Array, u: number, steps: number): Float64Array {
  const h = dt / steps;
  const f = (x: Float64Array) => {
    const y = times(A.data, x, 1);
    for (let i = 0; i < n; i++) y[i] += B.data[i] * u;
    return y;
  };
  let x = Float64Array.from(x0);
  for (let s = 0; s < steps; s++) {
    const k1 = f(x);
    const k2 = f(x.map((v, i) => v + (h / 2) * k1[i]));
    const k3 = f(x.map((v, i) => v + (h / 2) * k2[i]));
    const k4 = f(x.map((v, i) => v + h * k3[i]));
    x = x.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
  }
  return x;
}

describe('zero-order hold of a dense system', () => {
  it('equals the Taylor series of e^{ΔA} and ∫e^{sA}ds·B', () => {
    const { dA, dB } = discretizeDense(A, B, dt, 'zoh');
    const series = zohSeries(40);
    expectClose(dA.data, series.dA, 1e-13, 'Ā');
    expectClose(dB.data, series.dB, 1e-13, 'B̄');
  });

  it('equals a fine-step integration of the ODE (RK4, 2000 steps)', () => {
    const { dA, dB } = zohDense(A, B, dt);
    // Column j of Ā: the state at Δ from x(0) = e_j with u = 0; B̄: from x(0) = 0 with u = 1.
    for (let j = 0; j < n; j++) {
      const e = new Float64Array(n);
      e[j] = 1;
      const col = rk4(e, 0, 2000);
      expectClose(
        Array.from({ length: n }, (_, i) => dA.data[i * n + j]),
        col,
        1e-12,
        `Ā column ${j}`,
      );
    }
    expectClose(dB.data, rk4(new Float64Array(n), 1, 2000), 1e-12, 'B̄');
  });

  it('forward Euler with many small steps converges to zoh (first order)', () => {
    const { dA } = zohDense(A, B, dt);
    const steps = 4000;
    const { dA: small } = discretizeDense(A, B, dt / steps, 'forward_euler');
    let power = identity(n).data;
    for (let s = 0; s < steps; s++) power = times(small.data as Float64Array, power, n);
    expectClose(power, dA.data, 1e-3, 'Ā by Euler');
  });

  it('needs no inverse of A: singular and nilpotent A', () => {
    const zero = zohDense(
      { data: new Float64Array(4), shape: [2, 2] },
      { data: Float64Array.of(1, 2), shape: [2] },
      0.5,
    );
    expectClose(zero.dA.data, [1, 0, 0, 1], 1e-15, 'Ā of A = 0');
    expectClose(zero.dB.data, [0.5, 1], 1e-15, 'B̄ of A = 0');
    // A = [[0, 1], [0, 0]]: e^{ΔA} = I + ΔA, B̄ = ΔB + Δ²/2·A B.
    const nil = zohDense(
      { data: Float64Array.of(0, 1, 0, 0), shape: [2, 2] },
      { data: Float64Array.of(1, 2), shape: [2] },
      0.5,
    );
    expectClose(nil.dA.data, [1, 0.5, 0, 1], 1e-15, 'Ā nilpotent');
    expectClose(nil.dB.data, [0.5 + 0.125 * 2, 1], 1e-15, 'B̄ nilpotent');
  });

  it('real A with complex B gives a complex result equal to the real parts of each', () => {
    const b = randomComplex(rng, [n]);
    const { dA, dB, complex } = zohDense(A, b, dt);
    expect(complex).toBe(true);
    const re = zohDense(A, { data: b.data.filter((_, i) => i % 2 === 0), shape: [n] }, dt);
    const im = zohDense(A, { data: b.data.filter((_, i) => i % 2 === 1), shape: [n] }, dt);
    expectClose(
      dA.data.filter((_, i) => i % 2 === 0),
      re.dA.data,
      1e-15,
      'Re Ā',
    );
    expect(dA.data.filter((_, i) => i % 2 === 1).every((v) => v === 0)).toBe(true);
    expectClose(
      dB.data.filter((_, i) => i % 2 === 0),
      re.dB.data,
      1e-14,
      'Re B̄',
    );
    expectClose(
      dB.data.filter((_, i) => i % 2 === 1),
      im.dB.data,
      1e-14,
      'Im B̄',
    );
  });
});

describe('precision', () => {
  it.each(['zoh', 'bilinear', 'backward_euler'] as const)(
    '%s: float32 in, float32 out, close to float64',
    (method) => {
      const a32 = { data: Float32Array.from(A.data), shape: A.shape };
      const b32 = { data: Float32Array.from(B.data), shape: B.shape };
      const f32 = discretizeDense(a32, b32, dt, method);
      const f64 = discretizeDense(
        { data: Float64Array.from(a32.data), shape: A.shape },
        { data: Float64Array.from(b32.data), shape: [n] },
        dt,
        method,
      );
      expect(f32.dA.data).toBeInstanceOf(Float32Array);
      expect(f32.dB.data).toBeInstanceOf(Float32Array);
      expectClose(f32.dA.data, f64.dA.data, TOLERANCE.float32, 'Ā');
      expectClose(f32.dB.data, f64.dB.data, TOLERANCE.float32, 'B̄');
    },
  );
});
