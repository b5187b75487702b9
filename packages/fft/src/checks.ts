import { assertInteger, type DType } from '@statespace/complex';

// Checks shared by the plans and the convenience functions; lengths and shapes use the helpers of
// @statespace/complex.

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? value.constructor.name : typeof value;
}

/** Throws unless `array` is a Float64Array or Float32Array; returns its precision. */
export function floatDtype(arg: string, array: unknown): DType {
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Float32Array) return 'float32';
  throw new TypeError(`${arg} must be a Float64Array or Float32Array; got ${describe(array)}`);
}

/** Throws unless `array` is a typed array of precision `dtype` (plans never mix precisions). */
export function assertDtype(arg: string, array: unknown, dtype: DType): void {
  const expected = dtype === 'float64' ? Float64Array : Float32Array;
  if (!(array instanceof expected)) {
    throw new TypeError(`${arg} must be a ${expected.name} (${dtype}); got ${describe(array)}`);
  }
}

/** Throws unless `n` is a valid transform length (a positive integer). */
export function assertSize(arg: string, n: number): void {
  assertInteger(arg, n, 1);
}
