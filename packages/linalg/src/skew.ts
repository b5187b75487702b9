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
// 3. V = Q·D·Z. Row k of D·Z is real for even k and imaginary for odd k, so with
//    Σ = diag((−1)^⌊k/2⌋) (the signs of iᵏ) and X = Σ·(W ⊕ U) — W in the even rows and columns, U
//    in the odd ones — the eigenvectors of ±σ_j are (M_{:,2j} ± i·M_{:,2j+1})/√2 for the real
//    M = Q·X. The SVD's rotations go to the small W and U (n/2 rows each, skipping the zero band
//    while they fill in); Q is then applied to X as blocks of four reflectors: one real n×n
//    back-transformation, no complex arithmetic.
//
// The eigenvectors of ±σ are complex conjugates, as they must be for H̄ = −H. Q's first row and
// column are e₀, so every eigenvector's first component is real, the convention of the general
// path (LAPACK's lower-triangle `zheev`).

const EPS = 2 ** -52;
const TINY = 2 ** -966;
/** QR sweeps allowed per singular value; about two are typical. */
const MAX_ITERATIONS = 75;

// The O(n²) loops live in small functions called once per row, column or sweep, which V8
// optimises after a few decompositions, rather than in loops of a function called once per
// decomposition. The loops over groups of rows never branch on a remainder that changes from step
// to step (zero padding rows stand in instead): such a branch, first taken after V8 had optimised
// the loop, deoptimised it again and again during the first decompositions.

/** True when every real part of the interleaved complex n×n `data` is exactly zero. */
export function isImaginary(data: Float64Array | Float32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (!realPartsZero(data, 2 * i * n, 2 * (i + 1) * n)) return false;
  return true;
}

function realPartsZero(data: Float64Array | Float32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i += 2) if (data[i] !== 0) return false;
  return true;
}

function largestImaginary(data: Float64Array | Float32Array, from: number, to: number): number {
  let largest = 0;
  for (let i = from + 1; i < to; i += 2) largest = Math.max(largest, Math.abs(data[i]));
  return largest;
}

/**
 * Checks that H = i·B (interleaved, real parts zero) is Hermitian, i.e. B skew-symmetric, to
 * `HERMITIAN_TOLERANCE`, and returns the strict lower triangle of the skew part (B − Bᵀ)/2 divided
 * by `scale`, a power of two near ‖B‖_max, into `a`: (n+1)×(n+1), zero on entry, leading dimension
 * n+1 (the last row and column stay zero).
 */
function skewPart(arg: string, data: Float64Array | Float32Array, n: number, a: Float64Array) {
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, largestImaginary(data, 2 * i * n, 2 * (i + 1) * n));
  const tolerance = HERMITIAN_TOLERANCE * largest;
  const scale = largest === 0 ? 1 : 2 ** Math.round(Math.log2(largest));
  for (let i = 0; i < n; i++) {
    const j = skewRow(data, a, n, i, 0.5 / scale, tolerance);
    if (j >= 0) {
      const gap = Math.abs(data[2 * (i * n + j) + 1] + data[2 * (j * n + i) + 1]);
      throw notHermitian(arg, 2, i, j, gap, largest);
    }
  }
  return scale;
}

/** Row i of `skewPart` (columns j ≤ i); returns the first j that breaks the tolerance, or −1. */
function skewRow(
  data: Float64Array | Float32Array,
  a: Float64Array,
  n: number,
  i: number,
  half: number,
  tolerance: number,
): number {
  const row = i * (n + 1);
  for (let j = 0; j <= i; j++) {
    const bij = data[2 * (i * n + j) + 1];
    const bji = data[2 * (j * n + i) + 1];
    if (Math.abs(bij + bji) > tolerance) return j;
    a[row + j] = (bij - bji) * half;
  }
  return -1;
}

/**
 * Reduces the skew matrix whose strict lower triangle is in `a` (leading dimension n+1) to the
 * skew tridiagonal with sub-diagonal `e` (e[k] couples k+1 and k): Qᵀ·B·Q = T,
 * Q = H₀·H₁ ⋯ H_{n−3}, H_k = I − τ_k·v_k·v_kᵀ. v_k is stored in row k of `a` at columns k+1 … n−1
 * (the free upper triangle), τ_k in `tau`.
 *
 * Step k updates the trailing block by B ← B + v·wᵀ − w·vᵀ, w = τ·B·v. Its column k+1 is updated
 * first, which gives the next reflector; the rest of the update and the next product B·v′ then
 * share one pass over the lower triangle, four rows at a time.
 */
