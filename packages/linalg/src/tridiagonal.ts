import { hypot } from './hypot';

/** The iteration budget per eigenvalue; the implicit QL converges in about two. */
const MAX_ITERATIONS = 60;
const EPS = 2 ** -52;

/**
 * Eigendecomposition of a real symmetric tridiagonal matrix T by the implicit QL method with
 * Wilkinson-type shifts (EISPACK `tql2`, as in JAMA).
 *
 * - `d` (n): the diagonal; overwritten by the eigenvalues, ascending.
 * - `e` (n): `e[i]` couples i and i+1 (`e[n−1]` is ignored); destroyed.
 * - `z` (n×n, row-major): on entry the identity (or a basis to rotate); on return column j holds
 *   the eigenvector of `d[j]`.
 */
export function tridiagonalEigen(d: Float64Array, e: Float64Array, z: Float64Array, n: number): void {
  // The rotations of one sweep, applied to z together afterwards (see applySweep).
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  if (n === 0) return;
  e[n - 1] = 0;
  let shift = 0;
  let scale = 0;
  for (let l = 0; l < n; l++) {
    scale = Math.max(scale, Math.abs(d[l]) + Math.abs(e[l]));
    // The first negligible coupling at or after l ends the unreduced block l..m.
    let m = l;
    while (Math.abs(e[m]) > EPS * scale) m++;
    let iterations = 0;
    while (m > l && Math.abs(e[l]) > EPS * scale) {
      if (++iterations > MAX_ITERATIONS)
        throw new Error('eigh: the tridiagonal QL iteration did not converge');
      // Shift by the eigenvalue of the leading 2×2 closer to d[l].
      const g = d[l];
      let p = (d[l + 1] - g) / (2 * e[l]);
      let r = hypot(p, 1);
      if (p < 0) r = -r;
      d[l] = e[l] / (p + r);
      d[l + 1] = e[l] * (p + r);
      const dl1 = d[l + 1];
      const h0 = g - d[l];
      for (let i = l + 2; i < n; i++) d[i] -= h0;
      shift += h0;
      // Chase the bulge from m up to l with plane rotations.
      p = d[m];
      let c = 1;
      let c2 = 1;
      let c3 = 1;
      const el1 = e[l + 1];
      let s = 0;
      let s2 = 0;
      for (let i = m - 1; i >= l; i--) {
        c3 = c2;
        c2 = c;
        s2 = s;
        const gi = c * e[i];
        const hi = c * p;
        r = hypot(p, e[i]);
        e[i + 1] = s * r;
        s = e[i] / r;
        c = p / r;
        p = c * d[i] - s * gi;
        d[i + 1] = hi + s * (c * gi + s * d[i]);
        cos[i] = c;
        sin[i] = s;
      }
      applySweep(z, n, l, m, cos, sin);
      p = (-s * s2 * c3 * el1 * e[l]) / dl1;
      e[l] = s * p;
      d[l] = c * p;
    }
    d[l] += shift;
    e[l] = 0;
  }
  sortAscending(d, z, n);
}

/**
 * Applies the rotations i = m−1 … l of one sweep to columns l … m of z. Rotation i mixes columns
 * i and i+1, so along a row the new column i+1 is final at once and column i is carried to the
 * next rotation: one read and one write per entry instead of two of each per rotation. Four rows
 * go together so that their four carried values form independent chains of arithmetic.
 */
function applySweep(z: Float64Array, n: number, l: number, m: number, cos: Float64Array, sin: Float64Array) {
  let row = 0;
  for (; row + 4 * n <= n * n; row += 4 * n) {
    const r1 = row + n;
    const r2 = row + 2 * n;
    const r3 = row + 3 * n;
    let c0 = z[row + m];
    let c1 = z[r1 + m];
    let c2 = z[r2 + m];
    let c3 = z[r3 + m];
    for (let i = m - 1; i >= l; i--) {
      const c = cos[i];
      const s = sin[i];
      const z0 = z[row + i];
      const z1 = z[r1 + i];
      const z2 = z[r2 + i];
      const z3 = z[r3 + i];
      z[row + i + 1] = s * z0 + c * c0;
      z[r1 + i + 1] = s * z1 + c * c1;
      z[r2 + i + 1] = s * z2 + c * c2;
      z[r3 + i + 1] = s * z3 + c * c3;
      c0 = c * z0 - s * c0;
      c1 = c * z1 - s * c1;
      c2 = c * z2 - s * c2;
      c3 = c * z3 - s * c3;
    }
    z[row + l] = c0;
    z[r1 + l] = c1;
    z[r2 + l] = c2;
    z[r3 + l] = c3;
  }
  for (; row < n * n; row += n) {
    let carry = z[row + m];
    for (let i = m - 1; i >= l; i--) {
      const zi = z[row + i];
      z[row + i + 1] = sin[i] * zi + cos[i] * carry;
      carry = cos[i] * zi - sin[i] * carry;
    }
    z[row + l] = carry;
  }
}

/** Selection sort of `d` with the columns of `z`: at most n column swaps. */
function sortAscending(d: Float64Array, z: Float64Array, n: number): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    for (let j = i + 1; j < n; j++) if (d[j] < d[k]) k = j;
    if (k === i) continue;
    swap(d, i, k);
    for (let row = 0; row < n * n; row += n) swap(z, row + i, row + k);
  }
}

/** Swaps a[i] and a[j]. */
function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
