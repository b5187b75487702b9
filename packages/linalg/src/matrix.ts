import {
  type ArrayOf,
  allocate,
  allocateLike,
  assertInteger,
  type ComplexArray,
  type ComplexTensor,
  type DType,
  type RealArray,
  type Tensor,
} from '@statespace/complex';
import { asFloat64, matrixShape, type Width } from './validate';

// Dense row-major products, transposes and identities. The kernels work on float64 data;
// the exported wrappers validate their arguments and keep float32 when every input is float32.

/** C = A·B for real row-major A (m×k) and B (k×n). */
export function realProduct(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      // i-p-j order: the inner loop runs along contiguous rows of B and C.
      const aip = a[i * k + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
    }
  }
  return c;
}

/** C = A·B for interleaved complex row-major A (m×k) and B (k×n). */
export function complexProduct(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  const c = new Float64Array(2 * m * n);
  for (let i = 0; i < m; i++) {
    const ci = 2 * i * n;
    for (let p = 0; p < k; p++) {
      const ar = a[2 * (i * k + p)];
      const ai = a[2 * (i * k + p) + 1];
      const bp = 2 * p * n;
      for (let j = 0; j < 2 * n; j += 2) {
        const br = b[bp + j];
        const bi = b[bp + j + 1];
        c[ci + j] += ar * br - ai * bi;
        c[ci + j + 1] += ar * bi + ai * br;
      }
    }
  }
  return c;
}

/** The transpose of a rows×cols matrix, conjugated when `conjugate` (complex data only). */
export function transposeData<A extends RealArray>(
  data: A,
  rows: number,
  cols: number,
  width: Width,
  conjugate = false,
): A {
  const out = allocateLike(data, data.length);
  const sign = conjugate ? -1 : 1;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const from = width * (i * cols + j);
      const to = width * (j * rows + i);
      out[to] = data[from];
      if (width === 2) out[to + 1] = sign * data[from + 1];
    }
  }
  return out;
}

/** The n×n identity with `width` numbers per entry. */
export function identityData<D extends DType>(n: number, width: Width, dtype: D): ArrayOf<D> {
  const out = allocate(dtype, width * n * n);
  for (let i = 0; i < n; i++) out[width * (i * n + i)] = 1;
  return out;
}

/** Returns `result` as float32 when every input is float32, as it is otherwise. */
function keepDtype(result: Float64Array, ...inputs: RealArray[]): RealArray {
  return inputs.every((x) => x instanceof Float32Array) ? Float32Array.from(result) : result;
}

function productShape(
  a: Tensor | ComplexTensor,
  b: Tensor | ComplexTensor,
  width: Width,
): [number, number, number] {
  const [m, k] = matrixShape('a', a, width);
  const [kb, n] = matrixShape('b', b, width);
  if (kb !== k) {
    throw new RangeError(`b must have ${k} rows (the columns of a); got shape [${b.shape.join(', ')}]`);
  }
  return [m, k, n];
}

/**
 * The real matrix product A·B.
 * @param a - Matrix `[m, k]`.
 * @param b - Matrix `[k, n]`.
 * @returns `[m, n]`, float32 when both inputs are float32, float64 otherwise (accumulated in float64).
 */
export function matmul<A extends RealArray>(a: Tensor<A>, b: Tensor<A>): Tensor<A> {
  const [m, k, n] = productShape(a, b, 1);
  const c = realProduct(asFloat64(a.data), asFloat64(b.data), m, k, n);
  return { data: keepDtype(c, a.data, b.data) as A, shape: [m, n] };
}

/**
 * The complex matrix product A·B.
 * @param a - Complex matrix `[m, k]`.
 * @param b - Complex matrix `[k, n]`.
 * @returns `[m, n]`, complex64 when both inputs are complex64, complex128 otherwise.
 */
export function cmatmul<A extends ComplexArray>(a: ComplexTensor<A>, b: ComplexTensor<A>): ComplexTensor<A> {
  const [m, k, n] = productShape(a, b, 2);
  const c = complexProduct(asFloat64(a.data), asFloat64(b.data), m, k, n);
  return { data: keepDtype(c, a.data, b.data) as A, shape: [m, n] };
}

/**
 * The transpose Aᵀ of a real matrix.
 * @param a - Matrix `[m, n]`.
 * @returns `[n, m]`, in the precision of `a`.
 */
export function transpose<A extends RealArray>(a: Tensor<A>): Tensor<A> {
  const [m, n] = matrixShape('a', a, 1);
  return { data: transposeData(a.data, m, n, 1), shape: [n, m] };
}

/**
 * The adjoint (conjugate transpose) A* of a complex matrix.
 * @param a - Complex matrix `[m, n]`.
 * @returns `[n, m]`, in the precision of `a`.
 */
export function adjoint<A extends ComplexArray>(a: ComplexTensor<A>): ComplexTensor<A> {
  const [m, n] = matrixShape('a', a, 2);
  return { data: transposeData(a.data, m, n, 2, true), shape: [n, m] };
}

/**
 * The real n×n identity matrix.
 * @param n - Size, an integer ≥ 0.
 * @param dtype - `'float64'` (default) or `'float32'`.
 */
export function identity<D extends DType = 'float64'>(
  n: number,
  dtype: D = 'float64' as D,
): Tensor<ArrayOf<D>> {
  assertInteger('n', n, 0);
  return { data: identityData(n, 1, dtype), shape: [n, n] };
}

/**
 * The complex n×n identity matrix (interleaved).
 * @param n - Size, an integer ≥ 0.
 * @param dtype - `'float64'` (complex128, default) or `'float32'` (complex64).
 */
export function cidentity<D extends DType = 'float64'>(
  n: number,
  dtype: D = 'float64' as D,
): ComplexTensor<ArrayOf<D>> {
  assertInteger('n', n, 0);
  return { data: identityData(n, 2, dtype), shape: [n, n] };
}