function tridiagonalizeSkew(a: Float64Array, n: number, e: Float64Array, tau: Float64Array): void {
  let w = new Float64Array(n + 1);
  let y = new Float64Array(n + 1);
  if (n >= 3 && reflector(a, n, 0, e, tau)) {
    skewProduct(a, n, 1, 0, w);
    scaleTail(w, 1, n, tau[0]);
  }
  for (let k = 0; k + 2 < n; k++) {
    updateColumn(a, n, k, w);
    if (k + 3 < n) {
      reflector(a, n, k + 1, e, tau);
      updateAndMultiply(a, n, k, w, y);
      scaleTail(y, k + 2, n, tau[k + 1]);
      const swap = w;
      w = y;
      y = swap;
    }
  }
  if (n >= 2) e[n - 2] = a[(n - 1) * (n + 1) + n - 2];
}

/** x[i] *= t for from ≤ i < to. */
function scaleTail(x: Float64Array, from: number, to: number, t: number): void {
  for (let i = from; i < to; i++) x[i] *= t;
}

/** Column k+1 (rows ≥ k+2) of the update B ← B + v·wᵀ − w·vᵀ of step k. */
function updateColumn(a: Float64Array, n: number, k: number, w: Float64Array): void {
  const ld = n + 1;
  const v = k * ld;
  const c = k + 1;
  const vc = a[v + c];
  const wc = w[c];
  for (let i = c + 1; i < n; i++) a[i * ld + c] += a[v + i] * wc - w[i] * vc;
}

/**
 * The reflector H_k for column k below the sub-diagonal: e[k] = β, τ_k and v_k (v₀ = 1) in row k
 * of `a`; returns false (τ_k = 0, v_k = 0 left in place) when the column is already reduced.
 */
function reflector(a: Float64Array, n: number, k: number, e: Float64Array, tau: Float64Array): boolean {
  const ld = n + 1;
  const m0 = k + 1;
  const alpha = a[m0 * ld + k];
  let tail = 0;
  for (let i = m0 + 1; i < n; i++) tail += a[i * ld + k] ** 2;
  if (tail === 0) {
    e[k] = alpha;
    return false;
  }
  // β = −sign(α)·‖x‖ keeps α − β away from cancellation; v = x/(α − β), v₀ = 1.
  const beta = -Math.sign(alpha || 1) * Math.sqrt(alpha * alpha + tail);
  const inv = 1 / (alpha - beta);
  const v = k * ld;
  a[v + m0] = 1;
  for (let i = m0 + 1; i < n; i++) a[v + i] = a[i * ld + k] * inv;
  e[k] = beta;
  tau[k] = (beta - alpha) / beta;
  return true;
}

/**
 * y = B₂₂·u over rows and columns ≥ m0, u in row `ur` of `a`, from the strict lower triangle:
 * B_ij contributes B_ij·u_j to y_i and −B_ij·u_i to y_j.
 */
function skewProduct(a: Float64Array, n: number, m0: number, ur: number, y: Float64Array): void {
  const ld = n + 1;
  const u = ur * ld;
  y.fill(0, m0);
  for (let i = m0 + 1; i < n; i++) {
    const row = i * ld;
    const ui = a[u + i];
    let acc = 0;
    for (let j = m0; j < i; j++) {
      const bij = a[row + j];
      acc += bij * a[u + j];
      y[j] -= bij * ui;
    }
    y[i] += acc;
  }
}

/**
 * For rows and columns ≥ k+2: B ← B + v·wᵀ − w·vᵀ (v = v_k, w = `w`) and y = B·v′ (v′ = v_{k+1})
 * on the updated entries, in one pass over groups of four rows. Row indices past n−1 stand for the
 * zero row n of `a` (whose v, w, v′ entries, at index n, are zero too): it stays zero and adds
 * nothing, so the last group needs no special case.
 */
