import { hypot } from './hypot';
import { HERMITIAN_TOLERANCE, notHermitian } from './validate';

// The fast path of `eigh` for a purely imaginary Hermitian matrix H = i·B (B = Im H real
// skew-symmetric; S4's H = −i·S has B = −S), entirely in real arithmetic:
//
// 1. Householder reduction of the skew B to a skew tridiagonal: B = Q·T·Qᵀ, T_{k+1,k} = e_k =
//    −T_{k,k+1}, zero diagonal. For a skew matrix vᵀ·B·v = 0, so each reflector is a plain rank-2
//    update B ← B + v·wᵀ − w·vᵀ with w = τ·B·v (no correction term).
// 2. With D = diag(iᵏ), i·T = D·T′·D* where T′ is the real symmetric tridiagonal with zero diagonal
//    and off-diagonals e_k. Splitting coordinates by parity, T′ ≅ [[0, Cᵀ], [C, 0]] with C the
//    upper bidiagonal C_jj = e_{2j}, C_{j,j+1} = e_{2j+1} (⌊n/2⌋ × ⌈n/2⌉), so the eigenpairs of T′
//    are ±σ with vectors (w, ±u)/√2 from the SVD C = U·Σ·Wᵀ (and, for odd n, the null vector
//    (w₀, 0) of C). The bidiagonal SVD (Golub–Kahan implicit-shift QR, as LINPACK/JAMA) works on
//    n/2 × n/2, a quarter of the rotation work that QL on T′ would take.
// 3. V = Q·D·Z. Row k of D·Z is real for even k and imaginary for odd k, so
//    V = (G·W ± i·F·U)/√2 with G = the even columns of Q and F = the odd columns, each with the
//    signs (−1)^⌊k/2⌋ of iᵏ. Q is formed directly in this permuted form and the SVD's rotations are
//    accumulated straight into it: no complex arithmetic and no final matrix product.
//
// The eigenvectors of ±σ are complex conjugates, as they must be for H̄ = −H. Q's first row and
// column are e₀, so every eigenvector's first component is real, the convention of the general
// path (LAPACK's lower-triangle `zheev`).

const EPS = 2 ** -52;
const TINY = 2 ** -966;
/** QR sweeps allowed per singular value; about two are typical. */
const MAX_ITERATIONS = 75;

/** True when every real part of the interleaved complex `data` is exactly zero. */
export function isImaginary(data: Float64Array | Float32Array): boolean {
  for (let i = 0; i < data.length; i += 2) if (data[i] !== 0) return false;
  return true;
}

/**
 * Checks that H = i·B (interleaved, real parts zero) is Hermitian, i.e. B skew-symmetric, to
 * `HERMITIAN_TOLERANCE`, and returns the strict lower triangle of the skew part (B − Bᵀ)/2 divided
 * by `scale`, a power of two near ‖B‖_max.
 */
function skewPart(arg: string, data: Float64Array | Float32Array, n: number) {
  const a = new Float64Array(n * n);
  let largest = 0;
  for (let i = 1; i < data.length; i += 2) largest = Math.max(largest, Math.abs(data[i]));
  const tolerance = HERMITIAN_TOLERANCE * largest;
  const scale = largest === 0 ? 1 : 2 ** Math.round(Math.log2(largest));
  const half = 0.5 / scale;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const bij = data[2 * (i * n + j) + 1];
      const bji = data[2 * (j * n + i) + 1];
      const gap = Math.abs(bij + bji);
      if (gap > tolerance) throw notHermitian(arg, 2, i, j, gap, largest);
      a[i * n + j] = (bij - bji) * half;
    }
  }
  return { a, scale };
}

/**
 * Reduces the skew matrix whose strict lower triangle is in `a` to the skew tridiagonal with
 * sub-diagonal `e` (e[k] couples k+1 and k): Qᵀ·B·Q = T, Q = H₀·H₁ ⋯ H_{n−3}, H_k = I − τ_k·v_k·v_kᵀ.
 * v_k is stored in row k of `a` at columns k+1 … n−1 (the free upper triangle), τ_k in `tau`.
 */
