import type { ComplexTensor, Tensor } from '@statespace/complex';
import { columnReflector } from './householder';
import { imaginaryHermitianEigen, isImaginary } from './skew';
import { tridiagonalEigen } from './tridiagonal';
import { HERMITIAN_TOLERANCE, notHermitian, squareSize, type Width } from './validate';

// Hermitian eigendecomposition A = V·diag(λ)·V*:
// 1. Householder tridiagonalisation Q*·A·Q = T (LAPACK zhetd2, lower triangle). Each reflector
//    H = I − τ·v·v* is chosen as in zlarfg, so that the sub-diagonal of T comes out real: T is a
//    real symmetric tridiagonal with no diagonal unitary needed.
// 2. Implicit QL on T (real arithmetic): T = Z·diag(λ)·Zᵀ.
// 3. V = Q·Z, applying the reflectors to each eigenvector.
// The reduction keeps real and imaginary parts in separate arrays and the back-transformation
// holds the eigenvectors as rows (Zᵀ), so that every hot loop runs along contiguous memory.
// Scratch memory is kept to a few n×n arrays: allocating more makes garbage collection a
// visible cost of each call in a process with a large heap.
//
// A purely imaginary Hermitian matrix (every real part exactly zero: H = −i·S for a real skew S,
// the matrix of S4's NPLR initialisation) goes instead to the real-arithmetic solver of skew.ts,
// which exploits that structure and is several times faster.

/** The result of `eigh`: A = V·diag(values)·V*. */
export interface HermitianEigen {
  /** The eigenvalues, real, ascending. */
  readonly values: Float64Array;
  /** `[n, n]` complex128; column j is the unit eigenvector of `values[j]`, columns orthonormal. */
  readonly vectors: ComplexTensor<Float64Array>;
}

/** The result of `eighSymmetric`: A = V·diag(values)·Vᵀ. */
export interface SymmetricEigen {
  /** The eigenvalues, ascending. */
  readonly values: Float64Array;
  /** `[n, n]` float64; column j is the unit eigenvector of `values[j]`, columns orthonormal. */
  readonly vectors: Tensor<Float64Array>;
}

/**
 * Checks that A is Hermitian (symmetric when real) to `HERMITIAN_TOLERANCE`, and returns the lower
 * triangle of its Hermitian part (A + A*)/2 as real and imaginary parts divided by `scale`, a
 * power of two near ‖A‖_max (exact, and no norm in the reduction can overflow).
 */
function hermitianParts(arg: string, data: Float64Array | Float32Array, n: number, width: Width) {
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  let largest = 0;
  for (let i = 0; i < data.length; i++) largest = Math.max(largest, Math.abs(data[i]));
  const tolerance = HERMITIAN_TOLERANCE * largest;
  const scale = largest === 0 ? 1 : 2 ** Math.round(Math.log2(largest));
  const half = 0.5 / scale;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const ij = width * (i * n + j);
      const ji = width * (j * n + i);
      const imIJ = width === 2 ? data[ij + 1] : 0;
      const imJI = width === 2 ? data[ji + 1] : 0;
      const gap = Math.max(Math.abs(data[ij] - data[ji]), Math.abs(imIJ + imJI));
      if (gap > tolerance) throw notHermitian(arg, width, i, j, gap, largest);
      re[i * n + j] = (data[ij] + data[ji]) * half;
      im[i * n + j] = (imIJ - imJI) * half;
    }
  }
  return { re, im, scale };
}

/**
 * Householder reflectors H_k = I − τ_k·v_k·v_k*: v_k in row k of (re, im) at columns k+1 … n−1,
 * the strictly upper triangle that the reduction of the lower triangle leaves free.
 */
interface Reflectors {
  re: Float64Array;
  im: Float64Array;
  tauRe: Float64Array;
  tauIm: Float64Array;
}

/**
 * Reduces the Hermitian matrix whose lower triangle is in (`re`, `im`) to the real tridiagonal
 * (d, e) = Q*·A·Q, Q = H₀·H₁ ⋯ H_{n−2}; the reflectors take the place of the upper triangle.
 */
