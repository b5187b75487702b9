import { type Complex, type ComplexTensor, cdiv, cmul, csqrt } from '@statespace/complex';
import { columnReflector } from './householder';
import { hypot } from './hypot';
import { squareSize } from './validate';

// General complex eigendecomposition A = V·diag(λ)·V⁻¹:
// 1. Householder reduction to upper Hessenberg form, Q*·A·Q = H (LAPACK zgehd2).
// 2. Single-shift complex QR with Wilkinson shifts on H, accumulating the rotations into Q, to the
//    Schur form A = Z·T·Z* with T upper triangular (λ on its diagonal; cf. LAPACK zlahqr).
// 3. Eigenvectors of T by back substitution (cf. ztrevc), mapped back by Z, scaled to unit norm.
// Real and imaginary parts are kept in separate arrays (hr, hi) and (zr, zi).

const EPS = 2 ** -52;
/** Back substitution rescales a vector whose entries grow past this (defective or clustered λ). */
const GROWTH_LIMIT = 2 ** 500;

/** The result of `eig`: A·V = V·diag(values). */
export interface Eigen {
  /** The n eigenvalues, interleaved complex128, in the order the Schur form delivers them. */
  readonly values: Float64Array;
  /** `[n, n]` complex128; column j is an eigenvector of `values[j]` with unit 2-norm. */
  readonly vectors: ComplexTensor<Float64Array>;
}

/** Dense n×n complex matrix as split parts, row-major. */
interface Split {
  re: Float64Array;
  im: Float64Array;
}

/**
 * Reduces `h` to upper Hessenberg form in place and accumulates the reflectors into `z` (which
 * must hold the identity): afterwards A = Z·H·Z*.
 */
function hessenberg(h: Split, z: Split, n: number): void {
  const { re: hr, im: hi } = h;
  const vr = new Float64Array(n);
  const vi = new Float64Array(n);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const m0 = k + 1;
    const { beta, tauRe: tauR, tauIm: tauI } = columnReflector(hr, hi, n, k, vr, vi, 0);
    if (tauR === 0 && tauI === 0) continue;
    // H*·x = β·e₀ on column k.
    hr[m0 * n + k] = beta;
    hi[m0 * n + k] = 0;
    for (let i = m0 + 1; i < n; i++) {
      hr[i * n + k] = 0;
      hi[i * n + k] = 0;
    }
    // From the right on H and Z: M ← M·H = M − τ·(M·v)·v*.
    for (const m of [h, z]) applyRight(m, n, vr, vi, m0, tauR, tauI);
    // From the left on H: H ← H*·H = H − conj(τ)·v·(v*·H), columns m0 … n−1.
    wr.fill(0);
    wi.fill(0);
    for (let i = m0; i < n; i++) {
      const ar = vr[i];
      const ai = -vi[i];
      for (let j = m0; j < n; j++) {
        const br = hr[i * n + j];
        const bi = hi[i * n + j];
        wr[j] += ar * br - ai * bi;
        wi[j] += ar * bi + ai * br;
      }
    }
    for (let i = m0; i < n; i++) {
      const cr = tauR * vr[i] + tauI * vi[i];
      const ci = tauR * vi[i] - tauI * vr[i];
      for (let j = m0; j < n; j++) {
        hr[i * n + j] -= cr * wr[j] - ci * wi[j];
        hi[i * n + j] -= cr * wi[j] + ci * wr[j];
      }
    }
  }
}

/** M ← M − τ·(M·v)·v* on columns m0 … n−1 of every row. */
function applyRight(
  m: Split,
  n: number,
  vr: Float64Array,
  vi: Float64Array,
  m0: number,
  tauR: number,
  tauI: number,
) {
  const { re, im } = m;
  for (let r = 0; r < n; r++) {
    const row = r * n;
    let sr = 0;
    let si = 0;
    for (let j = m0; j < n; j++) {
      sr += re[row + j] * vr[j] - im[row + j] * vi[j];
      si += re[row + j] * vi[j] + im[row + j] * vr[j];
    }
    const cr = tauR * sr - tauI * si;
    const ci = tauR * si + tauI * sr;
    for (let j = m0; j < n; j++) {
      re[row + j] -= cr * vr[j] + ci * vi[j];
      im[row + j] -= ci * vr[j] - cr * vi[j];
    }
  }
}

/** |re| + |im|, LAPACK's cheap modulus for deflation tests. */
function size(m: Split, at: number): number {
  return Math.abs(m.re[at]) + Math.abs(m.im[at]);
}

function entry(m: Split, at: number): Complex {
  return { re: m.re[at], im: m.im[at] };
}

/**
 * A plane rotation G = [[c, s], [−conj s, c]] (c real) with G·[x; y] = [r; 0]. Rows p, q of
 * `h` (columns `from` … n−1) are multiplied by G; columns p, q of `h` (rows 0 … `to`) and of `z`
 * (all rows) by G*.
 */
