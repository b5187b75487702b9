import type { ComplexTensor } from '@statespace/complex';
import { expectClose, relativeError } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cinverse, eig, eigh } from '../src/index';
import {
  complexify,
  eye,
  matchOrder,
  naiveProduct,
  randomComplex,
  randomHermitian,
  randomReal,
  rng,
  SIZES,
  scale,
  scaleColumns,
} from './support';

/** Checks A·V = V·Λ (relative to ‖A‖) and unit 2-norm columns. */
function expectEigenpairs(a: ComplexTensor, values: Float64Array, vectors: ComplexTensor, tolerance = 1e-12) {
  const n = a.shape[0];
  expect(values.length).toBe(2 * n);
  expect(vectors.shape).toEqual([n, n]);
  const av = naiveProduct(a, vectors).data;
  const vl = scaleColumns(vectors, values, true).data;
  let residual = 0;
  for (let i = 0; i < av.length; i++) residual = Math.max(residual, Math.abs(av[i] - vl[i]));
  let norm = 0;
  for (const x of a.data) norm = Math.max(norm, Math.abs(x));
  expect(residual / norm, 'max |A·V − V·Λ| / max |A|').toBeLessThanOrEqual(tolerance);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++)
      s += vectors.data[2 * (i * n + j)] ** 2 + vectors.data[2 * (i * n + j) + 1] ** 2;
    expect(Math.abs(Math.sqrt(s) - 1)).toBeLessThan(1e-14);
  }
}

describe.each(SIZES)('eig at n = %i', (n) => {
  it('finds the eigenpairs of a random non-normal complex matrix', () => {
    const a = randomComplex(rng(400 + n), n);
    const { values, vectors } = eig(a);
    expectEigenpairs(a, values, vectors);
  });

  it('finds the conjugate-pair spectrum of a random real matrix', () => {
    const a = complexify(randomReal(rng(500 + n), n));
    const { values, vectors } = eig(a);
    expectEigenpairs(a, values, vectors);
    const conjugated = Float64Array.from(values, (x, i) => (i % 2 ? -x : x));
    expectClose(matchOrder(conjugated, values), values, 1e-12, 'spectrum vs its conjugate');
  });

  it('agrees with eigh on a Hermitian matrix', () => {
    const a = randomHermitian(rng(600 + n), n);
    const { values } = eig(a);
    const expected = complexify({ data: eigh(a).values, shape: [n] }).data;
    expectClose(matchOrder(values, expected), expected, 1e-12, 'eigenvalues');
  });

  it('recovers a prescribed spectrum, A = X·D·X⁻¹, and V·Λ·V⁻¹ = A', () => {
    const r = rng(700 + n);
    const x = randomComplex(r, n);
    const d = randomComplex(r, n, 1).data;
    const a = naiveProduct(scaleColumns(x, d, true), cinverse(x));
    const { values, vectors } = eig(a);
    expectClose(matchOrder(values, d), d, 1e-9, 'eigenvalues');
    const rebuilt = naiveProduct(scaleColumns(vectors, values, true), cinverse(vectors));
    expectClose(rebuilt.data, a.data, 1e-10, 'V·Λ·V⁻¹ vs A');
  });
});

describe('eig on structured matrices', () => {
  it('gives ±i for a plane rotation generator', () => {
    const { values } = eig(complexify({ data: Float64Array.of(0, -1, 1, 0), shape: [2, 2] }));
    expectClose(matchOrder(values, [0, -1, 0, 1]), [0, -1, 0, 1], 1e-15, 'eigenvalues');
  });

  it('gives the roots of unity for a cyclic permutation (a stall case for unshifted QR)', () => {
    const n = 7;
    const p = new Float64Array(n * n);
    for (let i = 0; i < n; i++) p[i * n + ((i + 1) % n)] = 1;
    const a = complexify({ data: p, shape: [n, n] });
    const { values, vectors } = eig(a);
    expectEigenpairs(a, values, vectors);
    const roots = Array.from({ length: n }, (_, k) => [
      Math.cos((2 * Math.PI * k) / n),
      Math.sin((2 * Math.PI * k) / n),
    ]).flat();
    expectClose(matchOrder(values, roots), roots, 1e-13, 'eigenvalues');
  });

  it.each([1, 4, 10])('handles the identity of size %i (one repeated eigenvalue)', (n) => {
    const { values, vectors } = eig(eye(n));
    expectEigenpairs(eye(n), values, vectors, 0);
    expectClose(naiveProduct(vectors, eye(n)).data, eye(n).data, 0, 'V');
  });

  it('handles repeated eigenvalues of a diagonalisable non-normal matrix', () => {
    const r = rng(11);
    const n = 8;
    const x = randomComplex(r, n);
    const d = Float64Array.of(2, 0, 2, 0, 2, 0, -1, 1, -1, 1, 0.5, 0, 0.5, 0, 3, 0);
    const a = naiveProduct(scaleColumns(x, d, true), cinverse(x));
    const { values, vectors } = eig(a);
    expectEigenpairs(a, values, vectors, 1e-10);
    // A repeated eigenvalue of a non-normal matrix moves by up to √ε·cond under rounding.
    expect(relativeError(matchOrder(values, d), d)).toBeLessThan(1e-6);
  });

  it('returns finite unit vectors for a defective Jordan block', () => {
    const n = 12;
    const j = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      j[i * n + i] = 3;
      if (i + 1 < n) j[i * n + i + 1] = 1;
    }
    const a = complexify({ data: j, shape: [n, n] });
    const { values, vectors } = eig(a);
    expect(vectors.data.every(Number.isFinite)).toBe(true);
    expectEigenpairs(a, values, vectors);
    // Every computed eigenvector is (nearly) e₀, the only true one.
    for (let k = 0; k < n; k++)
      expect(Math.hypot(vectors.data[2 * k], vectors.data[2 * k + 1])).toBeGreaterThan(0.999);
  });

  it('reads the diagonal of a triangular matrix', () => {
    const n = 16;
    const t = randomComplex(rng(12), n);
    for (let i = 0; i < n; i++)
      for (let k = i + 1; k < n; k++) t.data.fill(0, 2 * (i * n + k), 2 * (i * n + k) + 2);
    const diagonal = Float64Array.from(
      { length: 2 * n },
      (_, i) => t.data[2 * (Math.floor(i / 2) * (n + 1)) + (i % 2)],
    );
    const { values, vectors } = eig(t);
    expectClose(matchOrder(values, diagonal), diagonal, 1e-12, 'eigenvalues');
    expectEigenpairs(t, values, vectors);
  });
});

describe('eig scaling', () => {
  it('is invariant to the scale of A (no overflow or underflow)', () => {
    const a = randomComplex(rng(13), 10);
    const reference = eig(a).values;
    for (const s of [1e-200, 1e200]) {
      const scaled = scale(a, s);
      const { values, vectors } = eig(scaled);
      const expected = reference.map((v) => v * s);
      expectClose(matchOrder(values, expected), expected, 1e-12, `eigenvalues at scale ${s}`);
      expectEigenpairs(scaled, values, vectors);
    }
  });
});

describe('eig errors', () => {
  it('rejects non-square and non-finite input', () => {
    expect(() => eig({ data: new Float64Array(4), shape: [1, 2] })).toThrow(
      /a must be a square matrix \[n, n\]; got \[1, 2\]/,
    );
    const a = eye(2);
    a.data[2] = Number.NaN;
    expect(() => eig(a)).toThrow(/a must be finite; found NaN at index 2/);
  });
});
