import { availableParallelism } from 'node:os';
import { createRng } from '@statespace/complex';
import { describe, expect, it } from 'vitest';
import { addMatrixProduct, rowMajor, type StridedMatrix, transposed } from '../src/matmul';
import { addProductRows } from '../src/matmul-kernel';
import { PARALLEL_WORK, productThreads } from '../src/matmul-threads';

/** The oracle: c + a·b by the definition, one entry at a time. */
function naiveProduct(
  c: Float64Array,
  m: number,
  n: number,
  depth: number,
  a: StridedMatrix,
  b: StridedMatrix,
) {
  const out = c.slice();
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < depth; k++) {
        s +=
          a.data[a.offset + i * a.rowStride + k * a.colStride] *
          b.data[b.offset + k * b.rowStride + j * b.colStride];
      }
      out[i * n + j] += s;
    }
  }
  return out;
}

const random = (length: number, seed: number) => {
  const rng = createRng(seed);
  return Float64Array.from({ length }, () => rng.normal());
};

describe('addMatrixProduct', () => {
  // Sizes that leave partial 4×4 blocks on both edges, and a sum longer than one 256-step slice.
  it.each([
    [7, 6, 5],
    [9, 13, 600],
    [1, 1, 1],
  ])('adds a·b to c for m = %i, n = %i, depth = %i, with strided operands', (m, n, depth) => {
    const c = random(m * n, 1);
    // a read as the transpose of a [depth, m] array from an offset, b as a [depth, n] row-major one.
    const a = transposed(random(3 + depth * m, 2), m, 3);
    const b = rowMajor(random(depth * n, 3), n);
    const expected = naiveProduct(c, m, n, depth, a, b);
    addMatrixProduct(c, m, n, depth, a, b);
    for (let i = 0; i < c.length; i++) expect(c[i]).toBeCloseTo(expected[i], 10);
  });

  it('rounds float32 results once per entry from float64 sums', () => {
    const [m, n, depth] = [5, 7, 64];
    const x = Float32Array.from(random(m * depth, 4));
    const w = Float32Array.from(random(n * depth, 5));
    const y = new Float32Array(m * n);
    addMatrixProduct(y, m, n, depth, rowMajor(x, depth), transposed(w, depth));
    const expected = naiveProduct(
      new Float64Array(m * n),
      m,
      n,
      depth,
      rowMajor(x, depth),
      transposed(w, depth),
    );
    expect([...y]).toEqual([...Float32Array.from(expected)]);
  });

  it.runIf(availableParallelism() > 1)(
    'splits long products over worker threads with the same result as one thread',
    async () => {
      const [m, n, depth] = [300, 130, 110]; // above PARALLEL_WORK, rows not a multiple of 4
      expect(m * n * depth).toBeGreaterThanOrEqual(PARALLEL_WORK);
      const a = rowMajor(Float32Array.from(random(m * depth, 6)), depth);
      const b = transposed(random(n * depth, 7), depth);
      const start = random(m * n, 8);
      addMatrixProduct(start.slice(), m, n, depth, a, b); // starts the workers
      for (let waited = 0; productThreads() === 1 && waited < 20_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(productThreads()).toBe(availableParallelism());
      const threaded = start.slice();
      addMatrixProduct(threaded, m, n, depth, a, b);
      const single = start.slice();
      addProductRows(single, n, depth, a, b, 0, m);
      expect(threaded).toEqual(single);
    },
  );
});