function tridiagonalizeSkew(a: Float64Array, n: number, e: Float64Array, tau: Float64Array): void {
  const y = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    const m0 = k + 1;
    const alpha = a[m0 * n + k];
    let tail = 0;
    for (let i = m0 + 1; i < n; i++) tail += a[i * n + k] ** 2;
    if (tail === 0) {
      e[k] = alpha;
      continue;
    }
    // β = −sign(α)·‖x‖ keeps α − β away from cancellation; v = x/(α − β), v₀ = 1.
    const beta = -Math.sign(alpha || 1) * Math.sqrt(alpha * alpha + tail);
    const t = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    const v = k * n;
    a[v + m0] = 1;
    for (let i = m0 + 1; i < n; i++) a[v + i] = a[i * n + k] * inv;
    e[k] = beta;
    tau[k] = t;
    // y = B₂₂·v from the strict lower triangle: B_ij contributes B_ij·v_j to y_i and −B_ij·v_i to y_j.
    y.fill(0, m0);
    for (let i = m0 + 1; i < n; i++) {
      const row = i * n;
      const vi = a[v + i];
      let acc = 0;
      for (let j = m0; j < i; j++) {
        const bij = a[row + j];
        acc += bij * a[v + j];
        y[j] -= bij * vi;
      }
      y[i] += acc;
    }
    // w = τ·y; B₂₂ ← B₂₂ + v·wᵀ − w·vᵀ.
    for (let i = m0; i < n; i++) y[i] *= t;
    for (let i = m0 + 1; i < n; i++) {
      const row = i * n;
      const vi = a[v + i];
      const wi = y[i];
      for (let j = m0; j < i; j++) a[row + j] += vi * y[j] - wi * a[v + j];
    }
  }
  if (n >= 2) e[n - 2] = a[(n - 1) * n + n - 2];
}

/**
 * Q·D's real and imaginary column sets as one n×n row-major matrix [G | F]: G (columns 0 … p−1)
 * holds (−1)^j·Q[:, 2j], F (columns p … n−1) holds (−1)^j·Q[:, 2j+1]. Q = H₀ ⋯ H_{n−3} is built from
 * the identity by applying the reflectors last first; H_k touches only rows and original columns
 * ≥ k+1.
 */
function formBasis(a: Float64Array, tau: Float64Array, n: number, p: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const j = c >> 1;
    m[c * n + (c & 1 ? p + j : j)] = j & 1 ? -1 : 1;
  }
  const u = new Float64Array(n);
  for (let k = n - 3; k >= 0; k--) {
    const t = tau[k];
    if (t === 0) continue;
    const v = k * n;
    const g0 = (k + 2) >> 1;
    const f0 = p + ((k + 1) >> 1);
    u.fill(0);
    for (let i = k + 1; i < n; i++) {
      const vi = a[v + i];
      const row = i * n;
      for (let c = g0; c < p; c++) u[c] += vi * m[row + c];
      for (let c = f0; c < n; c++) u[c] += vi * m[row + c];
    }
    for (let c = g0; c < n; c++) u[c] *= t;
    for (let i = k + 1; i < n; i++) {
      const vi = a[v + i];
      const row = i * n;
      for (let c = g0; c < p; c++) m[row + c] -= vi * u[c];
      for (let c = f0; c < n; c++) m[row + c] -= vi * u[c];
    }
  }
  return m;
}

/** Columns c1, c2 of the n×n row-major m ← (cs·c1 + sn·c2, −sn·c1 + cs·c2). */
function rotateColumns(m: Float64Array, n: number, c1: number, c2: number, cs: number, sn: number): void {
  for (let r = 0; r < n * n; r += n) {
    const x = m[r + c1];
    const y = m[r + c2];
    m[r + c1] = cs * x + sn * y;
    m[r + c2] = cs * y - sn * x;
  }
}

/**
 * Applies the rotations j = k … last−1 of one QR sweep, each to columns (j, j+1) as in
 * `rotateColumns`, to columns `off` + k … `off` + last of all n rows of m. Along a row the new
 * column j is final once rotation j is applied and column j+1 is carried to the next rotation: one
 * read and one write per entry. Four rows go together for independent chains of arithmetic.
 */
function sweepColumns(
  m: Float64Array,
  n: number,
  off: number,
  k: number,
  last: number,
  cos: Float64Array,
  sin: Float64Array,
): void {
  const lo = off + k;
  const hi = off + last;
  const end = n * n;
  let r0 = 0;
  for (; r0 + 4 * n <= end; r0 += 4 * n) {
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let x0 = m[r0 + lo];
    let x1 = m[r1 + lo];
    let x2 = m[r2 + lo];
    let x3 = m[r3 + lo];
    for (let c = lo, j = k; c < hi; c++, j++) {
      const cs = cos[j];
      const sn = sin[j];
      const y0 = m[r0 + c + 1];
      const y1 = m[r1 + c + 1];
      const y2 = m[r2 + c + 1];
      const y3 = m[r3 + c + 1];
      m[r0 + c] = cs * x0 + sn * y0;
      m[r1 + c] = cs * x1 + sn * y1;
      m[r2 + c] = cs * x2 + sn * y2;
      m[r3 + c] = cs * x3 + sn * y3;
      x0 = cs * y0 - sn * x0;
      x1 = cs * y1 - sn * x1;
      x2 = cs * y2 - sn * x2;
      x3 = cs * y3 - sn * x3;
    }
    m[r0 + hi] = x0;
    m[r1 + hi] = x1;
    m[r2 + hi] = x2;
    m[r3 + hi] = x3;
  }
  for (; r0 < end; r0 += n) {
    let x = m[r0 + lo];
    for (let c = lo, j = k; c < hi; c++, j++) {
      const y = m[r0 + c + 1];
      m[r0 + c] = cos[j] * x + sin[j] * y;
      x = cos[j] * y - sin[j] * x;
    }
    m[r0 + hi] = x;
  }
}

