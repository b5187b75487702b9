import { assertFinite, type ComplexTensor, type Tensor } from '@statespace/complex';

// Argument checks for matrices. Real and complex tensors share `{data, shape}`; they differ only
// in how many numbers one entry takes (`width`: 1 real, 2 interleaved complex).

/** Numbers per entry: 1 for real data, 2 for interleaved complex data. */
export type Width = 1 | 2;

type AnyTensor = Tensor | ComplexTensor;

function describe(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function assertData(arg: string, t: AnyTensor, width: Width): void {
  if (!(t?.data instanceof Float64Array || t?.data instanceof Float32Array) || !Array.isArray(t.shape)) {
    const kind = width === 1 ? 'Tensor' : 'ComplexTensor';
    throw new TypeError(`${arg} must be a ${kind} {data: Float64Array | Float32Array, shape}`);
  }
  let size = width;
  for (const d of t.shape) size *= d;
  if (t.data.length !== size) {
    const unit = width === 1 ? 'values' : 'numbers (interleaved complex)';
    throw new RangeError(
      `${arg}.data must hold ${size} ${unit} for shape ${describe(t.shape)}; got ${t.data.length}`,
    );
  }
}

/** Checks that `t` is a well-formed finite matrix and returns its `[rows, cols]`. */
export function matrixShape(arg: string, t: AnyTensor, width: Width): [number, number] {
  if (!Array.isArray(t?.shape) || t.shape.length !== 2) {
    throw new RangeError(
      `${arg} must be a matrix of shape [rows, cols]; got shape ${describe(t?.shape ?? [])}`,
    );
  }
  assertData(arg, t, width);
  assertFinite(arg, t.data);
  return [t.shape[0], t.shape[1]];
}

/** Checks that `t` is a well-formed finite square matrix and returns its size `n`. */
export function squareSize(arg: string, t: AnyTensor, width: Width): number {
  const [rows, cols] = matrixShape(arg, t, width);
  if (rows !== cols) {
    throw new RangeError(`${arg} must be a square matrix [n, n]; got ${describe(t.shape)}`);
  }
  return rows;
}

/**
 * Checks a right-hand side for an `n × n` system: a vector `[n]` or a matrix `[n, k]`.
 * Returns its number of columns (1 for a vector).
 */
export function rhsColumns(arg: string, b: AnyTensor, n: number, width: Width): number {
  const shape = b?.shape;
  if (!Array.isArray(shape) || !(shape.length === 1 || shape.length === 2) || shape[0] !== n) {
    throw new RangeError(
      `${arg} must be a vector [${n}] or a matrix [${n}, k]; got shape ${describe(shape ?? [])}`,
    );
  }
  assertData(arg, b, width);
  assertFinite(arg, b.data);
  return shape.length === 1 ? 1 : shape[1];
}

/** The data as float64: the array itself, or a float64 copy of float32 data. */
export function asFloat64(data: Float64Array | Float32Array): Float64Array {
  return data instanceof Float64Array ? data : Float64Array.from(data);
}

/** Allowed asymmetry ‖A − A*‖_max relative to ‖A‖_max in `eigh` and `eighSymmetric`. */
export const HERMITIAN_TOLERANCE = 1e-10;

/** The error for a matrix whose entries (i, j) and (j, i) break the Hermitian symmetry by `gap`. */
export function notHermitian(
  arg: string,
  width: Width,
  i: number,
  j: number,
  gap: number,
  largest: number,
): RangeError {
  const rule =
    width === 2 ? `Hermitian (${arg}[j, i] = conj ${arg}[i, j])` : `symmetric (${arg}[j, i] = ${arg}[i, j])`;
  return new RangeError(
    `${arg} must be ${rule} to a relative tolerance of ${HERMITIAN_TOLERANCE}; ` +
      `${arg}[${i}, ${j}] and ${arg}[${j}, ${i}] differ by ${gap.toExponential(2)} (max |${arg}| = ${largest.toExponential(2)})`,
  );
}
