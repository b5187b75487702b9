import { assertOneOf } from '@statespace/complex';

// The names of the discretisations and the generalised bilinear transform (GBT) family they share.

/**
 * Discretisations of x' = A x + B u into a recurrence x_k = Ā x_{k−1} + B̄ u_k:
 * - `zoh`: zero-order hold, Ā = e^{ΔA}, B̄ = A⁻¹(e^{ΔA} − I) B;
 * - `bilinear`, `forward_euler`, `backward_euler`: the GBT with α = ½, 0, 1;
 * - `gbt`: the GBT with the α given in the options,
 *   Ā = (I − αΔA)⁻¹(I + (1−α)ΔA), B̄ = Δ(I − αΔA)⁻¹B.
 */
export const STEP_METHODS = ['zoh', 'bilinear', 'forward_euler', 'backward_euler', 'gbt'] as const;

/** One of {@link STEP_METHODS}. */
export type StepMethod = (typeof STEP_METHODS)[number];

/**
 * The discretisations of the official S4D kernel (`SSMKernelDiag(disc=…)`): `zoh`, `bilinear`
 * and `dss` (the DSS-exp kernel, which is defined for a kernel length L rather than as a step).
 */
export const KERNEL_METHODS = ['zoh', 'bilinear', 'dss'] as const;

/** One of {@link KERNEL_METHODS}. */
export type KernelMethod = (typeof KERNEL_METHODS)[number];

/** Options of the step discretisations. */
export interface GbtOptions {
  /** α ∈ [0, 1] of the generalised bilinear transform; required by, and only accepted with, `gbt`. */
  alpha?: number;
}

const NAMED_ALPHA: Partial<Record<StepMethod, number>> = {
  forward_euler: 0,
  bilinear: 0.5,
  backward_euler: 1,
};

/**
 * The GBT α of a step method, or `undefined` for `zoh`. Checks the method name and that `alpha`
 * is given (in [0, 1]) exactly when the method is `gbt`.
 */
export function gbtAlpha(method: StepMethod, options: GbtOptions = {}): number | undefined {
  assertOneOf('method', method, STEP_METHODS);
  const { alpha } = options;
  if (method !== 'gbt') {
    if (alpha !== undefined) {
      throw new RangeError(`alpha is only accepted with method 'gbt'; got alpha = ${alpha} with '${method}'`);
    }
    return NAMED_ALPHA[method];
  }
  if (alpha === undefined || !(alpha >= 0 && alpha <= 1)) {
    throw new RangeError(`method 'gbt' needs alpha, a number in [0, 1]; got ${alpha}`);
  }
  return alpha;
}
