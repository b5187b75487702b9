import {
  assertInteger,
  assertOneOf,
  assertPositive,
  type ComplexTensor,
  type RealArray,
  type Tensor,
} from '@statespace/complex';
import {
  diagonalKernelFactors,
  diagonalStateFactors,
  KERNEL_METHODS,
  type KernelMethod,
} from '@statespace/discretize';
import { kernelOutputArray, type SsmKernelArrays, type SsmKernelOutput } from './kernel-output';
import { complexShape, modeSteps } from './parameters';
import { scratch } from './scratch';
import { vandermonde } from './vandermonde';

// The S4D convolution kernel (official `SSMKernelDiag.forward(L, state, rate)`): per-mode factors
// from @statespace/discretize, the products B·C over [B; state rows] × channels, and one
// Vandermonde product. Everything runs in float64; the result has float32 data when any input has.

/** The parameters of the S4D (diagonal) kernel of a layer, after the parameter transforms. */
export interface DiagKernelParams {
  /** Diagonal state matrix Λ, complex [H, N2] (half state: the conjugates are implied). */
  Lambda: ComplexTensor;
  /** Input matrix B, complex [H, N2]. */
  B: ComplexTensor;
  /** Output matrix C, complex [channels, H, N2]. */
  C: ComplexTensor;
  /** Step sizes Δ > 0: real [H] or [H, 1] per feature, or [H, N2] per mode (`dt_tie=False`). */
  dt: Tensor;
  /** Kernel length, an integer ≥ 1. */
  L: number;
  /** Discretisation: `zoh` (the S4D default), `bilinear`, or `dss` (DSS-exp: Re part, no ×2). */
  disc: KernelMethod;
  /** Sampling-rate factor (default 1): the kernel uses Δ·rate. */
  rate?: number;
  /** Initial states x₀, complex [batch, H, N2]; adds `K_state` to the output. */
  state?: ComplexTensor;
  /**
   * S4ND band limit: C is zeroed on the modes where Δ·|Im Λ|/(2π) ≥ bandlimit/2, with the
   * un-rated Δ (as the official `_get_params`). A finite number ≥ 0.
   */
  bandlimit?: number;
}

/**
 * The S4D convolution kernel of H diagonal systems (official `SSMKernelDiag.forward`):
 *
 * - `zoh`: K_l = 2·Re Σ_n C_n B_n (e^{ΔΛ_n} − 1)/Λ_n · e^{ΔΛ_n·l};
 * - `bilinear`: K_l = 2·Re Σ_n C_n B_n Δ/(1 − ΔΛ_n/2) · Ā_n^l, Ā = (1 + ΔΛ/2)/(1 − ΔΛ/2);
 * - `dss`: K_l = Re Σ_n C_n B_n (e^{x} − 1)·r((e^{xL} − 1)Λ)·e^{ΔΛ(l − shift)} (no ×2; modes
 *   with Re Λ > 0 reflected, see `diagonalKernelFactors`); reflected modes are summed as a
 *   reversed Vandermonde product with exponent −ΔΛ, so nothing overflows.
 *
 * Δ is multiplied by `rate`. With `state`, each x₀ becomes an extra B row x₀ ⊙ f (f from
 * `diagonalStateFactors`: (1/Δ)(1 + ΔΛ/2) for bilinear, (1/Δ)ΔΛe^{ΔΛ}/(e^{ΔΛ} − 1) for zoh, 1/Δ
 * for dss), whose kernel is K_state_l = 2·Re Σ C Ā^{l+1} x₀ (zoh, bilinear).
 *
 * Computed in float64; the outputs are float32 when any input array is float32. Cost
 * O((1 + batch)·channels·H·N2·L).
 *
 * @param out - Arrays to write `K` (and `K_state`) into instead of new ones (see
 *   {@link SsmKernelArrays}).
 * @returns `K` real [channels, H, L] and, when `state` is given, `K_state` real
 *   [batch, channels, H, L].
 * @throws RangeError on mismatched shapes (the message names the argument), non-finite values,
 *   Δ ≤ 0, L < 1, a bad rate or bandlimit, an unknown `disc`, or `out` arrays of other sizes.
 */