/**
 * SVD of the q×q upper bidiagonal (s diagonal, e super-diagonal, e[q−1] = 0) by the implicit-shift
 * QR of LINPACK `dsvdc` (as in JAMA): on return s holds the singular values, signed and unsorted
 * (|s| are the singular values; a negative s_j stands for σ_j = −s_j with the right vector negated).
 * Right rotations are applied to the columns of m at 0 … q−1 (the W side), left rotations to the
 * columns at `p` … `p`+q−1 (the U side).
 */
function bidiagonalSvd(s: Float64Array, e: Float64Array, q: number, m: Float64Array, n: number, p: number) {
  const cosW = new Float64Array(q);
  const sinW = new Float64Array(q);
  const cosU = new Float64Array(q);
  const sinU = new Float64Array(q);
  let end = q;
  let iterations = 0;
  while (end > 0) {
    // k: the last negligible e[k] before end−1 (−1 if none); ks: a negligible s in the block.
    let k = end - 2;
    for (; k >= 0; k--) {
      if (Math.abs(e[k]) <= TINY + EPS * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    if (k === end - 2) {
      // Convergence of s[end−1].
      end--;
      iterations = 0;
      continue;
    }
    let ks = end - 1;
    for (; ks > k; ks--) {
      const t = Math.abs(e[ks]) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
      if (Math.abs(s[ks]) <= TINY + EPS * t) {
        s[ks] = 0;
        break;
      }
    }
    if (ks === end - 1) {
      // s[end−1] = 0: chase e[end−2] up the last column with right rotations.
      let f = e[end - 2];
      e[end - 2] = 0;
      for (let j = end - 2; j > k && f !== 0; j--) {
        const t = hypot(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k + 1) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
        rotateColumns(m, n, j, end - 1, cs, sn);
      }
    } else if (ks > k) {
      splitAtZero(s, e, ks, end, m, n, p);
    } else {
      // An unreduced block k+1 … end−1: one QR sweep.
      if (++iterations > MAX_ITERATIONS) throw new Error('eigh: the bidiagonal QR iteration did not converge');
      qrSweep(s, e, k + 1, end, cosW, sinW, cosU, sinU);
      PROF.sweeps++; PROF.len += end - k - 1;
      sweepColumns(m, n, 0, k + 1, end - 1, cosW, sinW);
      sweepColumns(m, n, p, k + 1, end - 1, cosU, sinU);
    }
  }
}

/**
 * s[ks] = 0 with ks inside the unreduced block: e[ks] is chased along row ks to the right with
 * left rotations of rows (j, ks), zeroing it and splitting the bidiagonal there.
 */
function splitAtZero(s: Float64Array, e: Float64Array, ks: number, end: number, m: Float64Array, n: number, p: number) {
  let f = e[ks];
  e[ks] = 0;
  for (let j = ks + 1; j < end && f !== 0; j++) {
    const t = hypot(s[j], f);
    const cs = s[j] / t;
    const sn = f / t;
    s[j] = t;
    f = -sn * e[j];
    e[j] = cs * e[j];
    rotateColumns(m, n, p + j, p + ks, cs, sn);
  }
}

/** One implicit-shift QR sweep over the block k … end−1, recording its right and left rotations. */
function qrSweep(
  s: Float64Array,
  e: Float64Array,
  k: number,
  end: number,
  cosW: Float64Array,
  sinW: Float64Array,
  cosU: Float64Array,
  sinU: Float64Array,
): void {
  // The shift: the eigenvalue of the trailing 2×2 of CᵀC closer to its last entry.
  const scale = Math.max(
    Math.abs(s[end - 1]),
    Math.abs(s[end - 2]),
    Math.abs(e[end - 2]),
    Math.abs(s[k]),
    Math.abs(e[k]),
  );
  const sp = s[end - 1] / scale;
  const spm1 = s[end - 2] / scale;
  const epm1 = e[end - 2] / scale;
  const sk = s[k] / scale;
  const ek = e[k] / scale;
  const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
  const c = sp * epm1 * (sp * epm1);
  let shift = 0;
  if (b !== 0 || c !== 0) {
    shift = Math.sqrt(b * b + c);
    if (b < 0) shift = -shift;
    shift = c / (b + shift);
  }
  let f = (sk + sp) * (sk - sp) + shift;
  let g = sk * ek;
  for (let j = k; j < end - 1; j++) {
    let t = hypot(f, g);
    let cs = t === 0 ? 1 : f / t;
    let sn = t === 0 ? 0 : g / t;
    if (j !== k) e[j - 1] = t;
    f = cs * s[j] + sn * e[j];
    e[j] = cs * e[j] - sn * s[j];
    g = sn * s[j + 1];
    s[j + 1] = cs * s[j + 1];
    cosW[j] = cs;
    sinW[j] = sn;
    t = hypot(f, g);
    cs = t === 0 ? 1 : f / t;
    sn = t === 0 ? 0 : g / t;
    s[j] = t;
    f = cs * e[j] + sn * s[j + 1];
    s[j + 1] = -sn * e[j] + cs * s[j + 1];
    g = sn * e[j + 1];
    e[j + 1] = cs * e[j + 1];
    cosU[j] = cs;
    sinU[j] = sn;
  }
  e[end - 2] = f;
}

/**
 * Eigenvalues (ascending) and eigenvectors (columns of the interleaved n×n `vectors`) of the
 * Hermitian H = i·B given as interleaved complex `data` whose real parts are all zero.
 */
export const PROF = { t: [0, 0, 0, 0, 0, 0], sweeps: 0, len: 0 };
export function imaginaryHermitianEigen(arg: string, data: Float64Array | Float32Array, n: number) {
  let t0 = performance.now();
  const tick = (i: number) => { const t1 = performance.now(); PROF.t[i] += t1 - t0; t0 = t1; };
  const values = new Float64Array(n);
  const vectors = new Float64Array(2 * n * n);
  if (n === 0) return { values, vectors };
  const { a, scale } = skewPart(arg, data, n);
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  tick(0);
  tridiagonalizeSkew(a, n, e, tau);
  tick(1);
  const p = (n + 1) >> 1;
  const q = n >> 1;
  const m = formBasis(a, tau, n, p);
  tick(2);
  // The bidiagonal C: s_j = e_{2j}, super-diagonal e_{2j+1}.
  const s = new Float64Array(q);
  const f = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    s[j] = e[2 * j];
    f[j] = e[2 * j + 1];
  }
  if (p > q) {
    // Odd n: C is q×(q+1). Right rotations of columns (j, q) chase its last column, f[q−1], up to
    // row 0, leaving the null vector of C in column q.
    let bulge = q > 0 ? f[q - 1] : 0;
    for (let j = q - 1; j >= 0 && bulge !== 0; j--) {
      const t = hypot(s[j], bulge);
      const cs = s[j] / t;
      const sn = bulge / t;
      s[j] = t;
      if (j > 0) {
        bulge = -sn * f[j - 1];
        f[j - 1] *= cs;
      }
      rotateColumns(m, n, j, q, cs, sn);
    }
  }
  if (q > 0) f[q - 1] = 0;
  bidiagonalSvd(s, f, q, m, n, p);
  tick(3);
  // Column r (ascending) is −|s_j| for the r-th largest |s_j|, column n−1−r is +|s_j|; the vectors
  // are (G_j ± i·F_j)/√2 with + for the eigenvalue s_j (signed).
  const order = Array.from({ length: q }, (_, j) => j).sort((x, y) => Math.abs(s[y]) - Math.abs(s[x]));
  const plusCol = new Int32Array(q);
  const minusCol = new Int32Array(q);
  for (let r = 0; r < q; r++) {
    const j = order[r];
    const sigma = Math.abs(s[j]) * scale;
    values[r] = -sigma;
    values[n - 1 - r] = sigma;
    plusCol[j] = s[j] >= 0 ? n - 1 - r : r;
    minusCol[j] = s[j] >= 0 ? r : n - 1 - r;
  }
  const h = Math.SQRT1_2;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const out = 2 * row;
    for (let j = 0; j < q; j++) {
      const g = m[row + j] * h;
      const fi = m[row + p + j] * h;
      const pc = out + 2 * plusCol[j];
      const mc = out + 2 * minusCol[j];
      vectors[pc] = g;
      vectors[pc + 1] = fi;
      vectors[mc] = g;
      vectors[mc + 1] = -fi;
    }
    if (p > q) vectors[out + 2 * q] = m[row + q];
  }
  // Q's first row is e₀ᵀ, so F's first row is exactly zero: write +0 rather than −0.
  for (let c = 0; c < n; c++) vectors[2 * c + 1] = 0;
  tick(4);
  return { values, vectors };
}