function updateAndMultiply(a: Float64Array, n: number, k: number, w: Float64Array, y: Float64Array): void {
  const ld = n + 1;
  const v = k * ld;
  const u = v + ld;
  const m0 = k + 2;
  y.fill(0, m0);
  for (let i = m0; i < n; i += 4) {
    const i1 = Math.min(i + 1, n);
    const i2 = Math.min(i + 2, n);
    const i3 = Math.min(i + 3, n);
    const r0 = i * ld;
    const r1 = i1 * ld;
    const r2 = i2 * ld;
    const r3 = i3 * ld;
    const v0 = a[v + i];
    const v1 = a[v + i1];
    const v2 = a[v + i2];
    const v3 = a[v + i3];
    const w0 = w[i];
    const w1 = w[i1];
    const w2 = w[i2];
    const w3 = w[i3];
    const u0 = a[u + i];
    const u1 = a[u + i1];
    const u2 = a[u + i2];
    const u3 = a[u + i3];
    let acc0 = 0;
    let acc1 = 0;
    let acc2 = 0;
    let acc3 = 0;
    for (let j = m0; j < i; j++) {
      const vj = a[v + j];
      const wj = w[j];
      const uj = a[u + j];
      const x0 = a[r0 + j] + v0 * wj - w0 * vj;
      const x1 = a[r1 + j] + v1 * wj - w1 * vj;
      const x2 = a[r2 + j] + v2 * wj - w2 * vj;
      const x3 = a[r3 + j] + v3 * wj - w3 * vj;
      a[r0 + j] = x0;
      a[r1 + j] = x1;
      a[r2 + j] = x2;
      a[r3 + j] = x3;
      acc0 += x0 * uj;
      acc1 += x1 * uj;
      acc2 += x2 * uj;
      acc3 += x3 * uj;
      y[j] -= x0 * u0 + x1 * u1 + x2 * u2 + x3 * u3;
    }
    // The triangle inside the group: rows i+1 … i+3 reach columns i … i+2.
    const x10 = a[r1 + i] + v1 * w0 - w1 * v0;
    const x20 = a[r2 + i] + v2 * w0 - w2 * v0;
    const x21 = a[r2 + i1] + v2 * w1 - w2 * v1;
    const x30 = a[r3 + i] + v3 * w0 - w3 * v0;
    const x31 = a[r3 + i1] + v3 * w1 - w3 * v1;
    const x32 = a[r3 + i2] + v3 * w2 - w3 * v2;
    a[r1 + i] = x10;
    a[r2 + i] = x20;
    a[r2 + i1] = x21;
    a[r3 + i] = x30;
    a[r3 + i1] = x31;
    a[r3 + i2] = x32;
    y[i] += acc0 - x10 * u1 - x20 * u2 - x30 * u3;
    y[i1] += acc1 + x10 * u0 - x21 * u2 - x31 * u3;
    y[i2] += acc2 + x20 * u0 + x21 * u1 - x32 * u3;
    y[i3] += acc3 + x30 * u0 + x31 * u1 + x32 * u2;
  }
}

/**
 * x ← Q·x = H₀ ⋯ H_{n−3}·x for the `rows`×n row-major x (`rows` = n rounded up to even: a zero
 * padding row for odd n), applying the reflectors last first in blocks of four; H_k touches only
 * rows ≥ k+1. Only rows ≤ n−3 of `a` (the reflectors) are read, so x may overlap the rest of it.
 */
function applyQ(a: Float64Array, tau: Float64Array, n: number, rows: number, x: Float64Array): void {
  const block: Block = {
    v: new Float64Array(BLOCK * rows),
    d: new Float64Array(BLOCK * n),
    coefficients: new Float64Array(BLOCK + 6),
  };
  for (let hi = n - 3; hi >= 0; hi -= BLOCK) {
    const lo = hi - BLOCK + 1;
    gatherBlock(block, a, tau, n, rows, lo);
    blockDots(block, x, n, rows, lo);
    blockCoefficients(block, n);
    blockUpdate(block, x, n, rows, lo);
  }
}

/** Reflectors applied together in `applyQ`. */
const BLOCK = 4;

/**
 * Scratch for applying H_lo ⋯ H_hi (hi = lo + 3; indices below 0 stand for H = I) to M, H_hi first:
 * with d_s = v_sᵀ·M, u_s = τ_s·(d_s − Σ_{t>s} (v_sᵀv_t)·u_t) for s = hi … lo, M ← M − Σ_s v_s·u_sᵀ.
 * One pass computes all the d_s and one pass applies all the u_s, four rows at a time: under one
 * load or store per multiply-add, where one reflector at a time takes two or three.
 */
