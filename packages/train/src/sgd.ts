import type { RealArray } from '@statespace/complex';
import type { UpdateRule } from './update-rule';

/** Settings of {@link sgdRule}. */
export interface SgdSettings {
  /** Momentum factor (default 0: plain SGD). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
}

/**
 * torch `optim.SGD`: d ← g + wd·p (L2 weight decay, coupled); with momentum μ the buffer starts
 * as d at the first step and then b ← μ·b + (1 − dampening)·d, and d ← d + μ·b (Nesterov) or b;
 * finally p ← p − lr·d. Computed in float64; float32 parameters are rounded once per step.
 */
export function sgdRule({ momentum, dampening, nesterov }: SgdSettings): UpdateRule {
  return {
    stateNames: momentum === 0 ? [] : ['momentum_buffer'],
    update(param: RealArray, grad: ArrayLike<number>, [buffer], lr, weightDecay, step) {
      for (let i = 0; i < param.length; i++) {
        let d = grad[i];
        if (weightDecay !== 0) d += weightDecay * param[i];
        if (momentum !== 0) {
          buffer[i] = step === 1 ? d : buffer[i] * momentum + (1 - dampening) * d;
          d = nesterov ? d + momentum * buffer[i] : buffer[i];
        }
        param[i] = param[i] - lr * d;
      }
    },
  };
}
