import {
  assertInteger,
  assertPositive,
  type ComplexTensor,
  type RealArray,
  type Tensor,
} from '@statespace/complex';
import { rfftPlan } from '@statespace/fft';
import { cauchy, cauchyLimit } from './cauchy';
import type { DplrSystem } from './dplr-system';
import { kernelOutputArray, type SsmKernelArrays, type SsmKernelOutput } from './kernel-output';
import { type FrequencyNodes, frequencyNodes } from './nodes';
import { complexShape, modeSteps } from './parameters';
import { pythonRound } from './python-round';
import { scratch } from './scratch';
import { applyBilinearFactor, woodbury, woodburyLimit } from './woodbury';

// The S4 convolution kernel (official `SSMKernelDPLR.forward(state, rate, L)`), assembled from the
// primitives of this package: Cauchy sums at the bilinear images of the roots of unity, the
// Woodbury correction of the low-rank part, the bilinear factor 2/(1+ω) (with the Nyquist node
// taken as its analytic limit), and an inverse real FFT. Everything runs in float64; the result
// has float32 data when any input has.

/**
 * The parameters of the S4 (DPLR, bilinear) kernel of a layer: the system A = diag(Λ) − P P*
 * (Q = conj P), B, Δ, and the stored output parameter C̃, which is attuned to the kernel length
 * `lKernel` (C̃ = C·(I − Ā^lKernel), see `cTildeFromC`), as the official v4 checkpoints keep it.
 */
export interface DplrKernelParams extends DplrSystem {
  /**
   * Step sizes Δ > 0: real [H] or [H, 1] (one per feature, the official `dt_tie=True`), or
   * [H, N2] (one per mode, broadcast as the official code does).
   */
  dt: Tensor;
  /** C̃ attuned to `lKernel`, complex [channels, H, N2] (used as is: not conjugated). */
  C: ComplexTensor;
  /** The length C̃ is attuned to (the official buffer `l_kernel`), an integer ≥ 1. */
  lKernel: number;
  /**
   * Output length, an integer with 1 ≤ L ≤ round(lKernel/rate) (default round(lKernel/rate)).
   * The kernel is computed at the discrete length round(lKernel/rate) and truncated to L.
   */
  L?: number;
  /** Sampling-rate factor (default 1): Δ is multiplied by it and the discrete length divided. */
  rate?: number;
  /** Initial states x₀, complex [batch, H, N2] (half state); adds `K_state` to the output. */
  state?: ComplexTensor;
}

/** The lengths of an S4 kernel evaluation, from {@link dplrKernelLengths}. */
export interface DplrKernelLengths {
  /** round(lKernel/rate) (Python rounding): the number of samples of the inverse FFT. */
  readonly discreteL: number;
  /** The output length, ≤ `discreteL`. */
  readonly L: number;
  /** The sampling-rate factor. */
  readonly rate: number;
}

/**
 * The length logic of the official `SSMKernelDPLR.forward` for a C̃ attuned to `lKernel`:
 * discrete_L = round(lKernel/rate) with Python's round-half-to-even, and L defaulting to it.
 *
 * Where the official code would first double C̃ in place (its `while round(rate·L) > l_kernel`
 * loop), this throws instead — this function never changes C̃: double it with `doubleCTilde` and
 * pass 2·lKernel. It also throws for L > discrete_L, which the official code would silently
 * truncate to discrete_L samples.
 *
 * @param lKernel - length C̃ is attuned to, an integer ≥ 1.
 * @param rate - sampling-rate factor, finite and > 0 (default 1).
 * @param L - requested output length, an integer ≥ 1 (default discrete_L).
 * @throws RangeError on a bad lKernel, rate or L, on a rate so large that discrete_L is 0, when
 *   L > discrete_L, or when round(rate·L) > lKernel.
 */
export function dplrKernelLengths(lKernel: number, rate = 1, L?: number): DplrKernelLengths {
  assertInteger('lKernel', lKernel, 1);
  assertPositive('rate', rate);
  const discreteL = pythonRound(lKernel / rate);
  if (discreteL < 1) {
    throw new RangeError(
      `rate must leave a discrete length round(lKernel/rate) ≥ 1; got rate = ${rate} with lKernel = ${lKernel}`,
    );
  }
  const length = L ?? discreteL;
  assertInteger('L', length, 1);
  if (length > discreteL) {
    throw new RangeError(
      `L must be ≤ round(lKernel/rate) = ${discreteL} (lKernel = ${lKernel}, rate = ${rate}); got ${length}. ` +
        'Attune C̃ to a longer length first (doubleCTilde) and pass that lKernel',
    );
  }
  const continuousL = pythonRound(rate * length);
  if (continuousL > lKernel) {
    throw new RangeError(
      `L = ${length} at rate ${rate} needs C̃ attuned to round(rate·L) = ${continuousL} > lKernel = ${lKernel} ` +
        '(the official forward doubles C̃ in place here): double it with doubleCTilde and pass 2·lKernel',
    );
  }
  return { discreteL, L: length, rate };
}

