import { assertOneOf, type ComplexTensor, type Tensor } from '@statespace/complex';
import { diagonalKernelFactors, discretizeDiagonal } from '@statespace/discretize';
import { powerScan } from '@statespace/linalg';
import { type DplrSystem, denseBilinear } from './dplr-system';
import { complexShape, modeSteps, realShape } from './parameters';
import { vandermondeTranspose } from './vandermonde';

// State forwarding over a whole chunk (official `forward_state`): the state after feeding the
// inputs u_0 … u_{L−1} from x₀, x_L = Ā^L x₀ + Σ_{l<L} Ā^l B̄ u_{L−1−l}, so that a long sequence
// can be processed chunk by chunk (y = u ∗ K + K_state of the carried state).

/** The discretisations whose recurrence `diagForwardState` forwards. */
export const FORWARD_STATE_METHODS = ['zoh', 'bilinear'] as const;

/** Parameters of {@link diagForwardState}. */
export interface DiagForwardStateParams {
  /** Diagonal state matrix Λ, complex [H, N2] (half state). */
  Lambda: ComplexTensor;
  /** Input matrix B, complex [H, N2]. */
  B: ComplexTensor;
  /** Step sizes Δ > 0: real [H] or [H, 1] per feature, or [H, N2] per mode. */
  dt: Tensor;
  /** Discretisation of the recurrence: `zoh` or `bilinear` (the official code has no dss recurrence). */
  disc: (typeof FORWARD_STATE_METHODS)[number];
  /** Inputs, real [batch, H, L] (L ≥ 0; L = 0 returns the state unchanged). */
  u: Tensor;
  /** States before the chunk, complex [batch, H, N2]. */
  state: ComplexTensor;
}

/**
 * The state of H diagonal (S4D) systems after a chunk of inputs (official
 * `SSMKernelDiag.forward_state`): with Ā, B̄ of `discretizeDiagonal` (`zoh` or `bilinear`),
 *
 *   x_L = Ā^L ⊙ x₀ + Σ_{l<L} B̄·u_{L−1−l}·Ā^l,
 *
 * the sum as a transposed Vandermonde product on u reversed, with log Ā as exponent (ΔΛ itself
 * for zoh). Computed in float64; the result is float32 when any input array is float32.
 *
 * @returns The next state, complex [batch, H, N2].
 * @throws RangeError on mismatched shapes (the message names the argument), non-finite values,
 *   Δ ≤ 0 or a `disc` other than `zoh` / `bilinear`.
 */
export function diagForwardState(params: DiagForwardStateParams): ComplexTensor {
  if (params === null || typeof params !== 'object') {
    throw new TypeError('params must be an object {Lambda, B, dt, disc, u, state}');
  }
  const [H, N2] = complexShape('Lambda', params.Lambda, ['H', 'N2']);
  complexShape('B', params.B, ['H', 'N2'], [H, N2]);
  assertOneOf('disc', params.disc, FORWARD_STATE_METHODS);
  const dt = modeSteps(params.dt, H, N2);
  const [batch, , L] = realShape('u', params.u, ['batch', 'H', 'L'], [undefined, H]);
  complexShape('state', params.state, ['batch', 'H', 'N2'], [batch, H, N2]);
  const f32 = [params.Lambda, params.B, params.dt, params.u, params.state].some(
    (t) => t.data instanceof Float32Array,
  );

  const HN = H * N2;
  const lambda64: ComplexTensor<Float64Array> = {
    data: Float64Array.from(params.Lambda.data),
    shape: [H, N2],
  };
  const b64: ComplexTensor<Float64Array> = { data: Float64Array.from(params.B.data), shape: [H, N2] };
  const dtT: Tensor<Float64Array> = { data: dt, shape: [H, N2] };
  // exponent = log Ā (ΔΛ for zoh; log((1 + ΔΛ/2)/(1 − ΔΛ/2)) for bilinear), B̄ as the official step.
  const { exponent } = diagonalKernelFactors(lambda64, dtT, params.disc);
  const { dB } = discretizeDiagonal(lambda64, b64, dtT, params.disc);

  const u = params.u.data;
  const flipped = new Float64Array(batch * H * L);
  for (let row = 0; row < batch * H; row++) {
    const o = row * L;
    for (let l = 0; l < L; l++) flipped[o + l] = u[o + L - 1 - l];
  }
  const sum = vandermondeTranspose({ data: flipped, shape: [batch, H, L] }, dB, exponent).data;

  const x0 = params.state.data;
  const ex = exponent.data;
  const out = f32 ? new Float32Array(2 * batch * HN) : new Float64Array(2 * batch * HN);
  for (let m = 0; m < HN; m++) {
    // Ā^L = exp(L·log Ā).
    const mag = Math.exp(L * ex[2 * m]);
    const phase = L * ex[2 * m + 1];
    const ar = mag * Math.cos(phase);
    const ai = mag * Math.sin(phase);
    for (let b = 0; b < batch; b++) {
      const o = 2 * (b * HN + m);
      const xr = x0[o];
      const xi = x0[o + 1];
      out[o] = ar * xr - ai * xi + sum[o];
      out[o + 1] = ar * xi + ai * xr + sum[o + 1];
    }
  }
  return { data: out, shape: [batch, H, N2] };
}

/** Parameters of {@link dplrForwardState}. */
export interface DplrForwardStateParams {
  /** The DPLR systems (A = diag(Λ) − P P*, bilinear). */
  system: DplrSystem;
  /** Inputs, real [batch, H, L] (L ≥ 0; L = 0 returns the state unchanged). */
  u: Tensor;
  /**
   * States before the chunk: the half state, complex [batch, H, N2] (as stored by the kernels),
   * or the full conjugate-expanded state [batch, H, N] with N = 2·N2.
   */
  state: ComplexTensor;
}

