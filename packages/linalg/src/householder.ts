/** A reflector H = I − τ·v·v* with H*·x = β·e₀, β real; τ = 0 means H = I. */
export interface Reflector {
  readonly beta: number;
  readonly tauRe: number;
  readonly tauIm: number;
}

/**
 * The Householder reflector (LAPACK zlarfg) for x = column k, rows k+1 … n−1, of the n×n matrix
 * with split parts (re, im): H*·x = β·e₀ with β real, so that reductions come out with a real
 * sub-diagonal. Writes v (v₀ = 1) to (vr, vi) at `offset` + k+1 … `offset` + n−1, unless H = I.
 * The caller scales the matrix so that squares of its entries cannot overflow.
 */
export function columnReflector(
  re: Float64Array,
  im: Float64Array,
  n: number,
  k: number,
  vr: Float64Array,
  vi: Float64Array,
  offset: number,
): Reflector {
  const m0 = k + 1;
  const alphaR = re[m0 * n + k];
  const alphaI = im[m0 * n + k];
  let tail = 0;
  for (let i = m0 + 1; i < n; i++) tail += re[i * n + k] ** 2 + im[i * n + k] ** 2;
  if (tail === 0 && alphaI === 0) return { beta: alphaR, tauRe: 0, tauIm: 0 };
  // β = −sign(Re α)·‖x‖ keeps α − β away from cancellation; v = x/(α − β).
  const beta = -Math.sign(alphaR || 1) * Math.sqrt(alphaR * alphaR + alphaI * alphaI + tail);
  const dr = alphaR - beta;
  const di = alphaI;
  const dd = dr * dr + di * di;
  const sr = dr / dd;
  const si = -di / dd;
  vr[offset + m0] = 1;
  vi[offset + m0] = 0;
  for (let i = m0 + 1; i < n; i++) {
    const xr = re[i * n + k];
    const xi = im[i * n + k];
    vr[offset + i] = xr * sr - xi * si;
    vi[offset + i] = xr * si + xi * sr;
  }
  return { beta, tauRe: (beta - alphaR) / beta, tauIm: -alphaI / beta };
}
