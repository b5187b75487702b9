// sin and cos of an angle given in turns (t ∈ [−½, ½]), accurate to float32 on every gpu.js
// backend. Built-in sin/cos are not: SwiftShader's (headless Chromium on a CPU-only machine, WebGL2
// and WebGPU alike) err by ~2·10⁻⁴ on [−π, π], which alone breaks the 10⁻⁴ tolerance of long
// kernels. Here the turns are reduced to the nearest quarter, q, leaving |a| ≤ π/4 rad, where
// Taylor polynomials of degree 9 (sin) and 10 (cos) err below 2·10⁻⁹; the quarter then rotates
// the result. Kernels receive the helpers through gpu.js's `functions` setting.

/** sin(2π·t) for |t| ≤ ½ (gpu.js kernel helper). */
function sinTurns(t: number): number {
  const q = Math.floor(4 * t + 0.5);
  const a = 6.283185307179586 * (t - 0.25 * q);
  const a2 = a * a;
  // sin(a + q·π/2): ±cos(a) for odd q, ±sin(a) for even q; only that polynomial is evaluated.
  if (q > 0.5 && q < 1.5) return cosPolynomial(a2);
  if (q < -0.5 && q > -1.5) return -cosPolynomial(a2);
  if (q > 1.5 || q < -1.5) return -sinPolynomial(a, a2);
  return sinPolynomial(a, a2);
}

/** cos(2π·t) for |t| ≤ ½ (gpu.js kernel helper). */
function cosTurns(t: number): number {
  const q = Math.floor(4 * t + 0.5);
  const a = 6.283185307179586 * (t - 0.25 * q);
  const a2 = a * a;
  // cos(a + q·π/2): ∓sin(a) for odd q, ±cos(a) for even q.
  if (q > 0.5 && q < 1.5) return -sinPolynomial(a, a2);
  if (q < -0.5 && q > -1.5) return sinPolynomial(a, a2);
  if (q > 1.5 || q < -1.5) return -cosPolynomial(a2);
  return cosPolynomial(a2);
}

/** sin(a) for |a| ≤ π/4 (Taylor, degree 9; a2 = a²). */
function sinPolynomial(a: number, a2: number): number {
  return (
    a *
    (1 +
      a2 *
        (-0.16666666666666666 +
          a2 * (0.008333333333333333 + a2 * (-0.0001984126984126984 + a2 * 0.0000027557319223985893))))
  );
}

/** cos(a) for |a| ≤ π/4 (Taylor, degree 10; a2 = a²). */
function cosPolynomial(a2: number): number {
  return (
    1 +
    a2 *
      (-0.5 +
        a2 *
          (0.041666666666666664 +
            a2 * (-0.001388888888888889 + a2 * (0.0000248015873015873 - a2 * 2.755731922398589e-7))))
  );
}

/**
 * A helper's source under the name the kernels call it by: a bundler may rename the function
 * itself (esbuild does when another module refers to a global of the same name, as the kernels do).
 */
function named(name: string, fn: (...args: number[]) => number): string {
  const source = fn.toString();
  return `function ${name}${source.slice(source.indexOf('('))}`;
}

/** The helper sources, for a kernel spec's `functions`: `sinTurns(t)`, `cosTurns(t)` and their polynomials. */
export const TURN_FUNCTIONS: readonly string[] = [
  named('sinPolynomial', sinPolynomial),
  named('cosPolynomial', cosPolynomial),
  named('sinTurns', sinTurns),
  named('cosTurns', cosTurns),
];

/** The same helpers on the host (float64), to test them against Math.sin / Math.cos. */
export const turnsOnHost = { sinTurns, cosTurns };
