import { type Complex, cabs2, cconj, cmul, cscale } from '@statespace/complex';
import { cexpm1 } from './expm1';
import type { KernelMode } from './kernel-mode';

/** The ε of the official DSS reciprocal r(x) = conj(x)/(x·conj(x) + ε). */
export const DSS_EPSILON = 1e-7;

/**
 * The DSS-exp kernel mode of the official `SSMKernelDiag` (`disc='dss'`) for kernel length L.
 * With x = Δλ, the mode contributes c·num·r(den·λ)·e^{x·(l − shift)}, where
 * - modes with Re λ > 0 are reflected for stability: x₋ = −x and shift = L − 1 (so that
 *   |e^{x·(l − shift)}| ≤ 1); otherwise x₋ = x and shift = 0;
 * - num = e^{x₋} − 1, den = e^{x₋·L} − 1, r(y) = conj(y)/(y·conj(y) + 1e-7) (`DSS_EPSILON`).
 *
 * Without the ε this equals (e^{x} − 1)/(λ(e^{xL} − 1))·e^{x·l} for both signs of Re λ.
 */
export function dssMode(lambda: Complex, dt: number, L: number): KernelMode {
  const x = cscale(lambda, dt);
  const reflect = lambda.re > 0;
  const xNeg = reflect ? cscale(x, -1) : x;
  const y = cmul(cexpm1(cscale(xNeg, L)), lambda);
  const r = cscale(cconj(y), 1 / (cabs2(y) + DSS_EPSILON));
  return { factor: cmul(cexpm1(xNeg), r), exponent: x, shift: reflect ? L - 1 : 0 };
}
