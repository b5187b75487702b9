import { assertInteger, type ComplexTensor, complexTensor, type Tensor, tensor } from '@statespace/complex';
import { eigh } from '@statespace/linalg';
import { transition } from './measures';
import { assertKnownOptions } from './options';
import { checkRankCorrection, type NplrMeasure, rankCorrection } from './rank-correction';

/** Options of {@link nplr}. */
export interface NplrOptions {
  /** Rows of the low-rank term (default 1; `legt` needs ≥ 2). Extra rows are zero. */
  rank?: number;
  /**
   * Clip |B̃| at this magnitude, keeping each entry's phase (default 2, the official `B_clip`).
   * `null`, or the key present with the value `undefined`, disables clipping.
   */
  bClip?: number | null;
}

/**
 * The normal-plus-low-rank form of a HiPPO matrix, stored as half of each conjugate pair:
 * A = V_f (diag(Λ_f) − P̃_f P̃_f*) V_f* and B = V_f B̃_f with V_f = [V, conj V], Λ_f = [Λ, conj Λ],
 * P̃_f = [P̃, conj P̃], B̃_f = [B̃, conj B̃], V_f unitary.
 */
export interface Nplr {
  /** The N/2 eigenvalues of the normal part with Im ≤ 0, ascending in Im (interleaved complex). */
  Lambda: Float64Array;
  /** P̃ = V* P, `[rank, N/2]`. */
  P: ComplexTensor<Float64Array>;
  /** B̃ = V* B, clipped in magnitude at `bClip` (interleaved complex, N/2 values). */
  B: Float64Array;
  /** The kept eigenvectors as columns, `[N, N/2]`. */
  V: ComplexTensor<Float64Array>;
}

/** Below this |Im Λ| an eigenvalue pair counts as zero (the official threshold). */
const ZERO_EIGENVALUE = 1e-4;

/**
 * The NPLR (normal plus low-rank) decomposition of a HiPPO measure, as `hippo.nplr` of the
 * official code:
 *
 * 1. AP = A + Σ_r P_r P_rᵀ, which is c·I + S with S skew-symmetric.
 * 2. Re Λ = mean(diag AP); Im Λ and V come from the Hermitian eigendecomposition of H = −i·S,
 *    with S = (AP − APᵀ)/2 formed explicitly (the official code feeds −i·AP to `eigh`, which
 *    silently drops the diagonal; the results agree).
 * 3. Keep the N/2 eigenvalues with negative imaginary part, ascending. A zero pair (the Fourier
 *    measures) is kept as the single complex mode (e₀ + i·e₁)/√2, as the official code does
 *    (which tests |Λ| where this tests |Im Λ|, a difference only for `fourier_diag`).
 * 4. B̃ = V*B, P̃ = V*P, then |B̃| is clipped at `bClip` keeping the phase. The official code clamps
 *    Im B̃ instead, which depends on the eigensolver's arbitrary column phases; clipping the
 *    magnitude is phase-invariant and nearly identical under LAPACK's phases.
 *
 * Use {@link nplrReconstructionError} to check the result against `transition(measure, N).A`.
 *
 * @throws RangeError for a measure without a rank correction, an odd N, a rank below the
 * measure's natural rank, a bad `bClip`, an unknown option, or more than one zero eigenvalue pair.
 */
export function nplr(measure: NplrMeasure, N: number, options: NplrOptions = {}): Nplr {
  assertKnownOptions('nplr options', options, ['rank', 'bClip']);
  const rank = options.rank ?? 1;
  checkRankCorrection(measure, N, rank);
  assertInteger('N', N, 2);
  if (N % 2 !== 0) throw new RangeError(`N must be even: NPLR keeps N/2 conjugate pairs; got ${N}`);
  const bClip = clipOption(options);

  const { A, B } = transition(measure, N);
  const P = rankCorrection(measure, N, rank).data;
  const AP = Float64Array.from(A.data);
  for (let r = 0; r < rank; r++) {
    const p = P.subarray(r * N, (r + 1) * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) AP[i * N + j] += p[i] * p[j];
  }
  let trace = 0;
  for (let i = 0; i < N; i++) trace += AP[i * N + i];
  const realPart = trace / N;

  // H = −i·S is Hermitian because S is real skew-symmetric: H_ij = −i·S_ij.
  const H = new Float64Array(2 * N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) H[2 * (i * N + j) + 1] = -0.5 * (AP[i * N + j] - AP[j * N + i]);
  }
  const { values, vectors } = eigh(complexTensor(H, [N, N]));
  // eigh returns ascending eigenvalues; a stable sort keeps that contract explicit.
  const order = Array.from(values.keys()).sort((a, b) => values[a] - values[b]);

  const M = N / 2;
  const Lambda = new Float64Array(2 * M);
  const V = new Float64Array(2 * N * M);
  for (let m = 0; m < M; m++) {
    const col = order[m];
    Lambda[2 * m] = realPart;
    Lambda[2 * m + 1] = values[col];
    for (let i = 0; i < N; i++) {
      V[2 * (i * M + m)] = vectors.data[2 * (i * N + col)];
      V[2 * (i * M + m) + 1] = vectors.data[2 * (i * N + col) + 1];
    }
  }
  fixZeroPair(Lambda, V, N, M);

  const Bt = adjointTimes(V, B, N, M);
  const Pt = new Float64Array(2 * rank * M);
  for (let r = 0; r < rank; r++) Pt.set(adjointTimes(V, P.subarray(r * N, (r + 1) * N), N, M), 2 * r * M);
  if (bClip !== null) clipMagnitude(Bt, bClip);
  return {
    Lambda,
    P: complexTensor(Pt, [rank, M]),
    B: Bt,
    V: complexTensor(V, [N, M]),
  };
}

