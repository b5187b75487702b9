import type { RealArray } from '@statespace/complex';
import { scratch } from './scratch';

/** Batch rows computed together: they share every per-node coefficient (and fit in registers). */
const ROWS = 4;

/**
 * Whether every node of `z` (interleaved complex) is purely imaginary (real part exactly 0) or
 * infinite — true of the S4 nodes, whose Cauchy sums {@link cauchyImaginary} then computes.
 */
export function imaginaryNodes(z: RealArray): boolean {
  for (let l = 0; l < z.length; l += 2) {
    const finite = Number.isFinite(z[l]) && Number.isFinite(z[l + 1]);
    if (finite && z[l] !== 0) return false;
  }
  return true;
}

/**
 * The Cauchy sums of `cauchy` (unchecked: call it through `cauchy`) at nodes that are all purely
 * imaginary, z = i·y, or infinite (r = 0 there, as in `cauchy`), written into `result`.
 *
 * Each conjugate pair is one fraction, v/(z−w) + v̄/(z−w̄) = 2[z·Re v − Re(v w̄)] / ((z−w)(z−w̄)).
 * With z = i·y the numerator is α + i·y·β with α = −2 Re(v w̄) and β = 2 Re v, which do not depend
 * on the node (computed once per mode), and the denominator is Dr + i·Di with Di = −2y·Re w and
 * Dr = |w|² − y² written (Re w)² − (y − Im w)(y + Im w), which keeps its relative accuracy near a
 * pole (no cancellation; the separate fractions instead cancel each other's ±Re v/y terms at large
 * y). That is one division per (node, mode) for every row, where the separate fractions take two.
 * Rows are computed four at a time in the mode loop; a last, partial group is padded with zero rows.
 *
 * @param v - complex [batch, H, N2]; `w` complex [H, N2]; `z` complex [Lz], all finite nodes with
 *   real part 0 (see {@link imaginaryNodes}).
 * @param result - complex [batch, H, Lz], every entry written.
 * @param poleError - the error to throw when a node lies on a pole w[h, n] or its conjugate.
 */
export function cauchyImaginary(
  v: RealArray,
  w: RealArray,
  z: RealArray,
  batch: number,
  H: number,
  N2: number,
  result: RealArray,
  poleError: (l: number, h: number, n: number) => Error,
): void {
  const Lz = z.length / 2;
  const y = new Float64Array(Lz);
  const finite = new Uint8Array(Lz);
  for (let l = 0; l < Lz; l++) {
    y[l] = z[2 * l + 1];
    finite[l] = Number.isFinite(z[2 * l]) && Number.isFinite(y[l]) ? 1 : 0;
  }
  // Per mode of this feature: (Re w)², Im w, 2·Re w; and (α, β) of the group's four rows.
  const poles = new Float64Array(3 * N2);
  const numerators = new Float64Array(2 * ROWS * N2);
  const acc = scratch('cauchy.acc', 2 * ROWS * Lz);

  for (let h = 0; h < H; h++) {
    for (let n = 0; n < N2; n++) {
      const wr = w[2 * (h * N2 + n)];
      poles[3 * n] = wr * wr;
      poles[3 * n + 1] = w[2 * (h * N2 + n) + 1];
      poles[3 * n + 2] = 2 * wr;
    }
    for (let b0 = 0; b0 < batch; b0 += ROWS) {
      const rows = Math.min(ROWS, batch - b0);
      numerators.fill(0);
      for (let r = 0; r < rows; r++) {
        for (let n = 0; n < N2; n++) {
          const i = 2 * (((b0 + r) * H + h) * N2 + n);
          const vr = v[i];
          const vi = v[i + 1];
          const j = 2 * (n * ROWS + r);
          numerators[j] = -2 * (vr * w[2 * (h * N2 + n)] + vi * w[2 * (h * N2 + n) + 1]);
          numerators[j + 1] = 2 * vr;
        }
      }
      groupSums(y, finite, poles, numerators, N2, acc, h, poleError);
      for (let r = 0; r < rows; r++) {
        result.set(acc.subarray(2 * r * Lz, 2 * (r + 1) * Lz), 2 * ((b0 + r) * H + h) * Lz);
      }
    }
  }
}

/**
 * The sums of one group of four rows at every node into `acc` (complex [4, Lz]): the hot loop of
 * {@link cauchyImaginary}, a function of its own so that the engine optimises it whole, once.
 */
function groupSums(
  y: Float64Array,
  finite: Uint8Array,
  poles: Float64Array,
  numerators: Float64Array,
  N2: number,
  acc: Float64Array,
  h: number,
  poleError: (l: number, h: number, n: number) => Error,
): void {
  const Lz = y.length;
  for (let l = 0; l < Lz; l++) {
    let re0 = 0;
    let im0 = 0;
    let re1 = 0;
    let im1 = 0;
    let re2 = 0;
    let im2 = 0;
    let re3 = 0;
    let im3 = 0;
    if (finite[l] === 1) {
      const s = y[l];
      for (let n = 0, p = 0, j = 0; n < N2; n++, p += 3, j += 2 * ROWS) {
        const wi = poles[p + 1];
        const dr = poles[p] - (s - wi) * (s + wi);
        // −Di: conj(D)/|D|² = (dr + i·di)/|D|²
        const di = s * poles[p + 2];
        const den = dr * dr + di * di;
        if (den === 0) throw poleError(l, h, n);
        const q = 1 / den;
        // (α + i·y·β)·(cr + i·ci) = (α·cr − β·f) + i·(α·ci + β·e) with e = y·cr, f = y·ci
        const cr = dr * q;
        const ci = di * q;
        const e = s * cr;
        const f = s * ci;
        let a = numerators[j];
        let b = numerators[j + 1];
        re0 += a * cr - b * f;
        im0 += a * ci + b * e;
        a = numerators[j + 2];
        b = numerators[j + 3];
        re1 += a * cr - b * f;
        im1 += a * ci + b * e;
        a = numerators[j + 4];
        b = numerators[j + 5];
        re2 += a * cr - b * f;
        im2 += a * ci + b * e;
        a = numerators[j + 6];
        b = numerators[j + 7];
        re3 += a * cr - b * f;
        im3 += a * ci + b * e;
      }
    }
    const o = 2 * l;
    acc[o] = re0;
    acc[o + 1] = im0;
    acc[o + 2 * Lz] = re1;
    acc[o + 2 * Lz + 1] = im1;
    acc[o + 4 * Lz] = re2;
    acc[o + 4 * Lz + 1] = im2;
    acc[o + 6 * Lz] = re3;
    acc[o + 6 * Lz + 1] = im3;
  }
}