interface Block {
  /** v_s as rows of length `rows`, zero outside rows lo+s+1 … n−1 (and zero when τ = 0). */
  v: Float64Array;
  /** d_s, then u_s, as rows of length n. */
  d: Float64Array;
  /** τ_lo … τ_hi, then the Gram entries v_sᵀv_t: 01, 02, 03, 12, 13, 23. */
  coefficients: Float64Array;
}

function gatherBlock(b: Block, a: Float64Array, tau: Float64Array, n: number, rows: number, lo: number) {
  const { v, coefficients: t } = b;
  const ld = n + 1;
  v.fill(0);
  for (let s = 0; s < BLOCK; s++) {
    const k = lo + s;
    t[s] = k >= 0 ? tau[k] : 0;
    if (t[s] === 0) continue;
    for (let i = k + 1; i < n; i++) v[s * rows + i] = a[k * ld + i];
  }
  let g = BLOCK;
  for (let s = 0; s < BLOCK; s++) {
    for (let r = s + 1; r < BLOCK; r++) {
      let dot = 0;
      for (let i = Math.max(lo + r + 1, 0); i < n; i++) dot += v[s * rows + i] * v[r * rows + i];
      t[g++] = dot;
    }
  }
}

/**
 * d_s = v_sᵀ·M over rows ≥ lo+1, four rows at a time from a multiple of four (the rows before
 * lo+1 have v = 0 and add nothing); two rows are left over when `rows` is 2 mod 4, the same for
 * every block of a decomposition.
 */
function blockDots(b: Block, m: Float64Array, n: number, rows: number, lo: number): void {
  const { v, d } = b;
  const v1 = rows;
  const v2 = 2 * rows;
  const v3 = 3 * rows;
  const d1 = n;
  const d2 = 2 * n;
  const d3 = 3 * n;
  d.fill(0);
  let i = Math.max(lo + 1, 0) & ~3;
  for (; i + 4 <= rows; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const p0 = v[i];
    const p1 = v[i + 1];
    const p2 = v[i + 2];
    const p3 = v[i + 3];
    const q0 = v[v1 + i];
    const q1 = v[v1 + i + 1];
    const q2 = v[v1 + i + 2];
    const q3 = v[v1 + i + 3];
    const s0 = v[v2 + i];
    const s1 = v[v2 + i + 1];
    const s2 = v[v2 + i + 2];
    const s3 = v[v2 + i + 3];
    const z0 = v[v3 + i];
    const z1 = v[v3 + i + 1];
    const z2 = v[v3 + i + 2];
    const z3 = v[v3 + i + 3];
    for (let c = 0; c < n; c++) {
      const m0 = m[r0 + c];
      const m1 = m[r1 + c];
      const m2 = m[r2 + c];
      const m3 = m[r3 + c];
      d[c] += p0 * m0 + p1 * m1 + p2 * m2 + p3 * m3;
      d[d1 + c] += q0 * m0 + q1 * m1 + q2 * m2 + q3 * m3;
      d[d2 + c] += s0 * m0 + s1 * m1 + s2 * m2 + s3 * m3;
      d[d3 + c] += z0 * m0 + z1 * m1 + z2 * m2 + z3 * m3;
    }
  }
  if (i < rows) blockDotsPair(b, m, n, rows, i);
}

/** The two rows i, i+1 of `blockDots`. */
function blockDotsPair(b: Block, m: Float64Array, n: number, rows: number, i: number): void {
  const { v, d } = b;
  const r0 = i * n;
  const r1 = r0 + n;
  const p0 = v[i];
  const p1 = v[i + 1];
  const q0 = v[rows + i];
  const q1 = v[rows + i + 1];
  const s0 = v[2 * rows + i];
  const s1 = v[2 * rows + i + 1];
  const z0 = v[3 * rows + i];
  const z1 = v[3 * rows + i + 1];
  for (let c = 0; c < n; c++) {
    const m0 = m[r0 + c];
    const m1 = m[r1 + c];
    d[c] += p0 * m0 + p1 * m1;
    d[n + c] += q0 * m0 + q1 * m1;
    d[2 * n + c] += s0 * m0 + s1 * m1;
    d[3 * n + c] += z0 * m0 + z1 * m1;
  }
}

