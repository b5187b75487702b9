import type { RealArray } from '@statespace/complex';

/**
 * How an optimizer changes one parameter tensor in a step, given its gradient, its state tensors
 * (float64, the parameter's length, zero before the first step) and the group's settings.
 */
export interface UpdateRule {
  /** Names of the per-parameter state tensors (PyTorch's: `exp_avg`, `momentum_buffer`, …). */
  readonly stateNames: readonly string[];
  /**
   * Updates `param` in place.
   * @param step - The optimizer step being taken, from 1 (PyTorch's `state['step']`).
   */
  update(
    param: RealArray,
    grad: ArrayLike<number>,
    state: readonly Float64Array[],
    lr: number,
    weightDecay: number,
    step: number,
  ): void;
}
