import { complexTensor, type Tensor, tensor } from '@statespace/complex';
import { eigh } from '@statespace/linalg';

/** The NPLR spectrum of HiPPO-LegS: A = V(Λ − P̃P̃*)V*, Λ = −½ + i·ω. */
export interface LegsSpectrum {
  N: number;
  /** The N/2 eigenvalues with negative imaginary part, ascending: Λ_n = −½ + i·omega[n]. */
  omega: Float64Array;
  /** max |A − V(Λ − PP*)V*| / max |A|, over the full conjugate-expanded decomposition. */
  reconstructionError: number;
}

/** The LegS transition matrix (S4_REFERENCE §3.1) and its rank-1 correction P_n = √(n+½). */
export function legsMatrix(N: number): { A: Tensor<Float64Array>; P: Float64Array } {
  const A = new Float64Array(N * N);
  const P = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    P[n] = Math.sqrt(n + 0.5);
    for (let k = 0; k <= n; k++) {
      A[n * N + k] = n > k ? -Math.sqrt(2 * n + 1) * Math.sqrt(2 * k + 1) : -(n + 1);
    }
  }
  return { A: tensor(A, [N, N]), P };
}

/**
 * Diagonalises the normal part A + PPᵀ = −½I + S of LegS through the Hermitian matrix −iS, and
 * checks the reconstruction of A from all N eigenpairs.
 */
export function legsSpectrum(N: number): LegsSpectrum {
  const { A, P } = legsMatrix(N);
  // H = −i·S with S = (AP − APᵀ)/2 the skew part of AP = A + PPᵀ: H is Hermitian.
  const H = new Float64Array(2 * N * N);
  for (let r = 0; r < N; r++) {
    for (let c = 0; c < N; c++) {
      const ap = (i: number, j: number) => A.data[i * N + j] + P[i] * P[j];
      H[2 * (r * N + c) + 1] = -(ap(r, c) - ap(c, r)) / 2;
    }
  }
  const { values, vectors } = eigh(complexTensor(H, [N, N]));
  // A = V·diag(−½ + i·values)·V* − PPᵀ, evaluated entrywise.
  const V = vectors.data;
  let maxErr = 0;
  let maxA = 0;
  for (let r = 0; r < N; r++) {
    for (let c = 0; c < N; c++) {
      let re = 0;
      for (let k = 0; k < N; k++) {
        const vr = V[2 * (r * N + k)];
        const vi = V[2 * (r * N + k) + 1];
        const wr = V[2 * (c * N + k)];
        const wi = V[2 * (c * N + k) + 1];
        // (V_rk)(λ_k)(conj V_ck), real part; λ_k = −½ + i·values[k]
        const pr = vr * wr + vi * wi;
        const pi = vi * wr - vr * wi;
        re += -0.5 * pr - values[k] * pi;
      }
      const a = A.data[r * N + c];
      maxErr = Math.max(maxErr, Math.abs(re - P[r] * P[c] - a));
      maxA = Math.max(maxA, Math.abs(a));
    }
  }
  return { N, omega: values.slice(0, N / 2), reconstructionError: maxErr / maxA };
}