/** u_s from d_s, in place. */
function blockCoefficients(b: Block, n: number): void {
  const { d, coefficients: t } = b;
  const [t0, t1, t2, t3, g01, g02, g03, g12, g13, g23] = t;
  for (let c = 0; c < n; c++) {
    const u3 = t3 * d[3 * n + c];
    const u2 = t2 * (d[2 * n + c] - g23 * u3);
    const u1 = t1 * (d[n + c] - g12 * u2 - g13 * u3);
    d[c] = t0 * (d[c] - g01 * u1 - g02 * u2 - g03 * u3);
    d[n + c] = u1;
    d[2 * n + c] = u2;
    d[3 * n + c] = u3;
  }
}

/** M ← M − Σ_s v_s·u_sᵀ over rows ≥ lo+1, rows grouped as in `blockDots`. */
function blockUpdate(b: Block, m: Float64Array, n: number, rows: number, lo: number): void {
  const { v, d } = b;
  const v1 = rows;
  const v2 = 2 * rows;
  const v3 = 3 * rows;
  const d1 = n;
  const d2 = 2 * n;
  const d3 = 3 * n;
  let i = Math.max(lo + 1, 0) & ~3;
  for (; i + 4 <= rows; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const p0 = v[i];
    const p1 = v[i + 1];
    const p2 = v[i + 2];
    const p3 = v[i + 3];
    const q0 = v[v1 + i];
    const q1 = v[v1 + i + 1];
    const q2 = v[v1 + i + 2];
    const q3 = v[v1 + i + 3];
    const s0 = v[v2 + i];
    const s1 = v[v2 + i + 1];
    const s2 = v[v2 + i + 2];
    const s3 = v[v2 + i + 3];
    const z0 = v[v3 + i];
    const z1 = v[v3 + i + 1];
    const z2 = v[v3 + i + 2];
    const z3 = v[v3 + i + 3];
    for (let c = 0; c < n; c++) {
      const x0 = d[c];
      const x1 = d[d1 + c];
      const x2 = d[d2 + c];
      const x3 = d[d3 + c];
      m[r0 + c] -= p0 * x0 + q0 * x1 + s0 * x2 + z0 * x3;
      m[r1 + c] -= p1 * x0 + q1 * x1 + s1 * x2 + z1 * x3;
      m[r2 + c] -= p2 * x0 + q2 * x1 + s2 * x2 + z2 * x3;
      m[r3 + c] -= p3 * x0 + q3 * x1 + s3 * x2 + z3 * x3;
    }
  }
  if (i < rows) blockUpdatePair(b, m, n, rows, i);
}

/** The two rows i, i+1 of `blockUpdate`. */
function blockUpdatePair(b: Block, m: Float64Array, n: number, rows: number, i: number): void {
  const { v, d } = b;
  const r0 = i * n;
  const r1 = r0 + n;
  const p0 = v[i];
  const p1 = v[i + 1];
  const q0 = v[rows + i];
  const q1 = v[rows + i + 1];
  const s0 = v[2 * rows + i];
  const s1 = v[2 * rows + i + 1];
  const z0 = v[3 * rows + i];
  const z1 = v[3 * rows + i + 1];
  for (let c = 0; c < n; c++) {
    const x0 = d[c];
    const x1 = d[n + c];
    const x2 = d[2 * n + c];
    const x3 = d[3 * n + c];
    m[r0 + c] -= p0 * x0 + q0 * x1 + s0 * x2 + z0 * x3;
    m[r1 + c] -= p1 * x0 + q1 * x1 + s1 * x2 + z1 * x3;
  }
}

/** Columns c1, c2 of the row-major m (n columns, `rows` rows) ← (cs·c1 + sn·c2, −sn·c1 + cs·c2). */
function rotateColumns(
  m: Float64Array,
  n: number,
  rows: number,
  c1: number,
  c2: number,
  cs: number,
  sn: number,
) {
  for (let r = 0; r < rows * n; r += n) {
    const x = m[r + c1];
    const y = m[r + c2];
    m[r + c1] = cs * x + sn * y;
    m[r + c2] = cs * y - sn * x;
  }
}

