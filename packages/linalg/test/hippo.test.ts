import {
  assertKnownFields,
  caseName,
  expectClose,
  GOLDEN_FIELDS,
  goldenComplex,
  goldenReal,
  loadGoldenCases,
} from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { eig, eigh } from '../src/index';
import { matchOrder } from './support';

// NPLR of the HiPPO matrices (S4_REFERENCE §3.2): the normal part AP = A + Σ_r P_r P_rᵀ is
// W_re·I + S with S skew-symmetric; W_im are the eigenvalues of the Hermitian H = −i·S.

/** Modes with |Im Λ| below this form the degenerate zero pair of the Fourier measures. */
const ZERO_MODE = 1e-4;

function nplrInputs(c: Record<string, unknown>) {
  const n = c.N as number;
  const a = goldenReal(c.A, 'A');
  const p = goldenReal(c.P, 'P');
  const b = goldenReal(c.B, 'B');
  expect(a.shape).toEqual([n, n]);
  const rank = p.shape[0];
  const ap = a.data.slice();
  for (let r = 0; r < rank; r++) {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) ap[i * n + j] += p.data[r * n + i] * p.data[r * n + j];
  }
  const h = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) h[2 * (i * n + j) + 1] = -(ap[i * n + j] - ap[j * n + i]) / 2;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += ap[i * n + i];
  return { n, rank, ap, h, p: p.data, b: b.data, wRe: trace / n };
}

/** (V*·x)_k for the first `half` columns of V (interleaved, n×n) and a real x. */
function project(vectors: Float64Array, x: Float64Array, n: number, half: number): Float64Array {
  const out = new Float64Array(2 * half);
  for (let k = 0; k < half; k++) {
    for (let i = 0; i < n; i++) {
      out[2 * k] += vectors[2 * (i * n + k)] * x[i];
      out[2 * k + 1] -= vectors[2 * (i * n + k) + 1] * x[i];
    }
  }
  return out;
}

describe.each(loadGoldenCases('hippo.json').map((c) => [caseName(c), c] as const))(
  'HiPPO NPLR %s',
  (_, c) => {
    it('has only fields this test understands', () => assertKnownFields(c, GOLDEN_FIELDS['hippo.json']));

    const { n, rank, ap, h, p, b, wRe } = nplrInputs(c);
    const lambda = goldenComplex(c.Lambda, 'Lambda');
    const half = n / 2;
    const { values, vectors } = eigh({ data: h, shape: [n, n] });

    it('eigh(−i·S) gives Im Λ: the N/2 negative eigenvalues, ascending', () => {
      const imag = Float64Array.from({ length: half }, (_, k) => lambda.data[2 * k + 1]);
      expectClose(values.subarray(0, half), imag, 1e-9, 'Im Λ');
      const real = Float64Array.from({ length: half }, (_, k) => lambda.data[2 * k]);
      expectClose(new Float64Array(half).fill(wRe), real, 1e-9, 'Re Λ = mean diag(AP)');
    });

    it('eigenvectors give the phase-free projections |V*B|², |V*P|², (V*P)·conj(V*B)', () => {
      // The zero pair of the Fourier measures is a 2-dimensional eigenspace with no preferred
      // basis (the official nplr replaces that vector by hand), so only the other modes compare.
      const modes = Array.from({ length: half }, (_, k) => k).filter(
        (k) => Math.abs(lambda.data[2 * k + 1]) > ZERO_MODE,
      );
      const vb = project(vectors.data, b, n, half);
      const absB2 = goldenReal(c.absB2, 'absB2').data;
      const absP2 = goldenReal(c.absP2, 'absP2').data;
      const pConjB = goldenComplex(c.PconjB, 'PconjB').data;
      const pick = (xs: ArrayLike<number>, offset: number) => Float64Array.from(modes, (k) => xs[offset + k]);
      expectClose(
        Float64Array.from(modes, (k) => vb[2 * k] ** 2 + vb[2 * k + 1] ** 2),
        pick(absB2, 0),
        1e-9,
        '|V*B|²',
      );
      for (let r = 0; r < rank; r++) {
        const vp = project(vectors.data, p.subarray(r * n, (r + 1) * n), n, half);
        expectClose(
          Float64Array.from(modes, (k) => vp[2 * k] ** 2 + vp[2 * k + 1] ** 2),
          pick(absP2, r * half),
          1e-9,
          `|V*P_${r}|²`,
        );
        // (V*P)_k·conj((V*B)_k), interleaved
        const product = Float64Array.from(
          modes.flatMap((k) => [
            vp[2 * k] * vb[2 * k] + vp[2 * k + 1] * vb[2 * k + 1],
            vp[2 * k + 1] * vb[2 * k] - vp[2 * k] * vb[2 * k + 1],
          ]),
        );
        const expected = Float64Array.from(
          modes.flatMap((k) => [pConjB[2 * (r * half + k)], pConjB[2 * (r * half + k) + 1]]),
        );
        expectClose(product, expected, 1e-9, `(V*P_${r})·conj(V*B)`);
      }
    });

    it('eig(AP) gives the spectrum W_re ± i·(eigh values)', () => {
      const apc = new Float64Array(2 * n * n);
      ap.forEach((x, i) => {
        apc[2 * i] = x;
      });
      const expected = Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 ? values[i >> 1] : wRe));
      expectClose(matchOrder(eig({ data: apc, shape: [n, n] }).values, expected), expected, 1e-8, 'eig(AP)');
    });
  },
);
