import { type Complex, cdiv, cexp, cmul, cscale } from '@statespace/complex';
import { expm1OverZ } from './expm1';

// Vector-Jacobian products of the zoh and bilinear kernel modes (kernel-mode.ts). Gradients
// follow docs/architecture.md ("Gradients"): a complex value's gradient is the complex number
// ∂ℓ/∂Re + i·∂ℓ/∂Im.

/** Gradients of ℓ with respect to a mode's outputs (the shift is a constant). */
export interface KernelModeGrad {
  readonly factor: Complex;
  readonly exponent: Complex;
}

/** Gradients of ℓ with respect to a mode's inputs λ (complex) and Δ (real). */
export interface ModeInputGrad {
  lambda: Complex;
  dt: number;
}

/**
 * Adds the pullback of an output o(λ, Δ) holomorphic in λ with gradient `g` to `acc`:
 * ∂ℓ/∂λ += conj(∂o/∂λ)·g and ∂ℓ/∂Δ += Re(conj(g)·∂o/∂Δ).
 */
export function pullback(acc: ModeInputGrad, g: Complex, dLambda: Complex, dDt: Complex): void {
  acc.lambda = {
    re: acc.lambda.re + dLambda.re * g.re + dLambda.im * g.im,
    im: acc.lambda.im + dLambda.re * g.im - dLambda.im * g.re,
  };
  acc.dt += g.re * dDt.re + g.im * dDt.im;
}

/** φ′(x) for φ(x) = (e^x − 1)/x: (e^x − φ(x))/x, by its Taylor series Σ k·x^{k−1}/(k+1)! near 0. */
function expm1OverZDerivative(x: Complex): Complex {
  if (Math.hypot(x.re, x.im) >= 0.5) {
    const e = cexp(x);
    const phi = expm1OverZ(x);
    return cdiv({ re: e.re - phi.re, im: e.im - phi.im }, x);
  }
  let sum: Complex = { re: 0, im: 0 };
  let power: Complex = { re: 1, im: 0 }; // x^{k−1}
  let factorial = 1; // (k+1)!
  for (let k = 1; k <= 24; k++) {
    factorial *= k + 1;
    sum = { re: sum.re + (k * power.re) / factorial, im: sum.im + (k * power.im) / factorial };
    power = cmul(power, x);
  }
  return sum;
}

/**
 * The vector-Jacobian product of `zohMode(λ, Δ)`: factor = Δ·φ(Δλ), φ(x) = (e^x − 1)/x, and
 * exponent = Δλ, so ∂factor/∂λ = Δ²·φ′(x), ∂factor/∂Δ = e^x, ∂exponent/∂λ = Δ, ∂exponent/∂Δ = λ
 * (φ′ by series near x = 0, so λ → 0 stays accurate).
 */
export function zohModeVjp(lambda: Complex, dt: number, grad: KernelModeGrad): ModeInputGrad {
  const x = cscale(lambda, dt);
  const acc: ModeInputGrad = { lambda: { re: 0, im: 0 }, dt: 0 };
  pullback(acc, grad.factor, cscale(expm1OverZDerivative(x), dt * dt), cexp(x));
  pullback(acc, grad.exponent, { re: dt, im: 0 }, lambda);
  return acc;
}

/**
 * The vector-Jacobian product of `bilinearMode(λ, Δ)`: with h = Δλ/2, factor = Δ/(1 − h) and
 * exponent = log((1 + h)/(1 − h)), so ∂factor/∂λ = Δ²/(2(1 − h)²), ∂factor/∂Δ = 1/(1 − h)²,
 * ∂exponent/∂λ = Δ/(1 − h²), ∂exponent/∂Δ = λ/(1 − h²).
 */
export function bilinearModeVjp(lambda: Complex, dt: number, grad: KernelModeGrad): ModeInputGrad {
  const h = cscale(lambda, dt / 2);
  const den = { re: 1 - h.re, im: -h.im };
  const invDen2 = cdiv({ re: 1, im: 0 }, cmul(den, den));
  const h2 = cmul(h, h);
  const invOneMinusH2 = cdiv({ re: 1, im: 0 }, { re: 1 - h2.re, im: -h2.im });
  const acc: ModeInputGrad = { lambda: { re: 0, im: 0 }, dt: 0 };
  pullback(acc, grad.factor, cscale(invDen2, (dt * dt) / 2), invDen2);
  pullback(acc, grad.exponent, cscale(invOneMinusH2, dt), cmul(lambda, invOneMinusH2));
  return acc;
}
