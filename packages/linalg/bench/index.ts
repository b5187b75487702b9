import type { ComplexTensor } from '@statespace/complex';
import { measureMs, relativeError, report } from '@statespace/testing';
import { eighGeneral } from '../src/eigh';
import { adjoint, cmatmul, eig, eigh } from '../src/index';

// Hermitian eigendecomposition of the LegS normal part, the matrix S4's NPLR initialisation
// diagonalises, beside ml-matrix and mathjs on the same problem. One JSON line per figure.
// H = −i·S is purely imaginary, so `eigh` takes its real-arithmetic path; `eighGeneral` (internal)
// times the general complex path on the same matrix.

/** mathjs at N = 256 runs only if its time at N = 64, scaled by (256/64)³, stays under this. */
const MATHJS_BUDGET_MS = 60_000;

/** AP = A + P·Pᵀ for LegS: A_nk = −√(2n+1)√(2k+1) (n > k), −(n+1) (n = k), 0 (n < k); P_n = √(n+½). */
function legsNormalPart(n: number): Float64Array {
  const ap = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const a = i > k ? -Math.sqrt(2 * i + 1) * Math.sqrt(2 * k + 1) : i === k ? -(i + 1) : 0;
      ap[i * n + k] = a + Math.sqrt(i + 0.5) * Math.sqrt(k + 0.5);
    }
  }
  return ap;
}

/** The skew part S = (AP − APᵀ)/2 as nested rows, for ml-matrix and mathjs. */
function skewRows(ap: Float64Array, n: number): number[][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, k) => (ap[i * n + k] - ap[k * n + i]) / 2),
  );
}

/** H = −i·S, interleaved. */
function hermitian(s: number[][], n: number): ComplexTensor<Float64Array> {
  const data = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) data[2 * (i * n + k) + 1] = -s[i][k];
  return { data, shape: [n, n] };
}

/** The real symmetric 2N×2N embedding [[Re H, −Im H], [Im H, Re H]] of H; here Re H = 0, Im H = −S. */
function realEmbedding(s: number[][], n: number): number[][] {
  return Array.from({ length: 2 * n }, (_, i) =>
    Array.from({ length: 2 * n }, (_, k) => {
      if (i < n && k >= n) return s[i][k - n];
      if (i >= n && k < n) return -s[i - n][k];
      return 0;
    }),
  );
}

/** ‖V·diag(λ)·V* − H‖_max / ‖H‖_max. */
function reconstructionError(h: ComplexTensor, values: Float64Array, vectors: ComplexTensor): number {
  const n = values.length;
  const scaled = new Float64Array(vectors.data);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      scaled[2 * (i * n + j)] *= values[j];
      scaled[2 * (i * n + j) + 1] *= values[j];
    }
  }
  return relativeError(cmatmul({ data: scaled, shape: [n, n] }, adjoint(vectors)).data, h.data);
}

const SIZES = [64, 256];

// @statespace/linalg first, before the other libraries are even loaded: mathjs's large heap makes
// garbage collection, and so every allocating call in the process, slower (eigh by about 1.3–1.5×).
for (const n of SIZES) {
  const name = `eigh legs N=${n}`;
  const h = hermitian(skewRows(legsNormalPart(n), n), n);
  const options = n === 64 ? { warmup: 200, samples: 101 } : { warmup: 20, samples: 31 };
  const paths = [
    { method: 'eigh(−i·S), real skew path', solve: eigh },
    { method: 'eighGeneral(−i·S), general complex path', solve: eighGeneral },
  ];
  for (const { method, solve } of paths) {
    report({
      name,
      impl: '@statespace/linalg',
      method,
      value: measureMs(() => solve(h), options),
      unit: 'ms',
    });
    const { values, vectors } = solve(h);
    report({
      name: `${name} reconstruction error`,
      impl: '@statespace/linalg',
      method,
      value: reconstructionError(h, values, vectors),
      unit: 'relative',
    });
  }
}

// The general eigensolver on the non-Hermitian AP itself, for reference.
const ap64 = legsNormalPart(64);
const apComplex = new Float64Array(2 * 64 * 64);
ap64.forEach((x, i) => {
  apComplex[2 * i] = x;
});
const general = measureMs(() => eig({ data: apComplex, shape: [64, 64] }), { warmup: 20, samples: 31 });
report({
  name: 'eig legs AP N=64',
  impl: '@statespace/linalg',
  method: 'eig(AP)',
  value: general,
  unit: 'ms',
});

const { EigenvalueDecomposition, Matrix } = await import('ml-matrix');
for (const n of SIZES) {
  const name = `eigh legs N=${n}`;
  const s = skewRows(legsNormalPart(n), n);
  const options = n === 64 ? { warmup: 1, samples: 5 } : { warmup: 0, samples: 3 };
  report({
    name,
    impl: 'ml-matrix',
    method: 'EigenvalueDecomposition on the real skew S (general real EVD)',
    value: measureMs(() => new EigenvalueDecomposition(new Matrix(s)), options),
    unit: 'ms',
  });
  const embedding = realEmbedding(s, n);
  report({
    name,
    impl: 'ml-matrix',
    method: 'EigenvalueDecomposition(assumeSymmetric) on the 2N×2N real embedding of H',
    value: measureMs(
      () => new EigenvalueDecomposition(new Matrix(embedding), { assumeSymmetric: true }),
      options,
    ),
    unit: 'ms',
  });
}

const { complex, eigs } = await import('mathjs');
let mathjs64Ms = Number.POSITIVE_INFINITY;
for (const n of SIZES) {
  const name = `eigh legs N=${n}`;
  const projected = mathjs64Ms * (n / 64) ** 3;
  if (n === 64 || projected <= MATHJS_BUDGET_MS) {
    const h = skewRows(legsNormalPart(n), n).map((row) => row.map((x) => complex(0, -x)));
    const ms = measureMs(() => eigs(h), { warmup: 0, samples: 1 });
    if (n === 64) mathjs64Ms = ms;
    report({ name, impl: 'mathjs', method: 'eigs on the complex H', value: ms, unit: 'ms', samples: 1 });
  } else {
    const estimate = Math.round(projected);
    report({
      name,
      impl: 'mathjs',
      skipped: 'too slow',
      projectedMs: estimate,
      value: Number.NaN,
      unit: 'ms',
    });
  }
}
