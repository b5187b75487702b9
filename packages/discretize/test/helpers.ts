import type { ComplexTensor, Rng, Tensor } from '@statespace/complex';

// Random systems and dense reference constructions shared by the tests.

/** A random complex tensor with entries re ~ reScale·N(0,1) (or −|·| with `stable`) and im ~ imScale·N(0,1). */
export function randomComplex(
  rng: Rng,
  shape: number[],
  { reScale = 1, imScale = 1, stable = false } = {},
): ComplexTensor<Float64Array> {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(2 * size);
  for (let i = 0; i < size; i++) {
    const re = reScale * rng.normal();
    data[2 * i] = stable ? -Math.abs(re) : re;
    data[2 * i + 1] = imScale * rng.normal();
  }
  return { data, shape };
}

/** A random real tensor with N(0,1)·scale entries. */
export function randomReal(rng: Rng, shape: number[], scale = 1): Tensor<Float64Array> {
  const size = shape.reduce((a, b) => a * b, 1);
  return { data: Float64Array.from({ length: size }, () => scale * rng.normal()), shape };
}

/** Random per-row step sizes log-uniform in [1e-3, 1e-1], shape `[H]`. */
export function randomDt(rng: Rng, H: number): Tensor<Float64Array> {
  return {
    data: Float64Array.from({ length: H }, () => Math.exp(Math.log(1e-3) + rng.uniform() * Math.log(100))),
    shape: [H],
  };
}

/** Row h of a [H, n] interleaved tensor as its own interleaved array. */
export function row(t: ComplexTensor, h: number): Float64Array {
  const n = t.shape[t.shape.length - 1];
  return Float64Array.from(t.data.subarray(2 * h * n, 2 * (h + 1) * n));
}

/** diag(v) as a complex [n, n] matrix. */
export function diagMatrix(v: Float64Array): ComplexTensor<Float64Array> {
  const n = v.length / 2;
  const data = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    data[2 * (i * n + i)] = v[2 * i];
    data[2 * (i * n + i) + 1] = v[2 * i + 1];
  }
  return { data, shape: [n, n] };
}

/** [v, conj v] of an interleaved vector. */
export function conjExpanded(v: Float64Array): Float64Array {
  const n = v.length / 2;
  const out = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = v[2 * i];
    out[2 * i + 1] = v[2 * i + 1];
    out[2 * (n + i)] = v[2 * i];
    out[2 * (n + i) + 1] = -v[2 * i + 1];
  }
  return out;
}

/**
 * The full-state DPLR matrix of row h: diag(Λ, conj Λ) − Σ_r p_r p_r^* with p_r = [P_r, conj P_r],
 * complex [N, N].
 */
export function dplrDenseMatrix(
  Lambda: ComplexTensor,
  P: ComplexTensor,
  h: number,
): ComplexTensor<Float64Array> {
  const [rank, H, halfN] = P.shape;
  const N = 2 * halfN;
  const a = diagMatrix(conjExpanded(row(Lambda, h))).data;
  for (let r = 0; r < rank; r++) {
    const p = conjExpanded(row({ data: P.data, shape: [rank * H, halfN] }, r * H + h));
    for (let m = 0; m < N; m++) {
      for (let n = 0; n < N; n++) {
        // p_m · conj(p_n)
        a[2 * (m * N + n)] -= p[2 * m] * p[2 * n] + p[2 * m + 1] * p[2 * n + 1];
        a[2 * (m * N + n) + 1] -= p[2 * m + 1] * p[2 * n] - p[2 * m] * p[2 * n + 1];
      }
    }
  }
  return { data: a, shape: [N, N] };
}

/** Complex matrix–vector product of a [n, n] matrix and an [n] vector (interleaved). */
export function cmatvec(a: ArrayLike<number>, x: ArrayLike<number>, n: number): Float64Array {
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const ar = a[2 * (i * n + j)];
      const ai = a[2 * (i * n + j) + 1];
      y[2 * i] += ar * x[2 * j] - ai * x[2 * j + 1];
      y[2 * i + 1] += ar * x[2 * j + 1] + ai * x[2 * j];
    }
  }
  return y;
}

/**
 * The naive kernel of per-mode coefficients: K[l] = scale·Re Σ_n c_n·e^{w_n·(l − s_n)}, for one
 * row of `[.., N/2]` arrays.
 */
export function naiveKernel(
  c: ArrayLike<number>,
  w: ArrayLike<number>,
  shift: ArrayLike<number>,
  scale: number,
  L: number,
): Float64Array {
  const K = new Float64Array(L);
  for (let n = 0; n < shift.length; n++) {
    for (let l = 0; l < L; l++) {
      const t = l - shift[n];
      const m = Math.exp(w[2 * n] * t);
      const th = w[2 * n + 1] * t;
      K[l] += scale * m * (c[2 * n] * Math.cos(th) - c[2 * n + 1] * Math.sin(th));
    }
  }
  return K;
}
