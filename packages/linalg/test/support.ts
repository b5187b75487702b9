import { type ComplexTensor, createRng, type Rng, type Tensor } from '@statespace/complex';

// Reference helpers for the tests: deliberately naive loops, independent of the kernels under test.

export const SIZES = [1, 2, 3, 10, 64] as const;

export function rng(seed: number): Rng {
  return createRng(seed);
}

/** A real m×n matrix of standard normals. */
export function randomReal(r: Rng, m: number, n = m): Tensor<Float64Array> {
  return { data: Float64Array.from({ length: m * n }, () => r.normal()), shape: [m, n] };
}

/** A complex m×n matrix with standard normal real and imaginary parts. */
export function randomComplex(r: Rng, m: number, n = m): ComplexTensor<Float64Array> {
  return { data: Float64Array.from({ length: 2 * m * n }, () => r.normal()), shape: [m, n] };
}

/** A random complex Hermitian n×n matrix, (G + G*)/2. */
export function randomHermitian(r: Rng, n: number): ComplexTensor<Float64Array> {
  const g = randomComplex(r, n);
  return scale(add(g, naiveAdjoint(g)), 0.5);
}

/** A random unitary n×n matrix: Gram–Schmidt (twice) on the columns of a complex Gaussian matrix. */
export function randomUnitary(r: Rng, n: number): ComplexTensor<Float64Array> {
  const q = randomComplex(r, n).data;
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dr = 0;
        let di = 0;
        for (let i = 0; i < n; i++) {
          const [pr, pi, jr, ji] = [
            q[2 * (i * n + p)],
            q[2 * (i * n + p) + 1],
            q[2 * (i * n + j)],
            q[2 * (i * n + j) + 1],
          ];
          dr += pr * jr + pi * ji;
          di += pr * ji - pi * jr;
        }
        for (let i = 0; i < n; i++) {
          const [pr, pi] = [q[2 * (i * n + p)], q[2 * (i * n + p) + 1]];
          q[2 * (i * n + j)] -= dr * pr - di * pi;
          q[2 * (i * n + j) + 1] -= dr * pi + di * pr;
        }
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[2 * (i * n + j)] ** 2 + q[2 * (i * n + j) + 1] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) {
      q[2 * (i * n + j)] /= norm;
      q[2 * (i * n + j) + 1] /= norm;
    }
  }
  return { data: q, shape: [n, n] };
}

/** Complex A·B by the textbook triple loop. */
export function naiveProduct(a: ComplexTensor, b: ComplexTensor): ComplexTensor<Float64Array> {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const out = new Float64Array(2 * m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let re = 0;
      let im = 0;
      for (let p = 0; p < k; p++) {
        const [ar, ai] = [a.data[2 * (i * k + p)], a.data[2 * (i * k + p) + 1]];
        const [br, bi] = [b.data[2 * (p * n + j)], b.data[2 * (p * n + j) + 1]];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      out[2 * (i * n + j)] = re;
      out[2 * (i * n + j) + 1] = im;
    }
  }
  return { data: out, shape: [m, n] };
}

export function naiveAdjoint(a: ComplexTensor): ComplexTensor<Float64Array> {
  const [m, n] = a.shape;
  const out = new Float64Array(2 * m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      out[2 * (j * m + i)] = a.data[2 * (i * n + j)];
      out[2 * (j * m + i) + 1] = -a.data[2 * (i * n + j) + 1];
    }
  }
  return { data: out, shape: [n, m] };
}

/** Real → complex with zero imaginary parts. */
export function complexify(a: Tensor): ComplexTensor<Float64Array> {
  const out = new Float64Array(2 * a.data.length);
  for (let i = 0; i < a.data.length; i++) out[2 * i] = a.data[i];
  return { data: out, shape: [...a.shape] };
}

export function add(a: ComplexTensor, b: ComplexTensor): ComplexTensor<Float64Array> {
  return { data: Float64Array.from(a.data, (x, i) => x + b.data[i]), shape: [...a.shape] };
}

export function scale(a: ComplexTensor, s: number): ComplexTensor<Float64Array> {
  return { data: Float64Array.from(a.data, (x) => x * s), shape: [...a.shape] };
}

/** V·diag(λ) for complex λ (interleaved), i.e. column j of V times λ_j. */
export function scaleColumns(v: ComplexTensor, values: ArrayLike<number>, complexValues: boolean) {
  const [m, n] = v.shape;
  const out = new Float64Array(2 * m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const [vr, vi] = [v.data[2 * (i * n + j)], v.data[2 * (i * n + j) + 1]];
      const [lr, li] = complexValues ? [values[2 * j], values[2 * j + 1]] : [values[j], 0];
      out[2 * (i * n + j)] = vr * lr - vi * li;
      out[2 * (i * n + j) + 1] = vr * li + vi * lr;
    }
  }
  return { data: out, shape: [m, n] };
}

/** The complex n×n identity. */
export function eye(n: number): ComplexTensor<Float64Array> {
  const out = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) out[2 * (i * n + i)] = 1;
  return { data: out, shape: [n, n] };
}

/** U·diag(values)·U* for a unitary U: a Hermitian matrix with the given spectrum. */
export function withSpectrum(u: ComplexTensor, values: readonly number[]): ComplexTensor<Float64Array> {
  return naiveProduct(scaleColumns(u, values, false), naiveAdjoint(u));
}

/**
 * `actual` (interleaved complex) reordered to line up with `expected`: each expected value takes
 * the nearest actual value not taken yet. Compares spectra as sets, whatever the order.
 */
export function matchOrder(actual: ArrayLike<number>, expected: ArrayLike<number>): Float64Array {
  const n = expected.length / 2;
  const taken = new Array<boolean>(n).fill(false);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    let best = -1;
    let distance = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      const d = Math.hypot(actual[2 * j] - expected[2 * i], actual[2 * j + 1] - expected[2 * i + 1]);
      if (!taken[j] && d < distance) [best, distance] = [j, d];
    }
    taken[best] = true;
    out[2 * i] = actual[2 * best];
    out[2 * i + 1] = actual[2 * best + 1];
  }
  return out;
}