export function diagKernel(params: DiagKernelParams, out?: SsmKernelArrays): SsmKernelOutput {
  const { H, N2, channels, batch, L, f32, v, exponent, shift } = prepareDiagKernel(params);
  const HN = H * N2;
  const rows = (1 + batch) * channels;

  // Modes with a shift (reflected dss modes) go through a reversed product with exponent −x.
  let reflected = 0;
  for (let m = 0; m < HN; m++) if (shift[m] !== 0) reflected++;
  const x = Float64Array.from(exponent);
  let sum: Float64Array;
  if (reflected === 0) {
    sum = vandermonde(
      { data: v, shape: [rows, H, N2] },
      { data: x, shape: [H, N2] },
      L,
      scratch('diag.sum', rows * H * L),
    ).data as Float64Array;
  } else {
    const vr = new Float64Array(v.length);
    const xr = new Float64Array(x.length);
    for (let m = 0; m < HN; m++) {
      if (shift[m] === 0) continue;
      xr[2 * m] = -x[2 * m];
      xr[2 * m + 1] = -x[2 * m + 1];
      x[2 * m] = 0;
      x[2 * m + 1] = 0;
      for (let row = 0; row < rows; row++) {
        const o = 2 * (row * HN + m);
        vr[o] = v[o];
        vr[o + 1] = v[o + 1];
        v[o] = 0;
        v[o + 1] = 0;
      }
    }
    sum = vandermonde(
      { data: v, shape: [rows, H, N2] },
      { data: x, shape: [H, N2] },
      L,
      scratch('diag.sum', rows * H * L),
    ).data as Float64Array;
    const back = vandermonde({ data: vr, shape: [rows, H, N2] }, { data: xr, shape: [H, N2] }, L).data;
    for (let row = 0; row < rows * H; row++) {
      const o = row * L;
      for (let l = 0; l < L; l++) sum[o + l] += back[o + L - 1 - l];
    }
  }

  const block = channels * H * L;
  const K = kernelOutputArray('K', out?.K, block, f32);
  K.set(sum.subarray(0, block));
  if (params.state === undefined) return { K: { data: K, shape: [channels, H, L] } };
  const KState = kernelOutputArray('K_state', out?.K_state, batch * block, f32);
  KState.set(sum.subarray(block));
  return {
    K: { data: K, shape: [channels, H, L] },
    K_state: { data: KState, shape: [batch, channels, H, L] },
  };
}

/**
 * Everything an S4D kernel evaluation needs before its Vandermonde product, computed on the host
 * in float64 and shared by every backend: validated sizes and the per-mode terms of
 * K[row, h, l] = 2·Re Σ_n v[row,h,n]·exp(exponent[h,n]·(l − shift[h,n])).
 */
export interface DiagKernelProblem {
  H: number;
  N2: number;
  channels: number;
  /** Number of initial states (0 without). */
  batch: number;
  L: number;
  /** Whether any input was float32 (then the outputs are). */
  f32: boolean;
  /**
   * Complex [(1 + batch)·channels, H, N2]: row i·channels + c = Bᵢ·C_c·g, with B₀ = B,
   * B_{1+b} = x₀[b] ⊙ the state factors, and g the kernel factor times the band-limit mask
   * (and ½ for dss, whose output is Re, not 2·Re).
   */
  v: Float64Array;
  /** Complex [H, N2]: the exponent per mode (Δ·rate·Λ for zoh, log Ā for bilinear, …). */
  exponent: Float64Array;
  /** Real [H, N2]: the shift of reflected dss modes (L − 1), 0 otherwise. */
  shift: Float64Array;
}

/**
 * Validates S4D kernel parameters and returns the sizes of the evaluation (and Δ per mode, before
 * the rate): what a caller needs to lay out the outputs, without preparing the problem.
 * @throws as {@link diagKernel}.
 */
export function diagKernelSizes(params: DiagKernelParams): DiagKernelSizes {
  if (params === null || typeof params !== 'object') {
    throw new TypeError('params must be an object {Lambda, B, C, dt, L, disc, rate?, state?, bandlimit?}');
  }
  const [H, N2] = complexShape('Lambda', params.Lambda, ['H', 'N2']);
  complexShape('B', params.B, ['H', 'N2'], [H, N2]);
  const [channels] = complexShape('C', params.C, ['channels', 'H', 'N2'], [undefined, H, N2]);
  if (channels < 1)
    throw new RangeError(`C must have at least one channel; got shape [${params.C.shape.join(', ')}]`);
  const dtRaw = modeSteps(params.dt, H, N2);
  const { L, disc, state, bandlimit } = params;
  assertInteger('L', L, 1);
  assertOneOf('disc', disc, KERNEL_METHODS);
  const rate = params.rate ?? 1;
  assertPositive('rate', rate);
  let batch = 0;
  if (state !== undefined) {
    [batch] = complexShape('state', state, ['batch', 'H', 'N2'], [undefined, H, N2]);
    if (batch < 1) throw new RangeError(`state must have batch ≥ 1; got shape [${state.shape.join(', ')}]`);
  }
  if (bandlimit !== undefined && !(Number.isFinite(bandlimit) && bandlimit >= 0)) {
    throw new RangeError(`bandlimit must be a finite number ≥ 0; got ${bandlimit}`);
  }
  const f32 = [params.Lambda, params.B, params.C, params.dt, state].some(
    (t) => t !== undefined && t.data instanceof Float32Array,
  );
  return { H, N2, channels, batch, L, rate, f32, dtRaw };
}

