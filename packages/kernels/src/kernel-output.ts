import type { RealArray, Tensor } from '@statespace/complex';

/** What an SSM kernel computation returns. */
export interface SsmKernelOutput {
  /** The convolution kernel, real [channels, H, L]. */
  K: Tensor;
  /**
   * The contribution of initial states to the output when states were given, real
   * [batch, channels, H, L]: K_state[l] = 2·Re(C Ā^{l+1} x₀).
   */
  K_state?: Tensor;
}

/**
 * Arrays for an SSM kernel computation to write its outputs into instead of new ones (reused work
 * arrays, say): `K` of channels·H·L numbers and, when states are given, `K_state` of
 * batch·channels·H·L. Either precision; the values are rounded to it.
 */
export interface SsmKernelArrays {
  K: RealArray;
  K_state?: RealArray;
}

/**
 * The array for output `name` of `length` numbers: the given one (checked), or a new one, float32
 * when `f32` and float64 otherwise.
 * @throws RangeError when the given array does not hold `length` numbers.
 */
export function kernelOutputArray(
  name: string,
  given: RealArray | undefined,
  length: number,
  f32: boolean,
): RealArray {
  if (given === undefined) return f32 ? new Float32Array(length) : new Float64Array(length);
  if (given.length !== length) {
    throw new RangeError(`out.${name} must hold ${length} numbers; got ${given.length}`);
  }
  return given;
}