/**
 * The S4 convolution kernel of H DPLR systems (official `SSMKernelDPLR.forward`), for a C̃
 * attuned to `lKernel`:
 *
 * 1. discrete_L = round(lKernel/rate), Δ ← Δ·rate (see {@link dplrKernelLengths});
 * 2. nodes ω_k = e^{−2πik/discrete_L}, z_k = 2(1−ω_k)/(1+ω_k), k ≤ discrete_L/2 (any length);
 * 3. with states, the "un-bilinear" rows s = (1/Δ)(I + Δ/2·A)·x₀ over the full
 *    conjugate-expanded A = diag(Λ) − P P* (first half kept);
 * 4. B̂ = [B; s; P], Ĉ = [C̃; Q], v = B̂·Ĉ·Δ (C̃ not conjugated), Cauchy sums at z with poles ΔΛ;
 * 5. the Woodbury correction of any rank, the factor 2/(1+ω) (the Nyquist node, ω = −1, as its
 *    analytic limit), irfft with n = discrete_L, truncated to L.
 *
 * The kernel then equals K_l = 2·Re(C Ā^l B̄) for the bilinear Ā, B̄ and the true C, and the
 * state rows give K_state_l = 2·Re(C Ā^{l+1} x₀), l < L.
 *
 * Computed in float64 throughout; the outputs are float32 when any input array is float32.
 * Cost O(rows·H·N2·discrete_L) for the Cauchy sums with rows = (1 + batch + R)(channels + R).
 *
 * @param out - Arrays to write `K` (and `K_state`) into instead of new ones (see
 *   {@link SsmKernelArrays}).
 * @returns `K` real [channels, H, L] and, when `state` is given, `K_state` real
 *   [batch, channels, H, L].
 * @throws RangeError on mismatched shapes or ranks (the message names the argument), non-finite
 *   values, Δ ≤ 0, a bad lKernel / rate / L (see {@link dplrKernelLengths}), a singular
 *   Woodbury system at some node, or `out` arrays of other sizes.
 */
export function dplrKernel(params: DplrKernelParams, out?: SsmKernelArrays): SsmKernelOutput {
  const problem = prepareDplrKernel(params);
  const { H, N2, R, channels, batch, nb, rows, cols, discreteL, L, nodes, f32 } = problem;
  const Lz = nodes.count;
  const vt: ComplexTensor = { data: problem.v, shape: [rows * cols, H, N2] };
  // The intermediates never leave this function: they come from reused work arrays.
  const count = nb * channels * H;
  const r = cauchy(
    vt,
    { data: problem.w, shape: [H, N2] },
    { data: nodes.z, shape: [Lz] },
    scratch('dplr.r', 2 * rows * cols * H * Lz),
  );
  const kf = woodbury({ data: r.data, shape: [rows, cols, H, Lz] }, R, scratch('dplr.kf', 2 * count * Lz));
  const limit = problem.limit && { data: problem.limit, shape: [nb, channels, H] };
  const spectrum = applyBilinearFactor(kf, nodes.omega, limit, scratch('dplr.spectrum', 2 * count * Lz));
  const time = rfftPlan(discreteL, 'float64').inverseRows(
    spectrum.data as Float64Array,
    count,
    scratch('dplr.time', count * discreteL),
  );

  // Rows of `time` are [nb, channels, H] × discrete_L: row block 0 is K, blocks 1… the states.
  const block = channels * H;
  const K = kernelOutputArray('K', out?.K, block * L, f32);
  truncateRows(time, 0, discreteL, K, block, L);
  if (params.state === undefined) return { K: { data: K, shape: [channels, H, L] } };
  const KState = kernelOutputArray('K_state', out?.K_state, batch * block * L, f32);
  truncateRows(time, block * discreteL, discreteL, KState, batch * block, L);
  return {
    K: { data: K, shape: [channels, H, L] },
    K_state: { data: KState, shape: [batch, channels, H, L] },
  };
}

