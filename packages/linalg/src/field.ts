import { COMPLEX_LU, type LuKernel, REAL_LU } from './lu';
import { complexProduct, realProduct } from './matrix';
import type { Width } from './validate';

// Algorithms that only multiply, solve and form linear combinations (powers, the exponential) are
// written once against this interface: a linear combination with real coefficients is the same
// elementwise loop on real and on interleaved complex data, so only products and solves differ.

/** Float64 dense arithmetic on real (`width` 1) or interleaved complex (`width` 2) matrices. */
export interface Field {
  readonly width: Width;
  /** C = A·B for row-major A (m×k) and B (k×n). */
  product(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array;
  readonly lu: LuKernel;
}

export const REAL: Field = { width: 1, product: realProduct, lu: REAL_LU };
export const COMPLEX: Field = { width: 2, product: complexProduct, lu: COMPLEX_LU };
