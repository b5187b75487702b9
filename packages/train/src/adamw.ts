import type { RealArray } from '@statespace/complex';
import type { UpdateRule } from './update-rule';

/** Settings of {@link adamwRule}. */
export interface AdamWSettings {
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the square root of the corrected second moment (default 1e-8). */
  eps: number;
}

/**
 * torch `optim.AdamW` (`amsgrad=False`), in the order of its single-tensor step: decoupled
 * weight decay p ← p·(1 − lr·wd); m ← m + (1 − β₁)(g − m); v ← β₂·v + (1 − β₂)·g²;
 * p ← p − (lr/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε). Computed in float64; float32 parameters are
 * rounded once per step.
 */
export function adamwRule({ betas: [beta1, beta2], eps }: AdamWSettings): UpdateRule {
  return {
    stateNames: ['exp_avg', 'exp_avg_sq'],
    update(param: RealArray, grad: ArrayLike<number>, [m, v], lr, weightDecay, step) {
      const stepSize = lr / (1 - beta1 ** step);
      const correction2 = Math.sqrt(1 - beta2 ** step);
      const decay = 1 - lr * weightDecay;
      for (let i = 0; i < param.length; i++) {
        const g = grad[i];
        m[i] += (1 - beta1) * (g - m[i]);
        v[i] = v[i] * beta2 + (1 - beta2) * g * g;
        const denom = Math.sqrt(v[i]) / correction2 + eps;
        param[i] = param[i] * decay + (-stepSize * m[i]) / denom;
      }
    },
  };
}