/**
 * Everything an S4 kernel evaluation needs before its Cauchy sums, computed on the host in float64
 * and shared by every backend: the validated sizes, the length logic, and the Cauchy problem —
 * numerators v = B̂ᵢ·Ĉⱼ·Δ for B̂ = [B; states; P] and Ĉ = [C̃; Q], poles w = ΔΛ, the frequency nodes,
 * and the Nyquist node's value when there is one.
 */
export interface DplrKernelProblem {
  H: number;
  N2: number;
  /** Rank of the low-rank part. */
  R: number;
  channels: number;
  /** Number of initial states (0 without). */
  batch: number;
  /** Rows of K and K_state together: 1 + batch. */
  nb: number;
  /** Rows of B̂ (nb + R) and of Ĉ (channels + R). */
  rows: number;
  cols: number;
  discreteL: number;
  L: number;
  /** Whether any input was float32 (then the outputs are). */
  f32: boolean;
  /** Complex [rows·cols, H, N2], row i·cols + j = B̂ᵢ·Ĉⱼ·Δ. */
  v: Float64Array;
  /** Complex [H, N2]: ΔΛ. */
  w: Float64Array;
  /** Real [H, N2]: the step Δ of each mode, times the rate. */
  delta: Float64Array;
  nodes: FrequencyNodes;
  /** Real [nb, channels, H]: the Woodbury-corrected limit at the Nyquist node (even discrete_L only). */
  limit: Float64Array | undefined;
}

/**
 * Validates S4 kernel parameters and returns the sizes of the evaluation: what a caller needs to
 * lay out the outputs, without preparing the problem.
 * @throws as {@link dplrKernel}.
 */
export function dplrKernelSizes(params: DplrKernelParams): DplrKernelSizes {
  return { ...checkParams(params), ...dplrKernelLengths(params.lKernel, params.rate ?? 1, params.L) };
}

/**
 * Validates S4 kernel parameters and prepares the Cauchy problem (see {@link DplrKernelProblem}).
 * @throws as {@link dplrKernel}.
 */
export function prepareDplrKernel(params: DplrKernelParams): DplrKernelProblem {
  const { H, N2, R, channels, batch, f32, discreteL, L, rate } = dplrKernelSizes(params);
  const HN = H * N2;
  const delta = modeSteps(params.dt, H, N2).map((d) => d * rate);
  const Lambda = params.Lambda.data;
  const P = params.P.data;
  const B = params.B.data;
  const C = params.C.data;

  // B̂ = [B; s_0 … s_{batch−1}; P_0 … P_{R−1}] and Ĉ = [C̃_0 … C̃_{channels−1}; Q_0 … Q_{R−1}],
  // each row complex [H, N2].
  const nb = 1 + batch;
  const rows = nb + R;
  const cols = channels + R;
  const bHat = new Float64Array(2 * rows * HN);
  const cHat = new Float64Array(2 * cols * HN);
  copyInto(bHat, 0, B, 0, 2 * HN);
  copyInto(bHat, 2 * nb * HN, P, 0, 2 * R * HN);
  copyInto(cHat, 0, C, 0, 2 * channels * HN);
  for (let i = 0; i < R * HN; i++) {
    cHat[2 * (channels * HN + i)] = P[2 * i];
    cHat[2 * (channels * HN + i) + 1] = -P[2 * i + 1];
  }
  if (params.state !== undefined)
    unbilinearStates(params.state.data, Lambda, P, delta, batch, R, H, N2, bHat);

  // v[i, j] = B̂_i·Ĉ_j·Δ, laid out [rows·cols, H, N2] for the Cauchy sums; poles w = ΔΛ.
  const v = new Float64Array(2 * rows * cols * HN);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const o = 2 * (i * cols + j) * HN;
      const bo = 2 * i * HN;
      const co = 2 * j * HN;
      for (let m = 0; m < HN; m++) {
        const br = bHat[bo + 2 * m];
        const bi = bHat[bo + 2 * m + 1];
        const cr = cHat[co + 2 * m];
        const ci = cHat[co + 2 * m + 1];
        const d = delta[m];
        v[o + 2 * m] = (br * cr - bi * ci) * d;
        v[o + 2 * m + 1] = (br * ci + bi * cr) * d;
      }
    }
  }
  const w = new Float64Array(2 * HN);
  for (let m = 0; m < HN; m++) {
    w[2 * m] = Lambda[2 * m] * delta[m];
    w[2 * m + 1] = Lambda[2 * m + 1] * delta[m];
  }
  const nodes = frequencyNodes(discreteL);
  let limit: Float64Array | undefined;
  if (nodes.nyquist) {
    const rLimit = cauchyLimit({ data: v, shape: [rows * cols, H, N2] });
    limit = woodburyLimit({ data: rLimit.data, shape: [rows, cols, H] }, R).data as Float64Array;
  }
  return { H, N2, R, channels, batch, nb, rows, cols, discreteL, L, f32, v, w, delta, nodes, limit };
}

