import type { RealArray } from '@statespace/complex';

// The kernel of the matrix products of the position-wise linear maps and their gradients:
// y = x·Wᵀ, ∂x = g·W, ∂W = gᵀ·x. One kernel serves all three by reading its operands through
// strides, so no operand is ever transposed in memory. It computes 4×4 blocks of the result with
// sixteen running sums (each value loaded is used four times), and walks long sums in slices of
// 256 steps so that the rows of both operands it reads stay in the cache while every block of the
// result uses them.
//
// Worker threads run these functions from their source text (see `matmul-threads`): they use
// nothing but their arguments and each other, and hold no nested functions.

/**
 * A matrix read from a flat array through strides: element (i, j) is
 * `data[offset + i·rowStride + j·colStride]`. See {@link rowMajor} and {@link transposed}.
 */
export interface StridedMatrix {
  readonly data: ArrayLike<number>;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

/** The row-major matrix of `cols` columns stored in `data` from `offset`. */
export function rowMajor(data: ArrayLike<number>, cols: number, offset = 0): StridedMatrix {
  return { data, offset, rowStride: cols, colStride: 1 };
}

/** The transpose of the row-major matrix of `cols` columns stored in `data` from `offset`. */
export function transposed(data: ArrayLike<number>, cols: number, offset = 0): StridedMatrix {
  return { data, offset, rowStride: 1, colStride: cols };
}

/**
 * Rows [rowStart, rowEnd) of c += a·b, for a [·, depth], b [depth, n] and c a row-major [·, n]
 * array. Each entry's sum runs in float64 and is added to c once per slice of 256 steps (once in
 * all for depth ≤ 256: 256 rows of both operands of a ∂W product with H ≤ 128 fit in L2).
 */
export function addProductRows(
  c: RealArray,
  n: number,
  depth: number,
  a: StridedMatrix,
  b: StridedMatrix,
  rowStart: number,
  rowEnd: number,
): void {
  const depthBlock = 256;
  for (let k0 = 0; k0 < depth; k0 += depthBlock) {
    const steps = Math.min(depthBlock, depth - k0);
    let i = rowStart;
    for (; i + 4 <= rowEnd; i += 4) {
      let j = 0;
      for (; j + 4 <= n; j += 4) addBlock4x4(c, n, i, j, k0, steps, a, b);
      if (j < n) addBlock(c, n, i, 4, j, n - j, k0, steps, a, b);
    }
    if (i < rowEnd) addBlock(c, n, i, rowEnd - i, 0, n, k0, steps, a, b);
  }
}

/** The functions a worker thread needs to run {@link addProductRows}, the entry first. */
export const PRODUCT_KERNEL = [addProductRows, addBlock4x4, addBlock] as const;

/** c[i..i+4, j..j+4] += a[i..i+4, k0..k0+steps]·b[k0..k0+steps, j..j+4]. */
function addBlock4x4(
  c: RealArray,
  n: number,
  i: number,
  j: number,
  k0: number,
  steps: number,
  a: StridedMatrix,
  b: StridedMatrix,
): void {
  const { data: ad, rowStride: ar, colStride: ak } = a;
  const { data: bd, rowStride: bk, colStride: bc } = b;
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s03 = 0;
  let s10 = 0;
  let s11 = 0;
  let s12 = 0;
  let s13 = 0;
  let s20 = 0;
  let s21 = 0;
  let s22 = 0;
  let s23 = 0;
  let s30 = 0;
  let s31 = 0;
  let s32 = 0;
  let s33 = 0;
  let ai = a.offset + i * ar + k0 * ak;
  let bi = b.offset + k0 * bk + j * bc;
  for (let k = 0; k < steps; k++) {
    const a0 = ad[ai];
    const a1 = ad[ai + ar];
    const a2 = ad[ai + 2 * ar];
    const a3 = ad[ai + 3 * ar];
    const b0 = bd[bi];
    const b1 = bd[bi + bc];
    const b2 = bd[bi + 2 * bc];
    const b3 = bd[bi + 3 * bc];
    s00 += a0 * b0;
    s01 += a0 * b1;
    s02 += a0 * b2;
    s03 += a0 * b3;
    s10 += a1 * b0;
    s11 += a1 * b1;
    s12 += a1 * b2;
    s13 += a1 * b3;
    s20 += a2 * b0;
    s21 += a2 * b1;
    s22 += a2 * b2;
    s23 += a2 * b3;
    s30 += a3 * b0;
    s31 += a3 * b1;
    s32 += a3 * b2;
    s33 += a3 * b3;
    ai += ak;
    bi += bk;
  }
  let ci = i * n + j;
  c[ci] += s00;
  c[ci + 1] += s01;
  c[ci + 2] += s02;
  c[ci + 3] += s03;
  ci += n;
  c[ci] += s10;
  c[ci + 1] += s11;
  c[ci + 2] += s12;
  c[ci + 3] += s13;
  ci += n;
  c[ci] += s20;
  c[ci + 1] += s21;
  c[ci + 2] += s22;
  c[ci + 3] += s23;
  ci += n;
  c[ci] += s30;
  c[ci + 1] += s31;
  c[ci + 2] += s32;
  c[ci + 3] += s33;
}

/** The edges of the result that do not fill a 4×4 block: one sum per entry. */
function addBlock(
  c: RealArray,
  n: number,
  i0: number,
  rows: number,
  j0: number,
  cols: number,
  k0: number,
  steps: number,
  a: StridedMatrix,
  b: StridedMatrix,
): void {
  for (let i = i0; i < i0 + rows; i++) {
    for (let j = j0; j < j0 + cols; j++) {
      let ai = a.offset + i * a.rowStride + k0 * a.colStride;
      let bi = b.offset + k0 * b.rowStride + j * b.colStride;
      let s = 0;
      for (let k = 0; k < steps; k++) {
        s += a.data[ai] * b.data[bi];
        ai += a.colStride;
        bi += b.rowStride;
      }
      c[i * n + j] += s;
    }
  }
}