function rotate(h: Split, z: Split, n: number, p: number, x: Complex, y: Complex, from: number, to: number) {
  const ax = hypot(x.re, x.im);
  const rho = hypot(ax, hypot(y.re, y.im));
  if (rho === 0) return;
  let c: number;
  let sr: number;
  let si: number;
  if (ax === 0) {
    c = 0;
    sr = y.re / rho;
    si = -y.im / rho;
  } else {
    // s = (x/|x|)·conj(y)/ρ
    c = ax / rho;
    const ur = x.re / ax;
    const ui = x.im / ax;
    sr = (ur * y.re + ui * y.im) / rho;
    si = (ui * y.re - ur * y.im) / rho;
  }
  const q = p + 1;
  const { re: hr, im: hi } = h;
  for (let j = from; j < n; j++) {
    const a = p * n + j;
    const b = q * n + j;
    const pr = hr[a];
    const pi = hi[a];
    const qr = hr[b];
    const qi = hi[b];
    hr[a] = c * pr + sr * qr - si * qi;
    hi[a] = c * pi + sr * qi + si * qr;
    hr[b] = c * qr - (sr * pr + si * pi);
    hi[b] = c * qi - (sr * pi - si * pr);
  }
  rotateColumns(h, n, p, c, sr, si, to);
  rotateColumns(z, n, p, c, sr, si, n - 1);
}

/** Columns p, p+1 of rows 0 … `to` times G* = [[c, −s], [conj s, c]]. */
function rotateColumns(m: Split, n: number, p: number, c: number, sr: number, si: number, to: number) {
  const { re, im } = m;
  for (let r = 0; r <= to; r++) {
    const a = r * n + p;
    const b = a + 1;
    const pr = re[a];
    const pi = im[a];
    const qr = re[b];
    const qi = im[b];
    re[a] = c * pr + sr * qr + si * qi;
    im[a] = c * pi + sr * qi - si * qr;
    re[b] = c * qr - (sr * pr - si * pi);
    im[b] = c * qi - (sr * pi + si * pr);
  }
}

/** The eigenvalue of [[a, b], [c, d]] closer to d (the Wilkinson shift), without cancellation. */
function wilkinsonShift(a: Complex, b: Complex, c: Complex, d: Complex): Complex {
  const delta = { re: (a.re - d.re) / 2, im: (a.im - d.im) / 2 };
  const bc = cmul(b, c);
  let root = csqrt({
    re: delta.re * delta.re - delta.im * delta.im + bc.re,
    im: 2 * delta.re * delta.im + bc.im,
  });
  // With |δ + root| the larger of |δ ± root|, d − bc/(δ + root) is the eigenvalue nearer d, free of cancellation.
  if (delta.re * root.re + delta.im * root.im < 0) root = { re: -root.re, im: -root.im };
  const denominator = { re: delta.re + root.re, im: delta.im + root.im };
  if (denominator.re === 0 && denominator.im === 0) return d;
  const correction = cdiv(bc, denominator);
  return { re: d.re - correction.re, im: d.im - correction.im };
}

/** Reduces the Hessenberg `h` to upper triangular T in place, accumulating into `z`. */
function schur(h: Split, z: Split, n: number): void {
  let norm = 0;
  for (let i = 0; i < n * n; i++) norm = Math.max(norm, size(h, i));
  const maxIterations = 30 * Math.max(10, n);
  let iterations = 0;
  for (let last = n - 1; last > 0; ) {
    // The active block is l … last, with h[l, l−1] negligible.
    let l = last;
    for (; l > 0; l--) {
      const neighbours = size(h, (l - 1) * n + l - 1) + size(h, l * n + l) || norm;
      if (size(h, l * n + l - 1) <= EPS * neighbours) {
        h.re[l * n + l - 1] = 0;
        h.im[l * n + l - 1] = 0;
        break;
      }
    }
    if (l === last) {
      last--;
      iterations = 0;
      continue;
    }
    if (++iterations > maxIterations) {
      throw new Error(
        `eig: the QR iteration did not converge for eigenvalue ${last} after ${maxIterations} iterations`,
      );
    }
    // An exceptional shift every 10 iterations breaks the rare cycles of the Wilkinson shift.
    let shift: Complex;
    if (iterations % 10 === 0) {
      const d = entry(h, last * n + last);
      shift = { re: d.re + 0.75 * Math.abs(h.re[last * n + last - 1]), im: d.im };
    } else {
      const at = (last - 1) * n + last - 1;
      shift = wilkinsonShift(entry(h, at), entry(h, at + 1), entry(h, at + n), entry(h, at + n + 1));
    }
    // Implicit single-shift QR step on l … last: create the bulge, then chase it down.
    const x0 = entry(h, l * n + l);
    rotate(
      h,
      z,
      n,
      l,
      { re: x0.re - shift.re, im: x0.im - shift.im },
      entry(h, (l + 1) * n + l),
      l,
      Math.min(l + 2, last),
    );
    for (let k = l + 1; k < last; k++) {
      rotate(
        h,
        z,
        n,
        k,
        entry(h, k * n + k - 1),
        entry(h, (k + 1) * n + k - 1),
        k - 1,
        Math.min(k + 2, last),
      );
      h.re[(k + 1) * n + k - 1] = 0;
      h.im[(k + 1) * n + k - 1] = 0;
    }
  }
}

