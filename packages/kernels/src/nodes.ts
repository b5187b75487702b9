import { assertInteger, type ComplexArray } from '@statespace/complex';

/**
 * The frequency nodes at which the S4 kernel's generating function is evaluated: the first
 * ⌊L/2⌋+1 roots of unity ω_k = exp(−2πi·k/L) (all that an inverse real FFT of length L needs)
 * and their bilinear images z_k = 2(1−ω_k)/(1+ω_k) = 2i·tan(πk/L).
 *
 * All arrays hold `count` entries; complex arrays are interleaved `(re, im)` float64.
 */
export interface FrequencyNodes {
  /** The kernel length the nodes were made for. */
  readonly L: number;
  /** Number of nodes, ⌊L/2⌋ + 1. */
  readonly count: number;
  /** ω_k = exp(−2πi·k/L), interleaved complex; exactly 1 at k = 0 and exactly −1 at the Nyquist node. */
  readonly omega: Float64Array;
  /**
   * z_k = 2(1−ω_k)/(1+ω_k) = 2i·tan(πk/L), interleaved complex. Every z_k is purely imaginary
   * (real part exactly 0). At the Nyquist node (L even, k = L/2) z is infinite and is stored as
   * `(0, +Infinity)`, the limit along the unit circle; that entry is a marker, never a number to
   * compute with: `cauchy` returns r(∞) = 0 there and the finite information of that node
   * comes from `cauchyLimit` → `woodburyLimit` → `applyBilinearFactor`.
   */
  readonly z: Float64Array;
  /** Im z_k = 2·tan(πk/L) (the real parts are all 0); `+Infinity` at the Nyquist node. */
  readonly zImag: Float64Array;
  /** True when L is even: the last node is ω = −1 exactly, where z is infinite. */
  readonly nyquist: boolean;
}

/**
 * Builds the S4 frequency nodes for a kernel of length `L` (any integer ≥ 1, even or odd).
 *
 * ω is computed from cos/sin of the reduced angle (exact 1, −i and −1 at k = 0, L/4 and L/2),
 * and z directly as 2i·tan(πk/L) (through the cotangent of the complementary angle when
 * k > L/4, so that nodes near Nyquist keep full relative accuracy) rather than by dividing by
 * the tiny 1+ω. The Nyquist node's z is `(0, +Infinity)`: see {@link FrequencyNodes.z}.
 *
 * @param L - kernel length, an integer ≥ 1.
 * @throws RangeError when `L` is not an integer ≥ 1.
 */
export function frequencyNodes(L: number): FrequencyNodes {
  assertInteger('L', L, 1);
  const count = Math.floor(L / 2) + 1;
  const nyquist = L % 2 === 0;
  const omega = new Float64Array(2 * count);
  const z = new Float64Array(2 * count);
  const zImag = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    let c: number;
    let s: number;
    let t: number; // tan(πk/L)
    if (k === 0) {
      c = 1;
      s = 0;
      t = 0;
    } else if (2 * k === L) {
      c = -1;
      s = 0;
      t = Number.POSITIVE_INFINITY;
    } else if (4 * k === L) {
      c = 0;
      s = 1;
      t = 1;
    } else if (4 * k < L) {
      const theta = (2 * Math.PI * k) / L;
      c = Math.cos(theta);
      s = Math.sin(theta);
      t = Math.tan((Math.PI * k) / L);
    } else {
      // θ = π − φ with φ = π(L − 2k)/L small: cos θ = −cos φ, sin θ = sin φ, tan(θ/2) = 1/tan(φ/2).
      const phi = (Math.PI * (L - 2 * k)) / L;
      c = -Math.cos(phi);
      s = Math.sin(phi);
      t = 1 / Math.tan(phi / 2);
    }
    omega[2 * k] = c;
    omega[2 * k + 1] = s === 0 ? 0 : -s;
    zImag[k] = 2 * t;
    z[2 * k] = 0;
    z[2 * k + 1] = 2 * t;
  }
  return { L, count, omega, z, zImag, nyquist };
}

/**
 * The bilinear factor 2/(1+ω) = 1 + z/2 for each node ω (interleaved complex), as float64.
 *
 * Where ω is exactly −1 (the Nyquist node) the factor is infinite; its entry is `(1, +Infinity)`,
 * the limit of 1 + z/2 along the unit circle, and must not be multiplied numerically —
 * `applyBilinearFactor` substitutes the analytic limit there.
 *
 * @param omega - interleaved complex nodes (e.g. {@link FrequencyNodes.omega}).
 * @throws RangeError when `omega` has odd length or non-finite entries.
 */
export function bilinearFactor(omega: ComplexArray): Float64Array {
  if (omega.length % 2 !== 0) {
    throw new RangeError(`omega must be interleaved complex (even length); got ${omega.length} numbers`);
  }
  const out = new Float64Array(omega.length);
  for (let i = 0; i < omega.length; i += 2) {
    const wr = omega[i];
    const wi = omega[i + 1];
    if (!(Number.isFinite(wr) && Number.isFinite(wi))) {
      throw new RangeError(`omega must be finite; found (${wr}, ${wi}) at node ${i / 2}`);
    }
    if (wr === -1 && wi === 0) {
      out[i] = 1;
      out[i + 1] = Number.POSITIVE_INFINITY;
      continue;
    }
    // 2/(d) with d = 1 + ω, by Smith's algorithm.
    const dr = 1 + wr;
    const di = wi;
    if (Math.abs(dr) >= Math.abs(di)) {
      const q = di / dr;
      const den = dr + di * q;
      out[i] = 2 / den;
      out[i + 1] = (-2 * q) / den;
    } else {
      const q = dr / di;
      const den = dr * q + di;
      out[i] = (2 * q) / den;
      out[i + 1] = -2 / den;
    }
  }
  return out;
}

/** Whether the interleaved complex node at `index` is exactly ω = −1 (the Nyquist node). */
export function isNyquistNode(omega: ComplexArray, index: number): boolean {
  return omega[2 * index] === -1 && omega[2 * index + 1] === 0;
}
