import type { ComplexTensor } from '@statespace/complex';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cmatrixPower, matrixPower, powerScan, powerScanRows } from '../src/index';
import { complexify, eye, naiveProduct, randomComplex, randomReal, rng, scale } from './support';

/** Aᵏ by k − 1 plain multiplications. */
function repeatedProduct(a: ComplexTensor, k: number): ComplexTensor {
  let p: ComplexTensor = eye(a.shape[0]);
  for (let i = 0; i < k; i++) p = naiveProduct(p, a);
  return p;
}

describe('matrixPower and cmatrixPower', () => {
  it.each([0, 1, 2, 3, 7, 16, 45])('match repeated multiplication for k = %i', (k) => {
    const r = rng(800 + k);
    // Spectral radius near 1 keeps every power at a comparable scale.
    const a = scale(randomComplex(r, 6), 1 / Math.sqrt(2 * 6));
    expectClose(cmatrixPower(a, k).data, repeatedProduct(a, k).data, 1e-12, `A^${k}`);
    const b = randomReal(r, 5);
    const expected = repeatedProduct(complexify(b), k).data.filter((_, i) => i % 2 === 0);
    expectClose(matrixPower(b, k).data, expected, 1e-12, `real A^${k}`);
  });

  it('never returns the input array itself', () => {
    const a = randomReal(rng(1), 3);
    expect(matrixPower(a, 1).data).not.toBe(a.data);
    expect(matrixPower(a, 1).data).toEqual(a.data);
  });

  it('rejects negative or fractional exponents', () => {
    const a = randomReal(rng(2), 2);
    expect(() => matrixPower(a, -1)).toThrow(/k must be an integer ≥ 0; got -1/);
    expect(() => cmatrixPower(randomComplex(rng(3), 2), 1.5)).toThrow(/k must be an integer ≥ 0; got 1.5/);
  });
});

/** Σ_{i<L} Aⁱ v_i by the direct loop x ← A·x + v_i from i = L − 1 down (Horner). */
function directScan(a: ComplexTensor, v: ComplexTensor, rows: boolean): Float64Array {
  const [length, n] = v.shape;
  let x: ComplexTensor = { data: new Float64Array(2 * n), shape: rows ? [1, n] : [n, 1] };
  for (let i = length - 1; i >= 0; i--) {
    const ax = rows ? naiveProduct(x, a) : naiveProduct(a, x);
    const vi = v.data.subarray(2 * i * n, 2 * (i + 1) * n);
    x = { data: Float64Array.from(ax.data, (y, j) => y + vi[j]), shape: x.shape };
  }
  return x.data as Float64Array;
}

describe('powerScan and powerScanRows', () => {
  it.each([0, 1, 2, 3, 5, 8, 13, 64, 100])('match the direct loop for L = %i', (length) => {
    const r = rng(900 + length);
    const n = 5;
    const a = scale(randomComplex(r, n), 1 / Math.sqrt(2 * n));
    const v = randomComplex(r, length, n);
    const columns = powerScan(a, v);
    expect(columns.shape).toEqual([n]);
    expectClose(columns.data, directScan(a, v, false), 1e-12, 'Σ Aⁱ v_i');
    expectClose(powerScanRows(a, v).data, directScan(a, v, true), 1e-12, 'Σ v_i Aⁱ');
  });

  it('forwards a state: the sum equals stepping x ← A·x + b·u', () => {
    const r = rng(5);
    const n = 4;
    const a = scale(randomComplex(r, n), 0.3);
    const b = randomComplex(r, n, 1).data;
    const u = Float64Array.from({ length: 37 }, () => r.normal());
    let x = new Float64Array(2 * n);
    for (const ut of u) {
      const ax = naiveProduct(a, { data: x, shape: [n, 1] }).data;
      x = Float64Array.from(ax, (y, j) => y + b[j] * ut);
    }
    // v_i = b·u_{L−1−i}
    const v = new Float64Array(2 * n * u.length);
    for (let i = 0; i < u.length; i++)
      for (let j = 0; j < 2 * n; j++) v[2 * n * i + j] = b[j] * u[u.length - 1 - i];
    expectClose(powerScan(a, { data: v, shape: [u.length, n] }).data, x, 1e-12, 'forwarded state');
  });

  it('rejects a v whose rows do not match A', () => {
    const a = randomComplex(rng(6), 3);
    expect(() => powerScan(a, randomComplex(rng(7), 4, 2))).toThrow(
      /v must have shape \[L, 3\] \(one row per power\); got \[4, 2\]/,
    );
    expect(() => powerScanRows(randomComplex(rng(8), 2, 3), randomComplex(rng(9), 4, 3))).toThrow(
      /a must be a square matrix \[n, n\]; got \[2, 3\]/,
    );
  });
});
