/**
 * Floating-point precision of a typed array. `float64` is the reference path on the CPU;
 * `float32` is the fast path everywhere (and the only one GPUs offer).
 */
export type DType = 'float64' | 'float32';

/** A real typed array of either precision. */
export type RealArray = Float64Array | Float32Array;

/** The typed array class that holds values of `dtype`. */
export type ArrayOf<D extends DType> = D extends 'float64' ? Float64Array : Float32Array;

/** The accepted precision names, for error messages. */
export const DTYPES: readonly DType[] = ['float64', 'float32'];

/** Allocates a zero-filled array of `length` elements of the given precision. */
export function allocate<D extends DType>(dtype: D, length: number): ArrayOf<D> {
  if (dtype === 'float64') return new Float64Array(length) as ArrayOf<D>;
  if (dtype === 'float32') return new Float32Array(length) as ArrayOf<D>;
  throw new TypeError(`dtype must be one of ${DTYPES.join(', ')}; got ${String(dtype)}`);
}

/** The precision of an existing array. */
export function dtypeOf(array: RealArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

/** Allocates an array of the same precision as `like`. */
export function allocateLike<A extends RealArray>(like: A, length: number): A {
  return (like instanceof Float64Array ? new Float64Array(length) : new Float32Array(length)) as A;
}
