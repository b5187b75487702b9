import { type Complex, cdiv, clog, cscale } from '@statespace/complex';
import { expm1OverZ } from './expm1';

// The S4D kernel of one mode λ with step Δ, written as K_l = scale·Re(b·c·factor·e^{exponent·(l − shift)})
// summed over modes (see `diagonalKernelFactors`). This file holds the zoh and bilinear modes;
// `dss.ts` holds the DSS mode.

/** One mode's kernel factor, Vandermonde exponent and index shift. */
export interface KernelMode {
  /** Multiplier of B·C. */
  readonly factor: Complex;
  /** Exponent w of e^{w·(l − shift)}. */
  readonly exponent: Complex;
  /** Index shift (nonzero only for DSS modes with Re λ > 0). */
  readonly shift: number;
}

/** zoh: factor (e^{Δλ} − 1)/λ (as Δ·expm1(Δλ)/(Δλ)), exponent Δλ. */
export function zohMode(lambda: Complex, dt: number): KernelMode {
  const x = cscale(lambda, dt);
  return { factor: cscale(expm1OverZ(x), dt), exponent: x, shift: 0 };
}

/** bilinear: factor Δ/(1 − Δλ/2), exponent log((1 + Δλ/2)/(1 − Δλ/2)). */
export function bilinearMode(lambda: Complex, dt: number): KernelMode {
  const half = cscale(lambda, dt / 2);
  const den = { re: 1 - half.re, im: -half.im };
  return {
    factor: cdiv({ re: dt, im: 0 }, den),
    exponent: clog(cdiv({ re: 1 + half.re, im: half.im }, den)),
    shift: 0,
  };
}
