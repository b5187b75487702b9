import { type Complex, cconj, cexp, cmul, cscale } from '@statespace/complex';
import { DSS_EPSILON } from './dss';
import { cexpm1 } from './expm1';
import { type KernelModeGrad, type ModeInputGrad, pullback } from './kernel-mode-vjp';

/**
 * The vector-Jacobian product of `dssMode(λ, Δ, L)` (gradients as docs/architecture.md,
 * "Gradients"). With s = −1 for reflected modes (Re λ > 0) and 1 otherwise, a = e^{sΔλ} − 1,
 * E = e^{sLΔλ} − 1, y = E·λ and r(y) = conj(y)/(|y|² + ε), factor = a·r(y) and exponent = Δλ.
 * r is not holomorphic, so its pullback uses its real 2×2 Jacobian; the other steps are
 * holomorphic in λ. The reflection switch itself is piecewise constant (no gradient).
 */
export function dssModeVjp(lambda: Complex, dt: number, L: number, grad: KernelModeGrad): ModeInputGrad {
  const s = lambda.re > 0 ? -1 : 1;
  const xNeg = cscale(lambda, s * dt);
  const a = cexpm1(xNeg);
  const E = cexpm1(cscale(xNeg, L));
  const y = cmul(E, lambda);
  const q = y.re * y.re + y.im * y.im + DSS_EPSILON;
  const r = { re: y.re / q, im: -y.im / q };
  const acc: ModeInputGrad = { lambda: { re: 0, im: 0 }, dt: 0 };
  pullback(acc, grad.exponent, { re: dt, im: 0 }, lambda);

  const gA = cmul(cconj(r), grad.factor);
  const gR = cmul(cconj(a), grad.factor);
  // ∂(Re r, Im r)/∂(Re y, Im y)
  const q2 = q * q;
  const rrYr = 1 / q - (2 * y.re * y.re) / q2;
  const rrYi = (-2 * y.re * y.im) / q2;
  const riYr = (2 * y.re * y.im) / q2;
  const riYi = -1 / q + (2 * y.im * y.im) / q2;
  const gY = { re: gR.re * rrYr + gR.im * riYr, im: gR.re * rrYi + gR.im * riYi };
  // y = E·λ
  pullback(acc, gY, E, { re: 0, im: 0 });
  const gE = cmul(cconj(lambda), gY);
  // E = expm1(s·L·Δ·λ), a = expm1(s·Δ·λ)
  const eL = cexp(cscale(xNeg, L));
  pullback(acc, gE, cscale(eL, s * L * dt), cscale(cmul(lambda, eL), s * L));
  const e1 = cexp(xNeg);
  pullback(acc, gA, cscale(e1, s * dt), cscale(cmul(lambda, e1), s));
  return acc;
}