/**
 * Eigenvectors of the upper triangular `t`, mapped through `z` and normalised; returns them
 * interleaved as the columns of an n×n matrix.
 */
function eigenvectors(t: Split, z: Split, n: number): Float64Array {
  let norm = 0;
  for (let i = 0; i < n * n; i++) norm = Math.max(norm, size(t, i));
  // Where T[j, j] − λ vanishes (repeated λ), perturb it to ε‖T‖, as LAPACK's ztrevc does.
  const floor = Math.max(EPS * norm, Number.MIN_VALUE);
  const out = new Float64Array(2 * n * n);
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const lr = t.re[k * n + k];
    const li = t.im[k * n + k];
    xr[k] = 1;
    xi[k] = 0;
    // Solve (T − λ_k·I)·x = 0 with x_k = 1 and x_j = 0 for j > k, from row k − 1 up.
    for (let j = k - 1; j >= 0; j--) {
      let sr = 0;
      let si = 0;
      for (let m = j + 1; m <= k; m++) {
        const ar = t.re[j * n + m];
        const ai = t.im[j * n + m];
        sr += ar * xr[m] - ai * xi[m];
        si += ar * xi[m] + ai * xr[m];
      }
      let dr = t.re[j * n + j] - lr;
      let di = t.im[j * n + j] - li;
      if (Math.abs(dr) + Math.abs(di) < floor) {
        dr = floor;
        di = 0;
      }
      const q = cdiv({ re: -sr, im: -si }, { re: dr, im: di });
      xr[j] = q.re;
      xi[j] = q.im;
      const grown = Math.abs(q.re) + Math.abs(q.im);
      if (grown > GROWTH_LIMIT) {
        for (let m = j; m <= k; m++) {
          xr[m] /= grown;
          xi[m] /= grown;
        }
      }
    }
    // v = Z·x over the first k + 1 columns of Z, then scaled to unit 2-norm.
    let norm2 = 0;
    for (let r = 0; r < n; r++) {
      let vr = 0;
      let vi = 0;
      for (let m = 0; m <= k; m++) {
        const ar = z.re[r * n + m];
        const ai = z.im[r * n + m];
        vr += ar * xr[m] - ai * xi[m];
        vi += ar * xi[m] + ai * xr[m];
      }
      out[2 * (r * n + k)] = vr;
      out[2 * (r * n + k) + 1] = vi;
      norm2 = hypot(norm2, hypot(vr, vi));
    }
    for (let r = 0; r < n; r++) {
      out[2 * (r * n + k)] /= norm2;
      out[2 * (r * n + k) + 1] /= norm2;
    }
  }
  return out;
}

/**
 * Eigendecomposition of a general complex square matrix, A·V = V·diag(λ), in float64:
 * Hessenberg reduction, shifted QR to the Schur form, and back substitution for the vectors.
 *
 * The eigenvalues come in no particular order. Every eigenvector column has unit 2-norm; its
 * phase is arbitrary. For a defective matrix the vectors of a repeated eigenvalue are (nearly)
 * parallel: V is then not invertible, as no eigenvector basis exists.
 * @param a - Complex matrix `[n, n]`, finite.
 * @throws RangeError if `a` is not square or not finite; Error if the QR iteration fails to converge.
 */
export function eig(a: ComplexTensor): Eigen {
  const n = squareSize('a', a, 2);
  // Work on A / 2ᵖ ≈ A / ‖A‖_max: exact, and no square in the reduction can overflow.
  let largest = 0;
  for (let i = 0; i < a.data.length; i++) largest = Math.max(largest, Math.abs(a.data[i]));
  const scale = largest === 0 ? 1 : 2 ** Math.round(Math.log2(largest));
  const h: Split = { re: new Float64Array(n * n), im: new Float64Array(n * n) };
  const z: Split = { re: new Float64Array(n * n), im: new Float64Array(n * n) };
  for (let i = 0; i < n * n; i++) {
    h.re[i] = a.data[2 * i] / scale;
    h.im[i] = a.data[2 * i + 1] / scale;
  }
  for (let i = 0; i < n; i++) z.re[i * n + i] = 1;
  hessenberg(h, z, n);
  schur(h, z, n);
  const values = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    values[2 * i] = h.re[i * n + i] * scale;
    values[2 * i + 1] = h.im[i * n + i] * scale;
  }
  return { values, vectors: { data: eigenvectors(h, z, n), shape: [n, n] } };
}
