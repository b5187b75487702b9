import { createRng } from '@statespace/complex';
import { relativeError } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { krylovKernel } from '../src/krylov';
import { vandermonde } from '../src/vandermonde';

const rng = createRng(3);

function crandn(n: number, scale = 1): Float64Array {
  const a = new Float64Array(2 * n);
  for (let i = 0; i < a.length; i++) a[i] = scale * rng.normal();
  return a;
}

/** Re(c · A^l · b) through explicit matrix powers A^l (matrix–matrix products), no shared code. */
function krylovNaive(
  A: Float64Array,
  B: Float64Array,
  Cm: Float64Array,
  H: number,
  M: number,
  C: number,
  L: number,
) {
  const out = new Float64Array(C * H * L);
  for (let h = 0; h < H; h++) {
    let P = new Float64Array(2 * M * M);
    for (let i = 0; i < M; i++) P[2 * (i * M + i)] = 1;
    for (let l = 0; l < L; l++) {
      for (let c = 0; c < C; c++) {
        let re = 0;
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < M; j++) {
            // c_i · P_ij · b_j, real part
            const cr = Cm[2 * ((c * H + h) * M + i)];
            const ci = Cm[2 * ((c * H + h) * M + i) + 1];
            const pr = P[2 * (i * M + j)];
            const pi = P[2 * (i * M + j) + 1];
            const br = B[2 * (h * M + j)];
            const bi = B[2 * (h * M + j) + 1];
            const tr = cr * pr - ci * pi;
            const ti = cr * pi + ci * pr;
            re += tr * br - ti * bi;
          }
        }
        out[(c * H + h) * L + l] = re;
      }
      const next = new Float64Array(2 * M * M);
      for (let i = 0; i < M; i++) {
        for (let k = 0; k < M; k++) {
          const ar = A[2 * (h * M * M + i * M + k)];
          const ai = A[2 * (h * M * M + i * M + k) + 1];
          for (let j = 0; j < M; j++) {
            next[2 * (i * M + j)] += ar * P[2 * (k * M + j)] - ai * P[2 * (k * M + j) + 1];
            next[2 * (i * M + j) + 1] += ar * P[2 * (k * M + j) + 1] + ai * P[2 * (k * M + j)];
          }
        }
      }
      P = next;
    }
  }
  return out;
}

describe('krylovKernel', () => {
  it('matches explicit matrix powers on a small dense complex system', () => {
    const H = 2;
    const M = 5;
    const C = 3;
    const L = 12;
    const A = crandn(H * M * M, 0.35);
    const B = crandn(H * M);
    const Cm = crandn(C * H * M);
    const K = krylovKernel(
      { data: A, shape: [H, M, M] },
      { data: B, shape: [H, M] },
      { data: Cm, shape: [C, H, M] },
      L,
    );
    expect(K.shape).toEqual([C, H, L]);
    expect(K.data).toBeInstanceOf(Float64Array);
    expect(relativeError(K.data, krylovNaive(A, B, Cm, H, M, C, L))).toBeLessThan(1e-13);
  });

  it('L = 1 is Re(dC·dB); float32 inputs still give a float64 oracle', () => {
    const K = krylovKernel(
      { data: new Float32Array([2, 0]), shape: [1, 1, 1] },
      { data: new Float32Array([1, 2]), shape: [1, 1] },
      { data: new Float32Array([3, 1]), shape: [1, 1, 1] },
      1,
    );
    expect(K.data).toBeInstanceOf(Float64Array);
    expect([...K.data]).toEqual([3 * 1 - 1 * 2]);
  });

  it('a conjugate-symmetric diagonal system equals the Vandermonde sum 2·Re Σ c·b·λ^l', () => {
    const N2 = 4;
    const L = 40;
    const M = 2 * N2;
    const lam = new Float64Array(2 * N2);
    const logLam = new Float64Array(2 * N2);
    for (let n = 0; n < N2; n++) {
      const rho = 0.6 + 0.35 * rng.uniform();
      const th = Math.PI * rng.uniform();
      lam[2 * n] = rho * Math.cos(th);
      lam[2 * n + 1] = rho * Math.sin(th);
      logLam[2 * n] = Math.log(rho);
      logLam[2 * n + 1] = th;
    }
    const b = crandn(N2);
    const c = crandn(N2);
    const A = new Float64Array(2 * M * M);
    const B = new Float64Array(2 * M);
    const Cm = new Float64Array(2 * M);
    for (let n = 0; n < N2; n++) {
      for (const [k, sgn] of [
        [n, 1],
        [n + N2, -1],
      ]) {
        A[2 * (k * M + k)] = lam[2 * n];
        A[2 * (k * M + k) + 1] = sgn * lam[2 * n + 1];
        B[2 * k] = b[2 * n];
        B[2 * k + 1] = sgn * b[2 * n + 1];
        Cm[2 * k] = c[2 * n];
        Cm[2 * k + 1] = sgn * c[2 * n + 1];
      }
    }
    const K = krylovKernel(
      { data: A, shape: [1, M, M] },
      { data: B, shape: [1, M] },
      { data: Cm, shape: [1, 1, M] },
      L,
    );
    const cb = new Float64Array(2 * N2);
    for (let n = 0; n < N2; n++) {
      cb[2 * n] = c[2 * n] * b[2 * n] - c[2 * n + 1] * b[2 * n + 1];
      cb[2 * n + 1] = c[2 * n] * b[2 * n + 1] + c[2 * n + 1] * b[2 * n];
    }
    const V = vandermonde({ data: cb, shape: [1, 1, N2] }, { data: logLam, shape: [1, N2] }, L);
    expect(relativeError(K.data, V.data)).toBeLessThan(1e-12);
  });

  it('rejects bad input, naming the argument', () => {
    const A = { data: crandn(2 * 3 * 3), shape: [2, 3, 3] };
    const B = { data: crandn(2 * 3), shape: [2, 3] };
    const C = { data: crandn(2 * 3), shape: [1, 2, 3] };
    expect(() => krylovKernel({ data: crandn(12), shape: [2, 3, 2] }, B, C, 4)).toThrow(
      /dA must have shape \[H, M, M\]; got \[2, 3, 2\]/,
    );
    expect(() => krylovKernel(A, { data: crandn(6), shape: [3, 2] }, C, 4)).toThrow(
      /dB must have shape \[H, M\] = \[2, 3\]; got \[3, 2\]/,
    );
    expect(() => krylovKernel(A, B, { data: crandn(6), shape: [2, 3] }, 4)).toThrow(
      /dC must have shape \[C, H, M\] = \[C, 2, 3\]; got \[2, 3\]/,
    );
    for (const L of [0, -1, 1.5]) expect(() => krylovKernel(A, B, C, L)).toThrow(/L must be an integer ≥ 1/);
    const bad = A.data.slice();
    bad[2] = Number.NaN;
    expect(() => krylovKernel({ data: bad, shape: A.shape }, B, C, 4)).toThrow(
      /dA must be finite; found NaN at index 2/,
    );
  });
});
