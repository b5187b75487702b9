import { assertFinite, type ComplexTensor, type Tensor } from '@statespace/complex';

// Shared by the recurrent steps of every module.

/** What one recurrent step returns. */
export interface StepOutput<S = ComplexTensor> {
  /** The outputs of this time step. */
  y: Tensor;
  /** The next state. */
  state: S;
}

/**
 * The per-feature size of an SSM state [batch, H, size]: N2 (the half state), or N = 2·N2 (a
 * full S4 state) when `fullAllowed`.
 * @throws RangeError naming the accepted shapes.
 */
export function stateSize(state: ComplexTensor, H: number, N2: number, fullAllowed: boolean): number {
  const shape = state?.shape;
  const size = Array.isArray(shape) && shape.length === 3 && shape[1] === H ? shape[2] : -1;
  if (size !== N2 && !(fullAllowed && size === 2 * N2)) {
    const accepted = fullAllowed
      ? `[batch, ${H}, ${N2}] or [batch, ${H}, ${2 * N2}]`
      : `[batch, ${H}, ${N2}]`;
    throw new RangeError(`state must have shape ${accepted}; got [${shape?.join(', ') ?? ''}]`);
  }
  return size;
}

/**
 * Checks the input of one time step: real [batch, features], float data, finite; returns batch.
 * @throws RangeError naming the argument and the expected shape.
 */
export function stepInputBatch(arg: string, x: Tensor, features: number): number {
  const shape = x?.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || shape[1] !== features || !(shape[0] >= 1)) {
    throw new RangeError(`${arg} must have shape [batch, ${features}]; got [${shape?.join(', ') ?? ''}]`);
  }
  if (
    !(x.data instanceof Float64Array || x.data instanceof Float32Array) ||
    x.data.length !== shape[0] * features
  ) {
    throw new RangeError(
      `${arg}.data must be a Float64Array or Float32Array of ${shape[0] * features} values`,
    );
  }
  assertFinite(arg, x.data);
  return shape[0];
}