/** The sizes of an S4D kernel evaluation (see {@link diagKernelSizes}). */
export interface DiagKernelSizes {
  H: number;
  N2: number;
  channels: number;
  batch: number;
  L: number;
  rate: number;
  f32: boolean;
  /** Δ per (h, n), as given (not yet times the rate). */
  dtRaw: Float64Array;
}

/**
 * Validates S4D kernel parameters and prepares the Vandermonde problem (see {@link DiagKernelProblem}).
 * @throws as {@link diagKernel}.
 */
export function prepareDiagKernel(params: DiagKernelParams): DiagKernelProblem {
  const { H, N2, channels, batch, L, rate, f32, dtRaw } = diagKernelSizes(params);
  const { disc, state, bandlimit } = params;
  const HN = H * N2;
  const Lambda = params.Lambda.data;
  const lambda64: ComplexTensor<Float64Array> = { data: Float64Array.from(Lambda), shape: [H, N2] };
  const dt = new Float64Array(HN);
  for (let m = 0; m < HN; m++) dt[m] = dtRaw[m] * rate;
  const dtT: Tensor<Float64Array> = { data: dt, shape: [H, N2] };
  const { factor, exponent, shift, scale } = diagonalKernelFactors(lambda64, dtT, disc, { L });
  const sf = state === undefined ? undefined : diagonalStateFactors(lambda64, dtT, disc).data;

  // Per-mode multiplier of C: the kernel factor, the band-limit mask (un-rated Δ) and, for dss,
  // the ½ that undoes the Vandermonde product's 2·Re.
  const half = scale === 1 ? 0.5 : 1;
  const cut = bandlimit === undefined ? Number.POSITIVE_INFINITY : bandlimit / 2;
  const g = new Float64Array(2 * HN);
  for (let m = 0; m < HN; m++) {
    const keep = (dtRaw[m] * Math.abs(Lambda[2 * m + 1])) / (2 * Math.PI) < cut ? half : 0;
    g[2 * m] = factor.data[2 * m] * keep;
    g[2 * m + 1] = factor.data[2 * m + 1] * keep;
  }

  // Coefficients [(1 + batch)·channels, H, N2]: row i·channels + c = Bᵢ·C_c·g.
  const nb = 1 + batch;
  const v = new Float64Array(2 * nb * channels * HN);
  const B = params.B.data;
  const C = params.C.data;
  const sd = state?.data;
  for (let i = 0; i < nb; i++) {
    for (let m = 0; m < HN; m++) {
      let br: number;
      let bi: number;
      if (i === 0) {
        br = B[2 * m];
        bi = B[2 * m + 1];
      } else {
        const x = 2 * ((i - 1) * HN + m);
        const xr = (sd as RealArray)[x];
        const xi = (sd as RealArray)[x + 1];
        const fr = (sf as RealArray)[2 * m];
        const fi = (sf as RealArray)[2 * m + 1];
        br = xr * fr - xi * fi;
        bi = xr * fi + xi * fr;
      }
      // (B·g), then times each channel's C.
      const pr = br * g[2 * m] - bi * g[2 * m + 1];
      const pi = br * g[2 * m + 1] + bi * g[2 * m];
      for (let c = 0; c < channels; c++) {
        const co = 2 * (c * HN + m);
        const cr = C[co];
        const ci = C[co + 1];
        const o = 2 * ((i * channels + c) * HN + m);
        v[o] = pr * cr - pi * ci;
        v[o + 1] = pr * ci + pi * cr;
      }
    }
  }
  return {
    H,
    N2,
    channels,
    batch,
    L,
    f32,
    v,
    exponent: Float64Array.from(exponent.data),
    shift: Float64Array.from(shift.data),
  };
}
