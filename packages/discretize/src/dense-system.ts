import {
  allocateLike,
  assertFinite,
  type ComplexTensor,
  type RealArray,
  type Shape,
  type Tensor,
} from '@statespace/complex';

// Dense systems x' = A x + B u with A [n, n] and B [n], real or complex: reading them (real data
// holds one number per entry, complex data two, interleaved) and writing the discrete result.

/** A dense discrete system x_k = Ā x_{k−1} + B̄ u_k. */
export interface DenseDiscretization<A extends RealArray = RealArray> {
  /** Whether Ā and B̄ are complex (interleaved `(re, im)`): true when A or B is. */
  readonly complex: boolean;
  /** Ā, `[n, n]`. */
  readonly dA: Tensor<A> | ComplexTensor<A>;
  /** B̄, `[n]`. */
  readonly dB: Tensor<A> | ComplexTensor<A>;
}

/** A dense system read as float64, both parts at the same width (1 real, 2 complex). */
export interface DenseInput {
  readonly n: number;
  /** Numbers per entry: 1 when A and B are both real, else 2 (a real part is promoted). */
  readonly width: 1 | 2;
  /** A, row-major `[n, n]` at `width`. */
  readonly A: Float64Array;
  /** B, `[n]` at `width`. */
  readonly B: Float64Array;
}

function describe(shape: Shape | undefined): string {
  return `[${(shape ?? []).join(', ')}]`;
}

/** 1 or 2 numbers per entry of `t` (of `size` entries), or a RangeError naming `arg`. */
function widthOf(arg: string, t: Tensor | ComplexTensor, size: number): 1 | 2 {
  const data = t?.data;
  if (!(data instanceof Float64Array || data instanceof Float32Array)) {
    throw new TypeError(
      `${arg} must be a Tensor or ComplexTensor {data: Float64Array | Float32Array, shape}`,
    );
  }
  if (data.length !== size && data.length !== 2 * size) {
    throw new RangeError(
      `${arg}.data must hold ${size} real or ${2 * size} interleaved complex numbers for shape ` +
        `${describe(t.shape)}; got ${data.length}`,
    );
  }
  assertFinite(arg, data);
  return data.length === size ? 1 : 2;
}

function promote(data: RealArray, from: 1 | 2, to: 1 | 2): Float64Array {
  if (from === to) return Float64Array.from(data);
  const out = new Float64Array(2 * data.length);
  for (let i = 0; i < data.length; i++) out[2 * i] = data[i];
  return out;
}

/**
 * Reads A `[n, n]` and B `[n]`, each real (`Tensor`) or complex (`ComplexTensor`, told apart by
 * the length of its data), promoting the real one when the other is complex.
 */
export function denseInput(A: Tensor | ComplexTensor, B: Tensor | ComplexTensor): DenseInput {
  const shape = A?.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || shape[0] !== shape[1] || shape[0] < 1) {
    throw new RangeError(`A must be a square matrix [n, n] with n ≥ 1; got shape ${describe(shape)}`);
  }
  const n = shape[0];
  if (!Array.isArray(B?.shape) || B.shape.length !== 1 || B.shape[0] !== n) {
    throw new RangeError(`B must be a vector [${n}] to match A; got shape ${describe(B?.shape)}`);
  }
  const wA = widthOf('A', A, n * n);
  const wB = widthOf('B', B, n);
  const width = wA === 2 || wB === 2 ? 2 : 1;
  return { n, width, A: promote(A.data, wA, width), B: promote(B.data, wB, width) };
}

/**
 * Splits an `[n, n + 1]` block [Ā | B̄] (float64, at `width`) into the result, in the precision
 * of `like`.
 */
export function splitBlock<A extends RealArray>(
  block: Float64Array,
  n: number,
  width: 1 | 2,
  like: A,
): DenseDiscretization<A> {
  const dA = allocateLike(like, width * n * n);
  const dB = allocateLike(like, width * n);
  for (let i = 0; i < n; i++) {
    const row = width * i * (n + 1);
    dA.set(block.subarray(row, row + width * n), width * i * n);
    dB.set(block.subarray(row + width * n, row + width * (n + 1)), width * i);
  }
  return { complex: width === 2, dA: { data: dA, shape: [n, n] }, dB: { data: dB, shape: [n] } };
}