function tridiagonalize(re: Float64Array, im: Float64Array, n: number) {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const h: Reflectors = { re, im, tauRe: new Float64Array(n), tauIm: new Float64Array(n) };
  const { re: ur, im: ui } = h;
  const pr = new Float64Array(n);
  const pi = new Float64Array(n);
  for (let k = 0; k < n - 1; k++) {
    const m0 = k + 1;
    const v = k * n;
    d[k] = re[k * n + k];
    const { beta, tauRe: tauR, tauIm: tauI } = columnReflector(re, im, n, k, ur, ui, v);
    e[k] = beta;
    if (tauR === 0 && tauI === 0) continue;
    h.tauRe[k] = tauR;
    h.tauIm[k] = tauI;
    // y = A₂₂·v from the lower triangle: entry (i, j < i) contributes A_ij·v_j to y_i and
    // conj(A_ij)·v_i to y_j. The diagonal is real.
    pr.fill(0, m0);
    pi.fill(0, m0);
    for (let i = m0; i < n; i++) {
      const row = i * n;
      const vir = ur[v + i];
      const vii = ui[v + i];
      let accR = re[row + i] * vir;
      let accI = re[row + i] * vii;
      for (let j = m0; j < i; j++) {
        const ar = re[row + j];
        const ai = im[row + j];
        const vjr = ur[v + j];
        const vji = ui[v + j];
        accR += ar * vjr - ai * vji;
        accI += ar * vji + ai * vjr;
        pr[j] += ar * vir + ai * vii;
        pi[j] += ar * vii - ai * vir;
      }
      pr[i] += accR;
      pi[i] += accI;
    }
    // p = τ·y, then w = p − ½·τ·(p*·v)·v.
    let dotR = 0;
    let dotI = 0;
    for (let i = m0; i < n; i++) {
      const yr = pr[i];
      const yi = pi[i];
      const qr = tauR * yr - tauI * yi;
      const qi = tauR * yi + tauI * yr;
      pr[i] = qr;
      pi[i] = qi;
      dotR += qr * ur[v + i] + qi * ui[v + i];
      dotI += qr * ui[v + i] - qi * ur[v + i];
    }
    const alR = -0.5 * (tauR * dotR - tauI * dotI);
    const alI = -0.5 * (tauR * dotI + tauI * dotR);
    for (let i = m0; i < n; i++) {
      const vr = ur[v + i];
      const vi = ui[v + i];
      pr[i] += alR * vr - alI * vi;
      pi[i] += alR * vi + alI * vr;
    }
    // A₂₂ ← A₂₂ − v·w* − w·v* on the lower triangle.
    for (let i = m0; i < n; i++) {
      const row = i * n;
      const vir = ur[v + i];
      const vii = ui[v + i];
      const wir = pr[i];
      const wii = pi[i];
      for (let j = m0; j <= i; j++) {
        const vjr = ur[v + j];
        const vji = ui[v + j];
        const wjr = pr[j];
        const wji = pi[j];
        re[row + j] -= vir * wjr + vii * wji + wir * vjr + wii * vji;
        im[row + j] -= vii * wjr - vir * wji + wii * vjr - wir * vji;
      }
    }
  }
  if (n > 0) d[n - 1] = re[n * n - 1];
  return { d, e, reflectors: h };
}

/**
 * Rows of z (interleaved complex, one eigenvector per row) ← rows of Q·Z, i.e. H₀·H₁ ⋯ H_{n−2}
 * applied to each row, last reflector first. Rows go in pairs: they share the loads of each
 * reflector and their four dot-product sums accumulate independently. An odd last row is paired
 * with itself.
 */
function backTransform(h: Reflectors, z: Float64Array, n: number): void {
  for (let j = 0; j < n; j += 2) applyReflectors(h, z, n, 2 * j * n, 2 * Math.min(j + 1, n - 1) * n);
}

/** H₀ ⋯ H_{n−2} applied to the rows that start at `a` and `b` (once if `a` = `b`). */
function applyReflectors(h: Reflectors, z: Float64Array, n: number, a: number, b: number) {
  const { re: ur, im: ui, tauRe, tauIm } = h;
  const pair = a !== b;
  for (let k = n - 2; k >= 0; k--) {
    const tr = tauRe[k];
    const ti = tauIm[k];
    if (tr === 0 && ti === 0) continue;
    const v = k * n;
    let aR = 0;
    let aI = 0;
    let bR = 0;
    let bI = 0;
    for (let i = k + 1; i < n; i++) {
      const vr = ur[v + i];
      const vi = ui[v + i];
      const ar = z[a + 2 * i];
      const ai = z[a + 2 * i + 1];
      const br = z[b + 2 * i];
      const bi = z[b + 2 * i + 1];
      aR += vr * ar + vi * ai;
      aI += vr * ai - vi * ar;
      bR += vr * br + vi * bi;
      bI += vr * bi - vi * br;
    }
    // z ← z − (τ·v*z)·v; when b is a, only a's update is applied.
    const caR = tr * aR - ti * aI;
    const caI = tr * aI + ti * aR;
    const cbR = pair ? tr * bR - ti * bI : 0;
    const cbI = pair ? tr * bI + ti * bR : 0;
    for (let i = k + 1; i < n; i++) {
      const vr = ur[v + i];
      const vi = ui[v + i];
      z[a + 2 * i] -= caR * vr - caI * vi;
      z[a + 2 * i + 1] -= caR * vi + caI * vr;
      z[b + 2 * i] -= cbR * vr - cbI * vi;
      z[b + 2 * i + 1] -= cbR * vi + cbI * vr;
    }
  }
}

