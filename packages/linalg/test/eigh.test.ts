import type { ComplexTensor } from '@statespace/complex';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { eigh, eighSymmetric } from '../src/index';
import {
  complexify,
  eye,
  naiveAdjoint,
  naiveProduct,
  randomHermitian,
  randomReal,
  randomUnitary,
  rng,
  SIZES,
  scale,
  scaleColumns,
  withSpectrum,
} from './support';

/** Checks A = V·diag(λ)·V*, V*·V = I and ascending λ, all to `tolerance`. */
function expectDecomposition(
  a: ComplexTensor,
  values: Float64Array,
  vectors: ComplexTensor,
  tolerance = 1e-12,
) {
  const n = a.shape[0];
  expect(values.length).toBe(n);
  expect(vectors.shape).toEqual([n, n]);
  for (let j = 1; j < n; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
  const rebuilt = naiveProduct(scaleColumns(vectors, values, false), naiveAdjoint(vectors));
  expectClose(rebuilt.data, a.data, tolerance, 'V·Λ·V* vs A');
  expectClose(naiveProduct(naiveAdjoint(vectors), vectors).data, eye(n).data, tolerance, 'V*·V vs I');
}

describe.each(SIZES)('eigh of a random Hermitian matrix at n = %i', (n) => {
  it('reconstructs A with orthonormal eigenvectors and ascending eigenvalues', () => {
    const a = randomHermitian(rng(100 + n), n);
    const { values, vectors } = eigh(a);
    expectDecomposition(a, values, vectors);
  });

  it('gives every eigenvector a real first component', () => {
    const { vectors } = eigh(randomHermitian(rng(200 + n), n));
    for (let j = 0; j < n; j++) expect(vectors.data[2 * j + 1]).toBe(0);
  });

  it('eighSymmetric decomposes a real symmetric matrix with real vectors', () => {
    const g = randomReal(rng(300 + n), n);
    const a = {
      data: Float64Array.from(g.data, (x, i) => (x + g.data[(i % n) * n + Math.floor(i / n)]) / 2),
      shape: [n, n],
    };
    const { values, vectors } = eighSymmetric(a);
    expect(vectors.data).toBeInstanceOf(Float64Array);
    expect(vectors.data.length).toBe(n * n);
    expectDecomposition(complexify(a), values, complexify(vectors));
  });
});

describe('eigh with degenerate spectra', () => {
  it.each([1, 3, 10])('decomposes the %i×%i identity', (n) => {
    const { values, vectors } = eigh(eye(n));
    expect(Array.from(values)).toEqual(new Array(n).fill(1));
    expectDecomposition(eye(n), values, vectors);
  });

  it('decomposes the zero matrix', () => {
    const zero = scale(eye(4), 0);
    const { values, vectors } = eigh(zero);
    expect(Array.from(values)).toEqual([0, 0, 0, 0]);
    expectClose(naiveProduct(naiveAdjoint(vectors), vectors).data, eye(4).data, 1e-15, 'V*·V');
  });

  it.each([
    ['identity blocks', [2, 2, 2, 2, 2, -1, -1, -1, -1, -1]],
    ['repeated eigenvalues', [-3, -3, 0, 0, 0, 1e-3, 1e-3, 5, 5, 5, 5, 7]],
    ['a ± pair structure', [-4, -4, -1, 1, 4, 4]],
  ])('recovers %s with an orthonormal basis of each eigenspace', (_, spectrum) => {
    const n = spectrum.length;
    const a = withSpectrum(randomUnitary(rng(n), n), spectrum);
    const { values, vectors } = eigh(a);
    expectClose(
      values,
      [...spectrum].sort((x, y) => x - y),
      1e-13,
      'eigenvalues',
    );
    expectDecomposition(a, values, vectors);
  });

  it('is invariant to the scale of A (no overflow or underflow)', () => {
    const a = randomHermitian(rng(7), 10);
    const reference = eigh(a).values;
    for (const s of [1e-200, 1e200]) {
      const scaled = scale(a, s);
      const { values, vectors } = eigh(scaled);
      expectClose(
        values,
        reference.map((v) => v * s),
        1e-13,
        `eigenvalues at scale ${s}`,
      );
      expectDecomposition(scaled, values, vectors);
    }
  });

  it('uses the Hermitian part of a nearly Hermitian matrix', () => {
    const a = randomHermitian(rng(8), 6);
    const perturbed = { data: a.data.slice(), shape: a.shape };
    perturbed.data[2 * 1] += 1e-12; // entry [0, 1]
    expectClose(eigh(perturbed).values, eigh(a).values, 1e-12, 'eigenvalues');
  });
});

describe('eigh errors', () => {
  it('rejects a non-Hermitian matrix, naming the offending pair', () => {
    const a = randomHermitian(rng(9), 3);
    a.data[2 * (2 * 3 + 0) + 1] += 0.5; // entry [2, 0]
    expect(() => eigh(a)).toThrow(
      /a must be Hermitian \(a\[j, i\] = conj a\[i, j\]\) to a relative tolerance of 1e-10; a\[2, 0\] and a\[0, 2\] differ by 5\.00e-1/,
    );
    const diagonal = eye(2);
    diagonal.data[1] = 1; // a non-real diagonal entry
    expect(() => eigh(diagonal)).toThrow(/a\[0, 0\] and a\[0, 0\] differ by 2\.00e\+0/);
  });

  it('rejects a non-symmetric real matrix', () => {
    expect(() => eighSymmetric({ data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] })).toThrow(
      /a must be symmetric \(a\[j, i\] = a\[i, j\]\)/,
    );
  });

  it('rejects non-square and non-finite input', () => {
    expect(() => eigh({ data: new Float64Array(12), shape: [2, 3] })).toThrow(
      /a must be a square matrix \[n, n\]; got \[2, 3\]/,
    );
    const a = eye(2);
    a.data[3] = Number.POSITIVE_INFINITY;
    expect(() => eigh(a)).toThrow(/a must be finite; found Infinity at index 3/);
  });
});
