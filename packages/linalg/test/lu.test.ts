import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cinverse, cluFactor, cmatmul, csolve, inverse, luFactor, matmul, solve } from '../src/index';
import { complexify, eye, naiveProduct, randomComplex, randomReal, rng, SIZES } from './support';

describe.each(SIZES)('LU at n = %i', (n) => {
  it('solve has a small residual for a vector and for several right-hand sides (real)', () => {
    const r = rng(10 + n);
    const a = randomReal(r, n);
    const b = { data: randomReal(r, n, 1).data, shape: [n] };
    const x = solve(a, b);
    expect(x.shape).toEqual([n]);
    expectClose(matmul(a, { data: x.data, shape: [n, 1] }).data, b.data, 1e-12, 'A·x vs b');
    const bm = randomReal(r, n, 3);
    const xm = luFactor(a).solve(bm);
    expect(xm.shape).toEqual([n, 3]);
    expectClose(matmul(a, xm).data, bm.data, 1e-12, 'A·X vs B');
  });

  it('csolve has a small residual (complex)', () => {
    const r = rng(20 + n);
    const a = randomComplex(r, n);
    const b = randomComplex(r, n, 2);
    expectClose(naiveProduct(a, csolve(a, b)).data, b.data, 1e-12, 'A·X vs B');
  });

  it('inverse and cinverse give A·A⁻¹ = I', () => {
    const r = rng(30 + n);
    const a = randomReal(r, n);
    expectClose(complexify(matmul(a, inverse(a))).data, eye(n).data, 1e-12, 'A·A⁻¹');
    const c = randomComplex(r, n);
    expectClose(cmatmul(cinverse(c), c).data, eye(n).data, 1e-12, 'A⁻¹·A');
  });
});

describe('LU factorisation object', () => {
  it('solves repeatedly with one factorisation, and pivots past a zero leading entry', () => {
    const a = { data: Float64Array.of(0, 1, 2, 3), shape: [2, 2] };
    const lu = luFactor(a);
    expect(lu.n).toBe(2);
    expect(lu.solve({ data: Float64Array.of(1, 3), shape: [2] }).data).toEqual(Float64Array.of(0, 1));
    expect(lu.solve({ data: Float64Array.of(2, 2), shape: [2] }).data).toEqual(Float64Array.of(-2, 2));
  });

  it('accepts float32 input and returns float64', () => {
    const c = cluFactor({ data: Float32Array.of(0, 2, 0, 0, 0, 0, 1, 0), shape: [2, 2] });
    const x = c.solve({ data: Float32Array.of(2, 0, 3, 0), shape: [2] });
    expect(x.data).toEqual(Float64Array.of(0, -1, 3, 0)); // 2i·x₀ = 2 → x₀ = −i
  });
});

describe('LU errors', () => {
  it('reports a singular matrix with the zero pivot', () => {
    const a = { data: Float64Array.of(1, 2, 2, 4), shape: [2, 2] };
    expect(() => inverse(a)).toThrow(/a must be invertible; it is singular: pivot 1 is zero/);
    const z = { data: new Float64Array(18), shape: [3, 3] };
    z.data[0] = 1;
    expect(() => csolve(z, { data: new Float64Array(6), shape: [3] })).toThrow(/singular: pivot 1 is zero/);
  });

  it('rejects non-square matrices, mismatched right-hand sides and NaN', () => {
    expect(() => luFactor(randomReal(rng(1), 2, 3))).toThrow(
      /a must be a square matrix \[n, n\]; got \[2, 3\]/,
    );
    const a = randomReal(rng(2), 3);
    expect(() => solve(a, randomReal(rng(3), 2, 1))).toThrow(
      /b must be a vector \[3\] or a matrix \[3, k\]; got shape \[2, 1\]/,
    );
    a.data[4] = Number.NaN;
    expect(() => solve(a, { data: new Float64Array(3), shape: [3] })).toThrow(
      /a must be finite; found NaN at index 4/,
    );
  });
});