/**
 * The eigenvalues (ascending) and eigenvectors of the Hermitian (symmetric when `width` is 1)
 * matrix `data`; the eigenvectors are the columns of the interleaved n×n `vectors`.
 */
function hermitianEigen(arg: string, data: Float64Array | Float32Array, n: number, width: Width) {
  const { re, im, scale } = hermitianParts(arg, data, n, width);
  const { d, e, reflectors } = tridiagonalize(re, im, n);
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  tridiagonalEigen(d, e, z, n);
  // Eigenvectors as interleaved rows for the back-transformation, then as columns.
  const vectors = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vectors[2 * (j * n + i)] = z[i * n + j];
  backTransform(reflectors, vectors, n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      for (let c = 0; c < 2; c++) {
        const t = vectors[2 * (i * n + j) + c];
        vectors[2 * (i * n + j) + c] = vectors[2 * (j * n + i) + c];
        vectors[2 * (j * n + i) + c] = t;
      }
    }
  }
  for (let j = 0; j < n; j++) d[j] *= scale;
  return { values: d, vectors };
}

/**
 * Eigendecomposition of a complex Hermitian matrix, A = V·diag(λ)·V*, in float64: Householder
 * tridiagonalisation, implicit QL on the real tridiagonal, back-transformation.
 *
 * The whole matrix is read and checked to be Hermitian to a relative tolerance of 1e-10; its
 * Hermitian part (A + A*)/2 is decomposed. The first component of every eigenvector is real
 * (the convention of LAPACK's lower-triangle `zheev`); the sign of each eigenvector is arbitrary.
 *
 * When every real part of A is exactly zero (A = −i·S, S real skew-symmetric) a real-arithmetic
 * solver runs instead: skew Householder tridiagonalisation, then the SVD of the bidiagonal that
 * the tridiagonal's odd and even coordinates form. Same conventions; in addition its eigenvalues
 * come in exact ± pairs, with the eigenvector of −λ the complex conjugate of that of λ (and λ = 0
 * exactly for the unpaired one of odd n).
 * @param a - Complex matrix `[n, n]`, Hermitian, finite.
 * @returns Eigenvalues ascending and orthonormal eigenvector columns.
 * @throws RangeError if `a` is not square, not finite, or not Hermitian.
 */
export function eigh(a: ComplexTensor): HermitianEigen {
  const n = squareSize('a', a, 2);
  const { values, vectors } = isImaginary(a.data, n)
    ? imaginaryHermitianEigen('a', a.data, n)
    : hermitianEigen('a', a.data, n, 2);
  return { values, vectors: { data: vectors, shape: [n, n] } };
}

/**
 * `eigh` without the real-arithmetic fast path for purely imaginary matrices: the general complex
 * solver on any Hermitian matrix. Internal (not exported by the package), for tests and benchmarks.
 */
export function eighGeneral(a: ComplexTensor): HermitianEigen {
  const n = squareSize('a', a, 2);
  const { values, vectors } = hermitianEigen('a', a.data, n, 2);
  return { values, vectors: { data: vectors, shape: [n, n] } };
}

/**
 * Eigendecomposition of a real symmetric matrix, A = V·diag(λ)·Vᵀ, in float64. It runs the
 * Hermitian solver of `eigh` on a zero imaginary part, which stays exactly zero throughout.
 * @param a - Matrix `[n, n]`, symmetric (relative tolerance 1e-10), finite.
 * @returns Eigenvalues ascending and orthonormal real eigenvector columns.
 * @throws RangeError if `a` is not square, not finite, or not symmetric.
 */
export function eighSymmetric(a: Tensor): SymmetricEigen {
  const n = squareSize('a', a, 1);
  const { values, vectors } = hermitianEigen('a', a.data, n, 1);
  const real = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) real[i] = vectors[2 * i];
  return { values, vectors: { data: real, shape: [n, n] } };
}