function clipOption(options: NplrOptions): number | null {
  if (options.bClip === null || ('bClip' in options && options.bClip === undefined)) return null;
  const bClip = options.bClip ?? 2;
  if (!(Number.isFinite(bClip) && bClip > 0)) {
    throw new RangeError(`bClip must be a finite number > 0, or null to disable clipping; got ${bClip}`);
  }
  return bClip;
}

/**
 * The zero-eigenvalue case of the Fourier measures. There the skew part has one zero pair on
 * coordinates (0, 1), and eigh returns two arbitrary real vectors of that plane; the kept one is
 * replaced by (e₀ + i·e₁)/√2 so that [V, conj V] stays unitary. Any further zero is an error.
 *
 * The official code tests |Λ| rather than |Im Λ|. The two agree whenever Re Λ = 0 (every Fourier
 * measure with a rank correction); for `fourier_diag`, Re Λ = −½ hides the zero pair from the
 * official test and leaves [V, conj V] singular, which testing Im Λ avoids.
 */
function fixZeroPair(Lambda: Float64Array, V: Float64Array, N: number, M: number): void {
  const imaginary = (m: number) => Math.abs(Lambda[2 * m + 1]);
  if (M >= 2 && !(imaginary(M - 2) > ZERO_EIGENVALUE)) {
    throw new RangeError('the skew part of A has more than one zero eigenvalue pair; NPLR allows only one');
  }
  if (!(imaginary(M - 1) < ZERO_EIGENVALUE)) return;
  for (let i = 0; i < N; i++) {
    V[2 * (i * M + M - 1)] = 0;
    V[2 * (i * M + M - 1) + 1] = 0;
  }
  V[2 * (M - 1)] = Math.SQRT1_2;
  V[2 * (M + M - 1) + 1] = Math.SQRT1_2;
}

/** V* x for V `[N, M]` complex and a real vector x of length N. */
function adjointTimes(V: Float64Array, x: ArrayLike<number>, N: number, M: number): Float64Array {
  const out = new Float64Array(2 * M);
  for (let i = 0; i < N; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    for (let m = 0; m < M; m++) {
      out[2 * m] += V[2 * (i * M + m)] * xi;
      out[2 * m + 1] -= V[2 * (i * M + m) + 1] * xi;
    }
  }
  return out;
}

function clipMagnitude(b: Float64Array, limit: number): void {
  for (let m = 0; m < b.length; m += 2) {
    const r = Math.hypot(b[m], b[m + 1]);
    if (r > limit) {
      b[m] *= limit / r;
      b[m + 1] *= limit / r;
    }
  }
}

/**
 * The real matrix V_f (diag(Λ_f) − P̃_f P̃_f*) V_f* of an NPLR decomposition in its full,
 * conjugate-expanded form: 2·Re(V diag(Λ) V*) − Σ_r u_r u_rᵀ with u_r = 2·Re(V P̃_r). It equals
 * `transition(measure, N).A` when the decomposition is right.
 */
export function reconstructNplr(result: Nplr): Tensor<Float64Array> {
  const [N, M] = result.V.shape;
  const V = result.V.data;
  const W = result.Lambda;
  const out = new Float64Array(N * N);
  // VW = V·diag(Λ), then out = 2·Re(VW·V*).
  const VW = new Float64Array(2 * N * M);
  for (let i = 0; i < N; i++) {
    for (let m = 0; m < M; m++) {
      const a = 2 * (i * M + m);
      VW[a] = V[a] * W[2 * m] - V[a + 1] * W[2 * m + 1];
      VW[a + 1] = V[a] * W[2 * m + 1] + V[a + 1] * W[2 * m];
    }
  }
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      // Re(z·conj w) = z.re·w.re + z.im·w.im
      for (let m = 0; m < M; m++) {
        const a = 2 * (i * M + m);
        const b = 2 * (j * M + m);
        s += VW[a] * V[b] + VW[a + 1] * V[b + 1];
      }
      out[i * N + j] = 2 * s;
    }
  }
  const [rank] = result.P.shape;
  const Pt = result.P.data;
  const u = new Float64Array(N);
  for (let r = 0; r < rank; r++) {
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let m = 0; m < M; m++) {
        const a = 2 * (i * M + m);
        const p = 2 * (r * M + m);
        s += V[a] * Pt[p] - V[a + 1] * Pt[p + 1];
      }
      u[i] = 2 * s;
    }
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) out[i * N + j] -= u[i] * u[j];
  }
  return tensor(out, [N, N]);
}

/**
 * How well an NPLR decomposition reproduces its HiPPO matrix: the max-norm relative error
 * ‖reconstructNplr(result) − A‖_max / ‖A‖_max with A = `transition(measure, N).A`. Typically
 * 1e-15 to 1e-14 in float64.
 */
export function nplrReconstructionError(measure: NplrMeasure, result: Nplr): number {
  const [N] = result.V.shape;
  const expected = transition(measure, N).A.data;
  const actual = reconstructNplr(result).data;
  let diff = 0;
  let ref = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    ref = Math.max(ref, Math.abs(expected[i]));
  }
  return diff / ref;
}