/**
 * Applies the rotations j = k … last−1 of one QR sweep, each as in `rotateColumns`: the right
 * rotations (cosW, sinW) to the columns 2j, 2j+2 of m (G) and the left ones (cosU, sinU) to the
 * columns 2j+1, 2j+3 (F), in all rows. Along a row the new column j is final once rotation j is
 * applied and column j+1 is carried to the next rotation: one read and one write per entry. Two
 * rows go together, so that four carried values form independent chains of arithmetic. `band`:
 * row r is known to be zero in the columns (pairs) before r − band.
 */
function sweepColumns(
  m: Float64Array,
  n: number,
  rows: number,
  band: number,
  k: number,
  last: number,
  cosW: Float64Array,
  sinW: Float64Array,
  cosU: Float64Array,
  sinU: Float64Array,
): void {
  const hi = 2 * last;
  for (let r = 0; r < rows; r += 2) {
    // Columns before r − band are zero in rows r and r+1: the rotations there change nothing.
    const start = Math.min(Math.max(k, r - band), last);
    const lo = 2 * start;
    const r0 = r * n;
    const r1 = r0 + n;
    let g0 = m[r0 + lo];
    let f0 = m[r0 + lo + 1];
    let g1 = m[r1 + lo];
    let f1 = m[r1 + lo + 1];
    for (let c = lo, j = start; c < hi; c += 2, j++) {
      const cw = cosW[j];
      const sw = sinW[j];
      const cu = cosU[j];
      const su = sinU[j];
      const h0 = m[r0 + c + 2];
      const e0 = m[r0 + c + 3];
      const h1 = m[r1 + c + 2];
      const e1 = m[r1 + c + 3];
      m[r0 + c] = cw * g0 + sw * h0;
      m[r0 + c + 1] = cu * f0 + su * e0;
      m[r1 + c] = cw * g1 + sw * h1;
      m[r1 + c + 1] = cu * f1 + su * e1;
      g0 = cw * h0 - sw * g0;
      f0 = cu * e0 - su * f0;
      g1 = cw * h1 - sw * g1;
      f1 = cu * e1 - su * f1;
    }
    m[r0 + hi] = g0;
    m[r0 + hi + 1] = f0;
    m[r1 + hi] = g1;
    m[r1 + hi + 1] = f1;
  }
}

/**
 * SVD of the q×q upper bidiagonal (s diagonal, e super-diagonal, e[q−1] = 0) by the implicit-shift
 * QR of LINPACK `dsvdc` (as in JAMA): on return s holds the singular values, signed and unsorted
 * (|s_j| is the singular value; a negative s_j stands for the right vector negated). Right
 * rotations go to the columns 2j of m (G), left rotations to the columns 2j+1 (F).
 */
function bidiagonalSvd(
  s: Float64Array,
  e: Float64Array,
  q: number,
  m: Float64Array,
  n: number,
  rows: number,
  banded: boolean,
) {
  const cosW = new Float64Array(q);
  const sinW = new Float64Array(q);
  const cosU = new Float64Array(q);
  const sinU = new Float64Array(q);
  let end = q;
  let iterations = 0;
  // W and U start as the identity (unless the odd-n chase has filled them: `banded` false), and
  // each sweep of adjacent rotations widens their lower bandwidth by one.
  let band = banded ? 1 : rows;
  while (end > 0) {
    const k = negligibleCoupling(s, e, end);
    if (k === end - 2) {
      // Convergence of s[end−1].
      end--;
      iterations = 0;
      continue;
    }
    const ks = negligibleDiagonal(s, e, k, end);
    if (ks === end - 1) {
      lastColumnZero(s, e, k, end, m, n, rows);
      band = rows;
    } else if (ks > k) {
      splitAtZero(s, e, ks, end, m, n, rows);
      band = rows;
    } else {
      // An unreduced block k+1 … end−1: one QR sweep.
      if (++iterations > MAX_ITERATIONS)
        throw new Error('eigh: the bidiagonal QR iteration did not converge');
      qrSweep(s, e, k + 1, end, cosW, sinW, cosU, sinU);
      sweepColumns(m, n, rows, band, k + 1, end - 1, cosW, sinW, cosU, sinU);
      band++;
    }
  }
}

