// The few special functions the generalized Laguerre measure needs (scipy's `gammaln` and
// `binom` in the official code), written here so that hippo depends on nothing beyond linalg.

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

// Stirling-series coefficients B₂ₖ / (2k(2k−1)) for k = 1 … 8. At x ≥ 10 the first omitted term
// is below 1e-17, so the series alone is accurate to rounding.
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];
const STIRLING_FROM = 10;

/**
 * log |Γ(x)|, like scipy's `gammaln`: +∞ at 0 and the negative integers, NaN for NaN.
 *
 * For x ≥ 10 it sums the Stirling series; smaller positive x are shifted up with
 * Γ(x) = Γ(x + k) / (x(x+1)…(x+k−1)), and negative x use the reflection formula. The absolute
 * error is a few units of 1e-15 (the shifted product costs a little near the zeros at 1 and 2).
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x <= 0) {
    if (Number.isInteger(x)) return Number.POSITIVE_INFINITY;
    // Γ(x)Γ(1−x) = π / sin(πx); sinpi keeps the argument reduction exact.
    return Math.log(Math.PI / Math.abs(sinpi(x))) - lgamma(1 - x);
  }
  let shift = 0;
  let product = 1;
  while (x < STIRLING_FROM) {
    product *= x;
    x += 1;
    shift += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  let series = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) series = series * inv2 + STIRLING[k];
  const stirling = (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series * inv;
  return shift === 0 ? stirling : stirling - Math.log(product);
}

/** sin(πx) with the argument reduced exactly, so that it is 0 at the integers. */
function sinpi(x: number): number {
  const r = x - 2 * Math.round(x / 2); // r ∈ [−1, 1], exact in binary floating point
  if (Number.isInteger(r)) return 0;
  return Math.sin(Math.PI * r);
}

/**
 * The binomial coefficient C(x, k) = x(x−1)…(x−k+1) / k! for real `x` and an integer `k ≥ 0`
 * (scipy's `binom` on these arguments), as a running product, exact to rounding.
 */
export function binomial(x: number, k: number): number {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be an integer ≥ 0; got ${k}`);
  let c = 1;
  for (let j = 1; j <= k; j++) c *= (x - k + j) / j;
  return c;
}
