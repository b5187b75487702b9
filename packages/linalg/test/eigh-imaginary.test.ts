import type { ComplexTensor } from '@statespace/complex';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { eighGeneral } from '../src/eigh';
import { eigh } from '../src/index';
import { imaginaryHermitianEigen } from '../src/skew';
import { eye, naiveAdjoint, naiveProduct, randomReal, rng, scaleColumns } from './support';

// The real-arithmetic fast path of `eigh` for purely imaginary Hermitian matrices H = −i·S, S real
// skew-symmetric (the NPLR case): checked against the definition and against the general complex
// path (`eighGeneral`, the same solver without the dispatch).

/** H = −i·S, interleaved, with every real part exactly zero. */
function imaginary(s: Float64Array, n: number): ComplexTensor<Float64Array> {
  const data = new Float64Array(2 * n * n);
  for (let i = 0; i < n * n; i++) data[2 * i + 1] = -s[i];
  return { data, shape: [n, n] };
}

/** A random real skew-symmetric S = (G − Gᵀ)/2. */
function randomSkew(seed: number, n: number): Float64Array {
  const g = randomReal(rng(seed), n).data;
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = (g[i * n + j] - g[j * n + i]) / 2;
  return s;
}

/** A random real orthogonal n×n matrix (Gram–Schmidt, twice, on a Gaussian matrix). */
function randomOrthogonal(seed: number, n: number): Float64Array {
  const q = randomReal(rng(seed), n).data;
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[i * n + p] * q[i * n + j];
        for (let i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + p];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i * n + j] ** 2;
    for (let i = 0; i < n; i++) q[i * n + j] /= Math.sqrt(norm);
  }
  return q;
}

/** S = Q·blockdiag(σ_k·[[0, 1], [−1, 0]])·Qᵀ (a trailing 1×1 zero block for odd n): H = −i·S has eigenvalues ±σ_k. */
function skewWithSingularValues(seed: number, sigmas: readonly number[], n: number): Float64Array {
  const q = randomOrthogonal(seed, n);
  const s = new Float64Array(n * n);
  for (let k = 0; k < sigmas.length; k++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const a = q[i * n + 2 * k];
        const b = q[i * n + 2 * k + 1];
        const c = q[j * n + 2 * k];
        const d = q[j * n + 2 * k + 1];
        s[i * n + j] += sigmas[k] * (a * d - b * c);
      }
    }
  }
  return s;
}