/** The last k < end−1 with e[k] negligible (set to zero), or −1. */
function negligibleCoupling(s: Float64Array, e: Float64Array, end: number): number {
  for (let k = end - 2; k >= 0; k--) {
    if (Math.abs(e[k]) <= TINY + EPS * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
      e[k] = 0;
      return k;
    }
  }
  return -1;
}

/** The last ks in k+1 … end−1 with s[ks] negligible (set to zero), or k. */
function negligibleDiagonal(s: Float64Array, e: Float64Array, k: number, end: number): number {
  for (let ks = end - 1; ks > k; ks--) {
    const t = Math.abs(e[ks]) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
    if (Math.abs(s[ks]) <= TINY + EPS * t) {
      s[ks] = 0;
      return ks;
    }
  }
  return k;
}

/** s[end−1] = 0 in the block k+1 … end−1: e[end−2] is chased up the last column by right rotations. */
function lastColumnZero(
  s: Float64Array,
  e: Float64Array,
  k: number,
  end: number,
  m: Float64Array,
  n: number,
  rows: number,
) {
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
    rotateColumns(m, n, rows, 2 * j, 2 * (end - 1), cs, sn);
  }
}

/**
 * s[ks] = 0 inside the unreduced block: e[ks] is chased along row ks to the right by left
 * rotations of rows (j, ks), which splits the bidiagonal there.
 */
