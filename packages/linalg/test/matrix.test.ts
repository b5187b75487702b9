import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { adjoint, cidentity, cmatmul, identity, matmul, transpose } from '../src/index';
import { naiveAdjoint, naiveProduct, randomComplex, randomReal, rng } from './support';

describe('matmul', () => {
  it('multiplies a known real example', () => {
    const a = { data: Float64Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] };
    const b = { data: Float64Array.of(7, 8, 9, 10, 11, 12), shape: [3, 2] };
    expect(matmul(a, b)).toEqual({ data: Float64Array.of(58, 64, 139, 154), shape: [2, 2] });
  });

  it.each([
    [1, 1, 1],
    [3, 5, 2],
    [10, 7, 13],
  ])('cmatmul matches the triple loop for [%i, %i]·[%i, ·]', (m, k, n) => {
    const r = rng(m * 100 + k);
    const a = randomComplex(r, m, k);
    const b = randomComplex(r, k, n);
    expectClose(cmatmul(a, b).data, naiveProduct(a, b).data, 1e-14, 'A·B');
  });

  it('keeps float32 when both inputs are float32, float64 otherwise', () => {
    const a32 = { data: Float32Array.of(1, 2, 3, 4), shape: [2, 2] };
    const a64 = { data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] };
    expect(matmul(a32, a32).data).toBeInstanceOf(Float32Array);
    expect(matmul<Float32Array | Float64Array>(a32, a64).data).toBeInstanceOf(Float64Array);
    // (1 + 2i)² + (3 + 4i)² = −10 + 28i
    const row = { data: Float32Array.of(1, 2, 3, 4), shape: [1, 2] };
    const column = { data: Float32Array.of(1, 2, 3, 4), shape: [2, 1] };
    expect(cmatmul(row, column)).toEqual({ data: Float32Array.of(-10, 28), shape: [1, 1] });
  });

  it('rejects mismatched inner dimensions, naming b and the accepted rows', () => {
    const a = randomReal(rng(1), 2, 3);
    expect(() => matmul(a, randomReal(rng(2), 2, 2))).toThrow(/b must have 3 rows .*got shape \[2, 2\]/);
  });

  it('rejects non-matrices and NaN', () => {
    expect(() => matmul({ data: new Float64Array(4), shape: [4] }, randomReal(rng(1), 4, 1))).toThrow(
      /a must be a matrix of shape \[rows, cols\]; got shape \[4\]/,
    );
    const bad = randomReal(rng(1), 2, 2);
    bad.data[3] = Number.NaN;
    expect(() => matmul(randomReal(rng(2), 2, 2), bad)).toThrow(/b must be finite; found NaN at index 3/);
  });

  it('rejects data whose length does not match the shape', () => {
    expect(() => cmatmul({ data: new Float64Array(4), shape: [2, 2] }, randomComplex(rng(1), 2, 2))).toThrow(
      /a\.data must hold 8 numbers \(interleaved complex\) for shape \[2, 2\]; got 4/,
    );
  });
});

describe('transpose and adjoint', () => {
  it('transposes a real matrix', () => {
    const a = { data: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] };
    expect(transpose(a)).toEqual({ data: Float32Array.of(1, 4, 2, 5, 3, 6), shape: [3, 2] });
  });

  it('conjugate-transposes a complex matrix', () => {
    const a = randomComplex(rng(3), 4, 7);
    expect(adjoint(a)).toEqual(naiveAdjoint(a));
  });
});

describe('identity', () => {
  it('builds real and complex identities in the requested precision', () => {
    expect(identity(2)).toEqual({ data: Float64Array.of(1, 0, 0, 1), shape: [2, 2] });
    expect(identity(2, 'float32').data).toBeInstanceOf(Float32Array);
    expect(cidentity(2)).toEqual({ data: Float64Array.of(1, 0, 0, 0, 0, 0, 1, 0), shape: [2, 2] });
    expect(identity(0).data.length).toBe(0);
  });

  it('rejects a bad size or dtype', () => {
    expect(() => identity(-1)).toThrow(/n must be an integer ≥ 0; got -1/);
    expect(() => cidentity(2, 'int8' as 'float64')).toThrow(
      /dtype must be one of float64, float32; got int8/,
    );
  });
});