/**
 * The state of H DPLR (S4) systems after a chunk of inputs (official generic
 * `SSMKernel.forward_state`, used by `SSMKernelDPLR`): the dense bilinear Ā, B̄ over the full
 * conjugate-expanded state (`denseBilinear`), then for every (batch row, feature) the power scan
 *
 *   x_L = Ā^L x₀ + Σ_{l<L} Ā^l B̄ u_{L−1−l}
 *
 * in one divide-and-conquer `powerScan` over the L + 1 vectors [B̄u_{L−1}, …, B̄u_0, x₀]
 * (⌊log₂(L+1)⌋ squarings of the N×N matrix). O(batch·H·(N³·log L + L·N²)): the official code
 * calls this path suboptimal too; prefer S4D for chunked processing of long sequences.
 *
 * A half state comes back as a half state (the first N2 entries of the full result), a full
 * state as a full state. Computed in float64; the result is float32 when any input array is.
 *
 * @returns The next state, complex [batch, H, N2] (or [batch, H, N] for a full-state input).
 * @throws RangeError on mismatched shapes (the message names the argument), non-finite values or
 *   Δ ≤ 0.
 */
export function dplrForwardState(params: DplrForwardStateParams): ComplexTensor {
  if (params === null || typeof params !== 'object') {
    throw new TypeError('params must be an object {system, u, state}');
  }
  const { system } = params;
  if (system === null || typeof system !== 'object') {
    throw new TypeError('system must be a DplrSystem {Lambda, P, B, dt}');
  }
  const [H, N2] = complexShape('system.Lambda', system.Lambda, ['H', 'N2']);
  const [R] = complexShape('system.P', system.P, ['rank', 'H', 'N2'], [undefined, H, N2]);
  if (R < 1)
    throw new RangeError(`system.P must have rank ≥ 1 rows; got shape [${system.P.shape.join(', ')}]`);
  complexShape('system.B', system.B, ['H', 'N2'], [H, N2]);
  const dtSteps = modeSteps(system.dt, H, N2, 'system.dt');
  const [batch, , L] = realShape('u', params.u, ['batch', 'H', 'L'], [undefined, H]);
  const N = 2 * N2;
  const sshape = params.state?.shape;
  const full = Array.isArray(sshape) && sshape.length === 3 && sshape[2] === N;
  const M = full ? N : N2;
  if (!(Array.isArray(sshape) && sshape.length === 3 && (sshape[2] === N2 || sshape[2] === N))) {
    throw new RangeError(
      `state must have shape [batch = ${batch}, H = ${H}, N2 = ${N2}] (half state) or [${batch}, ${H}, ${N}] (full state); got [${sshape?.join(', ') ?? ''}]`,
    );
  }
  complexShape('state', params.state, ['batch', 'H', full ? 'N' : 'N2'], [batch, H, M]);
  const f32 = [system.Lambda, system.P, system.B, system.dt, params.u, params.state].some(
    (t) => t.data instanceof Float32Array,
  );

  // The dense discrete system in float64 (dt as given: per feature or per mode).
  const dtPerMode = system.dt.shape.length === 2 && system.dt.shape[1] === N2 && N2 !== 1;
  const system64: DplrSystem = {
    Lambda: { data: Float64Array.from(system.Lambda.data), shape: [H, N2] },
    P: { data: Float64Array.from(system.P.data), shape: [R, H, N2] },
    B: { data: Float64Array.from(system.B.data), shape: [H, N2] },
    dt: dtPerMode
      ? { data: dtSteps, shape: [H, N2] }
      : { data: Float64Array.from({ length: H }, (_, h) => dtSteps[h * N2]), shape: [H] },
  };
  const { dA, dB } = denseBilinear(system64);
  const a = dA.data;
  const bbar = dB.data;
  const u = params.u.data;
  const x0 = params.state.data;

  // Rows 0 … L−1 of the scan: B̄·u_{L−1−i}; row L: the full x₀.
  const rows = new Float64Array(2 * (L + 1) * N);
  const scanRows: ComplexTensor<Float64Array> = { data: rows, shape: [L + 1, N] };
  const out = f32 ? new Float32Array(2 * batch * H * M) : new Float64Array(2 * batch * H * M);
  for (let h = 0; h < H; h++) {
    const matrix: ComplexTensor = { data: a.subarray(2 * h * N * N, 2 * (h + 1) * N * N), shape: [N, N] };
    const bo = 2 * h * N;
    for (let b = 0; b < batch; b++) {
      const uo = (b * H + h) * L;
      for (let i = 0; i < L; i++) {
        const s = u[uo + L - 1 - i];
        const o = 2 * i * N;
        for (let k = 0; k < 2 * N; k++) rows[o + k] = bbar[bo + k] * s;
      }
      const last = 2 * L * N;
      const xo = 2 * (b * H + h) * M;
      for (let k = 0; k < 2 * M; k++) rows[last + k] = x0[xo + k];
      if (!full) {
        for (let n = 0; n < N2; n++) {
          rows[last + 2 * (N2 + n)] = x0[xo + 2 * n];
          rows[last + 2 * (N2 + n) + 1] = -x0[xo + 2 * n + 1];
        }
      }
      const next = powerScan(matrix, scanRows).data;
      for (let k = 0; k < 2 * M; k++) out[xo + k] = next[k];
    }
  }
  return { data: out, shape: [batch, H, M] };
}
