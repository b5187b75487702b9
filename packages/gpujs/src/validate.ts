import {
  assertComplexLength,
  assertFinite,
  assertLength,
  type ComplexTensor,
  sizeOf,
  type Tensor,
} from '@statespace/complex';

// Argument checks of the operations that have no shared host preparation (the S4 and S4D kernels
// are checked by `prepareDplrKernel` / `prepareDiagKernel`, convolutions by `checkConvolveInput`):
// the message names the argument, the expected shape and what was given.

/**
 * Checks a tensor's rank, its dimensions against `expected` (where given), its data length and
 * that every value is finite; returns its shape.
 * @param names - the dimension names, e.g. `['batch', 'H', 'N2']`.
 * @param expected - required sizes by dimension (`undefined`: any size ≥ 0).
 * @throws RangeError naming `arg` on a wrong rank, size or length, or a non-finite value.
 */
export function checkTensor(
  arg: string,
  t: Tensor | ComplexTensor,
  names: readonly string[],
  complex: boolean,
  expected: readonly (number | undefined)[] = [],
): number[] {
  const shape = t?.shape;
  const want = `[${names.map((n, i) => (expected[i] === undefined ? n : `${n} = ${expected[i]}`)).join(', ')}]`;
  if (
    !Array.isArray(shape) ||
    shape.length !== names.length ||
    shape.some((d, i) => !Number.isInteger(d) || d < 0 || (expected[i] !== undefined && d !== expected[i]))
  ) {
    throw new RangeError(`${arg} must have shape ${want}; got [${shape?.join(', ') ?? ''}]`);
  }
  const data = t.data as ArrayLike<number> | undefined;
  if (data === null || typeof data !== 'object' || typeof data.length !== 'number') {
    throw new TypeError(`${arg}.data must be a Float32Array or Float64Array`);
  }
  if (complex) assertComplexLength(`${arg}.data`, data, sizeOf(shape));
  else assertLength(`${arg}.data`, data, sizeOf(shape));
  assertFinite(arg, data);
  return [...shape];
}

/** A float32 copy of `data` (or `data` itself when it already is one). */
export function float32(data: ArrayLike<number>): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}