/** Checks H = V·diag(λ)·V*, V*·V = I and ascending λ, all to `tolerance` (max-norm relative). */
function expectDecomposition(
  h: ComplexTensor,
  values: Float64Array,
  vectors: ComplexTensor,
  tolerance = 1e-12,
) {
  const n = h.shape[0];
  expect(values.length).toBe(n);
  expect(vectors.shape).toEqual([n, n]);
  for (let j = 1; j < n; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
  const rebuilt = naiveProduct(scaleColumns(vectors, values, false), naiveAdjoint(vectors));
  if (h.data.some((x) => x !== 0)) expectClose(rebuilt.data, h.data, tolerance, 'V·Λ·V* vs H');
  else expect(rebuilt.data.every((x) => x === 0)).toBe(true);
  expectClose(naiveProduct(naiveAdjoint(vectors), vectors).data, eye(n).data, tolerance, 'V*·V vs I');
}

/** The structure of the fast path's result: ± pairs of eigenvalues with conjugate eigenvectors. */
function expectConjugatePairs(values: Float64Array, vectors: Float64Array, n: number) {
  let mismatches = 0;
  for (let r = 0; r < n; r++) {
    const c = n - 1 - r;
    if (values[c] !== -values[r]) mismatches++;
    for (let i = 0; i < n; i++) {
      if (vectors[2 * (i * n + c)] !== vectors[2 * (i * n + r)]) mismatches++;
      if (vectors[2 * (i * n + c) + 1] !== -vectors[2 * (i * n + r) + 1]) mismatches++;
    }
  }
  expect(mismatches).toBe(0);
}

describe.each([1, 2, 3, 4, 10, 64, 65, 256])('eigh of H = −i·S for a random skew S at n = %i', (n) => {
  const h = imaginary(randomSkew(400 + n, n), n);
  const { values, vectors } = eigh(h);

  it('reconstructs H with orthonormal eigenvectors and ascending eigenvalues', () => {
    expectDecomposition(h, values, vectors);
  });

  it('matches the eigenvalues of the general complex path', () => {
    expectClose(values, eighGeneral(h).values, 1e-13, 'eigenvalues');
  });

  it('takes the real fast path', () => {
    const fast = imaginaryHermitianEigen('a', h.data, n);
    expect(values).toEqual(fast.values);
    expect(vectors.data).toEqual(fast.vectors);
  });

  it('pairs ±λ with conjugate eigenvectors, λ = 0 for odd n', () => {
    expectConjugatePairs(values, vectors.data, n);
    if (n % 2 === 1) expect(values[(n - 1) / 2]).toBe(0);
  });

  it('gives every eigenvector a real first component (+0 imaginary part)', () => {
    for (let j = 0; j < n; j++) expect(Object.is(vectors.data[2 * j + 1], 0)).toBe(true);
  });
});

describe('the fast path with degenerate spectra', () => {
  it.each([1, 4, 5])('decomposes the %i×%i zero matrix', (n) => {
    const zero = { data: new Float64Array(2 * n * n), shape: [n, n] };
    const { values, vectors } = eigh(zero);
    expect(Array.from(values)).toEqual(new Array(n).fill(0));
    expectDecomposition(zero, values, vectors, 1e-15);
  });

  it.each([
    ['repeated singular values', [3, 3, 3, 1, 1, 0.5], 12],
    ['repeated singular values, odd n', [2, 2, 1, 1], 9],
    ['a repeated zero pair', [4, 2, 0, 0], 8],
    ['zero pairs and the odd zero', [1, 1, 0], 7],
    ['all singular values equal', [1.5, 1.5, 1.5, 1.5, 1.5], 10],
  ])('recovers %s with an orthonormal basis of each eigenspace', (_, sigmas, n) => {
    const h = imaginary(skewWithSingularValues(n, sigmas, n), n);
    const { values, vectors } = eigh(h);
    const spectrum = [...sigmas, ...sigmas.map((x) => -x)];
    while (spectrum.length < n) spectrum.push(0);
    expectClose(
      values,
      spectrum.sort((x, y) => x - y),
      1e-14,
      'eigenvalues',
    );
    expectDecomposition(h, values, vectors);
    expectConjugatePairs(values, vectors.data, n);
  });

  // A tridiagonal skew S passes the reduction unchanged and gives the bidiagonal SVD exact zeros:
  // split couplings and zero diagonal entries (its deflation branches).
  it.each([2, 3, 4, 5, 6, 7, 8, 9, 11, 16, 17])(
    'decomposes tridiagonal S with exact zeros at n = %i',
    (n) => {
      for (let seed = 0; seed < 12; seed++) {
        const r = rng(1000 * n + seed);
        const s = new Float64Array(n * n);
        for (let k = 0; k + 1 < n; k++) {
          const e = r.uniform() < 0.35 ? 0 : r.normal();
          s[(k + 1) * n + k] = e;
          s[k * n + k + 1] = -e;
        }
        const h = imaginary(s, n);
        const { values, vectors } = eigh(h);
        expectDecomposition(h, values, vectors);
        expectClose(values, eighGeneral(h).values, 1e-13, 'eigenvalues');
      }
    },
  );

  it('decomposes a graded skew matrix (entries spanning 1e±8)', () => {
    const n = 20;
    const s = randomSkew(77, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) s[i * n + j] *= 10 ** (8 - (8 * (i + j)) / (n - 1));
    const h = imaginary(s, n);
    const { values, vectors } = eigh(h);
    expectDecomposition(h, values, vectors);
    expectClose(values, eighGeneral(h).values, 1e-13, 'eigenvalues');
  });

  it('is invariant to the scale of H (no overflow or underflow)', () => {
    const s = randomSkew(7, 10);
    const reference = eigh(imaginary(s, 10)).values;
    for (const c of [1e-200, 1e200]) {
      const h = imaginary(
        s.map((x) => x * c),
        10,
      );
      const { values, vectors } = eigh(h);
      expectClose(
        values,
        reference.map((v) => v * c),
        1e-13,
        `eigenvalues at scale ${c}`,
      );
      expectDecomposition(h, values, vectors);
    }
  });

  it('accepts float32 input', () => {
    const h = imaginary(randomSkew(8, 6), 6);
    const single = { data: Float32Array.from(h.data), shape: h.shape };
    const { values, vectors } = eigh(single);
    expect(vectors.data).toBeInstanceOf(Float64Array);
    expectDecomposition({ data: Float64Array.from(single.data), shape: h.shape }, values, vectors);
  });
});

describe('the dispatch between the fast and the general path', () => {
  it('sends a matrix with any nonzero real part to the general path', () => {
    const h = imaginary(randomSkew(9, 6), 6);
    h.data[2 * (1 * 6 + 1)] = 1e-300; // a (real) diagonal entry
    const { values, vectors } = eigh(h);
    const general = eighGeneral(h);
    expect(values).toEqual(general.values);
    expect(vectors.data).toEqual(general.vectors.data);
  });

  it('treats −0 real parts as zero', () => {
    const h = imaginary(randomSkew(10, 5), 5);
    for (let i = 0; i < h.data.length; i += 2) h.data[i] = -0;
    const fast = imaginaryHermitianEigen('a', h.data, 5);
    expect(eigh(h).vectors.data).toEqual(fast.vectors);
  });

  it('uses the skew part of a nearly skew imaginary part', () => {
    const s = randomSkew(11, 6);
    const h = imaginary(s, 6);
    h.data[2 * (0 * 6 + 1) + 1] += 1e-12;
    expectClose(eigh(h).values, eigh(imaginary(s, 6)).values, 1e-12, 'eigenvalues');
  });

  it('reports a non-Hermitian imaginary matrix as the general path does', () => {
    const h = imaginary(randomSkew(12, 3), 3);
    h.data[2 * (2 * 3 + 0) + 1] += 0.5; // entry [2, 0]
    const message =
      /a must be Hermitian \(a\[j, i\] = conj a\[i, j\]\) to a relative tolerance of 1e-10; a\[2, 0\] and a\[0, 2\] differ by 5\.00e-1/;
    expect(() => eigh(h)).toThrow(message);
    expect(() => eighGeneral(h)).toThrow(message);
    const diagonal = { data: new Float64Array(8), shape: [2, 2] };
    diagonal.data[1] = 1; // an imaginary diagonal entry
    expect(() => eigh(diagonal)).toThrow(/a\[0, 0\] and a\[0, 0\] differ by 2\.00e\+0/);
  });
});
