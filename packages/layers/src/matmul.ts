import type { RealArray } from '@statespace/complex';
import { addProductRows, type StridedMatrix } from './matmul-kernel';
import { addProductOnThreads, PARALLEL_WORK } from './matmul-threads';

export { rowMajor, type StridedMatrix, transposed } from './matmul-kernel';

/**
 * c += a·b for a [m, depth], b [depth, n] (see {@link StridedMatrix}) and c a row-major [m, n]
 * array: the one matrix product of the linear maps (y = x·Wᵀ) and their gradients (g·W, gᵀ·x).
 * Sums run in float64 (see `addProductRows`); long products are split over every core under
 * Node.js (see `matmul-threads`), with the same result.
 */
export function addMatrixProduct(
  c: RealArray,
  m: number,
  n: number,
  depth: number,
  a: StridedMatrix,
  b: StridedMatrix,
): void {
  if (m * n * depth >= PARALLEL_WORK && addProductOnThreads(c, m, n, depth, a, b)) return;
  addProductRows(c, n, depth, a, b, 0, m);
}
