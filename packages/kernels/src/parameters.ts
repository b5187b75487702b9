import {
  assertComplexLength,
  assertFinite,
  type ComplexTensor,
  type RealArray,
  sizeOf,
  type Tensor,
} from '@statespace/complex';

// Argument checks shared by the kernel computations: shapes named dimension by dimension, finite
// data of a supported precision, and step sizes Δ given per feature or per mode.

/** Δ per (h, n) as float64 [H·N2], from dt [H], [H, 1] or [H, N2]; finite and > 0. */
export function modeSteps(dt: Tensor, H: number, N2: number, arg = 'dt'): Float64Array {
  const shape = dt?.shape;
  const ok =
    Array.isArray(shape) &&
    shape[0] === H &&
    (shape.length === 1 || (shape.length === 2 && (shape[1] === 1 || shape[1] === N2)));
  if (!ok) {
    throw new RangeError(
      `${arg} must have shape [${H}], [${H}, 1] or [${H}, ${N2}] (per feature or per mode); got [${shape?.join(', ') ?? ''}]`,
    );
  }
  if (!(dt.data instanceof Float64Array || dt.data instanceof Float32Array)) {
    throw new TypeError(`${arg}.data must be a Float64Array or Float32Array`);
  }
  const perMode = shape.length === 2 && shape[1] === N2;
  const size = perMode ? H * N2 : H;
  if (dt.data.length !== size) {
    throw new RangeError(
      `${arg}.data must hold ${size} values for shape [${shape.join(', ')}]; got ${dt.data.length}`,
    );
  }
  for (let i = 0; i < size; i++) {
    const d = dt.data[i];
    if (!(Number.isFinite(d) && d > 0))
      throw new RangeError(`${arg} must be finite and > 0; found ${d} at index ${i}`);
  }
  const out = new Float64Array(H * N2);
  for (let h = 0; h < H; h++) {
    for (let n = 0; n < N2; n++) out[h * N2 + n] = perMode ? dt.data[h * N2 + n] : dt.data[h];
  }
  return out;
}

/** Checks a finite real tensor's rank, named dimensions and data; returns its shape. */
export function realShape(
  arg: string,
  t: Tensor,
  names: readonly string[],
  expected: readonly (number | undefined)[] = [],
): number[] {
  return checkShape(arg, t, names, expected, 1);
}

/** Checks a finite complex tensor's rank, named dimensions and data; returns its shape. */
export function complexShape(
  arg: string,
  t: ComplexTensor,
  names: readonly string[],
  expected: readonly (number | undefined)[] = [],
): number[] {
  return checkShape(arg, t, names, expected, 2);
}

function checkShape(
  arg: string,
  t: Tensor | ComplexTensor,
  names: readonly string[],
  expected: readonly (number | undefined)[],
  width: 1 | 2,
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
  const data: RealArray | undefined = t.data;
  if (!(data instanceof Float64Array || data instanceof Float32Array)) {
    const kind = width === 2 ? ' (interleaved complex)' : '';
    throw new TypeError(`${arg}.data must be a Float64Array or Float32Array${kind}`);
  }
  let size = width;
  for (const d of shape) size *= d;
  if (data.length !== size) {
    const unit = width === 2 ? 'numbers (interleaved complex)' : 'values';
    throw new RangeError(
      `${arg}.data must hold ${size} ${unit} for shape [${shape.join(', ')}]; got ${data.length}`,
    );
  }
  assertFinite(arg, data);
  return [...shape];
}

/** `out` when given (checked), else a new array: float32 when any input is. */
export function resultArray(
  name: string,
  out: RealArray | undefined,
  length: number,
  ...inputs: RealArray[]
): RealArray {
  if (out === undefined) return allocateResult(length, ...inputs);
  if (out.length !== length)
    throw new RangeError(`${name}: out must hold ${length} numbers; got ${out.length}`);
  return out;
}

/** A new array of the inputs' precision: float32 when any input is float32, float64 otherwise. */
export function allocateResult(length: number, ...inputs: RealArray[]): RealArray {
  return inputs.some((a) => a instanceof Float32Array) ? new Float32Array(length) : new Float64Array(length);
}

/** Checks a complex tensor's rank and data length; returns its dimensions. */
export function complexDims(arg: string, t: ComplexTensor, names: readonly string[]): number[] {
  const shape = t?.shape;
  if (!Array.isArray(shape) || shape.length !== names.length) {
    throw new RangeError(`${arg} must have shape [${names.join(', ')}]; got [${shape?.join(', ') ?? ''}]`);
  }
  assertComplexLength(`${arg}.data`, t.data, sizeOf(shape));
  return [...shape];
}

/** Checks a complex tensor's exact shape and data length, naming the dimensions. */
export function expectComplexShape(
  arg: string,
  t: ComplexTensor,
  expected: readonly number[],
  names: readonly string[],
): void {
  const shape = t?.shape;
  if (!Array.isArray(shape) || shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(
      `${arg} must have shape [${names.join(', ')}] = [${expected.join(', ')}]; got [${shape?.join(', ') ?? ''}]`,
    );
  }
  assertComplexLength(`${arg}.data`, t.data, sizeOf(shape));
}
