import type { ComplexTensor } from '@statespace/complex';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cexpm, cinverse, cmatmul, expm, matmul } from '../src/index';
import {
  add,
  complexify,
  eye,
  naiveAdjoint,
  naiveProduct,
  randomComplex,
  randomReal,
  rng,
  scale,
  scaleColumns,
} from './support';

/** Σ_{k≤40} Aᵏ/k!, exact to rounding when ‖A‖ ≤ 1. */
function taylor(a: ComplexTensor): Float64Array {
  const n = a.shape[0];
  let term: ComplexTensor = eye(n);
  const sum = eye(n).data;
  for (let k = 1; k <= 40; k++) {
    term = scale(naiveProduct(term, a), 1 / k);
    for (let i = 0; i < sum.length; i++) sum[i] += term.data[i];
  }
  return sum;
}

function realParts(a: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length / 2 }, (_, i) => a[2 * i]);
}

describe.each([1, 2, 3, 10])('expm at n = %i', (n) => {
  it('matches the Taylor series on small-norm matrices (real and complex)', () => {
    const r = rng(1000 + n);
    const c = scale(randomComplex(r, n), 0.5 / Math.sqrt(2 * n));
    expectClose(cexpm(c).data, taylor(c), 1e-14, 'complex e^A');
    const a = { data: randomReal(r, n).data.map((x) => (x * 0.5) / Math.sqrt(n)), shape: [n, n] };
    expectClose(expm(a).data, realParts(taylor(complexify(a))), 1e-14, 'real e^A');
  });

  it('matches exp of the eigenvalues for a diagonalisable matrix with large norm', () => {
    const r = rng(1100 + n);
    const x = randomComplex(r, n);
    const d = Float64Array.from({ length: 2 * n }, (_, i) =>
      i % 2 ? 6 * r.normal() : -Math.abs(3 * r.normal()),
    );
    const xi = cinverse(x);
    const a = naiveProduct(scaleColumns(x, d, true), xi);
    const expD = Float64Array.from(d, (_, i) => {
      const k = i >> 1;
      const m = Math.exp(d[2 * k]);
      return i % 2 ? m * Math.sin(d[2 * k + 1]) : m * Math.cos(d[2 * k + 1]);
    });
    expectClose(cexpm(a).data, naiveProduct(scaleColumns(x, expD, true), xi).data, 1e-10, 'e^A vs X·e^D·X⁻¹');
  });

  it('gives e^A·e^−A = I with scaling and squaring', () => {
    // Nearly skew-Hermitian, so e^A is well conditioned while ‖A‖ forces several squarings.
    const r = rng(1200 + n);
    const g = randomComplex(r, n);
    const skew = scale(add(g, scale(naiveAdjoint(g), -1)), 4);
    const c = add(skew, scale(randomComplex(r, n), 0.1));
    expectClose(cmatmul(cexpm(c), cexpm(scale(c, -1))).data, eye(n).data, 1e-12, 'e^A·e^−A');
    const h = randomReal(r, n);
    const a = {
      data: h.data.map((x, i) => 4 * (x - h.data[(i % n) * n + Math.floor(i / n)]) + 0.1 * r.normal()),
      shape: [n, n],
    };
    const product = matmul(expm(a), expm({ data: a.data.map((x) => -x), shape: [n, n] }));
    expectClose(product.data, realParts(eye(n).data), 1e-12, 'real e^A·e^−A');
  });
});

describe('expm special cases', () => {
  it('gives the rotation for a skew-symmetric 2×2 generator', () => {
    const t = 40; // forces 3 squarings
    const { data } = expm({ data: Float64Array.of(0, t, -t, 0), shape: [2, 2] });
    expectClose(data, [Math.cos(t), Math.sin(t), -Math.sin(t), Math.cos(t)], 1e-13, 'e^{tJ}');
  });

  it('gives I for the zero matrix and handles the empty matrix', () => {
    expect(expm({ data: new Float64Array(9), shape: [3, 3] }).data).toEqual(
      Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1),
    );
    expectClose(cexpm({ data: new Float64Array(8), shape: [2, 2] }).data, eye(2).data, 1e-15, 'complex e^0');
    expect(cexpm({ data: new Float64Array(0), shape: [0, 0] }).shape).toEqual([0, 0]);
  });

  it('rejects non-square and non-finite input', () => {
    expect(() => expm({ data: new Float64Array(2), shape: [1, 2] })).toThrow(
      /a must be a square matrix \[n, n\]; got \[1, 2\]/,
    );
    expect(() => cexpm({ data: Float64Array.of(Number.NaN, 0), shape: [1, 1] })).toThrow(
      /a must be finite; found NaN at index 0/,
    );
  });
});