function splitAtZero(
  s: Float64Array,
  e: Float64Array,
  ks: number,
  end: number,
  m: Float64Array,
  n: number,
  rows: number,
) {
  let f = e[ks];
  e[ks] = 0;
  for (let j = ks + 1; j < end && f !== 0; j++) {
    const t = hypot(s[j], f);
    const cs = s[j] / t;
    const sn = f / t;
    s[j] = t;
    f = -sn * e[j];
    e[j] = cs * e[j];
    rotateColumns(m, n, rows, 2 * j + 1, 2 * ks + 1, cs, sn);
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
 * Odd n: C is q×(q+1). Right rotations of columns (j, q) chase its last column, f[q−1], up to row
 * 0, leaving C square and the null vector of C in column q (m's column 2q).
 */
function chaseLastColumn(
  s: Float64Array,
  f: Float64Array,
  q: number,
  m: Float64Array,
  n: number,
  rows: number,
) {
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
    rotateColumns(m, n, rows, 2 * j, 2 * q, cs, sn);
  }
}

/**
 * Rows 2j and 2j+1 of X = Σ·[W ⊕ U] from row j of Y (W_jl at column 2l, U_jl at column 2l+1):
 * X_{2j,2l} = σ·W_jl, X_{2j+1,2l+1} = σ·U_jl, zeros elsewhere, σ = (−1)^j.
 */
function spreadRow(
  y: Float64Array,
  yRow: number,
  x: Float64Array,
  xRow: number,
  n: number,
  sign: number,
): void {
  const r1 = xRow + n;
  for (let c = 0; c < n; c += 2) {
    x[xRow + c] = sign * y[yRow + c];
    x[xRow + c + 1] = 0;
    x[r1 + c] = 0;
    x[r1 + c + 1] = sign * y[yRow + c + 1];
  }
  if (n & 1) {
    // Odd n: the last column pair is cut in half; column n−1 is even (W).
    x[xRow + n - 1] = sign * y[yRow + n - 1];
    x[r1 + n - 1] = 0;
  }
}

/**
 * Row i of the eigenvectors from row i of M (at `row` in `m`): column plus[j] gets
 * (G_ij + i·F_ij)/√2, column minus[j] its conjugate, and for odd n column q the null vector's G_iq.
 */
function writeRow(
  m: Float64Array,
  row: number,
  vectors: Float64Array,
  n: number,
  i: number,
  plus: Int32Array,
  minus: Int32Array,
): void {
  const q = n >> 1;
  const out = 2 * i * n;
  const h = Math.SQRT1_2;
  for (let j = 0; j < q; j++) {
    const g = m[row + 2 * j] * h;
    const f = m[row + 2 * j + 1] * h;
    const pc = out + 2 * plus[j];
    const mc = out + 2 * minus[j];
    vectors[pc] = g;
    vectors[pc + 1] = f;
    vectors[mc] = g;
    vectors[mc + 1] = -f;
  }
  if (n & 1) {
    vectors[out + 2 * q] = m[row + 2 * q];
    vectors[out + 2 * q + 1] = 0;
  }
}

/**
 * Eigenvalues (ascending) and eigenvectors (columns of the interleaved n×n `vectors`) of the
 * Hermitian H = i·B given as interleaved complex `data` whose real parts are all zero.
 *
 * The working matrices live in the memory of `vectors` itself (2n² numbers): the skew matrix a,
 * (n+1)², at its start; Y = [W, U] (⌈n/2⌉ rows) and then X = Σ·(W ⊕ U) (n rows) at its end, over
 * rows of a that are no longer needed by then. Fresh memory is expensive on first touch (a page
 * fault per 4 KiB, about 10 µs each on a virtual machine, 3–4 ms per n×n array at n = 256), so this
 * saves two or three of them per call.
 */
export function imaginaryHermitianEigen(arg: string, data: Float64Array | Float32Array, n: number) {
  const values = new Float64Array(n);
  const vectors = new Float64Array(2 * n * n);
  if (n === 0) return { values, vectors };
  const p = (n + 1) >> 1;
  const q = n >> 1;
  const rows = n + (n & 1);
  const rowsY = p + (p & 1);
  const size = (n + 1) ** 2;
  // For n ≤ 2 the matrices do not fit in 2n² numbers.
  const work = size <= vectors.length ? vectors : new Float64Array(size + rows * n);
  const a = work.subarray(0, size);
  const x = work.subarray(work.length - rows * n);
  const y = work.subarray(work.length - rowsY * n);
  const scale = skewPart(arg, data, n, a);
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  tridiagonalizeSkew(a, n, e, tau);
  // The bidiagonal C: s_j = e_{2j}, super-diagonal f_j = e_{2j+1}; Y = [W, U] = [I, I].
  const s = new Float64Array(q);
  const f = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    s[j] = e[2 * j];
    f[j] = e[2 * j + 1];
  }
  y.fill(0);
  for (let j = 0; j < n; j++) y[(j >> 1) * n + j] = 1;
  if (n & 1) chaseLastColumn(s, f, q, y, n, rowsY);
  if (q > 0) f[q - 1] = 0;
  bidiagonalSvd(s, f, q, y, n, rowsY, (n & 1) === 0);
  // X = Σ·(W ⊕ U) over Y: rows 2j, 2j+1 of X end before row j of Y starts except for the last
  // (up to three) rows of Y, which are copied out first.
  const safe = Math.max(0, rows - rowsY - 1);
  const tail = y.slice(safe * n, rowsY * n);
  for (let j = 0; j < rows / 2; j++) {
    const sign = j & 1 ? -1 : 1;
    if (j < safe) spreadRow(y, j * n, x, 2 * j * n, n, sign);
    else spreadRow(tail, (j - safe) * n, x, 2 * j * n, n, sign);
  }
  applyQ(a, tau, n, rows, x);
  // Column r (ascending) is −|s_j| for the r-th largest |s_j|, column n−1−r is +|s_j|; the
  // eigenvalue of (G_j + i·F_j)/√2 is s_j (signed), that of its conjugate −s_j.
  const order = Array.from({ length: q }, (_, j) => j).sort((i, j) => Math.abs(s[j]) - Math.abs(s[i]));
  const plus = new Int32Array(q);
  const minus = new Int32Array(q);
  for (let r = 0; r < q; r++) {
    const j = order[r];
    const sigma = Math.abs(s[j]) * scale;
    values[r] = 0 - sigma; // +0, not −0, for σ = 0
    values[n - 1 - r] = sigma;
    plus[j] = s[j] >= 0 ? n - 1 - r : r;
    minus[j] = s[j] >= 0 ? r : n - 1 - r;
  }
  // Output row i (2n numbers from 2i·n) overwrites only rows of X before i while i ≤ n−3; the last
  // two rows of X are copied out first.
  const last = Math.max(n - 2, 0);
  const xTail = x.slice(last * n, n * n);
  for (let i = 0; i < last; i++) writeRow(x, i * n, vectors, n, i, plus, minus);
  for (let i = last; i < n; i++) writeRow(xTail, (i - last) * n, vectors, n, i, plus, minus);
  // Q's first row is e₀ᵀ, so F's first row is exactly zero: write +0 rather than −0.
  for (let c = 0; c < n; c++) vectors[2 * c + 1] = 0;
  return { values, vectors };
}