/**
 * Rows 1 … batch of B̂: s = x/Δ + A·x/2 with A = diag(Λ) − P P* over [x, conj x], first half:
 * (A x)_n = Λ_n x_n − Σ_r P_{r,n}·(Q_r* x)_full, where (Q_r* x)_full = 2·Re Σ_m conj(P_{r,m}) x_m.
 */
function unbilinearStates(
  state: RealArray,
  Lambda: RealArray,
  P: RealArray,
  delta: Float64Array,
  batch: number,
  R: number,
  H: number,
  N2: number,
  bHat: Float64Array,
): void {
  const HN = H * N2;
  const t = new Float64Array(R);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < H; h++) {
      const xo = 2 * (b * HN + h * N2);
      for (let q = 0; q < R; q++) {
        const po = 2 * (q * HN + h * N2);
        let s = 0;
        for (let n = 0; n < N2; n++)
          s += P[po + 2 * n] * state[xo + 2 * n] + P[po + 2 * n + 1] * state[xo + 2 * n + 1];
        t[q] = 2 * s;
      }
      const so = 2 * ((1 + b) * HN + h * N2);
      for (let n = 0; n < N2; n++) {
        const m = h * N2 + n;
        const xr = state[xo + 2 * n];
        const xi = state[xo + 2 * n + 1];
        const lr = Lambda[2 * m];
        const li = Lambda[2 * m + 1];
        let ar = lr * xr - li * xi;
        let ai = lr * xi + li * xr;
        for (let q = 0; q < R; q++) {
          ar -= P[2 * (q * HN + m)] * t[q];
          ai -= P[2 * (q * HN + m) + 1] * t[q];
        }
        const inv = 1 / delta[m];
        bHat[so + 2 * n] = xr * inv + 0.5 * ar;
        bHat[so + 2 * n + 1] = xi * inv + 0.5 * ai;
      }
    }
  }
}

/** dst[r, :len] = src[offset + r·stride, … + len) for `count` rows. */
function truncateRows(
  src: Float64Array,
  offset: number,
  stride: number,
  dst: RealArray,
  count: number,
  len: number,
): void {
  for (let r = 0; r < count; r++) {
    const s = offset + r * stride;
    dst.set(src.subarray(s, s + len), r * len);
  }
}

function copyInto(dst: Float64Array, at: number, src: RealArray, from: number, count: number): void {
  for (let i = 0; i < count; i++) dst[at + i] = src[from + i];
}

interface Dims {
  H: number;
  N2: number;
  R: number;
  channels: number;
  batch: number;
  f32: boolean;
}

/** The sizes of an S4 kernel evaluation (see {@link dplrKernelSizes}). */
export type DplrKernelSizes = Dims & DplrKernelLengths;

function checkParams(params: DplrKernelParams): Dims {
  if (params === null || typeof params !== 'object') {
    throw new TypeError('params must be an object {Lambda, P, B, dt, C, lKernel, L?, rate?, state?}');
  }
  const [H, N2] = complexShape('Lambda', params.Lambda, ['H', 'N2']);
  const [R] = complexShape('P', params.P, ['rank', 'H', 'N2'], [undefined, H, N2]);
  if (R < 1) throw new RangeError(`P must have rank ≥ 1 rows (shape [rank, ${H}, ${N2}]); got rank ${R}`);
  complexShape('B', params.B, ['H', 'N2'], [H, N2]);
  const [channels] = complexShape('C', params.C, ['channels', 'H', 'N2'], [undefined, H, N2]);
  if (channels < 1)
    throw new RangeError(`C must have at least one channel; got shape [${params.C.shape.join(', ')}]`);
  modeSteps(params.dt, H, N2);
  let batch = 0;
  if (params.state !== undefined) {
    [batch] = complexShape('state', params.state, ['batch', 'H', 'N2'], [undefined, H, N2]);
    if (batch < 1)
      throw new RangeError(`state must have batch ≥ 1; got shape [${params.state.shape.join(', ')}]`);
  }
  const arrays = [params.Lambda, params.P, params.B, params.dt, params.C, params.state];
  const f32 = arrays.some((t) => t !== undefined && t.data instanceof Float32Array);
  return { H, N2, R, channels, batch, f32 };
}
